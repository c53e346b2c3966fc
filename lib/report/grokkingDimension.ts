/**
 * Tables, headline and sentences of notebook 05 about D(t) around the grokking transition, from
 * grokkingDimension's typed result.
 */
import * as aq from 'arquero';
import type { GrokkingDimension, ObservableDimension } from '../analysis/grokkingDimension';
import type { CrossingTime } from '../fss/trajectory';
import { OBSERVABLE_SYMBOLS } from '../plot/names';
import { finiteOrNull, significant } from '../util/format';

/** Half-width factor within which a crossing counts as "at the onset": one half-octave bin. */
const NEAR_ONSET_FACTOR = Math.SQRT2;

/** One crossing of D = 1 compared with the onset (see {@link grokkingCrossings}). */
export interface GrokkingCrossing {
  observable: string;
  /** 'first': the first sign change; 'lasting': D stays past 1 afterwards (the plan's rule). */
  rule: 'first' | 'lasting';
  axis: 'epoch' | 't / t_on';
  crossing: number | null;
  direction: 'up' | 'down' | 'none';
  ciLow: number | null;
  /** Upper end; Infinity when the interval is open (a later crossing, or none, is not ruled out). */
  ciHigh: number | null;
  /** Fraction of bootstrap replicates that cross the same way. */
  replicatesCrossing: number;
  /** The onset it is compared with: the median onset (epochs), or 1 on the aligned axis. */
  onset: number;
  crossingOverOnset: number | null;
  /** Within a factor √2 (one aligned bin) of the onset. */
  nearOnset: boolean;
  onsetInCI: boolean;
  /** How many times the point estimate crosses 1 on this axis. */
  crossings: number;
}

/** The first and the lasting crossing of every observable on both axes, compared with the onset. */
export function grokkingCrossings(analysis: GrokkingDimension): GrokkingCrossing[] {
  if (!analysis.ok) return [];
  const rows: GrokkingCrossing[] = [];
  for (const o of analysis.observables) {
    for (const rule of ['first', 'lasting'] as const) {
      for (const [axis, t, onset] of [
        ['epoch', o.epoch, analysis.onsetMedian],
        ['t / t_on', o.aligned, 1],
      ] as const) {
        const c: CrossingTime | undefined = t.crossings?.[rule];
        const crossed = c !== undefined && Number.isFinite(c.time);
        const ratio = crossed ? c!.time / onset : null;
        rows.push({
          observable: OBSERVABLE_SYMBOLS[o.observable],
          rule,
          axis,
          crossing: crossed ? c!.time : null,
          direction: c?.direction ?? 'none',
          ciLow: finiteOrNull(c?.ciLow),
          // Infinity: the band does not rule out a crossing after the last point (open interval).
          ciHigh: c?.ciHigh === Infinity ? Infinity : finiteOrNull(c?.ciHigh),
          replicatesCrossing: c?.crossedFraction ?? NaN,
          onset,
          crossingOverOnset: ratio,
          nearOnset: ratio !== null && ratio > 0 && Math.abs(Math.log(ratio)) <= Math.log(NEAR_ONSET_FACTOR),
          onsetInCI: c !== undefined && Number.isFinite(c.ciLow) && !Number.isNaN(c.ciHigh) && c.ciLow <= onset && onset <= c.ciHigh,
          crossings: t.crossings?.all.length ?? 0,
        });
      }
    }
  }
  return rows;
}

/**
 * D before and after the onset per observable: observable, D_pre [CI], D_post [CI], ΔD and the
 * scales in each fit. For a failed analysis, one row with the reason.
 */
export function grokkingPrePostTable(analysis: GrokkingDimension): aq.ColumnTable {
  if (!analysis.ok) return aq.from([{ result: analysis.reason }]);
  return aq.from(
    analysis.observables.map((o) => ({
      observable: OBSERVABLE_SYMBOLS[o.observable],
      D_pre: finiteOrNull(o.pre.fit?.D),
      D_pre_low: finiteOrNull(o.pre.fit?.ciLow),
      D_pre_high: finiteOrNull(o.pre.fit?.ciHigh),
      D_post: finiteOrNull(o.post.fit?.D),
      D_post_low: finiteOrNull(o.post.fit?.ciLow),
      D_post_high: finiteOrNull(o.post.fit?.ciHigh),
      deltaD: o.pre.fit && o.post.fit ? o.post.fit.D - o.pre.fit.D : null,
      scalesPre: o.pre.fit?.scales.length ?? 0,
      scalesPost: o.post.fit?.scales.length ?? 0,
    })),
  );
}

/**
 * Crossings of D = 1 per observable, rule ('first', 'lasting') and time axis: time, direction,
 * bootstrap CI, fraction of replicates that cross the same way, the onset it is compared with
 * (median onset in epochs, or 1 on the aligned axis), crossing / onset, nearOnset (within a
 * factor √2 — one aligned bin — of the onset), onsetInCI, and how many times the point estimate
 * crosses. For a failed analysis, one row with the reason.
 */
export function grokkingCrossingTable(analysis: GrokkingDimension): aq.ColumnTable {
  if (!analysis.ok) return aq.from([{ result: analysis.reason }]);
  return aq.from(grokkingCrossings(analysis));
}

function crossingOf(o: ObservableDimension, rule: 'first' | 'lasting', axis: 'epoch' | 'aligned'): CrossingTime | undefined {
  return (axis === 'epoch' ? o.epoch : o.aligned).crossings?.[rule];
}

