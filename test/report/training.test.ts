import { test } from 'node:test';
import assert from 'node:assert/strict';
import { excludeScales, giniPeaks, giniPeaksByScale, groksTable, metricCurves, nonGrokkingScales, runCacheHits } from '../../lib/analysis/index';
import { groksMarkdown, onsetSummaryTable, planTable, trainingHeadline, trainingSummaryMarkdown } from '../../lib/report/training';
import { trainingPlan } from '../../lib/train/index';
import { InvalidOptionError } from '../../lib/util/errors';
import { handMetrics, run } from '../analysis/trainingFixtures';

test('planTable: N = 4h + 1 for XOR, 2p·h + h·p for modular addition (no biases), recipe columns', () => {
  const xor = planTable(trainingPlan('xor', 'quick')).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(
    xor.map((r) => r.h),
    [20, 32, 50, 80, 126, 200, 316, 500],
  );
  assert.deepEqual(
    xor.map((r) => r.N),
    [81, 129, 201, 321, 505, 801, 1265, 2001],
  );
  assert.ok(xor.every((r) => r.seeds === 6 && r.snapshots === 51 && r.epochs === 2000 && r.activation === 'tanh' && r.optimizer === 'sgd'));
  const mod = planTable(trainingPlan('modular-addition', 'smoke')).objects() as Array<Record<string, unknown>>;
  // p = 23: input 2p = 46 one-hot units, output 23, h = 126, quadratic activation without biases.
  assert.deepEqual(
    mod.map((r) => r.N),
    [46 * 126 + 126 * 23],
  );
  assert.equal(mod[0].optimizer, 'adamw');
  assert.throws(() => planTable({ ...trainingPlan('xor', 'smoke'), scales: [] }), InvalidOptionError);
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
    run(20, 0),
    run(20, 1),
    run(32, 0, { testOnset: 900 }),
    run(32, 1),
    run(50, 0, { testOnset: 500 }),
    run(50, 1, { testOnset: 600 }),
    run(80, 0, { testOnset: 400 }),
    run(80, 1, { status: 'error', error: 'boom' }),
  ];
  const rows = groksTable(runs).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(
    rows.map((r) => r.verdict),
    ['never', 'partial', 'groks', 'groks'],
  );
  assert.deepEqual(
    rows.map((r) => r.included),
    [false, false, true, true],
  );
  assert.equal(rows[3].complete, 1);
  assert.deepEqual(nonGrokkingScales(runs), [20, 32]);
  assert.deepEqual(nonGrokkingScales(runs, { minFraction: 0.5 }), [20]);
  assert.deepEqual(nonGrokkingScales(runs, { field: 'trainOnset' }), [20, 32, 50, 80]);
  assert.deepEqual(
    excludeScales(runs, [20, 32]).map((r) => r.h),
    [50, 50, 80, 80],
  );
  assert.throws(() => groksTable(runs, { minFraction: 0 }), /minFraction/);
  const md = groksMarkdown(runs);
  assert.match(md, /\*\*Never grok\*\* \(no completed seed keeps test accuracy ≥ 0\.99 to the end\): N = 200 \(h = 20\)\./);
  assert.match(md, /\*\*Partly:\*\* N = 320 \(h = 32, 1 of 2 seeds\)\./);
  assert.match(md, /Excluded from the fits below: N = 200 \(h = 20\), N = 320 \(h = 32\)\. Entering them: N = 500 \(h = 50\), N = 800 \(h = 80\)\./);
  assert.match(groksMarkdown(runs.slice(4)), /Every scale has at least one seed.*No scale is excluded/);
  assert.deepEqual(runCacheHits([run(20, 0, { cacheHit: true }), run(20, 1)]), { cacheHits: 1, entries: 2 });
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
  const xorRuns = [
    run(2, 0, { task: 'xor', trainOnset: 1 }),
    run(2, 1, { task: 'xor', trainOnset: 3 }),
    run(5, 0, { task: 'xor', trainOnset: 8 }),
    run(5, 1, { task: 'xor', trainOnset: 8 }),
  ];
  const xor = trainingHeadline(xorRuns, giniPeaksByScale(giniPeaks(metricCurves(handMetrics()), xorRuns)));
  assert.equal(xor.onsetField, 'trainOnset');
  assert.equal(xor.giniTransitionScales, 1);
  assert.deepEqual(xor.giniPeakOverOnsetMedians, { '2': (2 + 2 / 3) / 2, '5': null });
  const xorMd = trainingSummaryMarkdown(xor);
  assert.doesNotMatch(xorMd, /Grokking gap/);
  assert.match(xorMd, /in 1 of 2 scales most runs have a peak after the first 5 % of training and before its end/);
  assert.match(xorMd, /before the onset in 0 and at or after it in 1 of 1 scales/);
});
