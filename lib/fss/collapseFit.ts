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
  /** Houdayer–Hartmann/pyfssa errors: the change that raises S by 1 (cov = 2 H⁻¹, H the Hessian of S). */
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

/** The β values of the global grid (normalisation corrections from −100 % to +90 % at N₁). */
const BETA_GRID = [-1, -0.5, 0, 0.3, 0.6, 0.9];

/** Nelder–Mead's first steps. */
const STEP = { tau: 0.05, D: 0.1, beta: 0.1 };

type Parameter = 'tau' | 'D' | 'beta';
type Point = Record<Parameter, number>;

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

/** The minimum of S over the `free` parameters, the others held at `fixed`. */
interface StageResult {
  point: Point;
  S: number;
  terms: number;
  /** Houdayer–Hartmann S + 1 standard error of each free parameter (NaN for a singular Hessian). */
  errors: Partial<Record<Parameter, number>>;
  converged: boolean;
}

/**
 * One stage of the search: minimises S over the `free` parameters (steps 1–4 of
 * fitCollapseCurves), the others held at `fixed`.
 */
function minimiseStage(kernel: CollapseQualityKernel, settings: CollapseFitSettings, free: Parameter[], fixed: Point, count: () => void): StageResult | null {
  const minTerms = Math.ceil(settings.minTermsFraction * kernel.points);
  const range: Record<Parameter, [number, number]> = { tau: settings.tauRange, D: settings.DRange, beta: [-Infinity, Infinity] };
  const toPoint = (v: number[]): Point => {
    const p = { ...fixed };
    free.forEach((name, i) => (p[name] = v[i]));
    return p;
  };
  const objective = (v: number[]): number => {
    count();
    // Outside the allowed range: S at the nearest allowed point plus a steep penalty, so that
    // the search can settle exactly on an edge (and the edge flag means what it says).
    const p = toPoint(v);
    const tau = Math.min(range.tau[1], Math.max(range.tau[0], p.tau));
    const D = Math.min(range.D[1], Math.max(range.D[0], p.D));
    const outside = (p.tau - tau) ** 2 + (p.D - D) ** 2;
    const S = kernel.quality(tau, D, p.beta);
    return kernel.lastTerms >= minTerms && Number.isFinite(S) ? S + EDGE_PENALTY * outside : Infinity;
  };
  let best = free.map((name) => (name === 'beta' ? 0 : (range[name][0] + range[name][1]) / 2));
  let bestValue = objective(best);
  const consider = (v: number[]) => {
    const value = objective(v);
    if (value < bestValue) {
      bestValue = value;
      best = v;
    }
  };
  // Grid over the free parameters: every combination of their axis values.
  const g = settings.gridSize;
  const axes = free.map((name) =>
    name === 'beta' ? BETA_GRID : Array.from({ length: g }, (_, a) => range[name][0] + ((range[name][1] - range[name][0]) * a) / (g - 1)),
  );
  const walk = (i: number, v: number[]): void => {
    if (i === axes.length) consider(v);
    else for (const x of axes[i]) walk(i + 1, [...v, x]);
  };
  walk(0, []);
  if (!Number.isFinite(bestValue)) return null;
  const steps = free.map((name) => STEP[name]);
  let converged = false;
  // Tolerances well below any statistical error of τ and D (≥ 0.005 in practice).
  for (let run = 0; run < 4; run++) {
    const r = nelderMead(objective, best, { step: steps, valueTolerance: 1e-7, pointTolerance: 1e-3 });
    const improvement = bestValue - r.value;
    if (r.value <= bestValue) {
      best = r.x;
      bestValue = r.value;
    }
    converged = r.converged;
    if (improvement < 1e-5) break;
  }
  const point = toPoint(best);
  point.tau = Math.min(range.tau[1], Math.max(range.tau[0], point.tau));
  point.D = Math.min(range.D[1], Math.max(range.D[0], point.D));
  best = free.map((name) => point[name]);
  const S = objective(best);
  const terms = kernel.lastTerms;
  const errors: Partial<Record<Parameter, number>> = {};
  {
    // Hessian by central differences (steps small against the errors, large against rounding).
    const h = free.map((name) => (name === 'beta' ? 0.01 : 0.005));
    const at = (i: number, si: number, j = -1, sj = 0): number => {
      const v = best.slice();
      v[i] += si * h[i];
      if (j >= 0) v[j] += sj * h[j];
      return objective(v);
    };
    const n = free.length;
    const H = free.map(() => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) {
      H[i][i] = (at(i, 1) - 2 * S + at(i, -1)) / (h[i] * h[i]);
      for (let j = 0; j < i; j++) H[i][j] = H[j][i] = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i] * h[j]);
    }
    const inv = H.every((row) => row.every(Number.isFinite)) ? inverseSpd(H) : null;
    free.forEach((name, i) => (errors[name] = inv ? Math.sqrt(2 * inv[i][i]) : NaN));
  }
  return { point, S, terms, errors, converged };
}

