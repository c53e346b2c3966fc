import { InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';

/**
 * Seeded bootstrap utilities shared by the power-law, finite-size-scaling and crackling-noise
 * estimators. Every resample is drawn from a `Random` stream, so a given seed reproduces the
 * same replicates byte for byte.
 */

/**
 * Default number of bootstrap replicates of every percentile CI in the library (lib/stats,
 * lib/fss); the analysis plan sets the number per profile. p-values of goodness-of-fit tests
 * have their own count (powerLawPValue).
 */
export const BOOTSTRAP_REPLICATES = 1000;

/** n indices drawn uniformly with replacement from 0 … n−1. */
export function bootstrapIndices(n: number, rng: Random): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.integer(n);
  return out;
}

/** A resample (with replacement, same length) of `values`. */
export function bootstrapResample(values: ArrayLike<number>, rng: Random): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[rng.integer(n)];
  return out;
}

/**
 * Quantile by linear interpolation between order statistics (the default "type 7" of R and
 * numpy). `sorted` must be ascending; NaNs are not allowed.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: empty input');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median of the finite values: the middle one, or the mean of the two middle ones (NaN when there is none); the input is not modified. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(Array.from(values).filter(Number.isFinite)).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Percentile interval [(1−c)/2, (1+c)/2] quantiles of bootstrap replicates (confidence c
 * [0.95]). Non-finite replicates are dropped (their count is returned) so that a failed
 * refit does not poison the interval.
 */
export function percentileInterval(replicates: ArrayLike<number>, confidence = 0.95): { low: number; high: number; used: number; dropped: number } {
  if (!(confidence > 0 && confidence < 1)) throw new InvalidOptionError('confidence', `must be in (0, 1), got ${confidence}`);
  const finite: number[] = [];
  for (let i = 0; i < replicates.length; i++) if (Number.isFinite(replicates[i])) finite.push(replicates[i]);
  const sorted = Float64Array.from(finite).sort();
  if (sorted.length === 0) return { low: NaN, high: NaN, used: 0, dropped: replicates.length };
  return {
    low: quantileSorted(sorted, (1 - confidence) / 2),
    high: quantileSorted(sorted, (1 + confidence) / 2),
    used: sorted.length,
    dropped: replicates.length - sorted.length,
  };
}

/** Sample standard deviation (n − 1 denominator) of the finite entries. */
export function standardDeviation(values: ArrayLike<number>): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  return n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
}

/** Result of {@link bootstrapStatistic}. */
export interface BootstrapSummary {
  estimate: number;
  /** Bootstrap standard error (standard deviation of the replicates). */
  standardError: number;
  ciLow: number;
  ciHigh: number;
  confidence: number;
  replicates: Float64Array;
}

/**
 * Non-parametric bootstrap of a scalar statistic of a sample: `bootstrap` resamples
 * [BOOTSTRAP_REPLICATES] drawn with `new Random(seed)` [0], percentile CI at `confidence` [0.95].
 */
export function bootstrapStatistic(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options: { bootstrap?: number; seed?: number; confidence?: number } = {},
): BootstrapSummary {
  const bootstrap = options.bootstrap ?? BOOTSTRAP_REPLICATES;
  if (!Number.isInteger(bootstrap) || bootstrap < 1) throw new InvalidOptionError('bootstrap', `must be an integer ≥ 1, got ${bootstrap}`);
  if (values.length === 0) throw new InvalidOptionError('values', 'is empty');
  const confidence = options.confidence ?? 0.95;
  const rng = new Random(options.seed ?? 0);
  const replicates = new Float64Array(bootstrap);
  for (let b = 0; b < bootstrap; b++) replicates[b] = statistic(bootstrapResample(values, rng));
  const ci = percentileInterval(replicates, confidence);
  return {
    estimate: statistic(Float64Array.from(values as ArrayLike<number>)),
    standardError: standardDeviation(replicates),
    ciLow: ci.low,
    ciHigh: ci.high,
    confidence,
    replicates,
  };
}
