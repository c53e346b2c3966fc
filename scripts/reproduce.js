#!/usr/bin/env node
'use strict';
/**
 * npm run reproduce: the main job. `npm run setup` has already run (see package.json); this
 * executes every notebook in the `paper` profile (GROKFSS_PROFILE overrides it) and prints a
 * summary of per-notebook wall time. Executed notebooks: data/executed/; figures: figures/.
 */
const { runNotebooks, formatSummary } = require('./run-notebooks');

async function main() {
  const profile = process.env.GROKFSS_PROFILE || 'paper';
  const started = Date.now();
  const run = await runNotebooks({ profile, selectors: process.argv.slice(2) });
  process.stdout.write(`\n${formatSummary(run)}\n`);
  process.stdout.write(`reproduce: ${run.ok ? 'all notebooks executed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (profile ${run.profile})\n`);
  process.exitCode = run.ok ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`reproduce: ${error.message}\n`);
  process.exitCode = 2;
});
