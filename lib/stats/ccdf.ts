import { positiveSample } from './input';
import { InvalidOptionError } from '../util/errors';

/**
 * Empirical complementary CDF for log–log plots: at each distinct value x (ascending),
 * p = fraction of observations ≥ x (so p starts at 1). Values must be finite and > 0.
 */
export function ccdf(values: ArrayLike<number>): { x: Float64Array; p: Float64Array } {
  const sorted = positiveSample('values', values).sort();
  const n = sorted.length;
  const xs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    xs.push(sorted[i]);
    ps.push((n - i) / n);
  }
  return { x: Float64Array.from(xs), p: Float64Array.from(ps) };
}

/**
 * Edges of logarithmic bins covering [lo, hi]: lo·10^(k/binsPerDecade) for k = 0, 1, … until
 * an edge exceeds hi. With `discrete`, edges are rounded up to integers and bins that would hold
 * no integer are merged into the next, so every bin [e_k, e_{k+1}) holds e_{k+1} − e_k integers.
 */
export function logBinEdges(lo: number, hi: number, binsPerDecade: number, discrete: boolean): number[] {
  if (!(lo > 0) || !Number.isFinite(lo)) throw new InvalidOptionError('lo', `must be a finite number > 0, got ${lo}`);
  if (!(hi >= lo) || !Number.isFinite(hi)) throw new InvalidOptionError('hi', `must be finite and ≥ lo = ${lo}, got ${hi}`);
  if (!(binsPerDecade > 0) || !Number.isFinite(binsPerDecade))
    throw new InvalidOptionError('binsPerDecade', `must be a finite number > 0, got ${binsPerDecade}`);
  const ratio = Math.pow(10, 1 / binsPerDecade);
  const edges: number[] = [lo];
  for (let k = 1; ; k++) {
    let e = lo * Math.pow(ratio, k);
    if (discrete) e = Math.ceil(e);
    if (e <= edges[edges.length - 1]) continue; // merge bins holding no integer
    edges.push(e);
    if (e > hi) break;
  }
  return edges;
}

/**
 * The point that represents bin [lo, hi) on a log axis: the geometric centre sqrt(lo·hi), or for
 * integer data (the bin holds lo … hi − 1) sqrt(lo·(hi − 1)).
 */
export function logBinCentre(lo: number, hi: number, discrete: boolean): number {
  return discrete ? Math.sqrt(lo * (hi - 1)) : Math.sqrt(lo * hi);
}

/** Result of {@link logBinnedDensity}. */
export interface LogBinnedDensity {
  /** Bin edges [lo, hi) (length bins + 1); for discrete data, integer edges. */
  edges: Float64Array;
  /** Geometric bin centres: sqrt(lo·hi) (continuous) or sqrt(lo·(hi − 1)) (discrete). */
  centers: Float64Array;
  /** Probability density (continuous) or mass per integer (discrete): count/(n·width). */
  density: Float64Array;
  /** Poisson error of the density: sqrt(count)/(n·width). */
  errors: Float64Array;
  counts: Float64Array;
  /** Width: hi − lo (continuous) or the number of integers in the bin (discrete). */
  widths: Float64Array;
}

/**
 * Log-binned density: bins with `binsPerDecade` [10] equal logarithmic widths starting
 * at the smallest value, density = count/(n·width). With `discrete: true` the edges are rounded
 * up to integers (bins that would hold no integer are merged into the next), the width is the
 * number of integers covered and the density is therefore a probability mass per integer,
 * directly comparable with P(s). Empty bins are dropped unless `keepEmpty`.
 */
export function logBinnedDensity(
  values: ArrayLike<number>,
  options: { binsPerDecade?: number; discrete?: boolean; keepEmpty?: boolean } = {},
): LogBinnedDensity {
  const binsPerDecade = options.binsPerDecade ?? 10;
  if (!(binsPerDecade > 0) || !Number.isFinite(binsPerDecade))
    throw new InvalidOptionError('binsPerDecade', `must be a finite number > 0, got ${binsPerDecade}`);
  const discrete = options.discrete ?? false;
  const sorted = positiveSample('values', values, discrete).sort();
  const n = sorted.length;
  const edgeList = logBinEdges(sorted[0], sorted[n - 1], binsPerDecade, discrete);
  const bins = edgeList.length - 1;
  const counts = new Float64Array(bins);
  let b = 0;
  for (let i = 0; i < n; i++) {
    while (sorted[i] >= edgeList[b + 1]) b++;
    counts[b]++;
  }
  const keep: number[] = [];
  for (let k = 0; k < bins; k++) if (counts[k] > 0 || options.keepEmpty) keep.push(k);
  const out: LogBinnedDensity = {
    edges: Float64Array.from(edgeList),
    centers: new Float64Array(keep.length),
    density: new Float64Array(keep.length),
    errors: new Float64Array(keep.length),
    counts: new Float64Array(keep.length),
    widths: new Float64Array(keep.length),
  };
  keep.forEach((k, i) => {
    const a = edgeList[k];
    const z = edgeList[k + 1];
    const width = z - a;
    out.centers[i] = logBinCentre(a, z, discrete);
    out.widths[i] = width;
    out.counts[i] = counts[k];
    out.density[i] = counts[k] / (n * width);
    out.errors[i] = Math.sqrt(counts[k]) / (n * width);
  });
  return out;
}
