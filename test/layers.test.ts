/**
 * The directions between the library's stages, checked on the sources and on the compiled
 * modules: the numeric stages never reach TensorFlow.js or the training code, the analysis layer
 * (and the figures, the report and the stored-run reader) load without TensorFlow.js, figures
 * compute nothing, and the store knows no stage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BUILD_LIB = path.resolve(__dirname, '../lib');
const SOURCE_LIB = path.resolve(__dirname, '../../lib');

/** Every `import … from '…'` / `export … from '…'` of a source file, with whether it is type-only. */
function sourceImports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) out.push({ spec: m[3], typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/require\('([^']+)'\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

function sourceFiles(stage: string): string[] {
  const dir = path.join(SOURCE_LIB, stage);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** The stage a relative import of a file in `stage` lands in ('' for a package or a node module). */
function stageOf(stage: string, spec: string): string {
  if (!spec.startsWith('.')) return '';
  const target = path.relative(SOURCE_LIB, path.resolve(SOURCE_LIB, stage, spec));
  return target.split(path.sep)[0];
}

/** Compiled modules reachable from `entry` through require() of relative paths, and the packages they require. */
function requireClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const resolved = path.resolve(path.dirname(file), spec);
        stack.push(fs.existsSync(`${resolved}.js`) ? `${resolved}.js` : path.join(resolved, 'index.js'));
      } else packages.add(spec);
    }
  }
  return { files, packages };
}

test('graphs, probe, stats and fss never import TensorFlow.js or the training stage, not even for types', () => {
  for (const stage of ['graphs', 'probe', 'stats', 'fss']) {
    for (const file of sourceFiles(stage)) {
      for (const { spec } of sourceImports(file)) {
        assert.ok(!spec.includes('@tensorflow'), `${path.relative(SOURCE_LIB, file)} imports ${spec}`);
        assert.ok(
          !['train', 'backend', 'analysis', 'figures', 'report', 'notebook'].includes(stageOf(stage, spec)),
          `${path.relative(SOURCE_LIB, file)} imports ${spec}`,
        );
      }
    }
    for (const file of fs.readdirSync(path.join(BUILD_LIB, stage)).filter((f) => f.endsWith('.js'))) {
      const closure = requireClosure(path.join(BUILD_LIB, stage, file));
      for (const f of closure.files)
        assert.ok(!/^(train|backend)[/\\]/.test(path.relative(BUILD_LIB, f)), `${stage}/${file} reaches ${path.relative(BUILD_LIB, f)}`);
      for (const p of closure.packages) assert.ok(!p.startsWith('@tensorflow'), `${stage}/${file} reaches ${p}`);
    }
  }
});