/**
 * Finds (τ, D) — and the amplitude parameter β with amplitude 'normalization' — minimising the
 * Houdayer–Hartmann quality S of fixed curves, anywhere in the allowed range.
 *
 * Stages. With amplitude 'none': one search over (τ, D), β = 0. With 'normalization': first
 * (τ, D) with β = 0, which fixes D; then (τ, β) at that D. The amplitude is nearly flat in s,
 * so leaving it out barely moves the cutoff alignment that sets D (≤ 0.02 on exact data over
 * τ 1.2 … 1.8, D 0.8 … 1.6), while it tilts τ by up to 0.13; freeing β together with D instead
 * lets a larger D trade against a larger β in windows that start above the power-law part of
 * the small scales, and D became 2–3 × noisier and biased upwards (τ 1.5, D 1, s ≥ 13).
 *
 * Each stage:
 * 1. objective: S from CollapseQualityKernel; outside the allowed (τ, D) range, S at the
 *    nearest allowed point plus 10⁴ × (squared distance), so an optimum can sit exactly on an
 *    edge; +∞ where an amplitude is ≤ 0 or fewer than `minTermsFraction` of the points have
 *    neighbours (so the optimiser cannot win by pulling the curves apart);
 * 2. start: the best point of a grid over the whole allowed range (`gridSize` points per
 *    exponent, β ∈ {−1, −0.5, 0, 0.3, 0.6, 0.9}), because S is flat along D wherever the
 *    curves are pure power laws and a local search alone can stall;
 * 3. Nelder–Mead from the start (to 1e-3 in the parameters), restarted from its own result with
 *    a fresh simplex until S improves by less than 1e-5 (at most 4 runs);
 * 4. errors from the central-difference Hessian H of S at the optimum: the
 *    Houdayer–Hartmann S + 1 errors (cov = 2 H⁻¹; D's from the first stage). They describe the
 *    local curvature only: S is rippled on the scale of the bin spacing, so they are no
 *    uncertainty estimate (use the bootstrap of dataCollapse).
 * Finally an exponent within 0.2 % of the range width of an edge of its allowed range is flagged
 * (`tauEdge`, `DEdge`): the minimum may lie outside. Returns NaN exponents when no point of the
 * range leaves enough overlapping points.
 */
export function fitCollapseCurves(kernel: CollapseQualityKernel, settings: CollapseFitSettings): CollapseCurvesFit {
  let evaluations = 0;
  const count = () => void evaluations++;
  const failed = (): CollapseCurvesFit => ({
    tau: NaN,
    D: NaN,
    beta: NaN,
    S: NaN,
    terms: 0,
    tauStandardError: NaN,
    DStandardError: NaN,
    tauEdge: null,
    DEdge: null,
    converged: false,
    evaluations,
  });
  const first = minimiseStage(kernel, settings, ['tau', 'D'], { tau: NaN, D: NaN, beta: 0 }, count);
  if (!first) return failed();
  let final = first;
  if (settings.amplitude === 'normalization') {
    const second = minimiseStage(kernel, settings, ['tau', 'beta'], { tau: NaN, D: first.point.D, beta: NaN }, count);
    if (!second) return failed();
    final = second;
  }
  const { tau, D, beta } = final.point;
  return {
    tau,
    D,
    beta,
    S: final.S,
    terms: final.terms,
    tauStandardError: final.errors.tau ?? NaN,
    DStandardError: first.errors.D ?? NaN,
    tauEdge: edgeOf(tau, settings.tauRange),
    DEdge: edgeOf(D, settings.DRange),
    converged: first.converged && final.converged,
    evaluations,
  };
}
