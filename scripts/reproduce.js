#!/usr/bin/env node
'use strict';
/**
 * npm run reproduce: the main job. `npm run setup` has already run (see package.json); this
 * executes every notebook in the `paper` profile (GROKFSS_PROFILE overrides it) and prints a
 * summary: per-notebook wall time, then each notebook's recorded stage times, cache hits and
 * headline numbers (D before/after onset, crossing vs onset, Gaussian D per topology). Executed notebooks: data/executed/; figures: figures/.
 */
const { runNotebooks, formatSummary, formatFailures } = require('./run-notebooks');

async function main() {
  const profile = process.env.GROKFSS_PROFILE || 'paper';
  const started = Date.now();
  const selectors = process.argv.slice(2);
  if (selectors.length === 0) {
    // A full run starts from empty results, so the summary never mixes in numbers of an older run.
    const { resultsDir } = require('../build/lib/notebook/results.js');
    require('node:fs').rmSync(resultsDir(), { recursive: true, force: true });
  }
  const run = await runNotebooks({ profile, selectors });
  process.stdout.write(`\n${formatSummary(run)}\n`);
  // Headline numbers recorded by the notebooks themselves (data/results/*.json).
  const { readAllResults, formatResultsSummary } = require('../build/lib/notebook/results.js');
  process.stdout.write(`\n${formatResultsSummary(readAllResults())}\n\n`);
  if (!run.ok) process.stdout.write(`${formatFailures(run)}\n\n`);
  process.stdout.write(`reproduce: ${run.ok ? 'all notebooks executed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (profile ${run.profile})\n`);
  process.exitCode = run.ok ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`reproduce: ${error.message}\n`);
  process.exitCode = 2;
});
