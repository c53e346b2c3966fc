#!/usr/bin/env node
'use strict';
/**
 * Reproduces on demand the tslab kernel death of issue 17, and shows it no longer happens with
 * the project's kernel launcher.
 *
 *   npm run repro:kernel-death                        both kernels, trigger "relink"
 *   npm run repro:kernel-death -- --kernel=project    only the shipped kernel
 *   npm run repro:kernel-death -- --trigger=build     the old build (tsc + link) as the trigger
 *
 * Steps, for each kernel (`plain`: tslab as installed — its compiler watches files and the wasm
 * backend's error listeners rethrow; GROKFSS_KERNEL_WATCH=tslab GROKFSS_KERNEL_GUARD=off;
 * `project`: the shipped launcher, scripts/tslab-kernel.js, with its defaults):
 *  1. writes a four-cell notebook into a temporary folder under data/ and runs it with the
 *     project's runner; GROKFSS_KERNEL_WATCH_LOG records every path the kernel's compiler asks
 *     to watch and (plain kernel) every file event delivered to it and whether handling it threw;
 *  2. cell 1 imports grokking-fss and starts the TensorFlow.js backend (wasm here), as every
 *     notebook does; cell 2 signals "ready" and waits while this script changes
 *     the files a build changes, in the order a build loop does (`relink`: the package link's
 *     three files replaced by temporary file + rename, as every build did before the fix, then
 *     every build/lib/**\/*.d.ts rewritten in place with the same bytes, as tsc does; `build`:
 *     the build as it was before the fix, `tsc -p .` then the link forced, twice);
 *  3. cells 3 and 4 compile new code against the library;
 *  4. prints what was watched, which events fired, the first "Unexpected pending rebuildTimer"
 *     stack, and the verdict.
 * Exit status: 0 when the shipped kernel ran every cell without the error, else 1 (2: bad usage).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runNotebooks, executionText } = require('./run-notebooks');
const env = require('./jupyter-env');

const TRIGGERS = ['relink', 'build'];
const KERNELS = ['both', 'plain', 'project'];
/** Launcher settings per kernel (scripts/tslab-kernel.js). */
const KERNEL_ENV = {
  plain: { GROKFSS_KERNEL_WATCH: 'tslab', GROKFSS_KERNEL_GUARD: 'off' },
  project: { GROKFSS_KERNEL_WATCH: 'off', GROKFSS_KERNEL_GUARD: 'on' },
};
const TIMER_ERROR = 'Unexpected pending rebuildTimer';

