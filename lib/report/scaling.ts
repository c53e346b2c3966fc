/**
 * Tables, headline and closing paragraph of notebook 03 (finite-size scaling), from the typed
 * results of phaseFits, trajectoryAnalysis, onsetSummary and collapseAnalysis.
 */
import * as aq from 'arquero';
import type { CollapseAnalysis } from '../analysis/collapse';
import type { PhaseFit } from '../analysis/dimension';
import type { Observable } from '../analysis/observables';
import type { OnsetSummary } from '../analysis/runs';
import type { TrajectoryAnalysis } from '../analysis/trajectory';
import { OBSERVABLE_SYMBOLS, PHASE_LABELS } from '../plot/names';
import { finiteOrNull, fixed, interval } from '../util/format';
import { collapseVerdict } from './collapse';
import { caveats } from './format';

/** The paper's XOR numbers (arXiv 2604.04655): D before and after the transition, typed in as the paper's. */
export const PAPER_FSS = { dPre: 0.9, dPost: 1.2, source: 'arXiv 2604.04655 (the paper under test): XOR, real gradients, eight scales' } as const;

/**
 * One row per fit: observable, phase, D, 95 % CI, bootstrap s.e., OLS s.e., R², scales, seeds,
 * rows, the range of the leave-one-scale-out D, and notes (caveats and reasons).
 */
export function scalingFitTable(fits: PhaseFit[]): aq.ColumnTable {
  return aq.from(
    fits.map((f) => {
      const loo = f.fit?.leaveOneOut.map((l) => l.D) ?? [];
      return {
        observable: OBSERVABLE_SYMBOLS[f.observable],
        phase: PHASE_LABELS[f.phase],
        D: f.fit?.D ?? NaN,
        ciLow: f.fit?.ciLow ?? NaN,
        ciHigh: f.fit?.ciHigh ?? NaN,
        bootstrapSE: f.fit?.bootstrapStandardError ?? NaN,
        olsSE: f.fit?.olsStandardError ?? NaN,
        rSquared: f.fit?.rSquared ?? NaN,
        scales: f.fit?.scales.length ?? 0,
        seeds: f.fit ? f.fit.seedCounts.reduce((a, b) => a + b, 0) : 0,
        rows: f.rows,
        leaveOneOutMin: loo.length ? Math.min(...loo) : NaN,
        leaveOneOutMax: loo.length ? Math.max(...loo) : NaN,
        note: caveats(f).join('; '),
      };
    }),
  );
}

/** Leave-one-scale-out D of every fit: observable, phase, left-out N, D without it, change from the full D. */
export function leaveOneOutTable(fits: PhaseFit[]): aq.ColumnTable {
  const rows = fits.flatMap((f) =>
    (f.fit?.leaveOneOut ?? []).map((l) => ({
      observable: OBSERVABLE_SYMBOLS[f.observable],
      phase: f.phase,
      leftOutN: l.scaleN,
      D: l.D,
      change: l.D - f.fit!.D,
    })),
  );
  return rows.length ? aq.from(rows) : aq.table({ observable: [], phase: [], leftOutN: [], D: [], change: [] });
}

/**
 * One row per D(t): observable, time axis, the first crossing of D = 1 (direction, CI, fraction of
 * replicates that cross), the lasting crossing (idem), the median onset and lasting crossing −
 * onset (epoch time; aligned time is already relative to onset), notes.
 */
export function crossingTable(analyses: TrajectoryAnalysis[], onset: OnsetSummary | null): aq.ColumnTable {
  return aq.from(
    analyses.map((a) => {
      const f = a.crossings?.first;
      const l = a.crossings?.lasting;
      const reference = a.time === 'epoch' ? (onset?.median ?? NaN) : 0;
      return {
        observable: OBSERVABLE_SYMBOLS[a.observable],
        time: a.time === 'epoch' ? 'epoch' : 'epoch − onset',
        firstCrossing: f?.time ?? NaN,
        firstDirection: f?.direction ?? 'none',
        firstLow: f?.ciLow ?? NaN,
        firstHigh: f?.ciHigh ?? NaN,
        firstFraction: f?.crossedFraction ?? NaN,
        lastingCrossing: l?.time ?? NaN,
        lastingDirection: l?.direction ?? 'none',
        lastingLow: l?.ciLow ?? NaN,
        lastingHigh: l?.ciHigh ?? NaN,
        lastingFraction: l?.crossedFraction ?? NaN,
        onset: reference,
        lastingMinusOnset: (l?.time ?? NaN) - reference,
        note: caveats(a).join('; '),
      };
    }),
  );
}

type CI = [number | null, number | null];

