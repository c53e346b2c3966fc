#!/usr/bin/env node
'use strict';
/**
 * Stress test of the notebook kernels (issue 17): every notebook executed `--rounds` times while,
 * concurrently, the library is rebuilt in a loop and store entries, figures and the folders the
 * kernel's compiler resolves modules through are written and removed. Not part of CI (it takes
 * about an hour on 2 cores).
 *
 *   npm run stress:kernels                                 10 rounds, smoke profile, all notebooks
 *   npm run stress:kernels -- --rounds=2 00 03             2 rounds of notebooks 00 and 03
 *
 * Options: --rounds=N [10], --profile=smoke|quick|paper [smoke], --no-churn (notebooks only, for
 * a baseline), then notebook names or prefixes (as for `npm run notebooks`).
 *
 * Steps:
 *  1. starts the churn, until the last notebook has finished:
 *     - rebuild loop: `build.js --rewrite-all` (replaces every file in build/, as a build after
 *       changes everywhere would) then `link-package.js --force` (replaces the package link's
 *       files, as every build did before issue 17 was fixed);
 *     - every second: writes a store entry (stage `stress-kernels`, through the library's
 *       writeEntry: temporary folder + rename) and removes the previous one; writes a figure file
 *       under figures/ (atomicWriteFile) and removes it; creates and removes notebooks/node_modules
 *       and build/node_modules (module-resolution locations every kernel looks up);
 *  2. runs the notebooks round after round, one fresh kernel per notebook, with the project's
 *     runner (executed copies go to data/stress/executed, not data/executed);
 *  3. counts, per execution: ok, kernel died, "Unexpected pending rebuildTimer" anywhere in the
 *     outputs or the kernel's stderr, other failures, and (not a failure) errors the kernel caught
 *     outside any cell's flow; appends one JSON line per execution to
 *     data/stress/kernels-<time>.jsonl as it goes (the counts survive an interrupted run);
 *  4. prints the counts, the churn counts and the wall times; exit 0 only with zero deaths, zero
 *     timer errors and zero failures.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const env = require('./jupyter-env');
const { runNotebooks, listNotebooks, formatFailure, executionText, strayErrors } = require('./run-notebooks');

const TIMER_ERROR = 'Unexpected pending rebuildTimer';

function parseArgs(argv) {
  const options = { rounds: 10, profile: 'smoke', churn: true, selectors: [] };
  for (const arg of argv) {
    let match;
    if ((match = /^--rounds=(\d+)$/.exec(arg))) options.rounds = Number(match[1]);
    else if ((match = /^--profile=(.*)$/.exec(arg))) options.profile = match[1];
    else if (arg === '--no-churn') options.churn = false;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; allowed: --rounds=N, --profile=smoke|quick|paper, --no-churn`);
    else options.selectors.push(arg);
  }
  if (!(options.rounds >= 1)) throw new Error('--rounds must be a whole number ≥ 1');
  return options;
}

function runChild(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: env.projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Starts the concurrent churn; `stop()` resolves with its counts once the current build ended. */
function startChurn(log) {
  const counts = { builds: 0, buildFailures: 0, storeWrites: 0, storeRemovals: 0, figureWrites: 0, figureRemovals: 0, folderFlips: 0, churnErrors: 0 };
  const errors = [];
  let stopping = false;
  // Loaded once: the rebuild loop rewrites build/ underneath, and this process must not care.
  const store = require(path.join(env.projectRoot, 'build', 'lib', 'store', 'index.js'));
  const builder = path.join(__dirname, 'build.js');
  const linker = path.join(__dirname, 'link-package.js');
  const buildLoop = (async () => {
    while (!stopping) {
      const compiled = await runChild([builder, '--rewrite-all']);
      const linked = compiled.code === 0 ? await runChild([linker, '--force']) : compiled;
      if (linked.code === 0) counts.builds++;
      else {
        counts.buildFailures++;
        errors.push(`build: ${linked.output.slice(0, 500)}`);
      }
    }
  })();
  const figuresDir = path.join(env.projectRoot, 'figures');
  const flipDirs = [path.join(env.projectRoot, 'notebooks', 'node_modules'), path.join(env.projectRoot, 'build', 'node_modules')];
  let previousEntry = null;
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    try {
      if (previousEntry) {
        fs.rmSync(previousEntry, { recursive: true, force: true });
        counts.storeRemovals++;
      }
      previousEntry = store.writeEntry('stress-kernels', { pid: process.pid, tick }, { 'values.json': JSON.stringify({ tick }) });
      counts.storeWrites++;
      const figure = path.join(figuresDir, `stress-kernels-${process.pid}-${tick}.svg`);
      store.atomicWriteFile(figure, `<svg xmlns="http://www.w3.org/2000/svg"><text>${tick}</text></svg>\n`);
      counts.figureWrites++;
      fs.rmSync(figure, { force: true });
      counts.figureRemovals++;
      for (const dir of flipDirs) {
        if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
        else fs.mkdirSync(dir);
      }
      counts.folderFlips++;
    } catch (error) {
      counts.churnErrors++;
      errors.push(`store/figures: ${error.message}`);
    }
  }, 1000);
  log('churn started: rebuild loop (build.js --rewrite-all + link-package --force), store entry + figure + resolution folders every second');
  return async () => {
    stopping = true;
    clearInterval(timer);
    await buildLoop;
    if (previousEntry) fs.rmSync(previousEntry, { recursive: true, force: true });
    fs.rmSync(path.join(store.storeRoot(), 'stress-kernels'), { recursive: true, force: true });
    for (const dir of flipDirs) fs.rmSync(dir, { recursive: true, force: true });
    // Leave a consistent build and link behind (the loop may have stopped between tsc and the link).
    await runChild([builder]);
    await runChild([linker]);
    return { counts, errors };
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const log = (line) => process.stdout.write(`[stress ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const notebooksDir = path.join(env.projectRoot, 'notebooks');
  const names = listNotebooks(notebooksDir, options.selectors);
  const stressDir = path.join(env.projectRoot, 'data', 'stress');
  fs.mkdirSync(stressDir, { recursive: true });
  const journal = path.join(stressDir, `kernels-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  log(
    `${options.rounds} round(s) × ${names.length} notebook(s), profile ${options.profile}, churn ${options.churn ? 'on' : 'off'}; journal ${path.relative(process.cwd(), journal)}`,
  );
  const started = Date.now();
  const stopChurn = options.churn ? startChurn(log) : async () => ({ counts: {}, errors: [] });
  const tally = { executions: 0, ok: 0, deaths: 0, timerErrors: 0, otherFailures: 0, withStrayErrors: 0 };
  const seconds = new Map(names.map((name) => [name, []]));
  const failures = [];
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: finishing the current notebook, then reporting`);
    });
  }
  try {
    for (let round = 1; round <= options.rounds && !interrupted; round++) {
      for (const name of names) {
        if (interrupted) break;
        const run = await runNotebooks({
          selectors: [name],
          notebooksDir,
          executedDir: path.join(stressDir, 'executed'),
          profile: options.profile,
          verbose: false,
          log: () => {},
        });
        const result = run.results[0];
        const timerErrors = executionText(result).split(TIMER_ERROR).length - 1;
        const died = result.stage === 'dead-kernel';
        const stray = strayErrors(result).length;
        tally.executions++;
        if (stray > 0) tally.withStrayErrors++;
        if (died) tally.deaths++;
        if (timerErrors > 0) tally.timerErrors++;
        if (result.ok && timerErrors === 0) tally.ok++;
        else if (!died && timerErrors === 0) tally.otherFailures++;
        if (!result.ok || timerErrors > 0) failures.push({ round, result, timerErrors });
        seconds.get(name).push(result.wallSeconds);
        fs.appendFileSync(
          journal,
          `${JSON.stringify({ round, name, ok: result.ok, stage: result.stage || null, died, timerErrors, strayErrors: stray, seconds: result.wallSeconds, message: result.ok ? null : (result.message || '').slice(0, 2000) })}\n`,
        );
        log(
          `round ${round}/${options.rounds}  ${result.ok && timerErrors === 0 ? 'ok  ' : died ? 'DIED' : 'FAIL'}  ${result.wallSeconds.toFixed(1).padStart(6)} s  ${name}${timerErrors ? `  (${timerErrors}× ${TIMER_ERROR})` : ''}   [${tally.executions} run, ${tally.deaths} died, ${tally.timerErrors} timer errors, ${tally.otherFailures} other failures]`,
        );
        if (!result.ok) process.stdout.write(`${formatFailure(result)}\n`);
      }
    }
  } finally {
    const churn = await stopChurn();
    const wall = (Date.now() - started) / 1000;
    const lines = [
      '',
      `Stress test: ${tally.executions} notebook executions (${names.length} notebooks × up to ${options.rounds} rounds, profile ${options.profile}) in ${(wall / 60).toFixed(1)} min`,
      `  ok: ${tally.ok}   kernel deaths: ${tally.deaths}   executions with "${TIMER_ERROR}": ${tally.timerErrors}   other failures: ${tally.otherFailures}`,
      `  executions in which the kernel caught (and survived) an uncaught error or unhandled rejection: ${tally.withStrayErrors}`,
    ];
    if (options.churn) {
      const c = churn.counts;
      lines.push(
        `  concurrent churn: ${c.builds} rebuilds (${c.buildFailures} failed), ${c.storeWrites} store entries written / ${c.storeRemovals} removed, ${c.figureWrites} figures written / ${c.figureRemovals} removed, ${c.folderFlips} resolution-folder flips, ${c.churnErrors} churn errors`,
      );
      for (const error of churn.errors.slice(0, 5)) lines.push(`    churn error: ${error}`);
    }
    lines.push('  median wall time per notebook:');
    for (const [name, list] of seconds)
      if (list.length)
        lines.push(
          `    ${median(list).toFixed(1).padStart(7)} s  ${name}  (${list.length} runs, min ${Math.min(...list).toFixed(1)}, max ${Math.max(...list).toFixed(1)})`,
        );
    for (const failure of failures)
      lines.push(
        `  round ${failure.round}: ${failure.result.name} ${failure.result.ok ? `ok but ${failure.timerErrors}× ${TIMER_ERROR}` : `${failure.result.stage}: ${(failure.result.message || '').split('\n')[0]}`}`,
      );
    lines.push(`  journal: ${path.relative(process.cwd(), journal)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    fs.appendFileSync(
      journal,
      `${JSON.stringify({ summary: tally, churn: churn.counts, wallSeconds: wall, roundsRequested: options.rounds, notebooks: names })}\n`,
    );
    process.exitCode = tally.executions > 0 && tally.ok === tally.executions ? 0 : 1;
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`stress-kernels: ${error.message}\n`);
    process.exitCode = 2;
  });
}
