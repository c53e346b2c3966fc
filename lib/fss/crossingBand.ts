/**
 * The interval of a crossing time read off a confidence band of D(t), instead of percentiles of
 * bootstrap crossing times. A "lasting" crossing (D stays past the level to the end) is a
 * non-smooth function of D(t): while D(t) hovers near the level, a small change of D moves it by
 * hundreds of epochs, and a percentile interval of it covers far less than its nominal level.
 * Inverting a band does not have that problem: every crossing time consistent with *some* D(t)
 * inside the band is in the interval, so the interval covers the true crossing whenever the band
 * covers the true D(t).
 */
import { quantileSorted, standardDeviation } from '../stats/bootstrap';
import { InvalidOptionError } from '../util/errors';

/** A band around D(t): bounds per time point (NaN where there is none). */
export interface DimensionBand {
  low: Float64Array;
  high: Float64Array;
  /** The half-width in bootstrap standard errors (simultaneous band), NaN for a pointwise band. */
  multiplier: number;
}

/**
 * Simultaneous ("sup-t") band of a trajectory from coherent bootstrap replicates, at `confidence`:
 *  1. se_i = standard deviation of the replicates at point i;
 *  2. for each replicate b, M_b = max_i |D*_b(i) − D(i)| / se_i over the points with se_i > 0;
 *  3. q = the `confidence` quantile of M_b; the band is D(i) ± q·se_i.
 * About `confidence` of the replicate trajectories lie wholly inside it, so it covers the whole
 * D(t) at once, where a pointwise band covers each point separately. Points with se_i = 0 get
 * the point itself; replicates that are not finite at some point are left out of step 2.
 */
export function simultaneousBand(estimate: ArrayLike<number>, replicates: ReadonlyArray<ArrayLike<number>>, confidence = 0.95): DimensionBand {
  if (!(confidence > 0 && confidence < 1)) throw new InvalidOptionError('confidence', `must be in (0, 1), got ${confidence}`);
  const n = estimate.length;
  const se = new Float64Array(n);
  for (let i = 0; i < n; i++) se[i] = standardDeviation(Float64Array.from(replicates, (r) => r[i]));
  const maxima: number[] = [];
  for (const r of replicates) {
    let m = 0;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      if (!(se[i] > 0)) continue;
      const z = Math.abs(r[i] - estimate[i]) / se[i];
      if (Number.isFinite(z)) m = Math.max(m, z);
      else ok = false;
    }
    if (ok) maxima.push(m);
  }
  const q = maxima.length ? quantileSorted(Float64Array.from(maxima).sort(), confidence) : NaN;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const half = se[i] > 0 ? q * se[i] : 0;
    low[i] = estimate[i] - half;
    high[i] = estimate[i] + half;
  }
  return { low, high, multiplier: q };
}

/**
 * The interval of the (first, or first lasting) crossing of `level` in `direction` by any D(t)
 * that lies inside the band [low, high] at every point, with the crossing time interpolated
 * linearly between neighbouring points as crossingTime does. For 'up' (everything is mirrored
 * for 'down'), a crossing between points j−1 and j is counted when D(j−1) < level and D stays
 * ≥ level for `lastingPoints` points from j (Infinity: to the last point):
 *  1. a crossing at j is *possible* when low(j−1) < level and high ≥ level over those points;
 *  2. a crossing is *certain* by point b when high(a) < level at some a < b and low ≥ level for
 *     `lastingPoints` points from b: a lasting crossing then happened at pair b or before;
 *  3. the lower end is the earliest interpolated crossing at the first possible pair j (D(j−1)
 *     as high and D(j) as high as the band allows); the upper end the latest at pair
 *     min(first certain b, last possible j) (both as low as the band allows). With no certain
 *     b, the crossing may come after the last point or not at all: the upper end is Infinity;
 *  4. with no possible j, no D(t) inside the band crosses that way: both ends are NaN.
 * A band of zero width gives the point estimate's crossing as both ends. Non-finite points are
 * skipped, as crossingTime does.
 */
export function bandCrossingInterval(
  times: ArrayLike<number>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  level: number,
  direction: 'up' | 'down',
  lastingPoints: number,
): { low: number; high: number } {
  // Mirror 'down' onto 'up': −D rises through −level, inside the band [−high, −low].
  const sign = direction === 'up' ? 1 : -1;
  const t: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const a = sign === 1 ? low[i] : -high[i];
    const b = sign === 1 ? high[i] : -low[i];
    if (Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(times[i])) {
      t.push(times[i]);
      lo.push(a);
      hi.push(b);
    }
  }
  const L = sign * level;
  const n = t.length;
  // Window [j, end) of the lasting rule, or null when it runs past the last point.
  const windowEnd = (j: number): number | null => (lastingPoints === Infinity ? n : j + lastingPoints <= n ? j + lastingPoints : null);
  const all = (from: number, to: number, ok: (i: number) => boolean): boolean => {
    for (let i = from; i < to; i++) if (!ok(i)) return false;
    return true;
  };
  // Crossing time between points j−1 and j for D(j−1) = x < L ≤ y = D(j); it falls as x or y grows.
  const at = (j: number, x: number, y: number): number => (x >= L ? t[j - 1] : t[j - 1] + ((L - x) / (y - x)) * (t[j] - t[j - 1]));
  let firstPossible = -1;
  let lastPossible = -1;
  for (let j = 1; j < n; j++) {
    const end = windowEnd(j);
    if (end !== null && lo[j - 1] < L && all(j, end, (i) => hi[i] >= L)) {
      if (firstPossible < 0) firstPossible = j;
      lastPossible = j;
    }
  }
  if (firstPossible < 0) return { low: NaN, high: NaN };
  let certain = -1;
  let belowSeen = false;
  for (let b = 0; b < n && certain < 0; b++) {
    const end = windowEnd(b);
    if (belowSeen && end !== null && all(b, end, (i) => lo[i] >= L)) certain = b;
    if (hi[b] < L) belowSeen = true;
  }
  const j = firstPossible;
  const earliest = at(j, Math.min(hi[j - 1], L), hi[j]);
  if (certain < 0) return { low: earliest, high: Infinity };
  const k = Math.min(certain, lastPossible);
  return { low: earliest, high: at(k, lo[k - 1], Math.max(lo[k], L)) };
}
