import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root, hasJupyter, notebook, runNotebooks, temporaryNotebooksFolder } from './helpers';

// The project's kernel launcher (scripts/tslab-kernel.js, issue 17): tslab with its compiler's
// file watching turned off and error listeners that cannot kill the kernel.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const launcher = require(path.join(root, 'scripts', 'tslab-kernel.js')) as {
  configureCompilerWatching: (sys: FakeSys, mode: string, log: ((line: string) => void) | null) => void;
  guardErrorListeners: (emitter: EventEmitter, report: (line: string) => void) => void;
  parseKernelArgs: (args: string[]) => { configPath: string; jsKernel: boolean } | null;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyterEnv = require(path.join(root, 'scripts', 'jupyter-env.js')) as { kernelLauncher: string; kernelSpecFile: string };

interface Watcher {
  close(): void;
}
interface FakeSys {
  watchFile: (file: string, callback: (name: string, kind: number) => void, ...rest: unknown[]) => Watcher;
  watchDirectory: (dir: string, callback: (name: string) => void, recursive?: boolean, ...rest: unknown[]) => Watcher;
}

/** A stand-in for TypeScript's sys whose watchers record their callbacks, so a test can fire them. */
function fakeSys() {
  const fileCallbacks = new Map<string, (name: string, kind: number) => void>();
  const dirCallbacks = new Map<string, (name: string) => void>();
  const sys: FakeSys = {
    watchFile: (file, callback) => (fileCallbacks.set(file, callback), { close: () => fileCallbacks.delete(file) }),
    watchDirectory: (dir, callback) => (dirCallbacks.set(dir, callback), { close: () => dirCallbacks.delete(dir) }),
  };
  return { sys, fileCallbacks, dirCallbacks };
}

test("watching 'off': the compiler's watch requests reach no real watcher and are logged", () => {
  const { sys, fileCallbacks, dirCallbacks } = fakeSys();
  const lines: string[] = [];
  launcher.configureCompilerWatching(sys, 'off', (line) => lines.push(line));
  let fired = 0;
  const fileWatcher = sys.watchFile('/p/node_modules/grokking-fss/package.json', () => fired++, 250);
  const dirWatcher = sys.watchDirectory('/p/notebooks/node_modules', () => fired++, true);
  assert.equal(fileCallbacks.size, 0, 'no real file watcher');
  assert.equal(dirCallbacks.size, 0, 'no real directory watcher');
  fileWatcher.close();
  dirWatcher.close();
  assert.equal(fired, 0);
  assert.deepEqual(lines, ['watch file /p/node_modules/grokking-fss/package.json', 'watch directory /p/notebooks/node_modules recursive=true']);
});

test("watching 'tslab' (diagnostics): requests go to the real watchers, events are logged, and an event whose handler throws is logged as THREW", () => {
  const { sys, fileCallbacks, dirCallbacks } = fakeSys();
  const lines: string[] = [];
  launcher.configureCompilerWatching(sys, 'tslab', (line) => lines.push(line));
  const seen: string[] = [];
  sys.watchFile('/p/build/lib/index.d.ts', (name, kind) => seen.push(`${name}:${kind}`));
  sys.watchDirectory(
    '/p/build/node_modules',
    () => {
      throw new Error('Unexpected pending rebuildTimer');
    },
    true,
  );
  fileCallbacks.get('/p/build/lib/index.d.ts')!('/p/build/lib/index.d.ts', 1);
  assert.deepEqual(seen, ['/p/build/lib/index.d.ts:1']);
  assert.throws(() => dirCallbacks.get('/p/build/node_modules')!('/p/build/node_modules/x'), /Unexpected pending rebuildTimer/);
  assert.deepEqual(lines.slice(2), [
    'FIRED file /p/build/lib/index.d.ts kind=1',
    'FIRED directory /p/build/node_modules -> /p/build/node_modules/x',
    'THREW Unexpected pending rebuildTimer',
  ]);
});

test('an unknown GROKFSS_KERNEL_WATCH value is rejected with the allowed values', () => {
  assert.throws(() => launcher.configureCompilerWatching(fakeSys().sys, 'poll', null), /GROKFSS_KERNEL_WATCH: got "poll"; allowed values: "off", "tslab"/);
});

