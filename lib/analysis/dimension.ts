/**
 * D before and after the onset — the one fit every notebook uses. D is the finite-size-scaling
 * exponent of ⟨ln value⟩_N = c + D ln N (fitScalingExponent) over the probed snapshots of one
 * phase, with a percentile CI from resampling training seeds within each scale (rescaled:
 * plan.seedBootstrap) and leave-one-scale-out refits.
 */
import { fitScalingExponent, ScalingExponentFit } from '../fss/scalingExponent';
import { checkChoice, checkInteger } from '../util/errors';
import { Observable, OBSERVABLES } from './observables';
import { Phase, ProbeRow, usableRows } from './phase';
import type { AnalysisPlan } from './plan';

/** Which snapshots a fit of D uses: before or after each run's onset, or all of them. */
export const FIT_PHASES = ['pre', 'post', 'all'] as const;
export type FitPhase = Phase | 'all';

/** D of one observable over the snapshots of one phase, or why there is none. */
export interface PhaseFit {
  observable: Observable;
  phase: FitPhase;
  /** The fit; null when the rows cannot support one (see `reason`). */
  fit: ScalingExponentFit | null;
  /** Rows (snapshots × graph seeds) that entered the fit, and the scales among them. */
  rows: number;
  scales: number;
  /**
   * Rows of the phase left out: truncated probes (censored values), values ≤ 0 (no logarithm),
   * and — for 'pre' and 'post' — rows of runs that never reached their onset (phase 'none').
   */
  leftOut: { truncated: number; nonPositive: number; noOnset: number };
  /** Some scale has a single training seed: the bootstrap CI cannot show seed-to-seed spread. */
  oneSeedPerScale: boolean;
  /** Why there is no fit ("not enough data: …"), null when there is one. */
  reason: string | null;
}

/** Options of {@link fitPhase}: the plan's bootstrap size, seed and seed resampling unless given. */
export type FitPhaseOptions = Partial<Pick<AnalysisPlan, 'bootstrap' | 'seed' | 'seedBootstrap'>>;

/**
 * D of `observable` over the rows of `phase`:
 *  1. rows of the phase are picked ('pre': epoch < onset, 'post': epoch ≥ onset, both without
 *     runs that never reached the onset; 'all': every row);
 *  2. truncated probes and values ≤ 0 are left out and counted;
 *  3. with fewer than two scales left there is no fit, and `reason` says so (no exception, so
 *     that a smoke-profile notebook still runs);
 *  4. otherwise fitScalingExponent with the plan's bootstrap size, seed and seedBootstrap.
 */
export function fitPhase(rows: ProbeRow[], observable: Observable, phase: FitPhase, options: FitPhaseOptions = {}): PhaseFit {
  checkChoice('observable', observable, OBSERVABLES);
  checkChoice('phase', phase, FIT_PHASES);
  const inPhase = phase === 'all' ? rows : rows.filter((r) => r.phase === phase);
  const noOnset = phase === 'all' ? 0 : rows.reduce((c, r) => c + (r.phase === 'none' ? 1 : 0), 0);
  const u = usableRows(inPhase, observable);
  const leftOut = { truncated: u.truncated, nonPositive: u.nonPositive, noOnset };
  const scales = new Set(u.rows.map((r) => r.scaleN)).size;
  if (scales < 2) {
    const where = phase === 'all' ? 'usable snapshots' : `${phase}-onset snapshots`;
    return {
      observable,
      phase,
      fit: null,
      rows: u.rows.length,
      scales,
      leftOut,
      oneSeedPerScale: false,
      reason: `not enough data: ${scales} scale(s) with ${where}, a slope needs 2`,
    };
  }
  const bootstrap = options.bootstrap === undefined ? undefined : checkInteger('bootstrap', options.bootstrap, 0);
  const fit = fitScalingExponent(u.rows as unknown as Array<Record<string, unknown>>, {
    bootstrap,
    seed: options.seed,
    valueField: observable,
    seedBootstrap: options.seedBootstrap,
  });
  return { observable, phase, fit, rows: u.rows.length, scales, leftOut, oneSeedPerScale: Math.min(...fit.seedCounts) < 2, reason: null };
}

/**
 * The fits of every observable (S_total first) in every phase asked for, in that order
 * [observables: both; phases: pre, post], with the plan's bootstrap size, seed and seed resampling.
 */
export function phaseFits(
  rows: ProbeRow[],
  plan: Pick<AnalysisPlan, 'bootstrap' | 'seed'> & Partial<Pick<AnalysisPlan, 'seedBootstrap'>>,
  options: { observables?: readonly Observable[]; phases?: readonly FitPhase[] } = {},
): PhaseFit[] {
  const observables = options.observables ?? OBSERVABLES;
  const phases = options.phases ?? (['pre', 'post'] as const);
  return observables.flatMap((o) => phases.map((p) => fitPhase(rows, o, p, { bootstrap: plan.bootstrap, seed: plan.seed, seedBootstrap: plan.seedBootstrap })));
}
