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
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new InvalidOptionError('quantile.values', 'needs at least one value');
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new InvalidOptionError('quantile.q', `must be a number in [0, 1], got ${String(q)}`);
  const h = (n - 1) * q;
  let lower = Math.floor(h);
  if (lower > n - 1) lower = n - 1;
  const upper = lower + 1 > n - 1 ? n - 1 : lower + 1;
  const t = h - lower;
  const a = sorted[lower];
  const b = sorted[upper];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The q-quantile (numpy 'linear') of unsorted values; sorts a copy. */
export function quantileLinear(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values);
  sorted.sort();
  return quantileSorted(sorted, q);
}