/** Headline numbers of notebook 03 (for recordResults and the closing cell). CIs are null when a scale has one seed. */
export interface ScalingHeadline {
  observable: 'totalTopplings';
  dPre: number | null;
  dPreCI: CI;
  dPost: number | null;
  dPostCI: CI;
  rSquaredPre: number | null;
  rSquaredPost: number | null;
  /** Lasting crossing of D = 1 (epoch; the plan's rule), its direction and CI, and the first crossing for comparison. */
  crossing: number | null;
  crossingDirection: 'up' | 'down' | 'none';
  crossingCI: CI;
  firstCrossing: number | null;
  firstCrossingCI: CI;
  /** Median train onset and its quartiles. */
  onset: number | null;
  onsetIQR: CI;
  /** Lasting crossing in aligned time (epochs after each run's own onset). */
  alignedCrossing: number | null;
  alignedCrossingCI: CI;
  sMax: {
    dPre: number | null;
    dPreCI: CI;
    dPost: number | null;
    dPostCI: CI;
    crossing: number | null;
    crossingDirection: 'up' | 'down' | 'none';
    crossingCI: CI;
  };
  /** dataCollapse of the post-onset avalanches: τ, D with bootstrap intervals, S, s_min, the edge flag and the verdict (null fields and a reason without a fit). */
  collapse: {
    tau: number | null;
    tauCI: CI;
    D: number | null;
    DCI: CI;
    S: number | null;
    uncollapsedS: number | null;
    sMin: number | null;
    onBoundary: boolean | null;
    holds: boolean | null;
    verdict: string | null;
    reason: string | null;
  };
  paper: { dPre: number; dPost: number };
  notes: string[];
}

/**
 * Collects the headline numbers: S_total (primary) D before / after onset with CIs, the lasting
 * crossing of D = 1 vs the median onset, the same for s_max, the aligned-time crossing and the
 * collapse. Missing pieces are null with the reason in `notes`.
 */
export function scalingHeadline(parts: {
  fits: PhaseFit[];
  trajectories: TrajectoryAnalysis[];
  aligned?: TrajectoryAnalysis[];
  onset: OnsetSummary;
  collapse?: CollapseAnalysis | null;
}): ScalingHeadline {
  const fit = (o: Observable, p: 'pre' | 'post') => parts.fits.find((f) => f.observable === o && f.phase === p);
  const traj = (o: Observable) => parts.trajectories.find((t) => t.observable === o);
  // With one seed at a scale every bootstrap replicate is the same data: a zero-width interval
  // would look like certainty, so the headline reports no CI instead.
  const ci = (f: PhaseFit | undefined): CI => (f?.oneSeedPerScale ? [null, null] : [finiteOrNull(f?.fit?.ciLow), finiteOrNull(f?.fit?.ciHigh)]);
  const crossingCi = (t: TrajectoryAnalysis | undefined, which: 'first' | 'lasting'): CI => {
    const c = t?.crossings?.[which];
    // An open upper end (Infinity: a later crossing, or none, is not ruled out) is kept.
    return t?.oneSeedPerScale ? [null, null] : [finiteOrNull(c?.ciLow), c?.ciHigh === Infinity ? Infinity : finiteOrNull(c?.ciHigh)];
  };
  const notes: string[] = [];
  for (const f of parts.fits) for (const c of caveats(f)) notes.push(`${OBSERVABLE_SYMBOLS[f.observable]} ${f.phase}: ${c}`);
  for (const t of [...parts.trajectories, ...(parts.aligned ?? [])])
    for (const c of caveats(t)) notes.push(`${OBSERVABLE_SYMBOLS[t.observable]} D(t) (${t.time}): ${c}`);
  const s = traj('totalTopplings');
  const m = traj('sMax');
  const a = parts.aligned?.find((t) => t.observable === 'totalTopplings');
  const c = parts.collapse;
  if (c?.reason) notes.push(`collapse: ${c.reason}`);
  if (c?.result && !c.result.holds) notes.push(`collapse: does not hold (${c.result.note})`);
  return {
    observable: 'totalTopplings',
    dPre: finiteOrNull(fit('totalTopplings', 'pre')?.fit?.D),
    dPreCI: ci(fit('totalTopplings', 'pre')),
    dPost: finiteOrNull(fit('totalTopplings', 'post')?.fit?.D),
    dPostCI: ci(fit('totalTopplings', 'post')),
    rSquaredPre: finiteOrNull(fit('totalTopplings', 'pre')?.fit?.rSquared),
    rSquaredPost: finiteOrNull(fit('totalTopplings', 'post')?.fit?.rSquared),
    crossing: finiteOrNull(s?.crossings?.lasting.time),
    crossingDirection: s?.crossings?.lasting.direction ?? 'none',
    crossingCI: crossingCi(s, 'lasting'),
    firstCrossing: finiteOrNull(s?.crossings?.first.time),
    firstCrossingCI: crossingCi(s, 'first'),
    onset: finiteOrNull(parts.onset.median),
    onsetIQR: [finiteOrNull(parts.onset.q25), finiteOrNull(parts.onset.q75)],
    alignedCrossing: finiteOrNull(a?.crossings?.lasting.time),
    alignedCrossingCI: crossingCi(a, 'lasting'),
    sMax: {
      dPre: finiteOrNull(fit('sMax', 'pre')?.fit?.D),
      dPreCI: ci(fit('sMax', 'pre')),
      dPost: finiteOrNull(fit('sMax', 'post')?.fit?.D),
      dPostCI: ci(fit('sMax', 'post')),
      crossing: finiteOrNull(m?.crossings?.lasting.time),
      crossingDirection: m?.crossings?.lasting.direction ?? 'none',
      crossingCI: crossingCi(m, 'lasting'),
    },
    collapse: {
      tau: finiteOrNull(c?.result?.tau),
      tauCI: [finiteOrNull(c?.result?.tauLow), finiteOrNull(c?.result?.tauHigh)],
      D: finiteOrNull(c?.result?.D),
      DCI: [finiteOrNull(c?.result?.DLow), finiteOrNull(c?.result?.DHigh)],
      S: finiteOrNull(c?.result?.S),
      uncollapsedS: finiteOrNull(c?.result?.uncollapsedS),
      sMin: finiteOrNull(c?.result?.sMin),
      onBoundary: c?.result ? c.result.onBoundary : null,
      holds: c?.result ? c.result.holds : null,
      verdict: c?.result ? collapseVerdict(c.result) : null,
      reason: c ? c.reason : 'not computed',
    },
    paper: { dPre: PAPER_FSS.dPre, dPost: PAPER_FSS.dPost },
    notes,
  };
}

