/** Inputs of the paper-figure tests: a hand-made sweep with known D and a fixed topology table. */
import * as aq from 'arquero';
import { collapseAnalysis, metricCurves, onsetSummary, phaseFits, probeRows, sizeCcdfsByScale, trajectoryAnalysis } from '../../lib/analysis/index';
import { planWith } from '../analysis/fixtures';

const SCALES = [100, 1000];
const SEEDS = [0, 1];
const EPOCHS = [0, 100, 200, 300];
const D_OF = [0.8, 0.9, 1.1, 1.2];

export function runs() {
  return SCALES.flatMap((N) => SEEDS.map((seed) => ({ task: 'xor', h: (N - 1) / 4, N, seed, key: `k${N}${seed}`, status: 'complete', trainOnset: 150, testOnset: null, wallSeconds: 0, cacheHit: true, error: null }))) as any[];
}

/** A hand-made sweep: S_total = 3 N^D(t), s_max = N^(D(t) − 0.1); 20 avalanches per snapshot. */
export function sweep() {
  const summary: Array<Record<string, unknown>> = [];
  const avalanches: Array<Record<string, unknown>> = [];
  const metrics: Array<Record<string, unknown>> = [];
  for (const N of SCALES) {
    for (const seed of SEEDS) {
      EPOCHS.forEach((epoch, snapshot) => {
        summary.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, totalTopplings: 3 * N ** D_OF[snapshot], sMax: N ** (D_OF[snapshot] - 0.1), truncated: false });
        for (let a = 1; a <= 20; a++) avalanches.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, avalanche: a, size: a * (N / 100) });
      });
      for (let epoch = 0; epoch <= 300; epoch += 50) metrics.push({ h: (N - 1) / 4, N, seed, epoch, trainAccuracy: epoch < 150 ? 0.5 : 1, gini: 0.4 + epoch / 3000 + seed / 100 });
    }
  }
  return { summary: aq.from(summary), avalanches: aq.from(avalanches), metrics };
}

export function inputs() {
  const s = sweep();
  const r = runs();
  const rows = probeRows(s.summary, r);
  return {
    rows,
    figure1: { curves: metricCurves(s.metrics), trajectory: trajectoryAnalysis(rows, 'totalTopplings', planWith(20)), onset: onsetSummary(r) },
    figure2: { fits: phaseFits(rows, planWith(20)), ccdf: sizeCcdfsByScale(s.avalanches, rows, 'post'), collapse: collapseAnalysis(s, r, planWith(20), { collapse: { minCount: 1 } }) },
  };
}

/** A fixed topology table (the shape topologyComparison returns). */
export const TOPOLOGY_TABLE = [
  { topology: 'ba', topologyLabel: 'BA (m = 3)', kind: 'real', observable: 'totalTopplings', phase: 'pre', D: 0.8, ciLow: 0.73, ciHigh: 0.87 },
  { topology: 'ba', topologyLabel: 'BA (m = 3)', kind: 'real', observable: 'totalTopplings', phase: 'post', D: 1.15, ciLow: 1.1, ciHigh: 1.21 },
  { topology: 'ba', topologyLabel: 'BA (m = 3)', kind: 'gaussian', observable: 'totalTopplings', phase: 'all', D: 1.0, ciLow: 0.99, ciHigh: 1.01 },
  { topology: 'ring', topologyLabel: 'ring (k = 6)', kind: 'real', observable: 'totalTopplings', phase: 'pre', D: 1.19, ciLow: 1.11, ciHigh: 1.27 },
  { topology: 'ring', topologyLabel: 'ring (k = 6)', kind: 'real', observable: 'totalTopplings', phase: 'post', D: 1.26, ciLow: 1.18, ciHigh: 1.34 },
  { topology: 'ring', topologyLabel: 'ring (k = 6)', kind: 'gaussian', observable: 'totalTopplings', phase: 'all', D: 1.01, ciLow: 1.0, ciHigh: 1.02 },
  { topology: 'ring', topologyLabel: 'ring (k = 6)', kind: 'permuted', observable: 'totalTopplings', phase: 'post', D: 1.1, ciLow: 1.04, ciHigh: 1.15 },
  { topology: 'ring', topologyLabel: 'ring (k = 6)', kind: 'real', observable: 'sMax', phase: 'post', D: 1.5, ciLow: 1.4, ciHigh: 1.6 },
];
