import { percentileInterval, standardDeviation } from '../stats/bootstrap';
import { normalQuantile } from '../stats/normal';
import { Random } from '../util/random';
import { AutoscaleResult } from './collapse';
import { CollapseAmplitude, CollapseCurvesFit, fitCollapseCurves, RangeEdge } from './collapseFit';
import { collapseHistogram, CollapseHistogram, resampleCounts, WindowCurve, windowCurves } from './collapseHistogram';
import { DataCollapseOptions, resolveCollapseOptions, ResolvedDataCollapseOptions } from './collapseOptions';
import { collapseAmplitude, CollapseQualityKernel } from './collapseQuality';

/** The fit at one candidate lower cutoff s_min (on the original data). */
export interface CollapseCandidate {
  sMin: number;
  tau: number;
  D: number;
  beta: number;
  S: number;
  terms: number;
  /** Scales and bins inside this window. */
  scales: number;
  points: number;
  /** Bootstrap standard deviations of τ and D at this s_min (NaN without bootstrap). */
  tauBootstrapError: number;
  DBootstrapError: number;
  /** Whether this candidate's estimates agree with those of every larger candidate (plateau rule). */
  agrees: boolean;
  chosen: boolean;
}

/**
 * Result of {@link dataCollapse}. The fields of AutoscaleResult keep their meaning (τ, D at the
 * optimum, Houdayer–Hartmann S + 1 curvature errors, S, terms, converged, evaluations), so code
 * written for autoscaleCollapse reads this too.
 */
export interface DataCollapseResult extends AutoscaleResult {
  /** Normalisation amplitude parameter β (see CollapseQualityKernel); 0 with amplitude 'none'. */
  beta: number;
  amplitude: CollapseAmplitude;
  /** The lower size cutoff used, and how it was set. */
  sMin: number;
  sMinRule: 'plateau' | 'fixed';
  /** The upper size cutoff asked for (Infinity: only `minCount` ends the window) and the largest size in a used bin. */
  sMax: number;
  sMaxUsed: number;
  /** Whether τ or D sits within 0.2 % of the range width of an edge of its allowed range. */
  tauEdge: RangeEdge;
  DEdge: RangeEdge;
  onBoundary: boolean;
  tauRange: [number, number];
  DRange: [number, number];
  /**
   * Interval at `confidence`: estimate ± z·(bootstrap SD), z the normal quantile (1.96 at 95 %),
   * the SD taken over resamples of the whole procedure, s_min choice included; NaN without
   * bootstrap. Coverage measured on synthetic data: see dataCollapse.
   */
  tauLow: number;
  tauHigh: number;
  DLow: number;
  DHigh: number;
  tauBootstrapError: number;
  DBootstrapError: number;
  confidence: number;
  bootstrap: {
    /** Resamples asked for, and those whose refit failed (left out of the intervals). */
    replicates: number;
    failed: number;
    /** Per resample: τ, D and s_min of the whole procedure (NaN where it failed). */
    tau: Float64Array;
    D: Float64Array;
    sMin: Float64Array;
    /** Percentile intervals of the resampled τ and D at `confidence` (for comparison; see tauLow). */
    tauPercentile: [number, number];
    DPercentile: [number, number];
    /** Fraction of resamples whose optimum sits on an edge of the allowed range. */
    onBoundaryFraction: number;
  };
  /** The s_min candidates with their fits (one entry when s_min was given). */
  candidates: CollapseCandidate[];
  /** The curves inside the chosen window (what S was computed on). */
  curves: WindowCurve[];
  /** Amplitude A_N of each of `curves` at the optimum (collapseAmplitude; all 1 with amplitude 'none'). */
  amplitudes: number[];
  /** `curves` collapsed at the optimum: x = s / N^D, y = A_N s^τ P_N(s) ± A_N s^τ dP (what figures draw). */
  collapsed: CollapsedCurve[];
  /** All avalanches, binned (for figures that show the window). */
  histogram: CollapseHistogram;
  /** S of the curves in the window as measured (τ = 0, D = 0, β = 0). */
  uncollapsedS: number;
  /** The verdict: an optimum inside the allowed range, on a plateau of s_min, with S ≤ maxQuality. */
  holds: boolean;
  notes: string[];
  note: string;
  options: ResolvedDataCollapseOptions;
}

/** One curve of a collapse in collapsed coordinates (see DataCollapseResult.collapsed). */
export interface CollapsedCurve {
  scaleN: number;
  x: Float64Array;
  y: Float64Array;
  dy: Float64Array;
}

