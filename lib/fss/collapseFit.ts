import { nelderMead } from '../stats/nelderMead';
import { CollapseQualityKernel } from './collapseQuality';

/** How the amplitude of each curve is treated (see CollapseQualityKernel). */
export const COLLAPSE_AMPLITUDES = ['normalization', 'none'] as const;
export type CollapseAmplitude = (typeof COLLAPSE_AMPLITUDES)[number];

/** The search settings of one collapse fit (resolved; see resolveCollapseOptions for defaults). */
export interface CollapseFitSettings {
  amplitude: CollapseAmplitude;
  /** Allowed τ: the search never leaves [low, high]. */
  tauRange: [number, number];
  /** Allowed D. */
  DRange: [number, number];
  /** Points per axis of the global grid over the allowed (τ, D) range. */
  gridSize: number;
  /** (τ, D, β) leaving fewer than this fraction of all points with neighbours are rejected. */
  minTermsFraction: number;
}

/** Which edge of its allowed range an exponent sits on, if any. */
export type RangeEdge = 'lower' | 'upper' | null;

/** One collapse fit of a fixed set of curves. */
export interface CollapseCurvesFit {
  tau: number;
  D: number;
  /** Normalisation amplitude parameter β (0 with amplitude 'none'). */
  beta: number;
  /** Houdayer–Hartmann quality at the optimum, and the points with neighbours there. */
  S: number;
  terms: number;
  /** Houdayer–Hartmann/pyfssa errors: the change that raises S by 1 (cov = 2 H⁻¹, H the Hessian of S); NaN for a refit. */
  tauStandardError: number;
  DStandardError: number;
  /** Optimum within 0.2 % of the range width of an edge of the allowed range. */
  tauEdge: RangeEdge;
  DEdge: RangeEdge;
  converged: boolean;
  evaluations: number;
}

/** An exponent this fraction of its range width (or less) from an edge sits on it. */
const EDGE_TOLERANCE = 0.002;

/** Penalty per squared unit of (τ, D) outside the allowed range. */
const EDGE_PENALTY = 1e4;

/** Half-widths of the 3 × 3 patch of starts around a warm start. */
const WARM_PATCH = { tau: 0.1, D: 0.2 };

/** Points per axis and β values of the coarse global grid of a refit. */
const REFIT_GRID = 7;
const REFIT_BETAS = [-0.5, 0, 0.45, 0.9];

/** The β values tried at each grid point (normalisation corrections from −100 % to +90 % at N₁). */
const BETA_GRID = [-1, -0.5, 0, 0.3, 0.6, 0.9];

function edgeOf(value: number, range: [number, number]): RangeEdge {
  const tolerance = EDGE_TOLERANCE * (range[1] - range[0]);
  if (value - range[0] <= tolerance) return 'lower';
  if (range[1] - value <= tolerance) return 'upper';
  return null;
}

/** Inverse of a symmetric positive-definite matrix (Cholesky), or null when it is not. */
function inverseSpd(h: number[][]): number[][] | null {
  const n = h.length;
  const L = h.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i][j];
      for (let k = 0; k < j; k++) sum -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i][i] = Math.sqrt(sum);
      } else L[i][j] = sum / L[j][j];
    }
  }
  // Columns of L⁻ᵀ L⁻¹ by two triangular solves per unit vector.
  const inv = h.map(() => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const z = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= L[i][k] * z[k];
      z[i] = sum / L[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = z[i];
      for (let k = i + 1; k < n; k++) sum -= L[k][i] * inv[k][c];
      inv[i][c] = sum / L[i][i];
    }
  }
  return inv;
}

/**
 * Finds (τ, D) — and β with amplitude 'normalization' — minimising the Houdayer–Hartmann quality
 * S of fixed curves, anywhere in the allowed range:
 * 1. objective: S from CollapseQualityKernel; outside the allowed (τ, D) range, S at the
 *    nearest allowed point plus 10⁴ × (squared distance), so an optimum can sit exactly on an
 *    edge; +∞ where an amplitude is ≤ 0 or fewer than `minTermsFraction` of the points have
 *    neighbours (so the optimiser cannot win by pulling the curves apart);
 * 2. start: the best point of a `gridSize` × `gridSize` grid over the whole allowed (τ, D)
 *    range (× six β values, −1 … 0.9), because S is flat along D wherever the curves are pure
 *    power laws and a local search alone can stall. With `refitFrom` (a bootstrap resample
 *    refitted from the estimate on the original data) instead the best point of a 3 × 3 patch
 *    (τ ± 0.1, D ± 0.2) around that estimate and of a coarse 7 × 7 grid over the whole range
 *    (× β ∈ {−0.5, 0, 0.45, 0.9}): where S is flat in D, a resample may find its minimum far
 *    from the original one, and the bootstrap must see that;
 * 3. Nelder–Mead from the start (to 1e-3 in the parameters), restarted from its own result with
 *    a fresh simplex until S improves by less than 1e-5 (at most 4 runs; one run for a refit);
 * 4. (not for a refit) errors from the central-difference Hessian H of S in (τ, D[, β]) at the optimum: the
 *    Houdayer–Hartmann S + 1 errors (cov = 2 H⁻¹). They describe the local curvature only: S is
 *    rippled on the scale of the bin spacing, so they are no uncertainty estimate (use the
 *    bootstrap of dataCollapse);
 * 5. an exponent within 0.2 % of the range width of an edge of its allowed range is flagged
 *    (`tauEdge`, `DEdge`): the minimum may lie outside.
 * Returns NaN exponents when no point of the range leaves enough overlapping points.
 */
