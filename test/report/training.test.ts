import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import {
  excludeScales,
  failedRuns,
  giniFigure,
  giniPeaks,
  giniPeaksByScale,
  groksMarkdown,
  groksTable,
  hexWithAlpha,
  medianOnsets,
  nonGrokkingScales,
  onsetsByScale,
  onsetSummaryTable,
  planTable,
  runCacheHits,
  runMetricCurves,
  scaleColour,
  scaleMetricCurves,
  thinIndices,
  trainingCurvesFigure,
  trainTestAccuracyFigure,
  trainingHeadline,
  trainingSummaryMarkdown,
} from '../../lib/report/training';
import { onsetEpoch, RunRow, trainingPlan, trainScales } from '../../lib/train/index';
import { sweepMetrics } from '../../lib/analysis/index';
import { InvalidOptionError } from '../../lib/util/errors';

/** A run row with defaults for the fields a test does not care about. */
function run(h: number, seed: number, extra: Partial<RunRow> = {}): RunRow {
  return { task: 'modular-addition', h, N: 10 * h, seed, key: `k${h}-${seed}`, status: 'complete', trainOnset: null, testOnset: null, wallSeconds: 1, cacheHit: false, error: null, ...extra };
}

/**
 * A hand-made long metrics table: scales h = 2 (N 20) and 5 (N 50), two seeds each, epochs 0…4.
 * trainAccuracy of (h, seed) at epoch e = min(1, 0.5 + 0.1·e + 0.1·seed + 0.01·h); gini rises to a
 * peak at epoch 2 for h = 2 and rises to the end for h = 5.
 */
function handMetrics(): aq.ColumnTable {
  const rows: Array<Record<string, number | string>> = [];
  for (const h of [2, 5]) for (const seed of [0, 1]) for (let e = 0; e <= 4; e++) {
    rows.push({
      task: 'xor', h, N: 10 * h, seed, epoch: e,
      trainAccuracy: Math.min(1, 0.5 + 0.1 * e + 0.1 * seed + 0.01 * h),
      testAccuracy: Math.min(1, 0.3 + 0.1 * e + 0.01 * h),
      trainLoss: 1 / (1 + e),
      gini: h === 2 ? [0.1, 0.3, 0.5 + 0.01 * seed, 0.4, 0.35][e] : 0.1 + 0.1 * e,
    });
  }
  // Shuffle the rows: every function must sort by epoch itself.
  return aq.from(rows.reverse());
}

test('planTable: N = 4h + 1 for XOR, 2p·h + h·p for modular addition (no biases), recipe columns', () => {
  const xor = planTable(trainingPlan('xor', 'quick')).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(xor.map((r) => r.h), [20, 32, 50, 80, 126, 200, 316, 500]);
  assert.deepEqual(xor.map((r) => r.N), [81, 129, 201, 321, 505, 801, 1265, 2001]);
  assert.ok(xor.every((r) => r.seeds === 6 && r.snapshots === 51 && r.epochs === 2000 && r.activation === 'tanh' && r.optimizer === 'sgd'));
  const mod = planTable(trainingPlan('modular-addition', 'smoke')).objects() as Array<Record<string, unknown>>;
  // p = 23: input 2p = 46 one-hot units, output 23, h = 126, quadratic activation without biases.
  assert.deepEqual(mod.map((r) => r.N), [46 * 126 + 126 * 23]);
  assert.equal(mod[0].optimizer, 'adamw');
  assert.throws(() => planTable({ ...trainingPlan('xor', 'smoke'), scales: [] }), InvalidOptionError);
});

