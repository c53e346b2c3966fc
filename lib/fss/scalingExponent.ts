import { InvalidOptionError, checkChoice, checkInteger } from '../util/errors';
import { Random } from '../util/random';
import { BOOTSTRAP_REPLICATES, standardDeviation } from '../stats/bootstrap';
import { ClusterTable, drawSeedBootstrap, SeedBootstrap, seedBootstrapInterval, SEED_BOOTSTRAPS } from './clusters';
import { FssRows, logPositiveField, numberField, rowsToObjects, seedKey } from './rows';

/** Options of {@link fitScalingExponent}. */
export interface ScalingExponentOptions {
  /** Bootstrap replicates, 0 skips the CI [BOOTSTRAP_REPLICATES = 1000]. */
  bootstrap?: number;
  /** Seed of the bootstrap stream [0]. */
  seed?: number;
  /** Column holding the observable: 'totalTopplings' (S_total) or 'sMax' (s_max) ['totalTopplings']. */
  valueField?: string;
  /** Confidence level of the percentile interval [0.95]. */
  confidence?: number;
  /** How the seed bootstrap makes the interval (see SEED_BOOTSTRAPS) ['studentized']. */
  seedBootstrap?: SeedBootstrap;
}

/** Result of {@link fitScalingExponent}. */
export interface ScalingExponentFit {
  /** OLS slope of the per-scale mean of ln(value) against ln N. */
  D: number;
  intercept: number;
  rSquared: number;
  /** Classical OLS standard error of the slope over the per-scale means (ignores seed noise structure). */
  olsStandardError: number;
  /** Bootstrap CI (seeds resampled within each scale, made as seedBootstrap says) and the standard deviation of the replicates. */
  ciLow: number;
  ciHigh: number;
  bootstrapStandardError: number;
  confidence: number;
  bootstrap: number;
  seedBootstrap: SeedBootstrap;
  /** Scales N (ascending), per-scale mean ln(value), rows and seeds per scale. */
  scales: number[];
  meanLog: number[];
  rowCounts: number[];
  seedCounts: number[];
  /** D refitted without each scale in turn (empty with only two scales). */
  leaveOneOut: Array<{ scaleN: number; D: number }>;
  valueField: string;
  /** D of every bootstrap replicate ('rescaled': of the rescaled scale means). */
  replicates: Float64Array;
}

/**
 * Finite-size-scaling exponent D in value ∝ N^D from rows carrying `scaleN`, `seed` and the
 * value column: D is the OLS slope of the per-scale mean of ln(value) against ln N (every row of
 * a scale weighs equally in its mean). The CI resamples seeds with replacement within each scale
 * (all rows of a drawn seed move together), using `new Random(seed)`; by default it is the
 * studentized (bootstrap-t) interval, which keeps close to its level with six seeds a scale
 * where percentiles of the replicates do not (see SEED_BOOTSTRAPS). Rows: plain objects or an
 * arquero table.
 */
export function fitScalingExponent(rows: FssRows, options: ScalingExponentOptions = {}): ScalingExponentFit {
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? BOOTSTRAP_REPLICATES, 0);
  const valueField = options.valueField ?? 'totalTopplings';
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new InvalidOptionError('confidence', `must be in (0, 1), got ${confidence}`);
  const seedBootstrap = checkChoice('seedBootstrap', options.seedBootstrap ?? 'studentized', SEED_BOOTSTRAPS);
  const objects = rowsToObjects(rows);
  if (objects.length === 0) throw new InvalidOptionError('rows', 'is empty');
  const entries = objects.map((row, i) => ({
    time: 0,
    scale: numberField(row, 'scaleN', i),
    seed: seedKey(row, i),
    logValue: logPositiveField(row, valueField, i),
  }));
  const table = new ClusterTable(entries, 1);
  const info = { intercept: NaN, rSquared: NaN, nScales: 0, meanLog: [] as number[], scales: [] as number[] };
  const D = table.fit(0, null, 2, info);
  const K = table.scales.length;
  let olsStandardError = NaN;
  if (K > 2) {
    let ss = 0;
    let sxx = 0;
    const mx = table.logScales.reduce((a, b) => a + b, 0) / K;
    for (let k = 0; k < K; k++) {
      ss += (info.meanLog[k] - info.intercept - D * table.logScales[k]) ** 2;
      sxx += (table.logScales[k] - mx) ** 2;
    }
    olsStandardError = Math.sqrt(ss / (K - 2) / sxx);
  }
  const leaveOneOut: Array<{ scaleN: number; D: number }> = [];
  if (K > 2) {
    for (let k = 0; k < K; k++) {
      const w = new Float64Array(table.totalSeeds).fill(1);
      for (let f = table.seedOffset[k]; f < table.seedOffset[k + 1]; f++) w[f] = 0;
      leaveOneOut.push({ scaleN: table.scales[k], D: table.fit(0, w, 2) });
    }
  }
  const draws = drawSeedBootstrap(table, [0], [D], 2, bootstrap, new Random(options.seed ?? 0), seedBootstrap);
  const replicates = Float64Array.from(draws.replicates, (r) => r[0]);
  const ci = seedBootstrapInterval(table, 0, 0, D, 2, draws, confidence);
  const rowCounts = table.scales.map((_, k) => {
    let c = 0;
    for (let f = table.seedOffset[k]; f < table.seedOffset[k + 1]; f++) c += table.counts[0][f];
    return c;
  });
  return {
    D,
    intercept: info.intercept,
    rSquared: info.rSquared,
    olsStandardError,
    ciLow: ci.low,
    ciHigh: ci.high,
    bootstrapStandardError: bootstrap > 1 ? standardDeviation(replicates) : NaN,
    confidence,
    bootstrap,
    seedBootstrap,
    scales: table.scales.slice(),
    meanLog: info.meanLog,
    rowCounts,
    seedCounts: table.seeds.map((s) => s.length),
    leaveOneOut,
    valueField,
    replicates,
  };
}
