import { checkInteger, InvalidOptionError } from '../util/errors';
import { deriveSeed } from '../util/random';
import { DataCollapseOptions } from './collapseOptions';
import { CollapseEstimate, collapseEstimate, dataCollapse } from './dataCollapse';
import { SyntheticCollapseOptions, syntheticCollapseSizes } from './syntheticCollapse';

/** One replication of a coverage study: the estimate and interval on one synthetic data set. */
export interface CoverageReplication extends CollapseEstimate {
  seed: number;
  sMin: number;
  S: number;
  holds: boolean;
  onBoundary: boolean;
}

/** A fraction k/n with its binomial standard error sqrt(p(1 − p)/n). */
export interface Proportion {
  count: number;
  of: number;
  fraction: number;
  standardError: number;
}

/** Result of {@link collapseCoverage}. */
export interface CollapseCoverage {
  truth: { tau: number; D: number };
  replications: number;
  /** Intervals of τ, of D, and of both, that contain the true value. */
  tauCovered: Proportion;
  DCovered: Proportion;
  bothCovered: Proportion;
  /** Estimates within `tolerance` of the truth in both τ and D. */
  withinTolerance: Proportion;
  tolerance: number;
  /** Replications whose collapse holds (dataCollapse's verdict). */
  holds: Proportion;
  /** Mean error and root-mean-square error of τ and D (over replications with an estimate). */
  tauBias: number;
  tauRmse: number;
  DBias: number;
  DRmse: number;
  /** Median interval widths. */
  tauMedianWidth: number;
  DMedianWidth: number;
  rows: CoverageReplication[];
}

function proportion(count: number, of: number): Proportion {
  const fraction = of > 0 ? count / of : NaN;
  return { count, of, fraction, standardError: of > 0 ? Math.sqrt((fraction * (1 - fraction)) / of) : NaN };
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Coverage of dataCollapse's intervals on synthetic data with a known answer:
 * 1. replication r draws sizes with syntheticCollapseSizes(truth) under seed
 *    deriveSeed(seed, 'coverage', r), and runs dataCollapse with `collapse` options (its
 *    bootstrap seeded with the same derived seed);
 * 2. counts the intervals containing the true τ, D (and both), the estimates within
 *    `tolerance` of both, and the collapses that hold, each as k/n with its binomial standard
 *    error; bias, RMSE and median interval widths summarise the estimates.
 * Cost: `replications` full dataCollapse runs (each with its bootstrap): seconds each.
 * @param options.replications integer ≥ 1
 * @param options.tolerance |estimate − truth| counted as recovered [0.1]
 * @param options.onReplication called after each replication (progress)
 */
export function collapseCoverage(options: {
  truth: Omit<SyntheticCollapseOptions, 'seed'>;
  replications: number;
  seed?: number;
  tolerance?: number;
  collapse?: DataCollapseOptions;
  onReplication?: (row: CoverageReplication, index: number) => void;
}): CollapseCoverage {
  if (options == null || typeof options !== 'object' || options.truth == null)
    throw new InvalidOptionError('options.truth', 'must be the synthetic data options { tau, D, … }');
  const replications = checkInteger('replications', options.replications, 1, 1e6);
  const seed = checkInteger('seed', options.seed ?? 0, -(2 ** 53), 2 ** 53);
  const tolerance = options.tolerance ?? 0.1;
  if (typeof tolerance !== 'number' || !(tolerance > 0)) throw new InvalidOptionError('tolerance', `must be a number > 0, got ${String(tolerance)}`);
  if (options.collapse && 'seed' in options.collapse) throw new InvalidOptionError('collapse.seed', 'is set per replication from `seed`; leave it out');
  const { tau, D } = options.truth;
  const rows: CoverageReplication[] = [];
  for (let r = 0; r < replications; r++) {
    const s = deriveSeed(seed, 'coverage', r);
    const result = dataCollapse(syntheticCollapseSizes({ ...options.truth, seed: s }), { ...options.collapse, seed: s });
    const row: CoverageReplication = {
      seed: s,
      ...collapseEstimate(result),
      sMin: result.sMin,
      S: result.S,
      holds: result.holds,
      onBoundary: result.onBoundary,
    };
    rows.push(row);
    options.onReplication?.(row, r);
  }
  const covers = (low: number, high: number, value: number) => low <= value && value <= high;
  const estimated = rows.filter((r) => Number.isFinite(r.tau));
  const mean = (f: (r: CoverageReplication) => number) => estimated.reduce((a, r) => a + f(r), 0) / estimated.length;
  return {
    truth: { tau, D },
    replications,
    tauCovered: proportion(rows.filter((r) => covers(r.tauLow, r.tauHigh, tau)).length, replications),
    DCovered: proportion(rows.filter((r) => covers(r.DLow, r.DHigh, D)).length, replications),
    bothCovered: proportion(rows.filter((r) => covers(r.tauLow, r.tauHigh, tau) && covers(r.DLow, r.DHigh, D)).length, replications),
    withinTolerance: proportion(rows.filter((r) => Math.abs(r.tau - tau) <= tolerance && Math.abs(r.D - D) <= tolerance).length, replications),
    tolerance,
    holds: proportion(rows.filter((r) => r.holds).length, replications),
    tauBias: mean((r) => r.tau - tau),
    tauRmse: Math.sqrt(mean((r) => (r.tau - tau) ** 2)),
    DBias: mean((r) => r.D - D),
    DRmse: Math.sqrt(mean((r) => (r.D - D) ** 2)),
    tauMedianWidth: median(rows.map((r) => r.tauHigh - r.tauLow)),
    DMedianWidth: median(rows.map((r) => r.DHigh - r.DLow)),
    rows,
  };
}
