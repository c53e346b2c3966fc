import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { avalancheAnalysis, powerLawTable } from '../../lib/analysis/index';
import {
  avalanchesHeadline,
  avalanchesSummaryMarkdown,
  powerLawComparisonTable,
  powerLawFindings,
  powerLawFitTable,
  powerLawVerdict,
} from '../../lib/report/avalanches';
import { planWith, run } from '../analysis/fixtures';

const RUNS = [run(81, 0, 100), run(81, 1, null), run(161, 0, 50), run(161, 9, 10, { status: 'failed' })];

test('avalanchesHeadline and its markdown state the counts and means of the tables, and the runs without onset', async () => {
  const summary = aq.table({
    scaleN: [81, 81, 161, 161, 161],
    seed: [0, 1, 0, 0, 0],
    snapshot: [0, 0, 0, 1, 2],
    epoch: [0, 0, 0, 100, 200],
    graphSeed: [0, 0, 0, 0, 0],
    totalTopplings: [5, 7, 10, 30, 50],
    sMax: [3, 7, 4, 20, 30],
    truncated: [false, false, false, false, false],
  });
  const avalanches = aq.table({
    scaleN: [161, 161, 161, 81],
    seed: [0, 0, 0, 1],
    epoch: [0, 100, 100, 0],
    size: [1, 2, 3, 9],
    area: [1, 1, 1, 1],
    duration: [1, 1, 1, 1],
  });
  const analysis = avalancheAnalysis({ summary, avalanches }, RUNS);
  const fits = await powerLawTable(analysis, planWith(0, 0, { pValueBootstrap: 1 }));
  const h = avalanchesHeadline(analysis, fits);
  assert.deepEqual(h.avalanches, { pre: 1, post: 2, none: 1, runsWithoutOnset: 1 });
  assert.deepEqual(h.snapshots, { pre: 2, post: 2, none: 1, runsWithoutOnset: 1 });
  assert.equal(h.largestN, 161);
  assert.deepEqual(h.sTotalMean, { pre: 10, post: 40 });
  assert.deepEqual(h.sMaxMean, { pre: 4, post: 25 });
  assert.equal(h.fits.notEnoughData, 4);
  const md = avalanchesSummaryMarkdown(h);
  assert.match(
    md,
    /4 avalanches from 5 probed snapshots: 1 before onset \(2 snapshots\), 2 after \(2\); 1 avalanches \(1 snapshots\) of 1 run\(s\) that never reached their onset are in neither phase\./,
  );
  assert.match(md, /Mean S_total 10 before onset vs 40 after \(ratio 4\)/);
  assert.match(md, /0 of 4 \(scale, phase\) groups could be fitted \(4 had not enough data\)/);
});

test('power-law tables for reading: the verdict in words, the comparisons by column', () => {
  const row = (extra: Record<string, unknown>) => ({
    N: 81,
    phase: 'post',
    avalanches: 100,
    xmin: 2,
    alpha: 2.5,
    alphaSE: 0.1,
    nTail: 50,
    ks: 0.03,
    p: 0.4,
    R_exponential: 3,
    p_exponential: 0.01,
    plausible: true,
    favoured: [],
    reason: null,
    ...extra,
  });
  const fits = aq.from([
    row({}),
    row({ N: 161, p: 0.02, plausible: false, favoured: ['exponential'], R_exponential: -2 }),
    row({ N: 321, alpha: null, p: null, plausible: null, reason: 'not enough data: 3 avalanches (need ≥ 50)' }),
  ]);
  const display = powerLawFitTable(fits);
  assert.deepEqual(
    display.map((r) => r.verdict),
    ['power law plausible (p > 0.1)', 'power law rejected (p ≤ 0.1); favoured over it: exponential', 'not enough data: 3 avalanches (need ≥ 50)'],
  );
  assert.equal(
    powerLawVerdict({ plausible: true, favoured: ['truncated'], reason: null }),
    'power law plausible (p > 0.1); favoured over it: truncated power law',
  );
  assert.deepEqual(powerLawComparisonTable(fits).columnNames(), ['N', 'phase', 'R_exponential', 'p_exponential']);
  const findings = powerLawFindings(fits);
  assert.deepEqual([findings.fitted, findings.notEnoughData, findings.plausible], [2, 1, 1]);
  assert.deepEqual(findings.favouredCounts, { exponential: 1 });
  assert.deepEqual(findings.alphaRange.post, [2.5, 2.5]);
  assert.equal(findings.alphaLargest.post!.N, 161);
  assert.equal(findings.alphaRange.pre, null);
});