test('runMetricCurves and scaleMetricCurves: grouping, epoch order, mean and sample s.d. across seeds', () => {
  const curves = runMetricCurves(handMetrics(), 'trainAccuracy');
  assert.deepEqual(curves.map((c) => [c.h, c.seed]), [[2, 0], [2, 1], [5, 0], [5, 1]]);
  assert.deepEqual(Array.from(curves[0].epochs), [0, 1, 2, 3, 4]);
  assert.ok(Math.abs(curves[1].values[1] - 0.72) < 1e-12);
  const scales = scaleMetricCurves(handMetrics(), 'trainAccuracy');
  assert.equal(scales.length, 2);
  assert.equal(scales[0].runs, 2);
  // h = 2, epoch 0: seeds give 0.52 and 0.62 → mean 0.57, s.d. = 0.1/√2.
  assert.ok(Math.abs(scales[0].mean[0] - 0.57) < 1e-12);
  assert.ok(Math.abs(scales[0].sd[0] - 0.1 / Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(scales[0].min[0] - 0.52) < 1e-12 && Math.abs(scales[0].max[0] - 0.62) < 1e-12);
  // h = 5, epoch 4: seed 0 at 0.95, seed 1 capped at 1.
  assert.ok(Math.abs(scales[1].mean[4] - 0.975) < 1e-12);
  assert.ok(Math.abs(scales[1].sd[4] - 0.05 / Math.SQRT2) < 1e-12);
  assert.equal(scales[1].max[4], 1);
  assert.throws(() => runMetricCurves(handMetrics(), 'nope'), /metric: no column "nope"/);
});

test('thinIndices keeps first and last, stays near the budget, drops epoch 0 on a log axis', () => {
  const epochs = Array.from({ length: 2001 }, (_, i) => i);
  const lin = thinIndices(epochs, 100);
  assert.equal(lin[0], 0);
  assert.equal(lin[lin.length - 1], 2000);
  assert.ok(lin.length <= 100);
  assert.deepEqual(lin, [...lin].sort((a, b) => a - b));
  const log = thinIndices(epochs, 100, true);
  assert.equal(log[0], 1); // epoch 0 has no place on a log axis
  assert.equal(log[log.length - 1], 2000);
  assert.ok(log.length <= 101);
  // Log spacing keeps detail early: several points below epoch 20 (a linear stride of 40 has none).
  assert.ok(log.filter((i) => epochs[i] < 20).length >= 5);
  assert.ok(lin.filter((i) => epochs[i] > 0 && epochs[i] < 20).length === 0);
  assert.deepEqual(thinIndices([0, 1, 2], 10), [0, 1, 2]);
});

test('trainingCurvesFigure (seed lines): one trace per run, one legend entry and one colour per scale, axis titles', () => {
  const fig = trainingCurvesFigure(handMetrics(), { metric: 'trainAccuracy' });
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((t) => t.showlegend), [true, false, true, false]);
  assert.equal(fig.data[0].name, 'N = 20 (h = 2)');
  assert.equal(fig.data[2].name, 'N = 50 (h = 5)');
  const colour = (i: number) => (fig.data[i].line as { color: string }).color;
  assert.equal(colour(0), colour(1));
  assert.notEqual(colour(0), colour(2));
  assert.equal(colour(0), scaleColour(0));
  assert.deepEqual(fig.data[1].x, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs((fig.data[1].y as number[])[0] - 0.62) < 1e-12);
  const layout = fig.layout as { xaxis: { title: { text: string }; type: string }; yaxis: { title: { text: string } } };
  assert.equal(layout.xaxis.title.text, 'epoch');
  assert.equal(layout.yaxis.title.text, 'train accuracy');
  const logFig = trainingCurvesFigure(handMetrics(), { metric: 'trainLoss', logX: true, logY: true });
  const logLayout = logFig.layout as { xaxis: { type: string; title: { text: string } }; yaxis: { type: string } };
  assert.equal(logLayout.xaxis.type, 'log');
  assert.equal(logLayout.yaxis.type, 'log');
  assert.match(logLayout.xaxis.title.text, /log scale/);
  assert.deepEqual(logFig.data[0].x, [1, 2, 3, 4]);
});

test('trainingCurvesFigure (band): mean line with a ±1 s.d. band per scale', () => {
  const fig = trainingCurvesFigure(handMetrics(), { metric: 'trainAccuracy', seeds: 'band' });
  assert.equal(fig.data.length, 6);
  const [upper, lower, mean] = fig.data;
  assert.equal(lower.fill, 'tonexty');
  assert.equal(mean.name, 'N = 20 (h = 2), 2 seeds');
  const s = 0.1 / Math.SQRT2;
  assert.ok(Math.abs((mean.y as number[])[0] - 0.57) < 1e-12);
  assert.ok(Math.abs((upper.y as number[])[0] - (0.57 + s)) < 1e-12);
  assert.ok(Math.abs((lower.y as number[])[0] - (0.57 - s)) < 1e-12);
  assert.match((fig.layout as { yaxis: { title: { text: string } } }).yaxis.title.text, /mean ± s\.d\./);
  assert.throws(() => trainingCurvesFigure(handMetrics(), { seeds: 'all' as never }), /seeds: got "all"/);
});