/** τ and D with their intervals: the part of a collapse that tables and coverage studies compare. */
export interface CollapseEstimate {
  tau: number;
  tauLow: number;
  tauHigh: number;
  D: number;
  DLow: number;
  DHigh: number;
}

/** The estimate and intervals of a collapse result. */
export function collapseEstimate(result: DataCollapseResult): CollapseEstimate {
  return { tau: result.tau, tauLow: result.tauLow, tauHigh: result.tauHigh, D: result.D, DLow: result.DLow, DHigh: result.DHigh };
}

/** Candidate s_min: bin lower edges from the smallest size, thinned to `perDecade` per decade, within `decades`. */
function sMinCandidates(h: CollapseHistogram, o: ResolvedDataCollapseOptions): number[] {
  if (o.sMin !== 'auto') return [o.sMin];
  const ratio = Math.pow(10, 1 / o.sMinCandidatesPerDecade);
  const limit = h.edges[0] * Math.pow(10, o.sMinSearchDecades);
  const out: number[] = [];
  for (let k = 0; k < h.edges.length - 1 && h.edges[k] <= limit; k++) {
    if (out.length && h.edges[k] < out[out.length - 1] * ratio) continue;
    if (windowCurves(h, { ...o, sMin: h.edges[k] }).length < o.minScales) break;
    out.push(h.edges[k]);
  }
  return out;
}

function fitWindow(
  h: CollapseHistogram,
  o: ResolvedDataCollapseOptions,
  sMin: number,
  counts: Float64Array[],
): { fit: CollapseCurvesFit; curves: WindowCurve[]; kernel: CollapseQualityKernel } | null {
  const curves = windowCurves(h, { sMin, sMax: o.sMax, minCount: o.minCount, minPoints: o.minPoints }, counts);
  if (curves.length < o.minScales) return null;
  const kernel = new CollapseQualityKernel(curves);
  const fit = fitCollapseCurves(kernel, o);
  return Number.isFinite(fit.tau) ? { fit, curves, kernel } : null;
}

/**
 * The plateau rule: the smallest candidate k whose (τ_k, D_k) agrees with those of the next
 * `span` valid larger candidates j, |θ_j − θ_k| ≤ z·sd_jk for θ = τ and θ = D, where sd_jk is
 * the bootstrap standard deviation of the paired difference θ_j − θ_k (windows are nested, so
 * differences are much better determined than either estimate). Comparisons whose sd is not
 * finite are skipped. Returns −1 when no candidate is valid.
 */
function plateauIndex(tau: ArrayLike<number>, D: ArrayLike<number>, sdTau: number[][], sdD: number[][], z: number, span: number): number {
  const K = tau.length;
  for (let k = 0; k < K; k++) {
    if (!Number.isFinite(tau[k])) continue;
    let agrees = true;
    for (let j = k + 1, compared = 0; j < K && agrees && compared < span; j++) {
      if (!Number.isFinite(tau[j])) continue;
      compared++;
      if (Number.isFinite(sdTau[j][k]) && Math.abs(tau[j] - tau[k]) > z * sdTau[j][k]) agrees = false;
      if (Number.isFinite(sdD[j][k]) && Math.abs(D[j] - D[k]) > z * sdD[j][k]) agrees = false;
    }
    if (agrees) return k;
  }
  return -1;
}

/** Bootstrap SD of θ_j − θ_k over the resamples where both are finite, for every pair j > k. */
function pairedSpread(values: Float64Array[], K: number): number[][] {
  const out = Array.from({ length: K }, () => new Array<number>(K).fill(NaN));
  const diff = new Float64Array(values.length);
  for (let j = 0; j < K; j++) {
    for (let k = 0; k < j; k++) {
      for (let b = 0; b < values.length; b++) diff[b] = values[b][j] - values[b][k];
      out[j][k] = standardDeviation(diff);
    }
  }
  return out;
}

