#!/usr/bin/env node
'use strict';
/**
 * The project's Jupyter kernel: tslab 1.0.22 with its compiler's file watching turned off, and
 * process-wide error listeners that cannot kill it.
 * Registered by scripts/jupyter-env.js (`tslab install --binary=<this file>`), so Jupyter starts it
 * as `tslab-kernel.js kernel --config-path <connection file> [--js]`, exactly like tslab's own binary.
 *
 * Why (issue 17): tslab compiles cells with a TypeScript *watch* program whose timer hook
 * (`sys.setTimeout` in tslab/dist/converter.js) holds one pending timer and throws
 * `Unexpected pending rebuildTimer` for a second one; tslab only fires that timer when the next
 * cell is compiled. TypeScript schedules two different timers from file events: a program update
 * when a source it read changes (build/lib/*.d.ts rewritten by `npm run build`), and a
 * resolution invalidation when a module-resolution location changes (the package.json of the
 * grokking-fss link replaced by scripts/link-package.js, a failed-lookup `node_modules` folder
 * appearing). Both between two cells — which is what one `npm run build` does — and tslab
 * throws from the file watcher; depending on the order the kernel either logs an
 * UncaughtException or is left with a stuck timer, and then every later cell fails with the same
 * error. `npm run repro:kernel-death` shows it on demand.
 *
 * The fix: the compiler never watches the disk. Every `watchFile`/`watchDirectory` of tslab's
 * TypeScript (`@tslab/typescript-for-tslab`, a private copy only tslab uses) returns a watcher that
 * never fires, so no file event can reach tslab's timer; tslab's own notifications for the cell
 * being compiled do not go through these functions and keep working. Consequence, the same as
 * for the library's JavaScript, which Node caches at the first import: a running kernel keeps the
 * declarations it read first, so after `npm run build` (or editing a local .ts module a notebook
 * imports) restart the kernel to use the new code.
 *
 * Why the first error killed the kernel instead of being logged: tslab listens to
 * `uncaughtException` and `unhandledRejection`, logs the error to the running cell and keeps
 * going. But the Emscripten runtime inside @tensorflow/tfjs-backend-wasm, loaded by every
 * notebook's initBackend(), adds its own listeners for both events that rethrow — and an error
 * thrown from such a listener makes Node exit at once (exit code 7). So with the wasm backend
 * loaded, the watcher's error above, or any stray error in a callback or an unhandled promise
 * rejection, killed the kernel. The launcher wraps every listener later added for these two events
 * so that it cannot throw: a rethrow of the error being handled is dropped (tslab has logged it),
 * any other error from a listener is written to stderr.
 *
 * And a kernel that cannot open its sockets exits: tslab binds the five ports Jupyter chose after
 * it has started, without handling a failure; on a busy machine another process can take one of
 * them in between (EADDRINUSE), and tslab then lived on without a shell socket, which left nbclient
 * waiting forever. Exiting lets the runner see a kernel that did not start, and start another.
 *
 * Environment (diagnostics, used by scripts/repro-kernel-death.js):
 *   GROKFSS_KERNEL_WATCH      off (default) | tslab: keep tslab's own file watching (breakable)
 *   GROKFSS_KERNEL_GUARD      on (default) | off: leave error listeners as they are (breakable)
 *   GROKFSS_KERNEL_WATCH_LOG  file to append one line per path the compiler asks to watch and,
 *                             with GROKFSS_KERNEL_WATCH=tslab, per file event delivered
 */
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..');
const tslabDir = path.join(projectRoot, 'node_modules', 'tslab');
const WATCH_MODES = ['off', 'tslab'];
const GUARD_MODES = ['on', 'off'];
const GUARDED_EVENTS = ['uncaughtException', 'unhandledRejection'];

/** Appends lines to GROKFSS_KERNEL_WATCH_LOG (synchronously: the kernel may die right after). */
function watchLogger(file) {
  if (!file) return null;
  return (line) => fs.appendFileSync(file, `${new Date().toISOString()} pid ${process.pid} ${line}\n`);
}

/**
 * Replaces watchFile/watchDirectory of tslab's TypeScript. Must run before tslab creates its
 * compiler: TypeScript binds these functions when the watch host is created.
 * @param {object} sys    `require('@tslab/typescript-for-tslab').sys`
 * @param {'off'|'tslab'} mode
 * @param {((line: string) => void) | null} log
 */