test('loading the analysis layer, the figures, the report, the stored-run reader, the exchange format and the CLI loads no @tensorflow module', () => {
  for (const entry of ['analysis/index.js', 'figures/index.js', 'report/index.js', 'train/runFiles.js', 'exchange/index.js', 'cli/analyze.js', 'cli/main.js']) {
    const script = `require(${JSON.stringify(path.join(BUILD_LIB, entry))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    assert.ok(
      loaded.some((f) => f.endsWith(path.join('build', 'lib', entry))),
      `${entry} was loaded`,
    );
    const tensorflow = loaded.filter((f) => f.includes(`${path.sep}@tensorflow${path.sep}`));
    assert.deepEqual(tensorflow, [], `${entry} loads TensorFlow.js`);
    // The training code proper (the backend, the model, the training loop) stays unloaded.
    const training = loaded.filter(
      (f) => f.startsWith(BUILD_LIB) && /^(backend[/\\]|train[/\\](mlp|trainRun|trainScales|trainWorker)\.js$)/.test(path.relative(BUILD_LIB, f)),
    );
    assert.deepEqual(training, [], `${entry} loads the training code`);
  }
});

test('the exchange format (runs trained elsewhere) reaches no TensorFlow.js and, of the training stage, only the stored-run reader, the onset rule and the layout', () => {
  for (const file of sourceFiles('exchange')) {
    for (const { spec, typeOnly } of sourceImports(file)) {
      assert.ok(!spec.includes('@tensorflow'), `${path.relative(SOURCE_LIB, file)} imports ${spec}`);
      const stage = stageOf('exchange', spec);
      assert.ok(!['backend', 'analysis', 'figures', 'report', 'notebook', 'cli'].includes(stage), `${path.relative(SOURCE_LIB, file)} imports ${spec}`);
      if (stage === 'train' && !typeOnly) assert.match(spec, /\/(runFiles|onset)$/, `${path.relative(SOURCE_LIB, file)} imports ${spec}`);
    }
  }
});

test('grokking-fss analyze on a directory of runs trained elsewhere loads no @tensorflow module', () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-layers-store-'));
  const { runDirectory } = require('./exchange/helpers') as typeof import('./exchange/helpers');
  const runs = runDirectory('layers', [20, 40, 80], [0, 1]);
  const script = `require(${JSON.stringify(path.join(BUILD_LIB, 'cli', 'main.js'))}).main(['analyze', ${JSON.stringify(runs)}, '--profile', 'smoke', '--store', ${JSON.stringify(store)}, '--nulls', 'gaussian']).then((code) => process.stdout.write(JSON.stringify({ code, loaded: Object.keys(require.cache) })));`;
  const { code, loaded } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).split('\n').pop()!) as {
    code: number;
    loaded: string[];
  };
  assert.equal(code, 0);
  assert.deepEqual(
    loaded.filter((f) => f.includes(`${path.sep}@tensorflow${path.sep}`)),
    [],
  );
  // Of the training stage, only the stored-run reader and the onset rule (no backend, model or training loop).
  const training = loaded
    .filter((f) => f.startsWith(BUILD_LIB) && /^(backend|train)[/\\]/.test(path.relative(BUILD_LIB, f)))
    .map((f) => path.relative(BUILD_LIB, f));
  assert.deepEqual(
    training.filter((f) => ![path.join('train', 'onset.js'), path.join('train', 'runFiles.js')].includes(f)),
    [],
  );
});

test('figures import no computation stage: only plot and util at run time (types from anywhere)', () => {
  for (const file of sourceFiles('figures')) {
    for (const { spec, typeOnly } of sourceImports(file)) {
      if (typeOnly) continue;
      const stage = stageOf('figures', spec);
      assert.ok(
        ['figures', 'plot', 'util'].includes(stage) || (stage === '' && spec === 'arquero'),
        `${path.relative(SOURCE_LIB, file)} imports ${spec} at run time`,
      );
    }
  }
  for (const file of fs.readdirSync(path.join(BUILD_LIB, 'figures')).filter((f) => f.endsWith('.js'))) {
    const { files } = requireClosure(path.join(BUILD_LIB, 'figures', file));
    for (const f of files) assert.ok(/^(figures|plot|util)[/\\]/.test(path.relative(BUILD_LIB, f)), `figures/${file} reaches ${path.relative(BUILD_LIB, f)}`);
  }
});

test('the store knows no stage', () => {
  for (const file of sourceFiles('store')) {
    for (const { spec } of sourceImports(file)) {
      const stage = stageOf('store', spec);
      assert.ok(stage === '' || stage === 'store' || stage === 'util', `${path.relative(SOURCE_LIB, file)} imports ${spec}`);
    }
  }
});

test('lib/index.ts lists its names (no export *), and no file in lib/ is over 500 lines', () => {
  assert.doesNotMatch(fs.readFileSync(path.join(SOURCE_LIB, 'index.ts'), 'utf8'), /export \*/);
  const long: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && fs.readFileSync(full, 'utf8').split('\n').length > 500) long.push(path.relative(SOURCE_LIB, full));
    }
  };
  walk(SOURCE_LIB);
  assert.deepEqual(long, []);
});