/**
 * Data collapse of avalanche sizes measured at several scales N, s^τ P_N(s) = A_N G(s/N^D), with
 * the size window chosen from the data and a bootstrap over avalanches:
 * 1. Binning: all sizes on shared logarithmic bins (`binsPerDecade`; integer edges for integer
 *    sizes); P_N(s) = count/(n_N·width) ± sqrt(count)/(n_N·width) (collapseHistogram).
 * 2. Window: bins from s_min up (whole bins), with at least `minCount` avalanches and no size
 *    above `sMax`; curves keeping fewer than `minPoints` bins drop out.
 * 3. Fit in a window: τ, D (and β) minimising the Houdayer–Hartmann quality S over the whole
 *    allowed range (fitCollapseCurves: global grid, then Nelder–Mead; no search radius). With
 *    amplitude 'normalization' each curve may carry the factor A_N = 1 − β (N/N₁)^(−D(τ−1)) that
 *    the normalisation Σ_s P_N(s) = 1 implies (without it τ is biased by up to 0.13 on exact
 *    data with τ = 1.2, D = 0.8: the normalisation's N-dependence decays only as N^(−D(τ−1)));
 *    D is fitted first with β = 0, then τ and β at that D.
 * 4. s_min: with a number, that window. With 'auto', candidates are the bin edges from the
 *    smallest size up (`sMinCandidatesPerDecade`, within `sMinSearchDecades` decades, while ≥
 *    `minScales` scales remain); each is fitted, and s_min is the smallest candidate whose τ and
 *    D agree with those of the next `plateauSpan` larger candidates within `plateauZ` bootstrap
 *    SDs of the paired difference (the plateau: below it the non-scaling small sizes pull the
 *    estimates, above it they only get noisier). Comparing with a few neighbours rather than all
 *    larger candidates keeps chance disagreements with the noisiest windows from driving s_min up.
 * 5. Bootstrap (`bootstrap` resamples, seeded): each scale's avalanches are resampled with
 *    replacement and the whole procedure is redone — every candidate refitted with the same
 *    global search as the original (no warm start: a warm start shrank the bootstrap SD of D by
 *    a fifth where S is flat), s_min re-chosen by the same rule (with the spreads of step 4) —
 *    giving SDs of τ and D that include the uncertainty of the s_min choice, and intervals
 *    estimate ± z·SD at `confidence`.
 * 6. Verdict: the collapse holds when the optimum is inside the allowed range (not within 0.2 %
 *    of its width from an edge), s_min is on a plateau (not the largest candidate), S ≤
 *    `maxQuality`, and the exponents are determined (with a bootstrap: both intervals inside
 *    the allowed range and at most 5 % of the resampled optima on its edges — where the data
 *    hold too little of the cutoff region, S is flat in D and this is what fails). `notes`
 *    say which condition failed.
 *
 * Measured coverage of the 95 % intervals (collapseCoverage in bench/collapse.bench.ts: 40
 * synthetic data sets per case at the eight paper scales, c = 1, 100 resamples each, default
 * options; k/40 contain the truth, ± binomial SE; "non-scaling" = 20 % of avalanches geometric
 * with mean 2 at every N):
 *   τ 1.5, D 1.0, 20 000 per scale              τ 40/40, D 39/40 (0.975 ± 0.025); |error| ≤ 0.1 in 39/40
 *   τ 1.2, D 0.8, 20 000                         τ 40/40, D 40/40; ≤ 0.1 in 40/40
 *   τ 1.5, D 1.0, 20 000, non-scaling            τ 38/40 (0.95 ± 0.03), D 40/40; ≤ 0.1 in 39/40 (s_min 7)
 *   τ 1.3, D 1.4, 50 000, non-scaling            τ 34/40 (0.85 ± 0.06), D 37/40 (0.93 ± 0.04); ≤ 0.1 in 37/40
 *   τ 1.8, D 0.8, 20 000                         τ 40/40, D 40/40, ≤ 0.1 in 38/40, but D's interval is
 *                                                ~4 wide (little of the cutoff is sampled): holds in 1/40
 *   τ 1.2, D 0.8, 2 000, non-scaling             τ 29/40 (0.73 ± 0.07), D 38/40; ≤ 0.1 in only 6/40 —
 *                                                and the verdict holds in only 1/40
 * With 2 000 avalanches per scale and a non-scaling region the exponents are not recovered, and
 * the verdict says so; at τ 1.8, D 1.6 with 20 000 the cutoff (N^1.6) is not sampled at all and
 * D ends on an edge (holds: false). The bootstrap cannot see the ripples of S (the bins are the
 * same in every resample), which is one reason the intervals are below nominal with a
 * non-scaling region and larger s_min.
 *
 * Deterministic: same sizes, options and seed → identical result.
 * @param curves one entry per scale: N and its avalanche sizes (finite, > 0; at least 3 scales)
 * @throws InvalidOptionError for bad input (naming `curves[i].sizes`, `curves[i].scaleN` or the option)
 */
