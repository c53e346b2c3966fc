import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  failedRuns,
  giniPeaks,
  giniPeaksByScale,
  metricCurves,
  onsetsByScale,
  runMetricCurves,
  scaleMetricCurves,
  sweepMetrics,
} from '../../lib/analysis/index';
import { onsetEpoch, RunRow, trainScales } from '../../lib/train/index';
import { handMetrics, run } from './trainingFixtures';

test('runMetricCurves and scaleMetricCurves: grouping, epoch order, mean and sample s.d. across seeds', () => {
  const curves = runMetricCurves(handMetrics(), 'trainAccuracy');
  assert.deepEqual(
    curves.map((c) => [c.h, c.seed]),
    [
      [2, 0],
      [2, 1],
      [5, 0],
      [5, 1],
    ],
  );
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

test('onsetsByScale: medians, ranges, failures and the grokking gap per scale', () => {
  const runs = [
    run(50, 0, { trainOnset: 100, testOnset: 1000 }),
    run(50, 1, { trainOnset: 200, testOnset: 1000 }),
    run(50, 2, { trainOnset: 300, testOnset: null }),
    run(20, 0, { trainOnset: 400 }),
    run(20, 1, { status: 'failed', trainOnset: null }),
  ];
  const rows = onsetsByScale(runs).objects() as Array<Record<string, number | null>>;
  assert.deepEqual(
    rows.map((r) => r.h),
    [20, 50],
  );
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
  assert.deepEqual(failedRuns(runs), [{ h: 20, seed: 1, status: 'failed', error: null }]);
});

test('giniPeaks: the first maximum, early / transition / still rising, ratio to the onset', () => {
  const runs = [run(2, 0, { trainOnset: 1 }), run(2, 1, { trainOnset: 4 }), run(5, 0, { trainOnset: 2 }), run(5, 1)];
  const peaks = giniPeaks(metricCurves(handMetrics()), runs).objects() as Array<Record<string, unknown>>;
  assert.equal(peaks.length, 4);
  assert.deepEqual(
    peaks.map((p) => p.peakEpoch),
    [2, 2, 4, 4],
  );
  assert.deepEqual(
    peaks.map((p) => p.kind),
    ['transition', 'transition', 'end', 'end'],
  );
  // With the first 60 % of training counted as the initial transient, the epoch-2 peaks are 'early'.
  assert.deepEqual(
    (giniPeaks(metricCurves(handMetrics()), runs, 'trainOnset', 0.6).objects() as Array<Record<string, unknown>>).map((p) => p.kind),
    ['early', 'early', 'end', 'end'],
  );
  assert.throws(() => giniPeaks(metricCurves(handMetrics()), runs, 'trainOnset', 1), /earlyFraction/);
  assert.equal(peaks[1].peakGini, 0.51);
  assert.equal(peaks[0].initialGini, 0.1);
  assert.equal(peaks[0].finalGini, 0.35);
  assert.deepEqual(
    peaks.map((p) => p.peakOverOnset),
    [2, 0.5, 2, null],
  );
  const byScale = giniPeaksByScale(giniPeaks(metricCurves(handMetrics()), runs)).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(
    byScale.map((r) => r.transitionPeaks),
    [2, 0],
  );
  assert.deepEqual(
    byScale.map((r) => r.endPeaks),
    [0, 2],
  );
  // Peak medians use transition peaks only: none at h = 5.
  assert.deepEqual(
    byScale.map((r) => r.peakEpochMedian),
    [2, null],
  );
  assert.deepEqual(
    byScale.map((r) => r.onsetMedian),
    [2.5, 2],
  );
  assert.deepEqual(
    byScale.map((r) => r.peakOverOnsetMedian),
    [1.25, null],
  );
});

test('on a real XOR sweep the per-scale onsets and Gini peaks agree with the stored metrics', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-report-training-'));
  try {
    const runs = await trainScales(
      { base: { task: 'xor', epochs: 1200, snapshots: { count: 3 }, metricsEvery: 1 }, scales: [20], seeds: [0, 1] },
      { workers: 0, root },
    );
    const metrics = sweepMetrics(runs, { root });
    const curves = runMetricCurves(metrics, 'trainAccuracy');
    const rows = runs.objects() as unknown as RunRow[];
    curves.forEach((c, i) => assert.equal(onsetEpoch({ epoch: c.epochs, trainAccuracy: c.values }, { metric: 'trainAccuracy' }), rows[i].trainOnset));
    const summary = onsetsByScale(runs).objects()[0] as Record<string, number>;
    assert.equal(summary.N, 81);
    assert.equal(summary.trainReached, 2, 'both seeds leave the plateau within 1200 epochs (science notes: 536–1343)');
    assert.equal(summary.trainOnsetMedian, (rows[0].trainOnset! + rows[1].trainOnset!) / 2);
    const peaks = giniPeaks(metricCurves(metrics), runs).objects() as Array<Record<string, number>>;
    const gini = runMetricCurves(metrics, 'gini');
    peaks.forEach((p, i) => assert.equal(p.peakGini, Math.max(...gini[i].values)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