/** Whether `value` lies in the interval (null when the interval is missing). */
function inside(ci: CI, value: number): boolean | null {
  return ci[0] === null || ci[1] === null ? null : ci[0] <= value && value <= ci[1];
}

const ci2 = (v: CI, digits = 2) => interval(v[0], v[1], digits);
const word = (direction: 'up' | 'down' | 'none') => (direction === 'up' ? 'upward' : 'downward');

/** The closing "what this shows" paragraph, every number taken from the headline. */
export function scalingSummaryMarkdown(h: ScalingHeadline): string {
  const lines: string[] = [];
  lines.push(`**What this shows** (observable S_total; s_max second).`);
  lines.push('');
  const verdict = (isIn: boolean | null, paper: number) =>
    isIn === null ? '' : ` — the paper's ${paper.toFixed(2)} lies ${isIn ? 'inside' : 'outside'} the CI`;
  lines.push(
    `- **D before onset** = ${fixed(h.dPre)} ${ci2(h.dPreCI)} (R² ${fixed(h.rSquaredPre, 3)})${verdict(inside(h.dPreCI, h.paper.dPre), h.paper.dPre)}.`,
  );
  lines.push(
    `- **D after onset** = ${fixed(h.dPost)} ${ci2(h.dPostCI)} (R² ${fixed(h.rSquaredPost, 3)})${verdict(inside(h.dPostCI, h.paper.dPost), h.paper.dPost)}.`,
  );
  lines.push(`- Paper (arXiv 2604.04655, typed in as the paper's): D ${h.paper.dPre.toFixed(2)} → ${h.paper.dPost.toFixed(2)}.`);
  if (h.crossing !== null) {
    const diff =
      h.onset !== null
        ? ` (${h.crossing - h.onset >= 0 ? '+' : ''}${(h.crossing - h.onset).toFixed(0)} epochs from the median train onset ${h.onset.toFixed(0)}, quartiles ${ci2(h.onsetIQR, 0)})`
        : '';
    lines.push(
      `- The lasting crossing of D = 1 by D(t) of S_total (D stays on the new side afterwards) is ${word(h.crossingDirection)} at epoch **${h.crossing.toFixed(0)}** ${ci2(h.crossingCI, 0)}${diff}; the first crossing in either direction is at ${fixed(h.firstCrossing, 0)} ${ci2(h.firstCrossingCI, 0)}.`,
    );
  } else {
    lines.push(`- D(t) of S_total has no lasting crossing of 1 in this run (first crossing: ${fixed(h.firstCrossing, 0)}).`);
  }
  if (h.alignedCrossing !== null)
    lines.push(
      `- Aligned on each run's own onset, the lasting crossing is at t − onset = ${h.alignedCrossing.toFixed(0)} ${ci2(h.alignedCrossingCI, 0)} epochs.`,
    );
  lines.push(
    `- s_max: D ${fixed(h.sMax.dPre)} ${ci2(h.sMax.dPreCI)} → ${fixed(h.sMax.dPost)} ${ci2(h.sMax.dPostCI)}; lasting crossing ${h.sMax.crossing === null ? 'none' : `${word(h.sMax.crossingDirection)} at ${fixed(h.sMax.crossing, 0)} ${ci2(h.sMax.crossingCI, 0)}`}.`,
  );
  if (h.collapse.verdict !== null) {
    lines.push(`- Collapse of the post-onset avalanche sizes (S ≈ 1 is a collapse within errors): ${h.collapse.verdict}`);
  } else {
    lines.push(`- Collapse: ${h.collapse.reason ?? 'no result'}.`);
  }
  if (h.notes.length) {
    lines.push('');
    lines.push(`Caveats: ${h.notes.join('; ')}.`);
  }
  return lines.join('\n');
}
