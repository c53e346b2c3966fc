#!/usr/bin/env node
'use strict';
/**
 * npm run reproduce: the main job. `npm run setup` has already run (see package.json). Two stages:
 *
 * 1. training — every sweep the profile's notebooks need (lib/train/profiles.ts profileSweeps:
 *    XOR, modular addition and its budget-rule check) is trained once through the library's
 *    sweep runner (worker threads, one per core), with a progress line (runs done/total, the runs
 *    in training, elapsed time, ETA). Runs already in the store are read, not retrained; a run
 *    that produces NaN/Inf is stored as failed and named, and the sweep goes on. Ctrl-C leaves
 *    the store consistent (entries and checkpoints are written atomically): rerun to resume.
 * 2. notebooks — every notebook in the `paper` profile (GROKFSS_PROFILE overrides it); each finds
 *    its runs in the store. Then a summary: per-stage and per-notebook wall time, each notebook's
 *    recorded stage times, cache hits and headline numbers.
 *
 * `npm run reproduce -- <notebook> …` runs only those notebooks and skips stage 1 (a notebook
 * trains what it misses itself). Executed notebooks: data/executed/; figures: figures/.
 */
const { runNotebooks, formatSummary, formatFailures } = require('./run-notebooks');

/** Trains every sweep of the profile; returns { wallSeconds, trained, cached, failed, errors }. */
async function trainStage(profile) {
  const { profileSweeps } = require('../build/lib/train/profiles.js');
  const { trainSweeps } = require('../build/lib/train/trainScales.js');
  const { progressLine } = require('../build/lib/cli/main.js');
  const sweeps = profileSweeps(profile);
  const started = Date.now();
  const tty = Boolean(process.stderr.isTTY);
  let lastLine = 0;
  process.stdout.write(
    `\n[reproduce] stage 1: training (profile ${profile}): ${sweeps.map((s) => `${s.task} ${s.scales.length} widths × ${s.seeds.length} seeds${s.base.earlyStop === null ? ' (budget-rule check)' : ''}`).join('; ')}\n`,
  );
  const tables = await trainSweeps(sweeps, {
    onProgress: (p) => {
      if (p.finished && !p.finished.cacheHit) {
        const f = p.finished;
        const what = f.status === 'complete' ? `${f.lastEpoch} epochs` : f.status === 'failed' ? 'FAILED (NaN/Inf, stored as failed)' : `ERROR: ${f.error}`;
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}[reproduce] ${f.task} h=${f.h} seed=${f.seed}: ${what} in ${f.wallSeconds.toFixed(1)} s\n`);
      }
      const now = Date.now();
      if (tty) process.stderr.write(`\r\x1b[K${progressLine(p, 20)}`.slice(0, (process.stderr.columns || 200) + 5));
      else if (now - lastLine > 30000 || p.fraction >= 1) {
        lastLine = now;
        process.stderr.write(`${progressLine(p, 20)}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  const rows = tables.flatMap((t) => t.objects());
  const result = {
    wallSeconds: (Date.now() - started) / 1000,
    trained: rows.filter((r) => !r.cacheHit && r.status !== 'error').length,
    cached: rows.filter((r) => r.cacheHit).length,
    failed: rows.filter((r) => r.status === 'failed'),
    errors: rows.filter((r) => r.status === 'error'),
  };
  process.stdout.write(
    `[reproduce] training: ${rows.length} runs (${result.trained} trained, ${result.cached} read from the store) in ${result.wallSeconds.toFixed(1)} s\n`,
  );
  for (const r of result.failed) process.stdout.write(`[reproduce]   failed run (NaN/Inf, stored as failed): ${r.task} h=${r.h} seed=${r.seed}\n`);
  for (const r of result.errors) process.stdout.write(`[reproduce]   run raised an error (nothing stored): ${r.task} h=${r.h} seed=${r.seed}: ${r.error}\n`);
  return result;
}

async function main() {
  const profile = process.env.GROKFSS_PROFILE || 'paper';
  const started = Date.now();
  const selectors = process.argv.slice(2);
  process.on('SIGINT', () => {
    process.stderr.write(
      '\n[reproduce] interrupted: finished runs and store entries are kept, an interrupted run continues from its checkpoint; rerun `npm run reproduce` to resume\n',
    );
    process.exit(130);
  });
  let training = null;
  if (selectors.length === 0) {
    // Validate the profile before any work (the runner does the same for the notebooks).
    require('../build/lib/util/profile.js').activeProfile(profile);
    // A full run starts from empty results, so the summary never mixes in numbers of an older run.
    const { resultsDir } = require('../build/lib/notebook/results.js');
    require('node:fs').rmSync(resultsDir(), { recursive: true, force: true });
    training = await trainStage(profile);
  }
  process.stdout.write(`\n[reproduce] stage 2: notebooks (profile ${profile})\n`);
  const notebooksStarted = Date.now();
  const run = await runNotebooks({ profile, selectors });
  const notebookSeconds = (Date.now() - notebooksStarted) / 1000;
  process.stdout.write(`\n${formatSummary(run)}\n`);
  // Headline numbers recorded by the notebooks themselves (data/results/*.json).
  const { readAllResults, formatResultsSummary } = require('../build/lib/notebook/results.js');
  process.stdout.write(`\n${formatResultsSummary(readAllResults())}\n\n`);
  if (!run.ok) process.stdout.write(`${formatFailures(run)}\n\n`);
  if (training) process.stdout.write(`stage wall times: training ${training.wallSeconds.toFixed(1)} s, notebooks ${notebookSeconds.toFixed(1)} s\n`);
  const trainingOk = !training || training.errors.length === 0;
  process.stdout.write(
    `reproduce: ${run.ok && trainingOk ? 'all notebooks executed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (profile ${run.profile})\n`,
  );
  process.exitCode = run.ok && trainingOk ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`reproduce: ${error.message}\n`);
  process.exitCode = 2;
});