export function fitCollapseCurves(kernel: CollapseQualityKernel, settings: CollapseFitSettings, refitFrom?: { tau: number; D: number; beta: number }): CollapseCurvesFit {
  const fitBeta = settings.amplitude === 'normalization';
  const minTerms = Math.ceil(settings.minTermsFraction * kernel.points);
  const [tLo, tHi] = settings.tauRange;
  const [dLo, dHi] = settings.DRange;
  let evaluations = 0;
  const objective = (v: number[]): number => {
    evaluations++;
    // Outside the allowed range: S at the nearest allowed point plus a steep penalty, so that
    // the search can settle exactly on an edge (and the edge flag means what it says).
    const tau = Math.min(tHi, Math.max(tLo, v[0]));
    const D = Math.min(dHi, Math.max(dLo, v[1]));
    const outside = (v[0] - tau) ** 2 + (v[1] - D) ** 2;
    const S = kernel.quality(tau, D, fitBeta ? v[2] : 0);
    return kernel.lastTerms >= minTerms && Number.isFinite(S) ? S + EDGE_PENALTY * outside : Infinity;
  };
  let best: number[] = fitBeta ? [(tLo + tHi) / 2, (dLo + dHi) / 2, 0] : [(tLo + tHi) / 2, (dLo + dHi) / 2];
  let bestValue = objective(best);
  const consider = (tau: number, D: number, beta: number) => {
    const point = fitBeta ? [tau, D, beta] : [tau, D];
    const v = objective(point);
    if (v < bestValue) {
      bestValue = v;
      best = point;
    }
  };
  const scan = (g: number, betas: readonly number[]) => {
    for (let a = 0; a < g; a++) {
      for (let b = 0; b < g; b++) {
        for (const beta of fitBeta ? betas : [0]) consider(tLo + ((tHi - tLo) * a) / (g - 1), dLo + ((dHi - dLo) * b) / (g - 1), beta);
      }
    }
  };
  const start = refitFrom && Number.isFinite(refitFrom.tau) && Number.isFinite(refitFrom.D) ? refitFrom : undefined;
  if (start) {
    const beta = fitBeta && Number.isFinite(start.beta) ? start.beta : 0;
    for (const dt of [-WARM_PATCH.tau, 0, WARM_PATCH.tau]) for (const dd of [-WARM_PATCH.D, 0, WARM_PATCH.D]) consider(start.tau + dt, start.D + dd, beta);
    scan(REFIT_GRID, REFIT_BETAS);
  } else {
    scan(settings.gridSize, BETA_GRID);
  }
  const failed = (): CollapseCurvesFit => ({ tau: NaN, D: NaN, beta: NaN, S: NaN, terms: 0, tauStandardError: NaN, DStandardError: NaN, tauEdge: null, DEdge: null, converged: false, evaluations });
  if (!Number.isFinite(bestValue)) return failed();
  const steps = fitBeta ? [0.05, 0.1, 0.1] : [0.05, 0.1];
  let converged = false;
  // Tolerances well below any statistical error of τ and D (≥ 0.005 in practice).
  for (let run = 0; run < (start ? 1 : 4); run++) {
    const r = nelderMead(objective, best, { step: steps, valueTolerance: 1e-7, pointTolerance: 1e-3 });
    const improvement = bestValue - r.value;
    if (r.value <= bestValue) {
      best = r.x;
      bestValue = r.value;
    }
    converged = r.converged;
    if (improvement < 1e-5) break;
  }
  best[0] = Math.min(tHi, Math.max(tLo, best[0]));
  best[1] = Math.min(dHi, Math.max(dLo, best[1]));
  const S = objective(best);
  const terms = kernel.lastTerms;
  const result = { tau: best[0], D: best[1], beta: fitBeta ? best[2] : 0, S, terms, tauEdge: edgeOf(best[0], settings.tauRange), DEdge: edgeOf(best[1], settings.DRange), converged };
  if (start) return { ...result, tauStandardError: NaN, DStandardError: NaN, evaluations };
  // Hessian by central differences (steps small against the errors, large against rounding).
  const h = fitBeta ? [0.005, 0.005, 0.01] : [0.005, 0.005];
  const n = best.length;
  const shifted = (i: number, si: number, j = -1, sj = 0): number => {
    const v = best.slice();
    v[i] += si * h[i];
    if (j >= 0) v[j] += sj * h[j];
    return objective(v);
  };
  const H = best.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    H[i][i] = (shifted(i, 1) - 2 * S + shifted(i, -1)) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      H[i][j] = H[j][i] = (shifted(i, 1, j, 1) - shifted(i, 1, j, -1) - shifted(i, -1, j, 1) + shifted(i, -1, j, -1)) / (4 * h[i] * h[j]);
    }
  }
  const finite = H.every((row) => row.every(Number.isFinite));
  const inv = finite ? inverseSpd(H) : null;
  const hh = (i: number) => (inv ? Math.sqrt(2 * inv[i][i]) : NaN);
  return { ...result, tauStandardError: hh(0), DStandardError: hh(1), evaluations };
}
