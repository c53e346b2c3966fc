import { InvalidOptionError, checkInteger } from '../util/errors';
import { hurwitzZetaDerivativesInto, hurwitzZetaScaled } from './hurwitzZeta';
import { positiveSample } from './input';

/** Options of {@link fitPowerLaw}. */
export interface PowerLawFitOptions {
  /** Integer data (exact discrete power law with Hurwitz-zeta normalisation) or continuous data. */
  discrete: boolean;
  /** Fix the lower cutoff instead of scanning for it. */
  xmin?: number;
  /** Upper cutoff: values above it are discarded and the model is truncated there [∞]. */
  xmax?: number;
  /** Smallest tail (number of observations ≥ xmin) a candidate xmin may leave [10]. */
  minTail?: number;
  /**
   * Only scan candidate xmins whose fraction of observations below them is ≤ this. Lower it to
   * speed up scans of very large continuous samples; the result is then the best xmin in the
   * restricted range [1: every unique value that leaves `minTail` observations].
   */
  maxXminQuantile?: number;
}

/** Result of {@link fitPowerLaw}: P(x) ∝ x^(−alpha) for xmin ≤ x (≤ xmax). */
export interface PowerLawFit {
  discrete: boolean;
  /** Maximum-likelihood exponent. */
  alpha: number;
  /** Asymptotic standard error of alpha: 1/sqrt(nTail · Var_α[ln X]) (Fisher information). */
  alphaStandardError: number;
  xmin: number;
  /** Upper cutoff (Infinity when none). */
  xmax: number;
  /** Kolmogorov–Smirnov distance between the tail's empirical CDF and the fitted model. */
  ks: number;
  /** Observations in the fitted range [xmin, xmax]. */
  nTail: number;
  /** Observations ≤ xmax (the sample the fit saw). */
  n: number;
  /** Log-likelihood of the tail under the fit. */
  logLikelihood: number;
  /** True when xmin came from the KS scan, false when it was given. */
  xminScanned: boolean;
  /** Candidate xmins considered, and how many needed the full KS evaluation (the rest were pruned). */
  candidates: number;
  fullKsEvaluations: number;
  /** Options used, so that a refit (bootstrap) can repeat the procedure exactly. */
  minTail: number;
  maxXminQuantile: number;
}

/**
 * Fits a power law by the method of Clauset, Shalizi & Newman (2009): for each candidate
 * xmin, α by maximum likelihood on the tail x ≥ xmin; xmin is the candidate minimising the
 * Kolmogorov–Smirnov distance D between tail data and fitted model (ties: the smallest xmin).
 *
 * - Continuous: α̂ = 1 + m / Σ ln(x/xmin) (closed form); with xmax, a Newton solve.
 * - Discrete: P(x) = x^(−α)/ζ(α, xmin) on the integers (Hurwitz zeta), α̂ maximises the exact
 *   likelihood, i.e. solves E_α[ln X] = mean(ln x) (E_α[ln X] = −ζ'/ζ, strictly decreasing in α).
 * - KS distance: the supremum over all x ≥ xmin of |S(x) − F(x)|. For continuous data this is
 *   the usual two-sided statistic at the data points (just before and at each jump); for
 *   discrete data both CDFs are step functions on the integers, so the supremum is attained at
 *   a data value u or at the integer just below the next data value, and both are checked.
 *
 * Cost. The sample is sorted once (O(n log n)) and reduced to unique values with cumulative
 * counts and suffix sums of ln x, so each candidate's tail size and Σ ln x are O(1). The
 * discrete MLE per candidate is a safeguarded Newton iteration on E_α[ln X] − mean ln x,
 * using ζ, ∂ζ/∂α and ∂²ζ/∂α² from one Euler–Maclaurin evaluation (O(1) each), warm-started from
 * the previous candidate's α (neighbouring tails have nearly equal α, so 2–4 steps suffice).
 * Exact KS distances are computed lazily: an exact pass over ~40 evenly spaced candidates gives
 * an upper bound on the minimum; every other candidate first gets a lower bound from its
 * deviations at 32 checkpoints (ECDF levels i/33), and only candidates whose bound does not
 * already exceed the best D are evaluated in full, stopping as soon as their running maximum
 * exceeds the best. The result is identical to the brute-force scan; typically only a few
 * percent of candidates need a full evaluation, so the scan costs O(n log n + C·32 + k·U) with
 * C candidates, U unique values and k ≪ C full evaluations (worst case O(C·U)).
 */
