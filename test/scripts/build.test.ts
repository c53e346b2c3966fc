import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

// scripts/build.js: tsc's outputs, written by rename and only when changed (issue 17).
const root = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require(path.join(root, 'scripts', 'build.js')) as {
  build: (options?: { rewriteAll?: boolean; root?: string }) => { errors: number; written: number; unchanged: number; diagnostics: { messageText: unknown }[] };
};
fs.mkdirSync(path.join(root, 'data'), { recursive: true });
const work = fs.mkdtempSync(path.join(root, 'data', 'tmp-build-test-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const tsconfig = {
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, declaration: true, sourceMap: true, rootDir: '.', outDir: 'out', types: [] },
    include: ['*.ts'],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

function outputs(dir: string): Record<string, string> {
  const out = path.join(dir, 'out');
  return Object.fromEntries(
    fs
      .readdirSync(out)
      .sort()
      .map((name) => [name, fs.readFileSync(path.join(out, name), 'utf8')]),
  );
}

const sources = {
  'a.ts': "import { twice } from './b';\n/** Doc kept in the declaration. */\nexport const four: number = twice(2);\n",
  'b.ts': 'export function twice(x: number): number {\n  return 2 * x;\n}\n',
};

test('writes the same files, byte for byte, as `tsc -p` with the same TypeScript', () => {
  const dir = project('same', sources);
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout);
  const expected = outputs(dir);
  assert.deepEqual(Object.keys(expected), ['a.d.ts', 'a.js', 'a.js.map', 'b.d.ts', 'b.js', 'b.js.map']);
  fs.rmSync(path.join(dir, 'out'), { recursive: true });
  const result = build({ root: dir });
  assert.equal(result.errors, 0);
  assert.equal(result.written, 6);
  assert.deepEqual(outputs(dir), expected);
});

test('a rebuild without changes touches no file; a changed source replaces only its outputs, by rename', () => {
  const dir = project('unchanged', sources);
  build({ root: dir });
  const out = (name: string) => path.join(dir, 'out', name);
  const inode = (name: string) => fs.statSync(out(name)).ino;
  const before = Object.fromEntries(['a.js', 'a.d.ts', 'b.js', 'b.d.ts'].map((name) => [name, inode(name)]));
  const again = build({ root: dir });
  assert.deepEqual([again.written, again.unchanged], [0, 6]);
  for (const name of Object.keys(before)) assert.equal(inode(name), before[name], `${name} untouched`);

  fs.writeFileSync(path.join(dir, 'b.ts'), 'export function twice(x: number): number {\n  return x + x;\n}\n');
  const changed = build({ root: dir });
  assert.equal(changed.written, 1, 'only b.js changes (its declaration and its source map are the same)');
  assert.notEqual(inode('b.js'), before['b.js'], 'b.js replaced by a new file (rename), not rewritten in place');
  assert.equal(inode('b.d.ts'), before['b.d.ts']);
  assert.equal(inode('a.js'), before['a.js']);
  assert.match(fs.readFileSync(out('b.js'), 'utf8'), /return x \+ x;/);
  assert.deepEqual(
    fs.readdirSync(path.join(dir, 'out')).filter((name) => name.includes('.tmp')),
    [],
    'no temporary files left',
  );
});

test('--rewrite-all replaces every output (new files, same bytes)', () => {
  const dir = project('rewrite', sources);
  build({ root: dir });
  const first = outputs(dir);
  const inode = fs.statSync(path.join(dir, 'out', 'a.d.ts')).ino;
  const result = build({ root: dir, rewriteAll: true });
  assert.deepEqual([result.written, result.unchanged], [6, 0]);
  assert.notEqual(fs.statSync(path.join(dir, 'out', 'a.d.ts')).ino, inode);
  assert.deepEqual(outputs(dir), first);
});

test('type errors are reported and make the build fail, and the outputs are still written (as with tsc)', () => {
  const dir = project('errors', { 'c.ts': "export const n: number = 'not a number';\n" });
  const result = build({ root: dir });
  assert.equal(result.errors, 1);
  assert.match(JSON.stringify(result.diagnostics.map((d) => d.messageText)), /Type 'string' is not assignable to type 'number'/);
  assert.ok(fs.existsSync(path.join(dir, 'out', 'c.js')));
  const cli = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js'), '--no-such-flag'], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /unknown argument "--no-such-flag"; allowed: --rewrite-all/);
});
