/**
 * Tables and the verdict sentence of one data collapse (dataCollapse): notebook 03 shows them
 * for the real avalanches, notebook 10 for synthetic ones; the scaling headline quotes the verdict.
 */
import type { DataCollapseResult } from '../fss/dataCollapse';
import { fixed, interval, withInterval } from '../util/format';

/**
 * The headline numbers of one collapse as a table row: τ and D with their intervals, β, the
 * window [s_min, largest size used], S (and S of the curves as measured), the edge flag, the
 * verdict and its notes.
 */
export function collapseResultRow(result: DataCollapseResult): Record<string, unknown> {
  return {
    tau: result.tau,
    tauLow: result.tauLow,
    tauHigh: result.tauHigh,
    D: result.D,
    DLow: result.DLow,
    DHigh: result.DHigh,
    beta: result.beta,
    sMin: result.sMin,
    sMinRule: result.sMinRule,
    largestSize: result.sMaxUsed,
    S: result.S,
    uncollapsedS: result.uncollapsedS,
    onBoundary: result.onBoundary,
    holds: result.holds,
    notes: result.note || '—',
  };
}

/**
 * τ and D, one row each: the estimate, the bootstrap interval at the result's confidence (the
 * whole procedure resampled, s_min choice included) and its SD, beside the Houdayer–Hartmann
 * S + 1 curvature error, and which edge of the allowed range the estimate sits on (if any).
 */
export function collapseUncertaintyTable(result: DataCollapseResult): Array<Record<string, unknown>> {
  const percent = Math.round(100 * result.confidence);
  return (['tau', 'D'] as const).map((p) => ({
    exponent: p === 'tau' ? 'τ' : 'D',
    estimate: result[p],
    [`bootstrap ${percent} % interval`]: interval(p === 'tau' ? result.tauLow : result.DLow, p === 'tau' ? result.tauHigh : result.DHigh, 3, '—'),
    bootstrapSD: p === 'tau' ? result.tauBootstrapError : result.DBootstrapError,
    'S + 1 curvature error': p === 'tau' ? result.tauStandardError : result.DStandardError,
    allowedRange: (p === 'tau' ? result.tauRange : result.DRange).join(' … '),
    onEdge: (p === 'tau' ? result.tauEdge : result.DEdge) ?? 'no',
  }));
}

/** The s_min candidates of a collapse as table rows (window, fit, bootstrap SDs, plateau rule). */
export function collapseCandidateRows(result: DataCollapseResult): Array<Record<string, unknown>> {
  return result.candidates.map((c) => ({
    sMin: c.sMin,
    scales: c.scales,
    bins: c.points,
    tau: c.tau,
    tauSD: c.tauBootstrapError,
    D: c.D,
    DSD: c.DBootstrapError,
    beta: c.beta,
    S: c.S,
    agrees: c.agrees,
    chosen: c.chosen,
  }));
}

/**
 * The verdict in one plain sentence: whether the collapse holds, with τ, D, their intervals, S
 * and s_min, or which of dataCollapse's conditions failed.
 */
export function collapseVerdict(result: DataCollapseResult): string {
  const percent = Math.round(100 * result.confidence);
  const numbers = `τ = ${withInterval(result.tau, result.tauLow, result.tauHigh)}, D = ${withInterval(result.D, result.DLow, result.DHigh)} (${percent} % bootstrap intervals), S = ${fixed(result.S)} (curves as measured: ${fixed(result.uncollapsedS, 1)}), s ≥ s_min = ${result.sMin} (${result.sMinRule === 'plateau' ? 'plateau rule' : 'fixed'})`;
  return result.holds ? `The collapse holds: ${numbers}.` : `The collapse does not hold: ${result.note || 'no fit'}. Best fit: ${numbers}.`;
}