export function fitPowerLaw(values: ArrayLike<number>, options: PowerLawFitOptions): PowerLawFit {
  if (options == null || typeof options.discrete !== 'boolean') {
    throw new InvalidOptionError('discrete', 'must be given as true (integer data) or false (continuous data)');
  }
  const discrete = options.discrete;
  const minTail = checkInteger('minTail', options.minTail ?? 10, 2);
  const maxXminQuantile = options.maxXminQuantile ?? 1;
  if (!(maxXminQuantile > 0 && maxXminQuantile <= 1)) throw new InvalidOptionError('maxXminQuantile', `must be in (0, 1], got ${maxXminQuantile}`);
  const sample = positiveSample('values', values, discrete);
  const xmax = options.xmax ?? Infinity;
  if (!(xmax > 0)) throw new InvalidOptionError('xmax', `must be > 0, got ${xmax}`);
  if (discrete && xmax !== Infinity && !Number.isInteger(xmax)) throw new InvalidOptionError('xmax', `must be an integer for discrete data, got ${xmax}`);
  if (options.xmin !== undefined) {
    if (!(options.xmin > 0) || !Number.isFinite(options.xmin)) throw new InvalidOptionError('xmin', `must be a finite number > 0, got ${options.xmin}`);
    if (discrete && !Number.isInteger(options.xmin)) throw new InvalidOptionError('xmin', `must be an integer for discrete data, got ${options.xmin}`);
    if (options.xmin >= xmax) throw new InvalidOptionError('xmin', `(${options.xmin}) must be below xmax (${xmax})`);
  }
  sample.sort();
  let n = sample.length;
  while (n > 0 && sample[n - 1] > xmax) n--;
  if (n === 0) throw new InvalidOptionError('xmax', `(${xmax}) is below every value`);
  const data = new TailData(sample.subarray(0, n), discrete, xmax);
  if (options.xmin !== undefined) {
    if (options.xmin > data.unique[data.unique.length - 1]) {
      throw new InvalidOptionError('xmin', `(${options.xmin}) is above the largest value (${data.unique[data.unique.length - 1]})`);
    }
    const j = lowerBound(data.unique, options.xmin);
    const m = n - data.cumBelow[j];
    if (data.unique.length - j < 2)
      throw new InvalidOptionError('xmin', `(${options.xmin}) leaves fewer than two distinct values in the tail; α is not identifiable`);
    const alpha = data.solveAlpha(options.xmin, data.sumLogFrom[j] / m, NaN);
    const ks = data.ksDistance(j, options.xmin, alpha, Infinity);
    return data.result(options.xmin, j, alpha, ks, false, 1, 1, minTail, maxXminQuantile);
  }
  // Candidates: unique values leaving ≥ minTail observations and ≥ 2 distinct values.
  const U = data.unique.length;
  let last = U - 2;
  while (last >= 0 && n - data.cumBelow[last] < minTail) last--;
  const candidates: number[] = [];
  for (let j = 0; j <= last; j++) {
    if (data.cumBelow[j] > maxXminQuantile * n) break;
    candidates.push(j);
  }
  if (candidates.length === 0) {
    throw new InvalidOptionError('minTail', `(${minTail}) leaves no candidate xmin: the sample has ${n} values, ${U} distinct; lower minTail or pass xmin`);
  }
  const C = candidates.length;
  const alphas = new Float64Array(C);
  let previous = NaN;
  for (let c = 0; c < C; c++) {
    const j = candidates[c];
    const m = n - data.cumBelow[j];
    previous = alphas[c] = data.solveAlpha(data.unique[j], data.sumLogFrom[j] / m, previous);
  }
  let bestKs = Infinity;
  let bestC = -1;
  let full = 0;
  const consider = (c: number, ks: number): void => {
    if (ks < bestKs || (ks === bestKs && c < bestC)) {
      bestKs = ks;
      bestC = c;
    }
  };
  const coarseStep = Math.max(1, Math.floor(C / 40));
  const done = new Uint8Array(C);
  for (let c = 0; c < C; c += coarseStep) {
    const j = candidates[c];
    consider(c, data.ksDistance(j, data.unique[j], alphas[c], Infinity));
    done[c] = 1;
    full++;
  }
  for (let c = 0; c < C; c++) {
    if (done[c]) continue;
    const j = candidates[c];
    const lb = data.ksLowerBound(j, data.unique[j], alphas[c]);
    if (lb > bestKs) continue;
    full++;
    // Early exit once the running maximum exceeds the best: such a candidate cannot win.
    consider(c, data.ksDistance(j, data.unique[j], alphas[c], bestKs));
  }
  const j = candidates[bestC];
  return data.result(data.unique[j], j, alphas[bestC], bestKs, true, C, full, minTail, maxXminQuantile);
}