test('trainTestAccuracyFigure: dashed train and solid test curve of the same colour per scale', () => {
  const fig = trainTestAccuracyFigure(handMetrics(), { logX: false });
  assert.equal(fig.data.length, 4);
  assert.equal(fig.data[0].name, 'N = 20 (h = 2) train');
  assert.equal(fig.data[1].name, 'N = 20 (h = 2) test');
  const line = (i: number) => fig.data[i].line as { color: string; dash?: string };
  assert.equal(line(0).dash, 'dash');
  assert.equal(line(1).dash, undefined);
  assert.equal(line(0).color, line(1).color);
  // test accuracy of h = 2 at epoch 1: 0.3 + 0.1 + 0.02 (same for both seeds).
  assert.ok(Math.abs((fig.data[1].y as number[])[1] - 0.42) < 1e-12);
  // Without a test set (all NaN) only the train curves are drawn.
  const noTest = aq.from((handMetrics().objects() as Array<Record<string, unknown>>).map((r) => ({ ...r, testAccuracy: NaN })));
  assert.equal(trainTestAccuracyFigure(noTest).data.length, 2);
});

test('onsetsByScale: medians, ranges, failures and the grokking gap per scale', () => {
  const runs = [
    run(50, 0, { trainOnset: 100, testOnset: 1000 }),
    run(50, 1, { trainOnset: 200, testOnset: 1000 }),
    run(50, 2, { trainOnset: 300, testOnset: null }),
    run(20, 0, { trainOnset: 400 }),
    run(20, 1, { status: 'failed', trainOnset: null }),
  ];
  const rows = onsetsByScale(runs).objects() as Array<Record<string, number | null>>;
  assert.deepEqual(rows.map((r) => r.h), [20, 50]);
  const [small, large] = rows;
  assert.equal(small.failed, 1);
  assert.equal(small.complete, 1);
  assert.equal(small.trainOnsetMedian, 400);
  assert.equal(small.testOnsetMedian, null);
  assert.equal(small.gapMedian, null);
  assert.equal(large.trainOnsetMedian, 200);
  assert.equal(large.trainOnsetMin, 100);
  assert.equal(large.trainOnsetMax, 300);
  assert.equal(large.testReached, 2);
  assert.equal(large.testOnsetMedian, 1000);
  assert.equal(large.gapMedian, 7.5); // gaps 10 and 5
  assert.deepEqual(medianOnsets(runs, 'testOnset'), { '20': null, '50': 1000 });
  assert.deepEqual(medianOnsets(runs), { '20': 400, '50': 200 });
  assert.deepEqual(failedRuns(runs), [{ h: 20, seed: 1, status: 'failed', error: null }]);
});

test('onsetSummaryTable drops the test columns for XOR and keeps them for a task with a test split', () => {
  const xor = [run(20, 0, { task: 'xor', trainOnset: 600 }), run(32, 0, { task: 'xor', trainOnset: 700 })];
  const cols = onsetSummaryTable(xor).columnNames();
  assert.ok(cols.includes('trainOnsetMedian'));
  assert.ok(!cols.some((c) => c.startsWith('test') || c === 'gapMedian'));
  // Modular addition where nothing grokked: the test columns stay (they say "never").
  const mod = [run(20, 0, { trainOnset: 600 })];
  assert.ok(onsetSummaryTable(mod).columnNames().includes('testReached'));
});

