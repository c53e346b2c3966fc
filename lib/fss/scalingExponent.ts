import { InvalidOptionError, checkInteger } from '../util/errors';
import { Random } from '../util/random';
import { BOOTSTRAP_REPLICATES, percentileInterval, standardDeviation } from '../stats/bootstrap';
import { ClusterTable } from './clusters';
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
}

/** Result of {@link fitScalingExponent}. */
export interface ScalingExponentFit {
  /** OLS slope of the per-scale mean of ln(value) against ln N. */
  D: number;
  intercept: number;
  rSquared: number;
  /** Classical OLS standard error of the slope over the per-scale means (ignores seed noise structure). */
  olsStandardError: number;
  /** Percentile bootstrap CI (seeds resampled within each scale) and the bootstrap standard error. */
  ciLow: number;
  ciHigh: number;
  bootstrapStandardError: number;
  confidence: number;
  bootstrap: number;
  /** Scales N (ascending), per-scale mean ln(value), rows and seeds per scale. */
  scales: number[];
  meanLog: number[];
  rowCounts: number[];
  seedCounts: number[];
  /** D refitted without each scale in turn (empty with only two scales). */
  leaveOneOut: Array<{ scaleN: number; D: number }>;
  valueField: string;
  /** D of every bootstrap replicate. */
  replicates: Float64Array;
}

/**
 * Finite-size-scaling exponent D in value ∝ N^D from rows carrying `scaleN`, `seed` and the
 * value column: D is the OLS slope of the per-scale mean of ln(value) against ln N (every row of
 * a scale weighs equally in its mean). The percentile CI resamples seeds with replacement within
 * each scale (all rows of a drawn seed move together), using `new Random(seed)`.
 * Rows: plain objects or an arquero table.
 */
export function fitScalingExponent(rows: FssRows, options: ScalingExponentOptions = {}): ScalingExponentFit {
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? BOOTSTRAP_REPLICATES, 0);
  const valueField = options.valueField ?? 'totalTopplings';
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new InvalidOptionError('confidence', `must be in (0, 1), got ${confidence}`);
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
  const replicates = new Float64Array(bootstrap);
  const rng = new Random(options.seed ?? 0);
  for (let b = 0; b < bootstrap; b++) replicates[b] = table.fit(0, table.resampleWeights(rng), 2);
  const ci = bootstrap > 0 ? percentileInterval(replicates, confidence) : { low: NaN, high: NaN };
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
    scales: table.scales.slice(),
    meanLog: info.meanLog,
    rowCounts,
    seedCounts: table.seeds.map((s) => s.length),
    leaveOneOut,
    valueField,
    replicates,
  };
}