test('a kernel whose sockets cannot be opened exits with code 1 and says why (it used to live on, unreachable)', () => {
  const script = [
    `const { exitWhenSocketsFail } = require(${JSON.stringify(path.join(root, 'scripts', 'tslab-kernel.js'))});`,
    'class ZmqServer { async init() { throw Object.assign(new Error("Address already in use"), { code: "EADDRINUSE", address: "tcp://127.0.0.1:43051" }); } }',
    'exitWhenSocketsFail({ ZmqServer });',
    'new ZmqServer().init();',
    'setTimeout(() => console.log("still running"), 2000);',
  ].join('\n');
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 1, child.stdout + child.stderr);
  assert.match(child.stderr, /tslab-kernel: could not open the kernel's sockets \(EADDRINUSE at tcp:\/\/127\.0\.0\.1:43051\); exiting/);
  assert.doesNotMatch(child.stdout, /still running/);
});

test("the launcher takes Jupyter's kernel command line, and hands anything else to tslab", () => {
  assert.deepEqual(launcher.parseKernelArgs(['kernel', '--config-path', '/r/kernel-1.json']), { configPath: '/r/kernel-1.json', jsKernel: false });
  assert.deepEqual(launcher.parseKernelArgs(['kernel', '--config-path=/r/k.json', '--js']), { configPath: '/r/k.json', jsKernel: true });
  assert.equal(launcher.parseKernelArgs(['install', '--python=python3']), null);
  assert.equal(launcher.parseKernelArgs(['kernel']), null);
  assert.equal(launcher.parseKernelArgs(['kernel', '--config-path', '/r/k.json', '--other']), null);
});

test('guarded error listeners: a rethrow (as the wasm runtime does) is dropped, another error is reported, removal by the original listener works', () => {
  const emitter = new EventEmitter();
  const reports: string[] = [];
  launcher.guardErrorListeners(emitter, (line) => reports.push(line));
  const seen: string[] = [];
  const logs = (error: Error) => seen.push(`logged ${error.message}`);
  const rethrows = (error: Error) => {
    throw error;
  };
  const breaks = () => {
    throw new Error('listener bug 77');
  };
  emitter.on('uncaughtException', logs);
  emitter.on('uncaughtException', rethrows);
  emitter.prependListener('unhandledRejection', breaks);
  assert.doesNotThrow(() => emitter.emit('uncaughtException', new Error('stray 1')));
  assert.deepEqual(seen, ['logged stray 1'], 'the listeners before the rethrowing one ran');
  assert.deepEqual(reports, [], 'a rethrow of the same error is not reported again');
  assert.doesNotThrow(() => emitter.emit('unhandledRejection', new Error('stray 2')));
  assert.equal(reports.length, 1);
  assert.match(reports[0], /^a unhandledRejection listener threw \(the kernel keeps running\): Error: listener bug 77/);
  assert.deepEqual(emitter.listeners('uncaughtException'), [logs, rethrows], 'listeners() shows the originals');
  emitter.removeListener('uncaughtException', rethrows);
  assert.deepEqual(emitter.listeners('uncaughtException'), [logs]);
  // Other events are untouched: their listeners still throw.
  emitter.on('other', rethrows);
  assert.throws(() => emitter.emit('other', new Error('not guarded')), /not guarded/);
});

test(
  'the registered kernel spec starts the launcher, which is executable',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require(path.join(root, 'scripts', 'jupyter-env.js')).ensureKernel();
    const spec = JSON.parse(fs.readFileSync(jupyterEnv.kernelSpecFile, 'utf8'));
    assert.deepEqual(spec.argv, [jupyterEnv.kernelLauncher, 'kernel', '--config-path', '{connection_file}']);
    fs.accessSync(jupyterEnv.kernelLauncher, fs.constants.X_OK);
  },
);

