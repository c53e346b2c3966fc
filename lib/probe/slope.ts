import { InvalidOptionError } from '../util/errors';

/**
 * Quick finite-size slope D: groups `values` by `scales`, takes the mean of log(value) within
 * each scale, and returns the ordinary least-squares slope of that mean against log(scale)
 * (with the intercept and the per-scale means). A sanity check of S ∝ N^D, not the full
 * finite-size-scaling analysis (that lives in the fss stage). Values must be > 0.
 */
export function meanLogSlope(scales: ArrayLike<number>, values: ArrayLike<number>): { slope: number; intercept: number; scales: number[]; meanLog: number[] } {
  if (scales.length !== values.length) throw new InvalidOptionError('slope.values', `length ${values.length} differs from scales length ${scales.length}`);
  const groups = new Map<number, { sum: number; count: number }>();
  for (let i = 0; i < scales.length; i++) {
    const v = values[i];
    if (!(v > 0) || !Number.isFinite(v)) throw new InvalidOptionError('slope.values', `entry ${i} is ${v}; values must be finite and > 0`);
    const g = groups.get(scales[i]) ?? { sum: 0, count: 0 };
    g.sum += Math.log(v);
    g.count++;
    groups.set(scales[i], g);
  }
  const keys = Array.from(groups.keys()).sort((a, b) => a - b);
  if (keys.length < 2) throw new InvalidOptionError('slope.scales', 'needs at least two distinct scales');
  const xs = keys.map((k) => Math.log(k));
  const ys = keys.map((k) => groups.get(k)!.sum / groups.get(k)!.count);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, scales: keys, meanLog: ys };
}