test('groksTable / nonGrokkingScales: never, partial and groks, with the inclusion threshold', () => {
  const runs = [
    run(20, 0), run(20, 1),
    run(32, 0, { testOnset: 900 }), run(32, 1),
    run(50, 0, { testOnset: 500 }), run(50, 1, { testOnset: 600 }),
    run(80, 0, { testOnset: 400 }), run(80, 1, { status: 'error', error: 'boom' }),
  ];
  const rows = groksTable(runs).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(rows.map((r) => r.verdict), ['never', 'partial', 'groks', 'groks']);
  assert.deepEqual(rows.map((r) => r.included), [false, false, true, true]);
  assert.equal(rows[3].complete, 1);
  assert.deepEqual(nonGrokkingScales(runs), [20, 32]);
  assert.deepEqual(nonGrokkingScales(runs, { minFraction: 0.5 }), [20]);
  assert.deepEqual(nonGrokkingScales(runs, { field: 'trainOnset' }), [20, 32, 50, 80]);
  assert.deepEqual(excludeScales(runs, [20, 32]).map((r) => r.h), [50, 50, 80, 80]);
  assert.throws(() => groksTable(runs, { minFraction: 0 }), /minFraction/);
  const md = groksMarkdown(runs);
  assert.match(md, /\*\*Never grok\*\* \(no completed seed keeps test accuracy ≥ 0\.99 to the end\): N = 200 \(h = 20\)\./);
  assert.match(md, /\*\*Partly:\*\* N = 320 \(h = 32, 1 of 2 seeds\)\./);
  assert.match(md, /Excluded from the fits below: N = 200 \(h = 20\), N = 320 \(h = 32\)\. Entering them: N = 500 \(h = 50\), N = 800 \(h = 80\)\./);
  assert.match(groksMarkdown(runs.slice(4)), /Every scale has at least one seed.*No scale is excluded/);
  assert.deepEqual(runCacheHits([run(20, 0, { cacheHit: true }), run(20, 1)]), { cacheHits: 1, entries: 2 });
});

test('giniPeaks: the first maximum, early / transition / still rising, ratio to the onset', () => {
  const runs = [run(2, 0, { trainOnset: 1 }), run(2, 1, { trainOnset: 4 }), run(5, 0, { trainOnset: 2 }), run(5, 1)];
  const peaks = giniPeaks(handMetrics(), runs).objects() as Array<Record<string, unknown>>;
  assert.equal(peaks.length, 4);
  assert.deepEqual(peaks.map((p) => p.peakEpoch), [2, 2, 4, 4]);
  assert.deepEqual(peaks.map((p) => p.kind), ['transition', 'transition', 'end', 'end']);
  // With the first 60 % of training counted as the initial transient, the epoch-2 peaks are 'early'.
  assert.deepEqual((giniPeaks(handMetrics(), runs, 'trainOnset', 0.6).objects() as Array<Record<string, unknown>>).map((p) => p.kind), ['early', 'early', 'end', 'end']);
  assert.throws(() => giniPeaks(handMetrics(), runs, 'trainOnset', 1), /earlyFraction/);
  assert.equal(peaks[1].peakGini, 0.51);
  assert.equal(peaks[0].initialGini, 0.1);
  assert.equal(peaks[0].finalGini, 0.35);
  assert.deepEqual(peaks.map((p) => p.peakOverOnset), [2, 0.5, 2, null]);
  const byScale = giniPeaksByScale(giniPeaks(handMetrics(), runs)).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(byScale.map((r) => r.transitionPeaks), [2, 0]);
  assert.deepEqual(byScale.map((r) => r.endPeaks), [0, 2]);
  // Peak medians use transition peaks only: none at h = 5.
  assert.deepEqual(byScale.map((r) => r.peakEpochMedian), [2, null]);
  assert.deepEqual(byScale.map((r) => r.onsetMedian), [2.5, 2]);
  assert.deepEqual(byScale.map((r) => r.peakOverOnsetMedian), [1.25, null]);
});

test('giniFigure: a curve per scale, the peak marker on the curve at the median peak epoch', () => {
  const runs = [run(2, 0, { trainOnset: 1 }), run(2, 1, { trainOnset: 3 }), run(5, 0, { trainOnset: 2 }), run(5, 1, { trainOnset: 2 })];
  const fig = giniFigure(handMetrics(), giniPeaksByScale(giniPeaks(handMetrics(), runs)));
  const lines = fig.data.filter((t) => t.mode === 'lines');
  assert.equal(lines.length, 2);
  const peakH2 = fig.data.find((t) => t.name === 'peak (N = 20)')!;
  assert.deepEqual(peakH2.x, [2]);
  assert.ok(Math.abs((peakH2.y as number[])[0] - 0.505) < 1e-12); // mean of 0.50 and 0.51
  const onsetH2 = fig.data.find((t) => t.name === 'onset (N = 20)')!;
  assert.deepEqual(onsetH2.x, [2]); // median of onsets 1 and 3
  assert.equal((onsetH2.marker as { symbol: string }).symbol, 'diamond-open');
  assert.equal((peakH2.marker as { color: string }).color, (lines[0].line as { color: string }).color);
  assert.equal((fig.layout as { yaxis: { title: { text: string } } }).yaxis.title.text, 'Gini coefficient of |θ| (mean over seeds)');
  assert.ok(fig.data.some((t) => t.name === 'median Gini peak'));
});