export function dataCollapse(curves: ReadonlyArray<{ scaleN: number; sizes: ArrayLike<number> }>, options: DataCollapseOptions = {}): DataCollapseResult {
  const o = resolveCollapseOptions(options);
  const h = collapseHistogram(curves, { binsPerDecade: o.binsPerDecade, discrete: o.discrete, minScales: o.minScales });
  const candidateSizes = sMinCandidates(h, o);
  const K = candidateSizes.length;
  let evaluations = 0;
  const original = candidateSizes.map((sMin) => {
    const r = fitWindow(h, o, sMin, h.counts);
    evaluations += r?.fit.evaluations ?? 0;
    return r;
  });
  // Bootstrap: the whole procedure on resamples of the avalanches.
  const B = o.bootstrap;
  const rng = new Random(o.seed);
  const bootTau = Array.from({ length: B }, () => new Float64Array(K).fill(NaN));
  const bootD = Array.from({ length: B }, () => new Float64Array(K).fill(NaN));
  const bootEdge = Array.from({ length: B }, () => new Uint8Array(K));
  let counts: Float64Array[] | undefined;
  for (let b = 0; b < B; b++) {
    counts = resampleCounts(h, rng, counts);
    for (let k = 0; k < K; k++) {
      if (!original[k]) continue;
      const r = fitWindow(h, o, candidateSizes[k], counts);
      if (!r) continue;
      evaluations += r.fit.evaluations;
      bootTau[b][k] = r.fit.tau;
      bootD[b][k] = r.fit.D;
      bootEdge[b][k] = r.fit.tauEdge || r.fit.DEdge ? 1 : 0;
    }
  }
  const sdTau = pairedSpread(bootTau, K);
  const sdD = pairedSpread(bootD, K);
  const tauOf = Float64Array.from(original, (r) => r?.fit.tau ?? NaN);
  const DOf = Float64Array.from(original, (r) => r?.fit.D ?? NaN);
  const chosen = o.sMin === 'auto' ? plateauIndex(tauOf, DOf, sdTau, sdD, o.plateauZ, o.plateauSpan) : original[0] ? 0 : -1;
  const candidates: CollapseCandidate[] = candidateSizes.map((sMin, k) => {
    const r = original[k];
    const column = (values: Float64Array[]) => standardDeviation(Float64Array.from(values, (v) => v[k]));
    return {
      sMin,
      tau: tauOf[k],
      D: DOf[k],
      beta: r?.fit.beta ?? NaN,
      S: r?.fit.S ?? NaN,
      terms: r?.fit.terms ?? 0,
      scales: r?.curves.length ?? 0,
      points: r?.kernel.points ?? 0,
      tauBootstrapError: B > 1 ? column(bootTau) : NaN,
      DBootstrapError: B > 1 ? column(bootD) : NaN,
      agrees: r
        ? plateauIndex(
            tauOf.slice(k),
            DOf.slice(k),
            sdTau.slice(k).map((row) => row.slice(k)),
            sdD.slice(k).map((row) => row.slice(k)),
            o.plateauZ,
            o.plateauSpan,
          ) === 0
        : false,
      chosen: k === chosen,
    };
  });
  // Each resample chooses its own s_min by the same rule.
  const repTau = new Float64Array(B).fill(NaN);
  const repD = new Float64Array(B).fill(NaN);
  const repSMin = new Float64Array(B).fill(NaN);
  let repEdges = 0;
  for (let b = 0; b < B; b++) {
    const k = o.sMin === 'auto' ? plateauIndex(bootTau[b], bootD[b], sdTau, sdD, o.plateauZ, o.plateauSpan) : 0;
    if (k < 0 || !Number.isFinite(bootTau[b][k])) continue;
    repTau[b] = bootTau[b][k];
    repD[b] = bootD[b][k];
    repSMin[b] = candidateSizes[k];
    repEdges += bootEdge[b][k];
  }
  // Intervals: estimate ± z·SD of the resampled whole procedure. The s_min choice makes the
  // resampled estimates skewed relative to the estimate (resamples choose larger s_min more
  // often), so percentile intervals often exclude the estimate's side; the SD interval covered
  // the truth better in the coverage study (percentiles are kept in `bootstrap`).
  const tauCI = percentileInterval(repTau, o.confidence);
  const DCI = percentileInterval(repD, o.confidence);

  const notes: string[] = [];
  const pick = chosen >= 0 ? original[chosen] : null;
  const zInterval = normalQuantile((1 + o.confidence) / 2);
  const tauSD = B > 1 ? standardDeviation(repTau) : NaN;
  const DSD = B > 1 ? standardDeviation(repD) : NaN;
  const tauLow = (pick?.fit.tau ?? NaN) - zInterval * tauSD;
  const tauHigh = (pick?.fit.tau ?? NaN) + zInterval * tauSD;
  const DLow = (pick?.fit.D ?? NaN) - zInterval * DSD;
  const DHigh = (pick?.fit.D ?? NaN) + zInterval * DSD;
  if (!pick) {
    notes.push(
      K === 0
        ? `no window keeps ${o.minScales} scales with ≥ ${o.minPoints} bins of ≥ ${o.minCount} avalanches`
        : 'no (τ, D) in the allowed range leaves enough overlapping points',
    );
  }
  const fit = pick?.fit;
  const tauEdge = fit?.tauEdge ?? null;
  const DEdge = fit?.DEdge ?? null;
  if (tauEdge) notes.push(`τ at the ${tauEdge} edge of its allowed range [${o.tauRange.join(', ')}]: the optimum may lie outside`);
  if (DEdge)
    notes.push(
      `D at the ${DEdge} edge of its allowed range [${o.DRange.join(', ')}]${DEdge === 'lower' && o.DRange[0] <= 0 ? ': the sizes do not grow with N' : ': the optimum may lie outside'}`,
    );
  const plateauFound = o.sMin !== 'auto' || chosen < K - 1 || K === 1;
  if (pick && !plateauFound) notes.push('s_min is the largest candidate: the estimates never stopped moving as small sizes were dropped');
  if (fit && fit.S > o.maxQuality) notes.push(`S = ${fit.S.toFixed(2)} > ${o.maxQuality}: the curves do not agree within their errors`);
  if (B > 0 && repEdges > 0.05 * (B - tauCI.dropped))
    notes.push(`${Math.round((100 * repEdges) / Math.max(1, B - tauCI.dropped))} % of the bootstrap optima sit on an edge of the allowed range`);
  const inside = (low: number, high: number, range: [number, number]) => !(low < range[0]) && !(high > range[1]);
  const determined = B === 0 || (inside(tauLow, tauHigh, o.tauRange) && inside(DLow, DHigh, o.DRange) && repEdges <= 0.05 * (B - tauCI.dropped));
  if (fit && !determined) notes.push('the exponents are not determined: their intervals reach past the allowed range or the bootstrap optima sit on its edges');
  const holds = !!fit && !tauEdge && !DEdge && plateauFound && fit.S <= o.maxQuality && determined;
  const uncollapsed = pick ? pick.kernel.quality(0, 0, 0) : NaN;
  const sMaxUsed = pick ? Math.max(...pick.curves.map((c) => c.s[c.s.length - 1])) : NaN;
  const smallestN = pick ? Math.min(...pick.curves.map((c) => c.scaleN)) : NaN;
  const amplitudes = pick && fit ? pick.curves.map((c) => collapseAmplitude(c.scaleN, smallestN, fit.tau, fit.D, fit.beta)) : [];
  const collapsed = fit
    ? pick!.curves.map((c, i) => {
        const factor = Float64Array.from(c.s, (s) => amplitudes[i] * Math.pow(s, fit.tau));
        return {
          scaleN: c.scaleN,
          x: Float64Array.from(c.s, (s) => s / Math.pow(c.scaleN, fit.D)),
          y: Float64Array.from(c.p, (p, k) => factor[k] * p),
          dy: Float64Array.from(c.dp, (d, k) => factor[k] * d),
        };
      })
    : [];
  return {
    tau: fit?.tau ?? NaN,
    D: fit?.D ?? NaN,
    tauStandardError: fit?.tauStandardError ?? NaN,
    DStandardError: fit?.DStandardError ?? NaN,
    S: fit?.S ?? NaN,
    terms: fit?.terms ?? 0,
    converged: fit?.converged ?? false,
    evaluations,
    beta: fit?.beta ?? NaN,
    amplitude: o.amplitude,
    sMin: chosen >= 0 ? candidateSizes[chosen] : NaN,
    sMinRule: o.sMin === 'auto' ? 'plateau' : 'fixed',
    sMax: o.sMax,
    sMaxUsed,
    tauEdge,
    DEdge,
    onBoundary: !!(tauEdge || DEdge),
    tauRange: o.tauRange,
    DRange: o.DRange,
    tauLow,
    tauHigh,
    DLow,
    DHigh,
    tauBootstrapError: tauSD,
    DBootstrapError: DSD,
    confidence: o.confidence,
    bootstrap: {
      replicates: B,
      failed: tauCI.dropped,
      tau: repTau,
      D: repD,
      sMin: repSMin,
      tauPercentile: [tauCI.low, tauCI.high],
      DPercentile: [DCI.low, DCI.high],
      onBoundaryFraction: B > tauCI.dropped ? repEdges / (B - tauCI.dropped) : NaN,
    },
    candidates,
    curves: pick?.curves ?? [],
    amplitudes,
    collapsed,
    histogram: h,
    uncollapsedS: uncollapsed,
    holds,
    notes,
    note: notes.join('; '),
    options: o,
  };
}