test(
  'issue 17 on demand: a rebuild between two cells kills tslab as installed, and not the shipped kernel',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'repro-kernel-death.js')], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    // Control: tslab as installed dies (wasm backend loaded). If this stops holding (tslab or
    // tfjs fixed upstream), revisit the launcher.
    assert.match(
      output,
      /── plain kernel[\s\S]*FIRED file node_modules\/grokking-fss\/package\.json[\s\S]*handling it THREW: Unexpected pending rebuildTimer[\s\S]*RESULT: KERNEL DIED \(exited with code 7\)/,
      output,
    );
    assert.match(output, /old behaviour: reproduced/);
    // The shipped kernel: asked to watch the same paths, watches none, every cell runs.
    assert.match(
      output,
      /── project kernel[\s\S]*the compiler asked to watch \d{3,} files[\s\S]*file events delivered to the compiler: 0\n[\s\S]*RESULT: kernel unaffected: every cell ran, no error/,
    );
    assert.equal(result.status, 0, output);
  },
);

test(
  'with the wasm backend loaded, a stray error or unhandled rejection is logged to its cell and the kernel lives on (it died with code 7 before)',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const dir = temporaryNotebooksFolder('tmp-kernel-test-');
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(
      path.join(dir, '01-stray.ipynb'),
      notebook([
        "import { initBackend } from 'grokking-fss';\nconst report = await initBackend('wasm');\nconsole.log(`backend ${report.name}, uncaughtException listeners: ${process.listeners('uncaughtException').length}`);",
        "setTimeout(() => { throw new Error('stray error 4242'); }, 0);\nPromise.reject(new Error('stray rejection 4343'));\nawait new Promise((resolve) => setTimeout(resolve, 500));",
        "console.log('kernel still alive');",
      ]),
    );
    const guarded = runNotebooks(dir);
    assert.equal(guarded.code, 0, guarded.output);
    const cells = JSON.parse(fs.readFileSync(path.join(dir, 'executed', '01-stray.ipynb'), 'utf8')).cells;
    const text = (i: number) => cells[i].outputs.map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');
    // tslab's listener plus the one the wasm runtime added: the hazard is real.
    assert.match(text(1), /backend wasm, uncaughtException listeners: 2/);
    assert.match(text(2), /UncaughtException: Error: stray error 4242/);
    assert.match(text(2), /UnhandledPromiseRejection: Error: stray rejection 4343/);
    assert.match(text(3), /kernel still alive/);
    assert.match(guarded.output, /⚠ 01-stray\.ipynb: the kernel caught 2 error\(s\) raised outside any cell/);

    // Control: without the guard the same notebook kills the kernel, and the report names why.
    const unguarded = runNotebooks(dir, [], { GROKFSS_KERNEL_GUARD: 'off' });
    assert.equal(unguarded.code, 1, unguarded.output);
    assert.match(unguarded.output, /✗ 01-stray\.ipynb FAILED in cell 3 \(dead-kernel\): the kernel died: exited with code 7/);
    assert.match(unguarded.output, /---- the kernel process's own output[\s\S]*tf-backend-wasm\.node\.js[\s\S]*throw ex;[\s\S]*Error: stray/);
  },
);

test(
  'a kernel that does not start is reported at once with what it wrote, after three tries, and the other notebooks run',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const dir = temporaryNotebooksFolder('tmp-kernel-start-test-');
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, '01-a.ipynb'), notebook(["console.log('never runs')"]));
    fs.writeFileSync(path.join(dir, '02-b.ipynb'), notebook(["console.log('never runs either')"]));
    // An invalid launcher setting makes every kernel exit at startup, like a kernel that lost a port.
    const run = runNotebooks(dir, [], { GROKFSS_KERNEL_WATCH: 'bogus' });
    assert.equal(run.code, 1, run.output);
    const retries =
      run.output.match(
        /the kernel exited with code 1 before it answered \(Error: GROKFSS_KERNEL_WATCH: got "bogus"; allowed values: "off", "tslab"\): starting a new kernel, attempt [23] of 3/g,
      ) || [];
    assert.equal(retries.length, 4, run.output);
    assert.match(run.output, /✗ 01-a\.ipynb FAILED \(kernel-start\): the kernel exited with code 1 before it answered/);
    assert.match(run.output, /✗ 02-b\.ipynb FAILED \(kernel-start\)/);
    assert.match(run.output, /---- the kernel process's own output[\s\S]*Error: GROKFSS_KERNEL_WATCH: got "bogus"/);
  },
);
