/** Synthetic sweeps with known answers, shared by the analysis, figure and report tests. */
import * as aq from 'arquero';
import { analysisPlan, AnalysisPlan } from '../../lib/analysis/plan';
import { probeRows } from '../../lib/analysis/phase';
import type { AvalancheSample } from '../../lib/analysis/crackling';
import { sampleDiscretePowerLaw } from '../../lib/stats/samplers';
import { RunRow } from '../../lib/train/runFiles';
import { Random } from '../../lib/util/random';

export const SCALES = [100, 300, 1000, 3000];
export const SEEDS = [0, 1, 2];

/** The smoke plan with a given bootstrap size and seed. */
export function planWith(bootstrap: number, seed = 0, extra: Partial<AnalysisPlan> = {}): AnalysisPlan {
  return { ...analysisPlan('smoke'), bootstrap, seed, ...extra };
}

/** One completed run. */
export function run(N: number, seed: number, trainOnset: number | null, extra: Partial<RunRow> = {}): RunRow {
  return {
    task: 'xor',
    h: (N - 1) / 4,
    N,
    seed,
    key: `k${N}-${seed}`,
    status: 'complete',
    trainOnset,
    testOnset: null,
    wallSeconds: 0,
    cacheHit: true,
    error: null,
    ...extra,
  };
}

/** Runs table rows: every (N, seed) completed with the given onset. */
export function runsOf(onset: (N: number, seed: number) => number | null): RunRow[] {
  return SCALES.flatMap((N) => SEEDS.map((seed) => run(N, seed, onset(N, seed))));
}

/**
 * A probe summary in which value = a · N^{D(epoch)} exactly, the same factor at every seed (so the
 * per-scale mean of ln value has slope D exactly and every bootstrap replicate is exact too).
 */
export function summaryOf(epochs: number[], dOf: (epoch: number) => number, sMaxOf: (epoch: number) => number = dOf): aq.ColumnTable {
  const rows: Array<Record<string, unknown>> = [];
  for (const N of SCALES) {
    for (const seed of SEEDS) {
      epochs.forEach((epoch, snapshot) => {
        const a = 2;
        rows.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, totalTopplings: a * N ** dOf(epoch), sMax: a * N ** sMaxOf(epoch), truncated: false });
      });
    }
  }
  return aq.from(rows);
}

/** Onset 250 everywhere; D(t) = 0.8 … 1.25 at epochs 0 … 500 (S_total), s_max 0.1 higher. */
export function threePhaseInputs() {
  const runs = runsOf(() => 250);
  const D = [0.8, 0.85, 0.9, 1.1, 1.2, 1.25];
  const rows = probeRows(
    summaryOf(
      [0, 100, 200, 300, 400, 500],
      (e) => D[e / 100],
      (e) => D[e / 100] + 0.1,
    ),
    runs,
  );
  return { runs, rows };
}

/**
 * Avalanches that obey the crackling relation by construction: T ~ discrete power law
 * (α_T = 2.2), s = round(T^γ · e^{0.2 z}) with γ = 1.5, so P(s) ∝ s^(−τ) with
 * τ = 1 + (α_T − 1)/γ = 1.8 and γ = (α_T − 1)/(τ − 1). Area = s (every toppling a new node).
 */
export function crackling(label: string, n: number, seed: number): AvalancheSample {
  const rng = new Random(seed);
  const durations = sampleDiscretePowerLaw(n, 2.2, 1, rng);
  const sizes = Float64Array.from(durations, (t) => Math.max(1, Math.round(Math.pow(t, 1.5) * Math.exp(0.2 * rng.normal()))));
  return { label, sizes, durations, areas: Float64Array.from(sizes) };
}

export const GROK_SCALES = [100, 200, 400, 800];
/** Each scale groks at its own epoch (larger models earlier), as in modular addition. */
export const GROK_ONSET: Record<number, number> = { 100: 2000, 200: 1000, 400: 500, 800: 250 };

export function grokRuns(): RunRow[] {
  return GROK_SCALES.flatMap((N) =>
    SEEDS.map((seed) => ({
      task: 'modular-addition',
      h: N / 10,
      N,
      seed,
      key: `${N}-${seed}`,
      status: 'complete',
      trainOnset: GROK_ONSET[N] / 4,
      testOnset: GROK_ONSET[N],
      wallSeconds: 1,
      cacheHit: false,
      error: null,
    })),
  );
}

/**
 * Probe rows with a known answer: S = e^{0.1·seed} N^D with D = 0.9 before each run's own onset
 * (epoch / onset < 1) and 1.2 from it on; s_max = S / 10 (same D). The seed offset is the same at
 * every scale, so every fitted slope is exact.
 */
export function grokRows(): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const N of GROK_SCALES)
    for (const seed of SEEDS)
      for (let epoch = 0; epoch <= 4000; epoch += 50) {
        const D = epoch / GROK_ONSET[N] < 1 ? 0.9 : 1.2;
        const S = Math.exp(0.1 * seed) * N ** D;
        rows.push({ scaleN: N, seed, snapshot: epoch / 50, epoch, graphSeed: 0, totalTopplings: S, sMax: S / 10, truncated: false });
      }
  return rows;
}

/** A hand-made tidy table: BA real (pre, post, all) and Gaussian (all), S_total only. */
export function handTable(): aq.ColumnTable {
  const base = {
    topology: 'ba',
    topologyLabel: 'BA (m = 3)',
    observable: 'totalTopplings',
    rSquared: 1,
    nScales: 8,
    nSeeds: 48,
    nRows: 10,
    truncated: 0,
    noOnset: 0,
    oneSeedPerScale: false,
    reason: '',
  };
  return aq.from([
    { ...base, kind: 'real', phase: 'pre', D: 0.8, ciLow: 0.7, ciHigh: 0.9 },
    { ...base, kind: 'real', phase: 'post', D: 1.2, ciLow: 1.1, ciHigh: 1.35 },
    { ...base, kind: 'real', phase: 'all', D: 1.0, ciLow: 0.95, ciHigh: 1.05 },
    { ...base, kind: 'gaussian', phase: 'all', D: NaN, ciLow: NaN, ciHigh: NaN },
  ]);
}
