import { InvalidOptionError } from '../util/errors';
import { logBinnedDensity } from '../stats/ccdf';
import { nelderMead } from '../stats/nelderMead';
import { CollapseQualityKernel } from './collapseQuality';

/** A collapse curve: raw avalanche sizes at scale N, or a pre-binned density P_N(s) ± dP. */
export type CollapseCurve =
  { scaleN: number; sizes: ArrayLike<number> } | { scaleN: number; s: ArrayLike<number>; p: ArrayLike<number>; dp: ArrayLike<number> };

/** How raw sizes are binned (see {@link binCollapseCurves}). */
export interface CollapseBinning {
  /** Logarithmic bins per decade (default 10). */
  binsPerDecade?: number;
  /** Integer sizes (default: detected, true when every size is an integer). */
  discrete?: boolean;
  /** Drop bins with fewer counts, whose Poisson error is not Gaussian (default 10). */
  minCount?: number;
}

/** A binned curve: density p ± dp at sizes s (positive, ascending). */
export interface BinnedCurve {
  scaleN: number;
  s: Float64Array;
  p: Float64Array;
  dp: Float64Array;
}

/**
 * Bins raw sizes into P_N(s) with {@link logBinnedDensity}: bins of equal logarithmic width
 * (`binsPerDecade`), density = count/(n·width) (for integer sizes: mass per integer), Poisson
 * error sqrt(count)/(n·width), s = the bin's geometric centre; bins with fewer than `minCount`
 * counts are dropped. Pre-binned curves pass through (checked).
 */
export function binCollapseCurves(curves: CollapseCurve[], options: CollapseBinning = {}): BinnedCurve[] {
  if (!Array.isArray(curves) || curves.length < 2)
    throw new InvalidOptionError('curves', `need at least 2 curves (scales), got ${Array.isArray(curves) ? curves.length : typeof curves}`);
  const minCount = options.minCount ?? 10;
  const out = curves.map((c, i): BinnedCurve => {
    if (!(c.scaleN > 0) || !Number.isFinite(c.scaleN)) throw new InvalidOptionError(`curves[${i}].scaleN`, `must be finite and > 0, got ${c.scaleN}`);
    if ('sizes' in c) {
      let discrete = options.discrete;
      if (discrete === undefined) {
        discrete = true;
        for (let k = 0; k < c.sizes.length; k++) if (!Number.isInteger(c.sizes[k])) discrete = false;
      }
      const b = logBinnedDensity(c.sizes, { binsPerDecade: options.binsPerDecade ?? 10, discrete });
      const keep: number[] = [];
      for (let k = 0; k < b.counts.length; k++) if (b.counts[k] >= minCount) keep.push(k);
      return {
        scaleN: c.scaleN,
        s: Float64Array.from(keep, (k) => b.centers[k]),
        p: Float64Array.from(keep, (k) => b.density[k]),
        dp: Float64Array.from(keep, (k) => b.errors[k]),
      };
    }
    const n = c.s.length;
    if (c.p.length !== n || c.dp.length !== n) throw new InvalidOptionError(`curves[${i}]`, 's, p and dp must have equal lengths');
    for (let k = 0; k < n; k++) {
      if (!(c.s[k] > 0) || !Number.isFinite(c.p[k]) || !(c.dp[k] > 0))
        throw new InvalidOptionError(`curves[${i}]`, `point ${k}: need s > 0, finite p and dp > 0`);
      if (k > 0 && !(c.s[k] > c.s[k - 1])) throw new InvalidOptionError(`curves[${i}].s`, 'must be strictly increasing');
    }
    return { scaleN: c.scaleN, s: Float64Array.from(c.s), p: Float64Array.from(c.p), dp: Float64Array.from(c.dp) };
  });
  return out.sort((a, b) => a.scaleN - b.scaleN);
}

/** Result of {@link collapseQuality}. */
export interface CollapseQuality {
  /** Houdayer–Hartmann quality S (≈ 1 for an optimal collapse with honest errors). */
  S: number;
  /** Number of points that had neighbours on other curves (the terms of S). */
  terms: number;
}

function isBinned(curves: CollapseCurve[] | BinnedCurve[]): curves is BinnedCurve[] {
  return curves.every((c) => 's' in c && c.s instanceof Float64Array && (c as BinnedCurve).dp instanceof Float64Array);
}

/**
 * Houdayer–Hartmann quality of the collapse P_N(s) = s^(−τ) G(s/N^D), computed as pyfssa does:
 * for every point (x_ij, y_ij ± dy_ij) of curve i, the two points of every other curve that
 * bracket x_ij (curves that do not reach x_ij contribute nothing) are fitted by a weighted
 * least-squares line, whose value Y_ij and variance dY_ij² at x_ij give the master-curve
 * estimate; S = (1/𝒩) Σ (y_ij − Y_ij)² / (dy_ij² + dY_ij²) over the 𝒩 points with neighbours.
 * Because the scaled sizes are log-spaced, brackets and lines use ln x (y stays linear).
 * Curves may be raw sizes or pre-binned (see {@link binCollapseCurves} for the binning).
 */