/** Headline numbers of the analysis for recordResults (null where undefined). */
export function grokkingDimensionHeadline(analysis: GrokkingDimension): Record<string, unknown> {
  if (!analysis.ok) return { dimension: { ok: false, reason: analysis.reason, scales: analysis.scales } };
  const crossings = grokkingCrossings(analysis);
  const per = Object.fromEntries(
    analysis.observables.map((o) => {
      const row = (rule: 'first' | 'lasting', axis: 'epoch' | 't / t_on') =>
        crossings.find((c) => c.observable === OBSERVABLE_SYMBOLS[o.observable] && c.rule === rule && c.axis === axis)!;
      const aligned = row('first', 't / t_on');
      const lasting = row('lasting', 't / t_on');
      return [
        o.observable,
        {
          D_pre: finiteOrNull(o.pre.fit?.D),
          D_pre_ci: [finiteOrNull(o.pre.fit?.ciLow), finiteOrNull(o.pre.fit?.ciHigh)],
          D_post: finiteOrNull(o.post.fit?.D),
          D_post_ci: [finiteOrNull(o.post.fit?.ciLow), finiteOrNull(o.post.fit?.ciHigh)],
          crossingAligned: aligned.crossing,
          crossingAlignedCI: [aligned.ciLow, aligned.ciHigh],
          crossingDirection: aligned.direction,
          crossingNearOnset: aligned.nearOnset,
          crossingEpoch: finiteOrNull(crossingOf(o, 'first', 'epoch')?.time),
          crossingEpochDirection: crossingOf(o, 'first', 'epoch')?.direction ?? 'none',
          crossingsAligned: aligned.crossings,
          lastingCrossingAligned: lasting.crossing,
          lastingCrossingAlignedCI: [lasting.ciLow, lasting.ciHigh],
          lastingCrossingDirection: lasting.direction,
        },
      ];
    }),
  );
  return {
    dimension: {
      ok: true,
      scales: analysis.scales,
      runs: analysis.runs,
      onsetMedian: analysis.onsetMedian,
      trainOnsetAligned: analysis.trainOnsetAligned,
      primary: analysis.observables[0]?.observable,
      ...per,
    },
  };
}

/**
 * The "what this shows" sentences about D(t): D before and after the onset (primary observable
 * first), and whether and in which direction D crosses 1 near the onset (first and lasting
 * crossing) — every number from `analysis`; for a failed analysis, its reason.
 */
export function grokkingDimensionMarkdown(analysis: GrokkingDimension): string {
  if (!analysis.ok) return `**D(t):** ${analysis.reason}. No D is reported for this profile.`;
  const num = significant;
  const crossings = grokkingCrossings(analysis);
  const onsetName = analysis.onsetField === 'testOnset' ? 'test-accuracy onset' : 'train-accuracy onset';
  const trainAt =
    analysis.trainOnsetAligned !== null ? ` The train-accuracy onset comes at t / t_on = ${num(analysis.trainOnsetAligned)} (median over runs).` : '';
  const lines = [
    `**D(t)** from ${analysis.runs} runs at ${analysis.scales.length} scales (N = ${analysis.scales.join(', ')}); the ${onsetName} of these runs lies between epoch ${analysis.onsetMin} and ${analysis.onsetMax} (median ${num(analysis.onsetMedian)}).${trainAt}`,
  ];
  analysis.observables.forEach((o, i) => {
    const symbol = OBSERVABLE_SYMBOLS[o.observable];
    const c = crossings.find((r) => r.observable === symbol && r.rule === 'first' && r.axis === 't / t_on')!;
    const lasting = crossings.find((r) => r.observable === symbol && r.rule === 'lasting' && r.axis === 't / t_on')!;
    const role = i === 0 ? ' (primary)' : '';
    const pre = o.pre.fit;
    const post = o.post.fit;
    let sentence = `**${symbol}${role}:** D = ${num(pre?.D)} [${num(pre?.ciLow)}, ${num(pre?.ciHigh)}] before the onset and ${num(post?.D)} [${num(post?.ciLow)}, ${num(post?.ciHigh)}] after it. `;
    const points = o.aligned.trajectory?.points ?? [];
    if (points.length === 0) {
      sentence += `There is no D(t) on the aligned axis (${o.aligned.reason}).`;
    } else if (c.crossing === null) {
      sentence += `On the aligned axis D(t) does not cross 1 (it stays ${points.every((q) => q.D > 1) ? 'above' : points.every((q) => q.D < 1) ? 'below' : 'on one side'} of 1 at every bin with ≥ ${points[0]?.nScales ?? 0} scales).`;
    } else {
      const where = c.nearOnset ? `near the onset (within a factor √2, one bin)` : (c.crossingOverOnset as number) < 1 ? 'before the onset' : 'after the onset';
      const all = o.aligned.crossings?.all ?? [];
      sentence += `D(t) first crosses 1 ${c.direction === 'up' ? 'upwards' : 'downwards'} at t / t_on = ${num(c.crossing)} [${num(c.ciLow)}, ${num(c.ciHigh)}] (${num(c.replicatesCrossing * 100, 2)} % of bootstrap replicates cross the same way): ${where}; ${c.onsetInCI ? 'the onset lies inside' : 'the onset lies outside'} the crossing's CI. The point estimate crosses 1 ${c.crossings} time${c.crossings === 1 ? '' : 's'} in all${all.length > 1 ? ` (${all.map((x) => `${x.direction} at ${num(x.time)}`).join(', ')})` : ''}.`;
      sentence +=
        lasting.crossing === null
          ? " There is no lasting crossing (after which D stays on the new side of 1, the plan's rule used by every notebook)."
          : ` The lasting crossing (D stays on the new side of 1 afterwards, the plan's rule used by every notebook) is at t / t_on = ${num(lasting.crossing)} [${num(lasting.ciLow)}, ${num(lasting.ciHigh)}], ${lasting.direction === 'up' ? 'upwards' : 'downwards'}.`;
    }
    lines.push(sentence);
  });
  return lines.join('\n\n');
}