function parseArgs(argv) {
  const options = { kernel: 'both', trigger: 'relink' };
  for (const arg of argv) {
    const match = /^--(kernel|trigger)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${JSON.stringify(arg)}; usage: [--kernel=${KERNELS.join('|')}] [--trigger=${TRIGGERS.join('|')}]`);
    options[match[1]] = match[2];
  }
  if (!KERNELS.includes(options.kernel)) throw new Error(`--kernel: got ${JSON.stringify(options.kernel)}; allowed values: ${KERNELS.join(', ')}`);
  if (!TRIGGERS.includes(options.trigger)) throw new Error(`--trigger: got ${JSON.stringify(options.trigger)}; allowed values: ${TRIGGERS.join(', ')}`);
  return options;
}

/** The notebook: cell 2 waits (with the event loop free, so file events arrive) for the trigger. */
function notebookJson() {
  const cells = [
    "import { PROFILE_NAMES, initBackend } from 'grokking-fss';\nconsole.log('library loaded:', PROFILE_NAMES.join(','), '- backend:', (await initBackend()).name);",
    "import * as fs from 'node:fs';\nfs.writeFileSync('ready', '');\nawait new Promise<void>((resolve) => { const timer = setInterval(() => { if (fs.existsSync('touched')) { clearInterval(timer); setTimeout(resolve, 2000); } }, 100); });\nconsole.log('files changed while this cell waited');",
    "const count: number = PROFILE_NAMES.length;\nconsole.log('cell 3 compiled, profiles:', count);",
    "import { PROFILE_NAMES as profileNames } from 'grokking-fss';\nconsole.log('cell 4 compiled:', profileNames.includes('smoke'));",
  ];
  return JSON.stringify({
    cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function declarationFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...declarationFiles(full));
    else if (entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Changes the files a build changes; returns a one-line description. */
function applyTrigger(trigger) {
  const link = () => {
    const run = spawnSync(process.execPath, [path.join(__dirname, 'link-package.js'), '--force'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`link-package.js --force failed: ${run.stderr}`);
  };
  if (trigger === 'relink') {
    link();
    const files = declarationFiles(path.join(env.projectRoot, 'build', 'lib'));
    for (const file of files) fs.writeFileSync(file, fs.readFileSync(file));
    return `replaced node_modules/grokking-fss/{package.json,index.js,index.d.ts} (temporary file + rename), then rewrote ${files.length} build/lib .d.ts files in place`;
  }
  for (let i = 0; i < 2; i++) {
    const tsc = spawnSync(process.execPath, [path.join(env.projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', env.projectRoot], {
      encoding: 'utf8',
    });
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    link();
  }
  return 'ran tsc -p . + link-package.js --force (the build before the fix), twice';
}

function summarizeWatchLog(file) {
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const rest = (line) => line.split(' ').slice(3).join(' ');
  const watchedFiles = lines.filter((l) => rest(l).startsWith('watch file ')).map((l) => rest(l).slice('watch file '.length));
  const watchedDirs = lines.filter((l) => rest(l).startsWith('watch directory ')).map((l) => rest(l).slice('watch directory '.length));
  const fired = lines.filter((l) => /^(FIRED|THREW) /.test(rest(l))).map(rest);
  const rel = (p) => path.relative(env.projectRoot, p) || '.';
  const groups = new Map();
  for (const file of watchedFiles) {
    const r = rel(file);
    const key = r.startsWith('node_modules/grokking-fss/')
      ? r
      : r.startsWith('build/')
        ? 'build/lib/**/*.d.ts'
        : r
            .split('/')
            .slice(0, r.startsWith('node_modules/@') ? 3 : 2)
            .join('/') + '/…';
    groups.set(key, (groups.get(key) || 0) + 1);
  }
  return {
    watchedFiles,
    watchedDirs: watchedDirs.map((d) => d.replace(env.projectRoot + '/', '')),
    fired: fired.map((f) => f.split(env.projectRoot + '/').join('')),
    groups,
  };
}

async function runOnce(kernel, trigger, work) {
  const dir = path.join(work, kernel);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'repro.ipynb'), notebookJson());
  const watchLog = path.join(dir, 'watch.log');
  const settings = { ...KERNEL_ENV[kernel], GROKFSS_KERNEL_WATCH_LOG: watchLog };
  const saved = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  let triggerText = null;
  let triggerError = null;
  const poll = setInterval(() => {
    if (triggerText || triggerError || !fs.existsSync(path.join(dir, 'ready'))) return;
    try {
      triggerText = applyTrigger(trigger);
    } catch (error) {
      triggerError = error;
    }
    fs.writeFileSync(path.join(dir, 'touched'), '');
  }, 100);
  let run;
  try {
    run = await runNotebooks({ notebooksDir: dir, executedDir: path.join(dir, 'executed'), profile: 'smoke', verbose: false, log: () => {} });
  } finally {
    clearInterval(poll);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  if (triggerError) throw triggerError;
  const result = run.results[0];
  const allText = executionText(result);
  const timerErrors = allText.split(TIMER_ERROR).length - 1;
  const firstStack = (() => {
    const at = allText.indexOf(TIMER_ERROR);
    if (at < 0) return '';
    return allText
      .slice(Math.max(0, allText.lastIndexOf('\n', at) + 1), at + 2000)
      .split('\n')
      .slice(0, 12)
      .join('\n');
  })();
  let verdict;
  if (result.stage === 'dead-kernel') verdict = `KERNEL DIED (${result.kernelExit || 'exit status unknown'}) in cell ${result.cell ? result.cell.number : '?'}`;
  else if (!result.ok && allText.includes(TIMER_ERROR))
    verdict = `KERNEL BROKEN: its compiler is stuck, cell ${result.cell ? result.cell.number : '?'} failed with "${TIMER_ERROR}" (every later cell would too)`;
  else if (!result.ok) verdict = `notebook failed for another reason (${result.stage}): ${(result.message || '').split('\n')[0]}`;
  else if (timerErrors > 0) verdict = `cells ran, but the kernel logged ${timerErrors} UncaughtException "${TIMER_ERROR}"`;
  else verdict = 'kernel unaffected: every cell ran, no error';
  return {
    kernel,
    ok: result.ok && timerErrors === 0,
    verdict,
    triggerText,
    timerErrors,
    firstStack,
    log: summarizeWatchLog(watchLog),
    seconds: result.wallSeconds,
  };
}

function report(outcome) {
  const { log } = outcome;
  const lines = [];
  const settings = Object.entries(KERNEL_ENV[outcome.kernel])
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  lines.push(
    `── ${outcome.kernel} kernel (${outcome.kernel === 'project' ? 'the shipped launcher' : 'tslab as installed, the old behaviour'}: ${settings}) ──`,
  );
  lines.push(
    `  the compiler asked to watch ${log.watchedFiles.length} files and ${log.watchedDirs.length} directories${outcome.kernel === 'project' ? ' (none of them is watched: the launcher returns watchers that never fire)' : ''}`,
  );
  for (const [key, count] of [...log.groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`    ${String(count).padStart(4)}  ${key}`);
  lines.push(`    directories (module-resolution locations): ${log.watchedDirs.map((d) => d.replace(/ recursive=\w+$/, '')).join(', ')}`);
  lines.push(`  trigger: ${outcome.triggerText}`);
  const events = log.fired.filter((line) => line.startsWith('FIRED'));
  const firstThrow = log.fired.findIndex((line) => line.startsWith('THREW'));
  lines.push(`  file events delivered to the compiler: ${events.length}${events.length ? ' (first ones, in order):' : ''}`);
  const shown = log.fired.slice(0, Math.max(8, firstThrow + 1));
  for (const line of shown) lines.push(`    ${line.startsWith('THREW') ? '  ↳ handling it THREW: ' + line.slice(6) : line}`);
  if (log.fired.length > shown.length) lines.push(`    … ${log.fired.length - shown.length} more lines`);
  if (outcome.firstStack) {
    lines.push(`  first "${TIMER_ERROR}" (${outcome.timerErrors} in all):`);
    for (const line of outcome.firstStack.split('\n')) lines.push(`    | ${line}`);
  }
  lines.push(`  RESULT: ${outcome.verdict}  (${outcome.seconds.toFixed(1)} s)`);
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  fs.mkdirSync(path.join(env.projectRoot, 'data'), { recursive: true });
  const work = fs.mkdtempSync(path.join(env.projectRoot, 'data', 'tmp-repro-kernel-'));
  const kernels = options.kernel === 'both' ? ['plain', 'project'] : [options.kernel];
  const outcomes = [];
  try {
    for (const kernel of kernels) {
      const outcome = await runOnce(kernel, options.trigger, work);
      outcomes.push(outcome);
      process.stdout.write(`${report(outcome)}\n\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const shipped = outcomes.find((o) => o.kernel === 'project');
  const old = outcomes.find((o) => o.kernel === 'plain');
  if (old) process.stdout.write(`old behaviour: ${old.ok ? 'NOT reproduced this time (the trigger raced the kernel; run again)' : 'reproduced'}\n`);
  if (shipped) process.stdout.write(`shipped kernel: ${shipped.ok ? 'survives the trigger' : 'BROKEN by the trigger'}\n`);
  process.exitCode = !shipped || shipped.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`repro-kernel-death: ${error.message}\n`);
    process.exitCode = 2;
  });
}
