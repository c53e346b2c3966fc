import { InvalidOptionError } from '../util/errors';

/**
 * The q-quantile of an ascending-sorted array with linear interpolation between order
 * statistics, computed exactly as numpy's default (`np.quantile(x, q)`, method 'linear'):
 * virtual index h = (n − 1)·q, lower index ⌊h⌋, weight t = h − ⌊h⌋, and the interpolation
 * a + (b − a)·t for t < 0.5 but b − (b − a)·(1 − t) for t ≥ 0.5 (numpy's `_lerp`), so results
 * agree with numpy to the last bit.
 * @param sorted ascending values (not checked), length ≥ 1
 * @param q quantile in [0, 1]
 */
export function quantileLinearSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new InvalidOptionError('quantile.values', 'needs at least one value');
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new InvalidOptionError('quantile.q', `must be a number in [0, 1], got ${String(q)}`);
  const { lower, upper, t } = quantilePosition(n, q);
  return numpyLerp(sorted[lower], sorted[upper], t);
}

/**
 * numpy 'linear' position of the q-quantile among n sorted values: the lower and upper
 * order-statistic indices and the interpolation weight t in [0, 1).
 */
export function quantilePosition(n: number, q: number): { lower: number; upper: number; t: number } {
  const h = (n - 1) * q;
  let lower = Math.floor(h);
  if (lower > n - 1) lower = n - 1;
  const upper = lower + 1 > n - 1 ? n - 1 : lower + 1;
  return { lower, upper, t: h - lower };
}

/** numpy's `_lerp`: a + (b − a)·t, computed from the nearer end for t ≥ 0.5. */
export function numpyLerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The q-quantile (numpy 'linear') of unsorted values; sorts a copy. */
export function quantileLinear(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values);
  sorted.sort();
  return quantileLinearSorted(sorted, q);
}
