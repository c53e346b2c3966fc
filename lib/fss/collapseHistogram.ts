import { logBinCentre, logBinEdges } from '../stats/ccdf';
import { positiveSample } from '../stats/input';
import { InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';

/**
 * Avalanche sizes of every scale counted on one shared set of logarithmic bins. Shared, fixed
 * edges make the bins of all scales sit at the same sizes s, and let a bootstrap resample
 * recount the same bins (resampling avalanches = resampling the counts, see
 * {@link resampleCounts}).
 */
export interface CollapseHistogram {
  /** Scales N, ascending. */
  scales: Float64Array;
  /** Integer sizes: a bin's density is the mass per integer it holds. */
  discrete: boolean;
  /** Bin edges [e_k, e_{k+1}), shared by every scale (length bins + 1). */
  edges: Float64Array;
  /** Geometric bin centres (logBinCentre). */
  centres: Float64Array;
  /** Width of each bin: e_{k+1} − e_k (for integer sizes: the number of integers in it). */
  widths: Float64Array;
  /** Avalanches per bin, one array per scale (same order as `scales`). */
  counts: Float64Array[];
  /** Avalanches per scale. */
  totals: Float64Array;
}

/**
 * Counts the sizes of each scale on shared logarithmic bins:
 * 1. checks every scale (N finite, > 0 and distinct; sizes non-empty, finite, > 0, integers when
 *    `discrete`) and that there are at least `minScales` scales;
 * 2. edges from the smallest to the largest size of all scales, `binsPerDecade` per decade
 *    (logBinEdges; integer edges for integer sizes);
 * 3. counts per scale and bin. Scales are sorted by N.
 * @param options.binsPerDecade bins per decade of s, > 0 [10]
 * @param options.discrete integer sizes [detected: true when every size is an integer]
 * @param options.minScales fewest scales accepted [3]
 * @throws InvalidOptionError naming `curves[i].scaleN` or `curves[i].sizes` and the bad entry
 */
export function collapseHistogram(
  curves: ReadonlyArray<{ scaleN: number; sizes: ArrayLike<number> }>,
  options: { binsPerDecade?: number; discrete?: boolean; minScales?: number } = {},
): CollapseHistogram {
  const minScales = options.minScales ?? 3;
  if (!Array.isArray(curves)) throw new InvalidOptionError('curves', `must be an array of { scaleN, sizes }, got ${typeof curves}`);
  if (curves.length < minScales) throw new InvalidOptionError('curves', `need at least ${minScales} scales for a collapse, got ${curves.length}`);
  const seen = new Set<number>();
  curves.forEach((c, i) => {
    if (c == null || typeof c !== 'object') throw new InvalidOptionError(`curves[${i}]`, 'must be { scaleN, sizes }');
    if (typeof c.scaleN !== 'number' || !Number.isFinite(c.scaleN) || c.scaleN <= 0)
      throw new InvalidOptionError(`curves[${i}].scaleN`, `must be a finite number > 0, got ${String(c.scaleN)}`);
    if (seen.has(c.scaleN)) throw new InvalidOptionError(`curves[${i}].scaleN`, `scale ${c.scaleN} appears twice; pool its sizes into one entry`);
    seen.add(c.scaleN);
  });
  let discrete = options.discrete;
  const samples = curves.map((c, i) => positiveSample(`curves[${i}].sizes`, c.sizes, discrete === true));
  if (discrete === undefined) discrete = samples.every((x) => x.every((v) => Number.isInteger(v)));
  const order = samples.map((_, i) => i).sort((a, b) => curves[a].scaleN - curves[b].scaleN);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of samples) {
    for (let k = 0; k < x.length; k++) {
      if (x[k] < lo) lo = x[k];
      if (x[k] > hi) hi = x[k];
    }
  }
  const edges = Float64Array.from(logBinEdges(lo, hi, options.binsPerDecade ?? 10, discrete));
  const bins = edges.length - 1;
  const centres = new Float64Array(bins);
  const widths = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    centres[k] = logBinCentre(edges[k], edges[k + 1], discrete);
    widths[k] = edges[k + 1] - edges[k];
  }
  const counts = order.map((i) => {
    const sorted = samples[i].sort();
    const c = new Float64Array(bins);
    let b = 0;
    for (let m = 0; m < sorted.length; m++) {
      while (sorted[m] >= edges[b + 1]) b++;
      c[b]++;
    }
    return c;
  });
  return {
    scales: Float64Array.from(order, (i) => curves[i].scaleN),
    discrete,
    edges,
    centres,
    widths,
    counts,
    totals: Float64Array.from(order, (i) => samples[i].length),
  };
}

/**
 * Bin counts of one bootstrap resample of every scale: each scale's avalanches drawn with
 * replacement (as many as it has), then counted on the same bins. Drawing avalanche indices
 * and mapping them to bins through the cumulative counts is exactly a resample of the
 * avalanches, without storing them. Deterministic given `rng`; writes into `out` when given.
 */
export function resampleCounts(h: CollapseHistogram, rng: Random, out?: Float64Array[]): Float64Array[] {
  const bins = h.centres.length;
  const result = out ?? h.counts.map(() => new Float64Array(bins));
  const cumulative = new Float64Array(bins);
  h.counts.forEach((counts, i) => {
    let running = 0;
    for (let k = 0; k < bins; k++) cumulative[k] = running += counts[k];
    const target = result[i];
    target.fill(0);
    const n = h.totals[i];
    for (let m = 0; m < n; m++) {
      const u = rng.integer(n);
      // Smallest bin k with cumulative[k] > u.
      let lo = 0;
      let hi = bins - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      target[lo]++;
    }
  });
  return result;
}

/** A binned curve P_N(s) ± dP at the bin centres s (ascending), with the counts behind it. */
export interface WindowCurve {
  scaleN: number;
  s: Float64Array;
  p: Float64Array;
  dp: Float64Array;
  /** Avalanches in each bin. */
  count: Float64Array;
}

/**
 * The curves inside the size window [sMin, sMax]: bins wholly inside it (e_k ≥ sMin and the
 * largest size of the bin ≤ sMax) holding at least `minCount` avalanches, density
 * p = count/(n·width) with n all avalanches of the scale (the normalisation does not change
 * with the window), Poisson error sqrt(count)/(n·width). Scales left with fewer than
 * `minPoints` bins are dropped. `counts` defaults to the histogram's own (pass a resample's).
 */
export function windowCurves(
  h: CollapseHistogram,
  window: { sMin: number; sMax: number; minCount: number; minPoints: number },
  counts: Float64Array[] = h.counts,
): WindowCurve[] {
  const out: WindowCurve[] = [];
  const bins = h.centres.length;
  h.scales.forEach((N, i) => {
    const keep: number[] = [];
    for (let k = 0; k < bins; k++) {
      const largest = h.discrete ? h.edges[k + 1] - 1 : h.edges[k + 1];
      if (h.edges[k] >= window.sMin && largest <= window.sMax && counts[i][k] >= window.minCount) keep.push(k);
    }
    if (keep.length < window.minPoints) return;
    const n = h.totals[i];
    out.push({
      scaleN: N,
      s: Float64Array.from(keep, (k) => h.centres[k]),
      p: Float64Array.from(keep, (k) => counts[i][k] / (n * h.widths[k])),
      dp: Float64Array.from(keep, (k) => Math.sqrt(counts[i][k]) / (n * h.widths[k])),
      count: Float64Array.from(keep, (k) => counts[i][k]),
    });
  });
  return out;
}
