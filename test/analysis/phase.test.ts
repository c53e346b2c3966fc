import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import {
  avalancheAnalysis,
  avalancheSamples,
  collapseAnalysis,
  fitPhase,
  phaseCounts,
  phaseOf,
  powerLawTable,
  probeRows,
  splitByOnset,
  tablePhaseCounts,
  trajectoryAnalysis,
} from '../../lib/analysis/index';
import { planWith, run } from './fixtures';

const RUNS = [run(81, 0, 100), run(81, 1, null), run(161, 0, 50), run(161, 9, 10, { status: 'failed' })];

test('phaseOf: epoch < onset is pre, epoch ≥ onset post, no onset (NaN) is none', () => {
  assert.equal(phaseOf(99, 100), 'pre');
  assert.equal(phaseOf(100, 100), 'post');
  assert.equal(phaseOf(0, NaN), 'none');
  assert.equal(phaseOf(5000, NaN), 'none');
});

test('splitByOnset labels every row with its run onset and phase; a run without onset is in neither phase', () => {
  const table = aq.table({ scaleN: [81, 81, 81, 81, 161, 161], seed: [0, 0, 0, 1, 0, 0], epoch: [0, 99, 100, 5000, 49, 50] });
  const split = splitByOnset(table, RUNS);
  assert.deepEqual(split.array('phase'), ['pre', 'pre', 'post', 'none', 'pre', 'post']);
  assert.deepEqual(Array.from(split.array('onset') as Float64Array), [100, 100, 100, NaN, 50, 50]);
  assert.deepEqual(split.array('epoch'), table.array('epoch'));
  assert.deepEqual(tablePhaseCounts(split), { pre: 3, post: 2, none: 1, runsWithoutOnset: 1 });
  // The failed run's row has no completed run to split by.
  assert.throws(() => splitByOnset(aq.table({ scaleN: [161], seed: [9], epoch: [0] }), RUNS), /runs: has no completed run with N = 161, seed = 9/);
  assert.throws(() => splitByOnset(aq.table({ scaleN: [81], seed: [0] }), RUNS), /table: lacks column\(s\) epoch/);
  assert.throws(() => splitByOnset(table, [run(81, 0, 1), run(81, 0, 2)]), /two completed runs with N = 81, seed = 0/);
  // The test onset splits instead when asked (modular addition).
  const byTest = splitByOnset(aq.table({ scaleN: [81], seed: [0], epoch: [60] }), [run(81, 0, 10, { testOnset: 50 })], { onsetField: 'testOnset' });
  assert.deepEqual(byTest.array('phase'), ['post']);
});

test('probeRows carries onset and phase; phaseCounts counts runs without onset once', () => {
  const summary = aq.table({
    scaleN: [81, 81, 81],
    seed: [0, 1, 1],
    snapshot: [0, 0, 1],
    epoch: [150, 0, 10],
    graphSeed: [0, 0, 0],
    totalTopplings: [1, 2, 3],
    sMax: [1, 1, 1],
    truncated: [false, false, true],
  });
  const rows = probeRows(summary, RUNS);
  assert.deepEqual(
    rows.map((r) => r.phase),
    ['post', 'none', 'none'],
  );
  assert.equal(rows[2].truncated, true);
  assert.deepEqual(phaseCounts(rows), { pre: 0, post: 1, none: 2, runsWithoutOnset: 1 });
  assert.throws(() => probeRows(aq.table({ scaleN: [81] }), RUNS), /summary: lacks column/);
});

test('one phase rule everywhere: every step leaves the run without onset out of pre and post, and says how much', async () => {
  // Two scales, two seeds; seed 1 of N = 81 never reaches its onset and has the largest values,
  // so a step that put it into 'pre' (or 'post') would change the numbers below.
  const runs = [run(81, 0, 100), run(81, 1, null), run(161, 0, 100), run(161, 1, 100)];
  const summaryRows: Array<Record<string, unknown>> = [];
  const avalancheRows: Array<Record<string, unknown>> = [];
  for (const r of runs) {
    for (const [snapshot, epoch] of [
      [0, 0],
      [1, 200],
    ]) {
      const value = r.trainOnset === null ? 1e4 : r.N * (epoch < 100 ? 1 : 2);
      summaryRows.push({ scaleN: r.N, seed: r.seed, snapshot, epoch, graphSeed: 0, totalTopplings: value, sMax: value, truncated: false });
      for (let k = 1; k <= 60; k++)
        avalancheRows.push({
          scaleN: r.N,
          seed: r.seed,
          snapshot,
          epoch,
          graphSeed: 0,
          avalanche: k,
          size: r.trainOnset === null ? 1000 + k : k,
          area: k,
          duration: 1 + (k % 7),
        });
    }
  }
  const probe = { summary: aq.from(summaryRows), avalanches: aq.from(avalancheRows) };
  const rows = probeRows(probe.summary, runs);
  // Fits: D over pre rows uses three runs, and the fit says two snapshots were left out.
  const pre = fitPhase(rows, 'totalTopplings', 'pre', { bootstrap: 0 });
  assert.equal(pre.rows, 3);
  assert.equal(pre.leftOut.noOnset, 2);
  assert.ok(Math.abs(pre.fit!.D - 1) < 1e-12, `D_pre ${pre.fit!.D}`); // value = N before onset
  // 'all' keeps every snapshot (nulls without time use it).
  assert.equal(fitPhase(rows, 'totalTopplings', 'all', { bootstrap: 0 }).rows, 8);
  // Aligned D(t): the same run is left out and counted.
  assert.equal(trajectoryAnalysis(rows, 'totalTopplings', planWith(0), { time: 'aligned', bins: 2 }).leftOut.noOnset, 2);
  // Avalanche tables (notebook 02): counts per phase, and the power-law groups hold no avalanche of that run.
  const analysis = avalancheAnalysis(probe, runs);
  assert.deepEqual(analysis.avalancheCounts, { pre: 180, post: 180, none: 120, runsWithoutOnset: 1 });
  assert.deepEqual(analysis.snapshotCounts, { pre: 3, post: 3, none: 2, runsWithoutOnset: 1 });
  const pre81 = analysis.ccdf.size.find((c) => c.scaleN === 81 && c.phase === 'pre')!;
  assert.equal(pre81.n, 60);
  assert.equal(analysis.ccdf.size.find((c) => c.scaleN === 81 && c.phase === 'all')!.n, 240);
  const fits = (await powerLawTable(analysis, planWith(0, 0, { pValueBootstrap: 1 }), { minAvalanches: 1000 })).objects() as any[];
  assert.deepEqual(
    fits.map((r) => r.avalanches),
    [60, 60, 120, 120],
  );
  // Crackling samples (notebook 07): the same split.
  const samples = avalancheSamples(probe.avalanches, runs);
  assert.deepEqual(
    samples.samples.map((s) => s.sizes.length),
    [180, 180],
  );
  assert.ok(samples.samples.every((s) => Math.max(...s.sizes) <= 60));
  assert.deepEqual(samples.realCounts, { pre: 180, post: 180, none: 120, runsWithoutOnset: 1 });
  // The collapse (notebooks 03, 08): post-onset avalanches of the runs with an onset only.
  const collapse = collapseAnalysis(probe, runs, planWith(0), { phase: 'post', collapse: { minCount: 1 } });
  assert.deepEqual(collapse.avalanches, [
    { scaleN: 81, count: 60 },
    { scaleN: 161, count: 120 },
  ]);
});