/** Index of the first entry ≥ x in an ascending array. */
function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const zetaOut = new Float64Array(3);
const zetaOutMax = new Float64Array(3);

/** Sorted sample reduced to unique values, cumulative counts and suffix sums of ln x. */
class TailData {
  readonly unique: Float64Array;
  /** cumBelow[j] = number of observations < unique[j]; cumBelow[U] = n. */
  readonly cumBelow: Int32Array;
  /** Σ ln x over observations ≥ unique[j]. */
  readonly sumLogFrom: Float64Array;
  readonly n: number;

  constructor(
    sorted: Float64Array,
    readonly discrete: boolean,
    readonly xmax: number,
  ) {
    const n = (this.n = sorted.length);
    let U = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) U++;
    this.unique = new Float64Array(U);
    this.cumBelow = new Int32Array(U + 1);
    let u = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) {
        u++;
        this.unique[u] = sorted[i];
        this.cumBelow[u] = i;
      }
    }
    this.cumBelow[U] = n;
    this.sumLogFrom = new Float64Array(U + 1);
    for (let k = U - 1; k >= 0; k--) {
      const count = this.cumBelow[k + 1] - this.cumBelow[k];
      this.sumLogFrom[k] = this.sumLogFrom[k + 1] + count * Math.log(this.unique[k]);
    }
  }

  /**
   * E_α[ln X] and Var_α[ln X] of the (discrete or continuous, possibly truncated) power law on
   * [q, xmax], written into out[0], out[1].
   */
  logMoments(alpha: number, q: number, out: Float64Array): void {
    const lq = Math.log(q);
    if (this.discrete) {
      hurwitzZetaDerivativesInto(alpha, q, zetaOut, lq);
      let z0 = zetaOut[0];
      let z1 = zetaOut[1];
      let z2 = zetaOut[2];
      if (this.xmax !== Infinity) {
        hurwitzZetaDerivativesInto(alpha, this.xmax + 1, zetaOutMax, lq);
        z0 -= zetaOutMax[0];
        z1 -= zetaOutMax[1];
        z2 -= zetaOutMax[2];
      }
      const mean = -z1 / z0;
      out[0] = mean;
      out[1] = Math.max(z2 / z0 - mean * mean, 0);
      return;
    }
    const beta = alpha - 1;
    if (this.xmax === Infinity) {
      out[0] = lq + 1 / beta;
      out[1] = 1 / (beta * beta);
      return;
    }
    // Truncated Pareto in t = ln(x/q) on [0, T]: density ∝ e^(−βt).
    const T = Math.log(this.xmax / q);
    const e = Math.exp(-beta * T);
    const r = e / (1 - e);
    out[0] = lq + 1 / beta - T * r;
    out[1] = Math.max(1 / (beta * beta) - T * T * r * (1 + r), 0);
  }

  /** MLE of α on the tail ≥ q with mean log `meanLog`, warm-started at `start` (NaN: cold). */
  solveAlpha(q: number, meanLog: number, start: number): number {
    const excess = meanLog - Math.log(q);
    if (!this.discrete && this.xmax === Infinity) return 1 + 1 / excess;
    let lo = 1 + 1e-9;
    let hi = 50;
    // Cold start: the continuous estimate with the usual half-integer correction for discrete data.
    let alpha = Number.isFinite(start) ? start : 1 + 1 / Math.max(meanLog - Math.log(this.discrete ? Math.max(q - 0.5, 0.5) : q), 1e-9);
    if (!(alpha > lo && alpha < hi)) alpha = Math.min(Math.max(alpha, 1.01), 49);
    const m = new Float64Array(2);
    for (let iter = 0; iter < 200; iter++) {
      this.logMoments(alpha, q, m);
      const h = m[0] - meanLog; // decreasing in α
      if (h > 0) lo = alpha;
      else hi = alpha;
      if (h === 0) return alpha;
      let next = alpha + h / m[1];
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - alpha) <= 1e-13 * alpha || hi - lo <= 1e-13 * alpha) return next;
      alpha = next;
    }
    return alpha;
  }

  /** Scaled model tail mass G(x) ∝ P(X ≥ x) (discrete) for α, with the common factor q^α. */
  private discreteTail(alpha: number, x: number, lq: number, atMax: number): number {
    return hurwitzZetaScaled(alpha, x, lq) - atMax;
  }

  /** Deviation |S − F| maximised over the part of the tail owned by unique index k. */
  private deviationAt(j: number, k: number, q: number, alpha: number, lq: number, atMax: number, normaliser: number): number {
    const m = this.n - this.cumBelow[j];
    const before = (this.cumBelow[k] - this.cumBelow[j]) / m;
    const after = (this.cumBelow[k + 1] - this.cumBelow[j]) / m;
    const u = this.unique[k];
    if (this.discrete) {
      // F(x) = 1 − G(x + 1)/G(q); S is constant (= after) on [u, next − 1].
      const fAt = 1 - this.discreteTail(alpha, u + 1, lq, atMax) / normaliser;
      let d = Math.abs(after - fAt);
      if (k + 1 < this.unique.length) {
        const next = this.unique[k + 1];
        if (next - 1 > u) {
          const fGapEnd = 1 - this.discreteTail(alpha, next, lq, atMax) / normaliser;
          d = Math.max(d, Math.abs(after - fGapEnd));
        }
      }
      return d;
    }
    const F = this.continuousCdf(u, q, alpha);
    return Math.max(after - F, F - before);
  }

  continuousCdf(x: number, q: number, alpha: number): number {
    const beta = alpha - 1;
    const tail = Math.exp(-beta * Math.log(x / q));
    if (this.xmax === Infinity) return 1 - tail;
    const r = Math.exp(-beta * Math.log(this.xmax / q));
    return (1 - tail) / (1 - r);
  }

  private normalisation(alpha: number, q: number): { lq: number; atMax: number; normaliser: number } {
    const lq = Math.log(q);
    if (!this.discrete) return { lq, atMax: 0, normaliser: 1 };
    const atMax = this.xmax === Infinity ? 0 : hurwitzZetaScaled(alpha, this.xmax + 1, lq);
    return { lq, atMax, normaliser: hurwitzZetaScaled(alpha, q, lq) - atMax };
  }

  /** Exact KS distance of the tail from unique index j; returns early (a value > stopAbove) once it exceeds stopAbove. */
  ksDistance(j: number, q: number, alpha: number, stopAbove: number): number {
    const { lq, atMax, normaliser } = this.normalisation(alpha, q);
    let d = 0;
    // A fixed xmin below the first tail value: S = 0 on the integers [q, u_j − 1], where F rises.
    if (this.discrete && this.unique[j] > q) d = 1 - this.discreteTail(alpha, this.unique[j], lq, atMax) / normaliser;
    for (let k = j; k < this.unique.length; k++) {
      const dk = this.deviationAt(j, k, q, alpha, lq, atMax, normaliser);
      if (dk > d) {
        d = dk;
        if (d > stopAbove) return d;
      }
    }
    return d;
  }

  /** A lower bound on the KS distance: the exact deviation at ≤ 33 checkpoints (ECDF levels i/33). */
  ksLowerBound(j: number, q: number, alpha: number): number {
    const U = this.unique.length;
    if (U - j <= 48) return this.ksDistance(j, q, alpha, Infinity);
    const { lq, atMax, normaliser } = this.normalisation(alpha, q);
    const base = this.cumBelow[j];
    const m = this.n - base;
    let d = this.deviationAt(j, j, q, alpha, lq, atMax, normaliser);
    let lastK = j;
    for (let i = 1; i <= 32; i++) {
      // First unique index whose cumulative count reaches the level.
      const level = base + (m * i) / 33;
      let lo = lastK;
      let hi = U - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.cumBelow[mid + 1] < level) lo = mid + 1;
        else hi = mid;
      }
      if (lo !== lastK) {
        d = Math.max(d, this.deviationAt(j, lo, q, alpha, lq, atMax, normaliser));
        lastK = lo;
      }
    }
    return d;
  }

  result(
    q: number,
    j: number,
    alpha: number,
    ks: number,
    scanned: boolean,
    candidates: number,
    full: number,
    minTail: number,
    maxXminQuantile: number,
  ): PowerLawFit {
    const m = this.n - this.cumBelow[j];
    const moments = new Float64Array(2);
    this.logMoments(alpha, q, moments);
    const sumLog = this.sumLogFrom[j];
    let logLikelihood: number;
    if (this.discrete) {
      const { lq, normaliser } = this.normalisation(alpha, q);
      // ln Z = ln(q^α Z) − α ln q.
      logLikelihood = -alpha * sumLog - m * (Math.log(normaliser) - alpha * lq);
    } else {
      logLikelihood = -alpha * sumLog - m * logContinuousNormaliser(alpha, q, this.xmax);
    }
    return {
      discrete: this.discrete,
      alpha,
      alphaStandardError: 1 / Math.sqrt(m * moments[1]),
      xmin: q,
      xmax: this.xmax,
      ks,
      nTail: m,
      n: this.n,
      logLikelihood,
      xminScanned: scanned,
      candidates,
      fullKsEvaluations: full,
      minTail,
      maxXminQuantile,
    };
  }
}