test('trainingHeadline and trainingSummaryMarkdown state the computed numbers', () => {
  const runs = [
    run(50, 0, { trainOnset: 100, testOnset: 1000, cacheHit: true }),
    run(50, 1, { trainOnset: 200, testOnset: 1000 }),
    run(20, 0, { trainOnset: 400 }),
    run(20, 1, { status: 'failed' }),
  ];
  const headline = trainingHeadline(runs);
  assert.equal(headline.onsetField, 'testOnset');
  assert.deepEqual(headline.onsetMedians, { '20': null, '50': 1000 });
  assert.deepEqual(headline.trainOnsetMedians, { '20': 400, '50': 150 });
  assert.deepEqual(headline.gapMedians, { '20': null, '50': 7.5 });
  assert.equal(headline.runsReachingOnset, 2);
  assert.equal(headline.failed, 1);
  assert.equal(headline.cacheHits, 1);
  const md = trainingSummaryMarkdown(headline);
  assert.match(md, /4 runs of modular-addition at 2 scales \(N = 200, 500\); 3 completed, 1 failed; 1 read from the store/);
  assert.match(md, /2 of 3 completed runs reach the test-accuracy onset; the per-scale median is 1000 \(N = 500\) epochs/);
  assert.match(md, /without any run reaching the test-accuracy onset: N = 200 \(h = 20\)/);
  assert.match(md, /Grokking gap\*\* \(test onset \/ train onset\): the per-scale median is 7\.5 \(N = 500\)/);
  // XOR: train onset, no gap sentence; the Gini sentence counts peaks before the onset.
  const xorRuns = [run(2, 0, { task: 'xor', trainOnset: 1 }), run(2, 1, { task: 'xor', trainOnset: 3 }), run(5, 0, { task: 'xor', trainOnset: 8 }), run(5, 1, { task: 'xor', trainOnset: 8 })];
  const xor = trainingHeadline(xorRuns, giniPeaksByScale(giniPeaks(handMetrics(), xorRuns)));
  assert.equal(xor.onsetField, 'trainOnset');
  assert.equal(xor.giniTransitionScales, 1);
  assert.deepEqual(xor.giniPeakOverOnsetMedians, { '2': (2 + 2 / 3) / 2, '5': null });
  const xorMd = trainingSummaryMarkdown(xor);
  assert.doesNotMatch(xorMd, /Grokking gap/);
  assert.match(xorMd, /in 1 of 2 scales most runs have a peak after the first 5 % of training and before its end/);
  assert.match(xorMd, /before the onset in 0 and at or after it in 1 of 1 scales/);
});

test('hexWithAlpha converts and refuses malformed colours', () => {
  assert.equal(hexWithAlpha('#0072B2', 0.2), 'rgba(0,114,178,0.2)');
  assert.throws(() => hexWithAlpha('blue', 0.2), /colour/);
});

test('on a real XOR sweep the per-scale onsets and Gini peaks agree with the stored metrics', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-report-training-'));
  try {
    const runs = await trainScales({ base: { task: 'xor', epochs: 1200, snapshots: { count: 3 }, metricsEvery: 1 }, scales: [20], seeds: [0, 1] }, { workers: 0, root });
    const metrics = sweepMetrics(runs, { root });
    const curves = runMetricCurves(metrics, 'trainAccuracy');
    const rows = runs.objects() as unknown as RunRow[];
    curves.forEach((c, i) => assert.equal(onsetEpoch({ epoch: c.epochs, trainAccuracy: c.values }, { metric: 'trainAccuracy' }), rows[i].trainOnset));
    const summary = onsetsByScale(runs).objects()[0] as Record<string, number>;
    assert.equal(summary.N, 81);
    assert.equal(summary.trainReached, 2, 'both seeds leave the plateau within 1200 epochs (science notes: 536–1343)');
    assert.equal(summary.trainOnsetMedian, (rows[0].trainOnset! + rows[1].trainOnset!) / 2);
    const peaks = giniPeaks(metrics, runs).objects() as Array<Record<string, number>>;
    const gini = runMetricCurves(metrics, 'gini');
    peaks.forEach((p, i) => assert.equal(p.peakGini, Math.max(...gini[i].values)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