function configureCompilerWatching(sys, mode, log) {
  if (!WATCH_MODES.includes(mode)) {
    throw new Error(`GROKFSS_KERNEL_WATCH: got ${JSON.stringify(mode)}; allowed values: ${WATCH_MODES.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  const realWatchFile = sys.watchFile;
  const realWatchDirectory = sys.watchDirectory;
  const neverFires = { close() {} };
  // Logs an event delivered to the compiler, and whether handling it threw.
  const reported = (what, deliver) => {
    log(`FIRED ${what}`);
    try {
      return deliver();
    } catch (error) {
      log(`THREW ${error && error.message}`);
      throw error;
    }
  };
  sys.watchFile = (file, callback, ...rest) => {
    if (log) log(`watch file ${file}`);
    if (mode === 'off') return neverFires;
    const logged = log ? (name, kind, ...more) => reported(`file ${name} kind=${kind}`, () => callback(name, kind, ...more)) : callback;
    return realWatchFile.call(sys, file, logged, ...rest);
  };
  sys.watchDirectory = (dir, callback, recursive, ...rest) => {
    if (log) log(`watch directory ${dir} recursive=${Boolean(recursive)}`);
    if (mode === 'off') return neverFires;
    const logged = log ? (name, ...more) => reported(`directory ${dir} -> ${name}`, () => callback(name, ...more)) : callback;
    return realWatchDirectory.call(sys, dir, logged, recursive, ...rest);
  };
}

/**
 * Wraps every listener added to `emitter` (the process) from now on for uncaughtException and
 * unhandledRejection, so that it cannot throw. `removeListener(original)` still removes it
 * (EventEmitter matches a wrapper's `listener` property).
 * @param {NodeJS.EventEmitter} emitter
 * @param {(line: string) => void} report  where errors thrown by a listener go (not rethrows)
 */
function guardErrorListeners(emitter, report) {
  for (const method of ['on', 'addListener', 'prependListener']) {
    const original = emitter[method];
    emitter[method] = function (event, listener, ...rest) {
      if (!GUARDED_EVENTS.includes(event) || typeof listener !== 'function') return original.call(this, event, listener, ...rest);
      const guarded = function (...args) {
        try {
          return listener.apply(this, args);
        } catch (error) {
          if (error !== args[0]) report(`a ${event} listener threw (the kernel keeps running): ${(error && error.stack) || error}`);
        }
      };
      guarded.listener = listener;
      return original.call(this, event, guarded, ...rest);
    };
  }
}

/**
 * Makes tslab's ZmqServer.init() exit the process when binding its sockets fails, instead of
 * leaving an unhandled rejection and a kernel nobody can reach.
 * @param {{ZmqServer: {prototype: {init: () => Promise<void>}}}} jupyter  tslab/dist/jupyter.js
 */
function exitWhenSocketsFail(jupyter) {
  const init = jupyter.ZmqServer.prototype.init;
  jupyter.ZmqServer.prototype.init = function () {
    return init.call(this).catch((error) => {
      process.stderr.write(
        `tslab-kernel: could not open the kernel's sockets (${(error && (error.code || error.message)) || error}${error && error.address ? ` at ${error.address}` : ''}); exiting, so that Jupyter sees a kernel that did not start\n`,
      );
      process.exit(1);
    });
  };
}

/** Parses `kernel --config-path <file> [--js]`; null for anything else. */
function parseKernelArgs(args) {
  if (args[0] !== 'kernel') return null;
  let configPath = '';
  let jsKernel = false;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--config-path') configPath = args[++i] || '';
    else if (args[i].startsWith('--config-path=')) configPath = args[i].slice('--config-path='.length);
    else if (args[i] === '--js') jsKernel = true;
    else return null;
  }
  return configPath ? { configPath, jsKernel } : null;
}

function main() {
  const mode = process.env.GROKFSS_KERNEL_WATCH || 'off';
  const guard = process.env.GROKFSS_KERNEL_GUARD || 'on';
  if (!GUARD_MODES.includes(guard))
    throw new Error(`GROKFSS_KERNEL_GUARD: got ${JSON.stringify(guard)}; allowed values: ${GUARD_MODES.map((m) => JSON.stringify(m)).join(', ')}`);
  if (guard === 'on') guardErrorListeners(process, (line) => process.stderr.write(`${line}\n`));
  const log = watchLogger(process.env.GROKFSS_KERNEL_WATCH_LOG);
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] }));
  configureCompilerWatching(ts.sys, mode, log);
  if (log) log(`kernel started, cwd ${process.cwd()}, compiler file watching ${mode}, error-listener guard ${guard}`);
  exitWhenSocketsFail(require(path.join(tslabDir, 'dist', 'jupyter.js')));
  const tslab = require(path.join(tslabDir, 'dist', 'main.js'));
  const kernel = parseKernelArgs(process.argv.slice(2));
  if (!kernel) {
    tslab.main(); // install, --version, --help: tslab's own command line
    return;
  }
  // enableFindLocal: false, so that tslab does not switch to another tslab copy found above the
  // notebook's folder (whose compiler would still watch files).
  tslab.startKernel({
    configPath: kernel.configPath,
    jsKernel: kernel.jsKernel,
    enableFindLocal: false,
    globalVersion: require(path.join(tslabDir, 'package.json')).version,
  });
}

if (require.main === module) main();

module.exports = { configureCompilerWatching, guardErrorListeners, exitWhenSocketsFail, parseKernelArgs, WATCH_MODES, GUARD_MODES };