/** ln ∫_q^xmax x^(−α) dx (α > 1). */
function logContinuousNormaliser(alpha: number, q: number, xmax: number): number {
  const beta = alpha - 1;
  const base = -beta * Math.log(q) - Math.log(beta);
  if (xmax === Infinity) return base;
  return base + Math.log1p(-Math.exp(-beta * Math.log(xmax / q)));
}

/**
 * ln P(x) of a fitted power law at each x (density for continuous fits, probability mass for
 * discrete ones); −Infinity outside [xmin, xmax]. Used for likelihood-ratio comparisons.
 */
export function powerLawLogPdf(fit: Pick<PowerLawFit, 'alpha' | 'xmin' | 'xmax' | 'discrete'>, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let logNorm: number;
  if (fit.discrete) {
    const lq = Math.log(fit.xmin);
    const atMax = fit.xmax === Infinity ? 0 : hurwitzZetaScaled(fit.alpha, fit.xmax + 1, lq);
    logNorm = Math.log(hurwitzZetaScaled(fit.alpha, fit.xmin, lq) - atMax) - fit.alpha * lq;
  } else {
    logNorm = logContinuousNormaliser(fit.alpha, fit.xmin, fit.xmax);
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v >= fit.xmin && v <= fit.xmax ? -fit.alpha * Math.log(v) - logNorm : -Infinity;
  }
  return out;
}