export function collapseQuality(curves: CollapseCurve[] | BinnedCurve[], options: { tau: number; D: number } & CollapseBinning): CollapseQuality {
  if (!Number.isFinite(options?.tau)) throw new InvalidOptionError('tau', `must be a finite number, got ${options?.tau}`);
  if (!Number.isFinite(options.D)) throw new InvalidOptionError('D', `must be a finite number, got ${options.D}`);
  const binned = isBinned(curves) ? curves : binCollapseCurves(curves, options);
  return qualityOf(binned, options.tau, options.D);
}

function qualityOf(curves: BinnedCurve[], tau: number, D: number): CollapseQuality {
  const kernel = new CollapseQualityKernel(curves);
  const S = kernel.quality(tau, D);
  return { S, terms: kernel.lastTerms };
}

/** Result of {@link autoscaleCollapse}. */
export interface AutoscaleResult {
  tau: number;
  D: number;
  /** Standard errors from the curvature of S at the minimum (Houdayer–Hartmann: where S rises by 1). */
  tauStandardError: number;
  DStandardError: number;
  S: number;
  terms: number;
  converged: boolean;
  evaluations: number;
}

/**
 * Finds τ and D minimising the Houdayer–Hartmann quality S (see {@link collapseQuality}): a
 * coarse grid (`gridSize`², default 21², over start ± `searchRadius`, default τ ± 0.3, D ± 0.5),
 * then Nelder–Mead from the best grid point. Standard errors follow the Houdayer–Hartmann/pyfssa convention: the
 * parameter change that raises S by 1, from the Hessian H of S at the minimum (central finite
 * differences): cov = 2 H⁻¹. Parameter sets that leave fewer than `minTerms` overlapping points
 * (default a quarter of all points) are rejected, so the optimiser cannot "win" by pulling the
 * curves apart.
 *
 * Superseded by {@link dataCollapse}, the library's one collapse procedure; kept only as the old
 * procedure that notebook 10 and bench/collapse.bench.ts compare against. Here
 * the window starts at the smallest size, the answer can be decided by the search box
 * (start ± searchRadius), curves carry no normalisation amplitude, and the S + 1 errors are
 * not an uncertainty. On synthetic data with known exponents this is biased well beyond its
 * errors (test/fss/dataCollapse.test.ts, notebook 10).
 */
export function autoscaleCollapse(
  curves: CollapseCurve[] | BinnedCurve[],
  start: { tau: number; D: number },
  options: CollapseBinning & { minTerms?: number; step?: number; searchRadius?: { tau: number; D: number }; gridSize?: number } = {},
): AutoscaleResult {
  if (!Number.isFinite(start?.tau) || !Number.isFinite(start?.D)) throw new InvalidOptionError('start', 'must be { tau, D } with finite numbers');
  const binned = isBinned(curves) ? curves : binCollapseCurves(curves, options);
  const totalPoints = binned.reduce((a, c) => a + c.s.length, 0);
  const minTerms = options.minTerms ?? Math.ceil(totalPoints / 4);
  const kernel = new CollapseQualityKernel(binned);
  const objective = ([tau, D]: number[]) => {
    const S = kernel.quality(tau, D);
    return kernel.lastTerms >= minTerms ? S : Infinity;
  };
  // S is flat along D wherever the curves are pure power laws (only the cutoff region pins D), so
  // Nelder–Mead alone can stall in a shallow local minimum: start it from the best point of a
  // coarse grid (gridSize × gridSize over start ± searchRadius).
  const radius = options.searchRadius ?? { tau: 0.3, D: 0.5 };
  const grid = options.gridSize ?? 21;
  let bestStart = [start.tau, start.D];
  let bestValue = objective(bestStart);
  for (let a = 0; a < grid; a++) {
    for (let b = 0; b < grid; b++) {
      const p = [start.tau + radius.tau * ((2 * a) / (grid - 1) - 1), start.D + radius.D * ((2 * b) / (grid - 1) - 1)];
      const v = objective(p);
      if (v < bestValue) {
        bestValue = v;
        bestStart = p;
      }
    }
  }
  let r = nelderMead(objective, bestStart, { step: [radius.tau / grid, radius.D / grid], valueTolerance: 1e-9, pointTolerance: 1e-6 });
  r = nelderMead(objective, r.x, { step: [0.02, 0.02], valueTolerance: 1e-10, pointTolerance: 1e-7 });
  const [tau, D] = r.x;
  const h = options.step ?? 0.005;
  const f = (a: number, b: number) => objective([a, b]);
  const f0 = r.value;
  const htt = (f(tau + h, D) - 2 * f0 + f(tau - h, D)) / (h * h);
  const hdd = (f(tau, D + h) - 2 * f0 + f(tau, D - h)) / (h * h);
  const htd = (f(tau + h, D + h) - f(tau + h, D - h) - f(tau - h, D + h) + f(tau - h, D - h)) / (4 * h * h);
  const det = htt * hdd - htd * htd;
  const valid = det > 0 && htt > 0;
  const q = qualityOf(binned, tau, D);
  return {
    tau,
    D,
    tauStandardError: valid ? Math.sqrt((2 * hdd) / det) : NaN,
    DStandardError: valid ? Math.sqrt((2 * htt) / det) : NaN,
    S: q.S,
    terms: q.terms,
    converged: r.converged,
    evaluations: r.evaluations,
  };
}
