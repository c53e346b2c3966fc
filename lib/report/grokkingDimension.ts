/**
 * D(t) around a grokking transition (notebook 05): the finite-size-scaling exponent of the probe's
 * cascade size, S ∝ N^D, at every snapshot epoch and against grokking-aligned time t / t_on (each
 * run's own test-accuracy onset), D before and after the onset, and where D(t) crosses 1 relative
 * to the onset. Built on lib/fss (dimensionTrajectory, crossingTime); this file only selects rows,
 * chooses bins, and turns the results into tables, figures and sentences. When D is undefined
 * (fewer than two scales, or no run with an onset) the analysis says why instead of throwing.
 */
import * as aq from 'arquero';
import { crossingTime, CrossingTime, DimensionTrajectory, dimensionTrajectory } from '../fss/trajectory';
import { runOnsets } from '../analysis/index';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { OKABE_ITO_NAMED } from '../plot/palette';
import { paperLayout } from '../plot/styles';
import { show } from '../plot/show';
import { showMarkdown } from '../notebook/display';
import type { RunRow } from '../train/trainScales';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { hexWithAlpha, OnsetField, RunsLike } from './training';

/** Short names of the probe-summary observables in tables and figures. */
const SYMBOLS: Record<string, string> = { totalTopplings: 'S_total', sMax: 's_max', meanSize: 'mean avalanche size' };

function runRows(runs: RunsLike): RunRow[] {
  return Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[]);
}

/**
 * Bin edges for grokking-aligned time r = t / t_on: 0, then powers of 2^(1/binsPerOctave)
 * covering the positive ratios, so that r = 1 (the onset) is always an edge and bins are equally
 * wide on a log axis. Ratios ≤ 0 (epoch 0) fall in the first bin [0, smallest power].
 */
export function alignedBinEdges(ratios: ArrayLike<number>, binsPerOctave = 2): number[] {
  checkInteger('binsPerOctave', binsPerOctave, 1, 64);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ratios.length; i++) {
    const r = ratios[i];
    if (r > 0 && Number.isFinite(r)) {
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
  }
  if (!Number.isFinite(lo)) throw new InvalidOptionError('ratios', 'no positive aligned time: every snapshot is at or before epoch 0');
  const kMin = Math.floor(Math.log2(lo) * binsPerOctave + 1e-9);
  let kMax = Math.ceil(Math.log2(hi) * binsPerOctave - 1e-9);
  if (kMax <= kMin) kMax = kMin + 1;
  // Keep the onset an edge even when every ratio lies on one side of it.
  const from = Math.min(kMin, 0);
  const to = Math.max(kMax, 0);
  const edges = [0];
  for (let k = from; k <= to; k++) edges.push(2 ** (k / binsPerOctave));
  return edges;
}


/** D(t) of one observable. */
export interface ObservableDimension {
  /** Column of the probe summary, e.g. 'totalTopplings'. */
  observable: string;
  /** Its name in tables and figures, e.g. 'S_total'. */
  label: string;
  /** D at every snapshot epoch. */
  epoch: DimensionTrajectory;
  /** D against t / t_on in half-octave bins. */
  aligned: DimensionTrajectory;
  /** Two points: D over every snapshot before the onset (t / t_on < 1) and from the onset on. */
  prePost: DimensionTrajectory;
  /** First crossing of D = 1 on the epoch axis and on the aligned axis (with bootstrap CIs). */
  crossingEpoch: CrossingTime;
  crossingAligned: CrossingTime;
  /** The crossing after which D stays past 1 (options.crossingPersist points), on both axes. */
  lastingEpoch: CrossingTime;
  lastingAligned: CrossingTime;
  /** Every crossing of D = 1 by the point estimate on the aligned axis (time, direction). */
  alignedCrossings: Array<{ time: number; direction: 'up' | 'down' }>;
  /** Probe rows left out: truncated, or the observable ≤ 0 (no log). */
  droppedRows: number;
}

/** Result of {@link grokkingDimension}. */
export type GrokkingDimension =
  | {
      ok: true;
      onsetField: OnsetField;
      /** Scales N (ascending) that entered the fits and their runs. */
      scales: number[];
      runs: number;
      /** Median onset over the included runs (epochs) and its range. */
      onsetMedian: number;
      onsetMin: number;
      onsetMax: number;
      /** Median over the included runs of train onset / test onset: where the train onset sits on the aligned axis (null without a test-onset alignment). */
      trainOnsetAligned: number | null;
      observables: ObservableDimension[];
    }
  | { ok: false; reason: string; scales: number[]; runs: number };

/** Options of {@link grokkingDimension}. */
export interface GrokkingDimensionOptions {
  /** Onset that defines aligned time ['testOnset']. */
  onsetField?: OnsetField;
  /** Probe-summary columns to analyse, primary first [['totalTopplings', 'sMax']]. */
  observables?: string[];
  /** Bootstrap replicates of every D [200] and their seed [0]. */
  bootstrap?: number;
  seed?: number;
  /** Aligned-time bins per octave of t / t_on [2]. */
  binsPerOctave?: number;
  /** Fewest scales for a D at one time point [min(3, number of scales)]. */
  minScales?: number;
  /**
   * Points D must stay past 1 after a crossing for the *lasting* crossing [Infinity: to the last
   * point, the analysis plan's rule used by notebooks 03 and 06]. The first crossing is kept too.
   */
  crossingPersist?: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Every sign change of D − level along the points of a trajectory (linear interpolation). */
export function levelCrossings(trajectory: DimensionTrajectory, level = 1): Array<{ time: number; direction: 'up' | 'down' }> {
  const out: Array<{ time: number; direction: 'up' | 'down' }> = [];
  const p = trajectory.points.filter((q) => Number.isFinite(q.D));
  for (let i = 1; i < p.length; i++) {
    const a = p[i - 1].D - level;
    const b = p[i].D - level;
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) out.push({ time: p[i - 1].time + ((level - p[i - 1].D) * (p[i].time - p[i - 1].time)) / (p[i].D - p[i - 1].D), direction: a < 0 ? 'up' : 'down' });
  }
  return out;
}

/**
 * D(t) around the grokking transition from a probe summary (probeSnapshots(...).summary: scaleN,
 * seed, epoch, totalTopplings, sMax, …) and the runs that may enter the fits (pass the runs of
 * the scales that grok: see nonGrokkingScales / excludeScales). Probe rows of other runs are
 * ignored. Returns `{ ok: false, reason }` — "not enough data: …" — when fewer than two scales
 * remain or no included run has an onset.
 */
export function grokkingDimension(summary: aq.ColumnTable | Array<Record<string, unknown>>, runs: RunsLike, options: GrokkingDimensionOptions = {}): GrokkingDimension {
  const onsetField = options.onsetField ?? 'testOnset';
  const observables = options.observables ?? ['totalTopplings', 'sMax'];
  const bootstrap = options.bootstrap ?? 200;
  const seed = options.seed ?? 0;
  const crossingPersist = options.crossingPersist ?? Infinity;
  const included = runRows(runs).filter((r) => r.status === 'complete');
  const keys = new Set(included.map((r) => `${r.N}|${r.seed}`));
  const allRows = Array.isArray(summary) ? summary : (summary.objects() as Array<Record<string, unknown>>);
  const rows = allRows.filter((r) => keys.has(`${r.scaleN}|${r.seed}`));
  const scales = [...new Set(rows.map((r) => r.scaleN as number))].sort((a, b) => a - b);
  const onsets = runOnsets(included, { field: onsetField });
  const onsetName = onsetField === 'testOnset' ? 'test-accuracy onset' : 'train-accuracy onset';
  if (scales.length < 2) {
    const which = scales.length ? ` (N = ${scales.join(', ')})` : '';
    return { ok: false, reason: `not enough data: D is the slope of ln S against ln N and needs at least two scales with probed snapshots; ${scales.length} scale${scales.length === 1 ? '' : 's'} entered${which}`, scales, runs: included.length };
  }
  const withOnset = rows.filter((r) => onsets.has(`${r.scaleN}|${r.seed}`));
  const onsetScales = new Set(withOnset.map((r) => r.scaleN as number));
  if (onsetScales.size < 2) {
    return { ok: false, reason: `not enough data: aligned time t / t_on needs runs with a ${onsetName} at two or more scales; ${onsetScales.size} scale${onsetScales.size === 1 ? ' has' : 's have'} one`, scales, runs: included.length };
  }
  const minScales = options.minScales ?? Math.min(3, scales.length);
  const ratios = withOnset.map((r) => (r.epoch as number) / onsets.get(`${r.scaleN}|${r.seed}`)!);
  const edges = alignedBinEdges(ratios, options.binsPerOctave ?? 2);
  const onsetValues = [...onsets.values()];
  const results: ObservableDimension[] = observables.map((observable) => {
    // Truncated probes (a runaway avalanche stopped by the guard) are censored; zeros have no log.
    const usable = rows.filter((r) => r.truncated !== true && typeof r[observable] === 'number' && (r[observable] as number) > 0 && Number.isFinite(r[observable] as number));
    const common = { valueField: observable, bootstrap, seed, minScales };
    const epoch = dimensionTrajectory(usable, { time: 'epoch', ...common });
    const aligned = dimensionTrajectory(usable, { time: 'aligned', alignment: 'ratio', onsets, bins: edges, ...common });
    const maxRatio = Math.max(...ratios, 1) * (1 + 1e-9);
    const prePost = dimensionTrajectory(usable, { time: 'aligned', alignment: 'ratio', onsets, bins: [0, 1, maxRatio], ...common, minScales: 2 });
    return {
      observable,
      label: SYMBOLS[observable] ?? observable,
      epoch,
      aligned,
      prePost,
      crossingEpoch: crossingTime(epoch, 1),
      crossingAligned: crossingTime(aligned, 1),
      lastingEpoch: crossingTime(epoch, 1, { persist: crossingPersist }),
      lastingAligned: crossingTime(aligned, 1, { persist: crossingPersist }),
      alignedCrossings: levelCrossings(aligned, 1),
      droppedRows: rows.length - usable.length,
    };
  });
  const trainRatios = included.filter((r) => onsetField === 'testOnset' && r.trainOnset != null && r.testOnset != null && r.testOnset > 0).map((r) => r.trainOnset! / r.testOnset!);
  return { ok: true, onsetField, scales, runs: included.length, onsetMedian: median(onsetValues), trainOnsetAligned: trainRatios.length ? median(trainRatios) : null, onsetMin: Math.min(...onsetValues), onsetMax: Math.max(...onsetValues), observables: results };
}

/**
 * D before and after the onset per observable: observable, D_pre [CI], D_post [CI], ΔD and the
 * scales in each fit. For a failed analysis, one row with the reason.
 */
export function grokkingPrePostTable(analysis: GrokkingDimension): aq.ColumnTable {
  if (!analysis.ok) return aq.from([{ result: analysis.reason }]);
  return aq.from(
    analysis.observables.map((o) => {
      const pre = o.prePost.points.find((p) => p.binHigh === 1);
      const post = o.prePost.points.find((p) => p.binLow === 1);
      return {
        observable: o.label,
        D_pre: pre?.D ?? null,
        D_pre_low: pre?.ciLow ?? null,
        D_pre_high: pre?.ciHigh ?? null,
        D_post: post?.D ?? null,
        D_post_low: post?.ciLow ?? null,
        D_post_high: post?.ciHigh ?? null,
        deltaD: pre && post ? post.D - pre.D : null,
        scalesPre: pre?.nScales ?? 0,
        scalesPost: post?.nScales ?? 0,
      };
    }),
  );
}

/** Half-width factor within which a crossing counts as "at the onset": one half-octave bin. */
export const NEAR_ONSET_FACTOR = Math.SQRT2;

/**
 * Crossings of D = 1 per observable, time axis and rule ('first': the first sign change; 'lasting':
 * the crossing after which D stays past 1, see options.crossingPersist): time, direction, bootstrap
 * CI, fraction of replicates that cross the same way), the onset it is compared with (median
 * onset in epochs, or 1 on the aligned axis), crossing / onset, nearOnset (within a factor √2 —
 * one aligned bin — of the onset), onsetInCI, and how many times the point estimate crosses.
 */
export function grokkingCrossingTable(analysis: GrokkingDimension): aq.ColumnTable {
  if (!analysis.ok) return aq.from([{ result: analysis.reason }]);
  const rows: Array<Record<string, unknown>> = [];
  for (const o of analysis.observables) {
    for (const [rule, axis, c, onset, count] of [
      ['first', 'epoch', o.crossingEpoch, analysis.onsetMedian, levelCrossings(o.epoch).length],
      ['first', 't / t_on', o.crossingAligned, 1, o.alignedCrossings.length],
      ['lasting', 'epoch', o.lastingEpoch, analysis.onsetMedian, levelCrossings(o.epoch).length],
      ['lasting', 't / t_on', o.lastingAligned, 1, o.alignedCrossings.length],
    ] as Array<[string, string, CrossingTime, number, number]>) {
      const crossed = Number.isFinite(c.time);
      const ratio = crossed ? c.time / onset : null;
      rows.push({
        observable: o.label,
        rule,
        axis,
        crossing: crossed ? c.time : null,
        direction: c.direction,
        ciLow: Number.isFinite(c.ciLow) ? c.ciLow : null,
        ciHigh: Number.isFinite(c.ciHigh) ? c.ciHigh : null,
        replicatesCrossing: c.crossedFraction,
        onset,
        crossingOverOnset: ratio,
        nearOnset: ratio !== null && ratio > 0 && Math.abs(Math.log(ratio)) <= Math.log(NEAR_ONSET_FACTOR),
        onsetInCI: Number.isFinite(c.ciLow) && Number.isFinite(c.ciHigh) && c.ciLow <= onset && onset <= c.ciHigh,
        crossings: count,
      });
    }
  }
  return aq.from(rows);
}

/** Options of {@link grokkingDimensionFigure}. */
export interface GrokkingDimensionFigureOptions {
  /** 'epoch' (linear epoch axis, onset range shaded) or 'aligned' (t / t_on, log axis, onset at 1) ['aligned']. */
  time?: 'epoch' | 'aligned';
  title?: string;
  style?: 'single' | 'double';
}

const OBSERVABLE_COLOURS = [OKABE_ITO_NAMED.blue, OKABE_ITO_NAMED.vermillion, OKABE_ITO_NAMED.bluishGreen, OKABE_ITO_NAMED.reddishPurple];

/**
 * D(t) with its bootstrap band for each observable (the first, S_total, solid; others dashed),
 * the line D = 1, and the onset: a vertical line at t / t_on = 1 on the aligned axis, or the
 * shaded range of onsets (min … max over runs) with the median as a line on the epoch axis.
 */
export function grokkingDimensionFigure(analysis: GrokkingDimension, options: GrokkingDimensionFigureOptions = {}): PlotlyFigure {
  if (!analysis.ok) throw new InvalidOptionError('analysis', analysis.reason);
  const time = options.time ?? 'aligned';
  const traces: PlotlyTrace[] = [];
  analysis.observables.forEach((o, index) => {
    const trajectory = time === 'epoch' ? o.epoch : o.aligned;
    const colour = OBSERVABLE_COLOURS[index % OBSERVABLE_COLOURS.length];
    const x = trajectory.points.map((p) => p.time);
    const group = o.observable;
    traces.push({ type: 'scatter', mode: 'lines', x, y: trajectory.points.map((p) => p.ciHigh), line: { width: 0, color: colour }, legendgroup: group, showlegend: false, hoverinfo: 'skip' });
    traces.push({ type: 'scatter', mode: 'lines', x, y: trajectory.points.map((p) => p.ciLow), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: hexWithAlpha(colour, 0.18), legendgroup: group, name: `${Math.round(trajectory.confidence * 100)} % bootstrap CI`, showlegend: false, hoverinfo: 'skip' });
    traces.push({ type: 'scatter', mode: 'lines+markers', name: `D from ${o.label}`, legendgroup: group, x, y: trajectory.points.map((p) => p.D), line: { color: colour, width: 1.6, dash: index === 0 ? 'solid' : 'dash' }, marker: { size: 4, color: colour } });
  });
  const shapes: Array<Record<string, unknown>> = [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dot' } }];
  const onsetName = analysis.onsetField === 'testOnset' ? 'test onset' : 'train onset';
  if (time === 'aligned') {
    shapes.push({ type: 'line', xref: 'x', x0: 1, x1: 1, yref: 'paper', y0: 0, y1: 1, line: { color: '#555555', width: 1, dash: 'dash' } });
    if (analysis.trainOnsetAligned !== null) shapes.push({ type: 'line', xref: 'x', x0: analysis.trainOnsetAligned, x1: analysis.trainOnsetAligned, yref: 'paper', y0: 0, y1: 1, line: { color: '#999999', width: 1, dash: 'dot' } });
  } else {
    shapes.push({ type: 'rect', xref: 'x', x0: analysis.onsetMin, x1: analysis.onsetMax, yref: 'paper', y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, layer: 'below' });
    shapes.push({ type: 'line', xref: 'x', x0: analysis.onsetMedian, x1: analysis.onsetMedian, yref: 'paper', y0: 0, y1: 1, line: { color: '#555555', width: 1, dash: 'dash' } });
  }
  const annotations = [
    { xref: 'paper', x: 0.01, yref: 'y', y: 1, text: 'D = 1', showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { size: 10 } },
    time === 'aligned'
      ? { xref: 'x', x: 0, yref: 'paper', y: 0.02, text: ` ${onsetName}`, showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { size: 10 } }
      : { xref: 'x', x: analysis.onsetMedian, yref: 'paper', y: 0.02, text: ` ${onsetName} (median; range shaded)`, showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { size: 10 } },
    ...(time === 'aligned' && analysis.trainOnsetAligned !== null
      ? [{ xref: 'x', x: Math.log10(analysis.trainOnsetAligned), yref: 'paper', y: 0.1, text: 'train onset (median) ', showarrow: false, xanchor: 'right', yanchor: 'bottom', font: { size: 10, color: '#777777' } }]
      : []),
  ];
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      xaxis: time === 'aligned' ? { title: { text: `aligned time t / t_on (t_on = each run's ${onsetName}; log scale)` }, type: 'log' } : { title: { text: 'epoch' }, type: 'linear' },
      yaxis: { title: { text: `D (S ∝ N^D across ${analysis.scales.length} scales)` } },
      shapes,
      annotations,
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 130 },
    }),
  };
}

/** Headline numbers of the analysis for recordResults (null where undefined). */
export function grokkingDimensionHeadline(analysis: GrokkingDimension): Record<string, unknown> {
  if (!analysis.ok) return { dimension: { ok: false, reason: analysis.reason, scales: analysis.scales } };
  const pp = grokkingPrePostTable(analysis).objects() as Array<Record<string, unknown>>;
  const cr = grokkingCrossingTable(analysis).objects() as Array<Record<string, unknown>>;
  const per = Object.fromEntries(
    analysis.observables.map((o, i) => {
      const aligned = cr.find((r) => r.observable === o.label && r.rule === 'first' && r.axis === 't / t_on')!;
      const epoch = cr.find((r) => r.observable === o.label && r.rule === 'first' && r.axis === 'epoch')!;
      const lasting = cr.find((r) => r.observable === o.label && r.rule === 'lasting' && r.axis === 't / t_on')!;
      return [o.observable, { D_pre: pp[i].D_pre, D_pre_ci: [pp[i].D_pre_low, pp[i].D_pre_high], D_post: pp[i].D_post, D_post_ci: [pp[i].D_post_low, pp[i].D_post_high], crossingAligned: aligned.crossing, crossingAlignedCI: [aligned.ciLow, aligned.ciHigh], crossingDirection: aligned.direction, crossingNearOnset: aligned.nearOnset, crossingEpoch: epoch.crossing, crossingEpochDirection: epoch.direction, crossingsAligned: aligned.crossings, lastingCrossingAligned: lasting.crossing, lastingCrossingAlignedCI: [lasting.ciLow, lasting.ciHigh] }];
    }),
  );
  return { dimension: { ok: true, scales: analysis.scales, runs: analysis.runs, onsetMedian: analysis.onsetMedian, trainOnsetAligned: analysis.trainOnsetAligned, primary: analysis.observables[0]?.observable, ...per } };
}

function num(value: unknown, digits = 3): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : '—';
}

/**
 * The "what this shows" sentences about D(t): D before and after the onset (primary observable
 * first), and whether and in which direction D crosses 1 near the onset — every number from
 * `analysis`; for a failed analysis, its reason.
 */
export function grokkingDimensionMarkdown(analysis: GrokkingDimension): string {
  if (!analysis.ok) return `**D(t):** ${analysis.reason}. No D is reported for this profile.`;
  const pp = grokkingPrePostTable(analysis).objects() as Array<Record<string, unknown>>;
  const cr = grokkingCrossingTable(analysis).objects() as Array<Record<string, unknown>>;
  const onsetName = analysis.onsetField === 'testOnset' ? 'test-accuracy onset' : 'train-accuracy onset';
  const trainAt = analysis.trainOnsetAligned !== null ? ` The train-accuracy onset comes at t / t_on = ${num(analysis.trainOnsetAligned)} (median over runs).` : '';
  const lines = [`**D(t)** from ${analysis.runs} runs at ${analysis.scales.length} scales (N = ${analysis.scales.join(', ')}); the ${onsetName} of these runs lies between epoch ${analysis.onsetMin} and ${analysis.onsetMax} (median ${num(analysis.onsetMedian)}).${trainAt}`];
  analysis.observables.forEach((o, i) => {
    const p = pp[i];
    const c = cr.find((r) => r.observable === o.label && r.rule === 'first' && r.axis === 't / t_on')!;
    const lasting = cr.find((r) => r.observable === o.label && r.rule === 'lasting' && r.axis === 't / t_on')!;
    const role = i === 0 ? ' (primary)' : '';
    let sentence = `**${o.label}${role}:** D = ${num(p.D_pre)} [${num(p.D_pre_low)}, ${num(p.D_pre_high)}] before the onset and ${num(p.D_post)} [${num(p.D_post_low)}, ${num(p.D_post_high)}] after it. `;
    if (c.crossing === null) {
      sentence += `On the aligned axis D(t) does not cross 1 (it stays ${o.aligned.points.every((q) => q.D > 1) ? 'above' : o.aligned.points.every((q) => q.D < 1) ? 'below' : 'on one side'} of 1 at every bin with ≥ ${o.aligned.points[0]?.nScales ?? 0} scales).`;
    } else {
      const where = c.nearOnset ? `near the onset (within a factor √2, one bin)` : (c.crossingOverOnset as number) < 1 ? 'before the onset' : 'after the onset';
      sentence += `D(t) first crosses 1 ${c.direction === 'up' ? 'upwards' : 'downwards'} at t / t_on = ${num(c.crossing)} [${num(c.ciLow)}, ${num(c.ciHigh)}] (${num((c.replicatesCrossing as number) * 100, 2)} % of bootstrap replicates cross the same way): ${where}; ${c.onsetInCI ? 'the onset lies inside' : 'the onset lies outside'} the crossing's CI. The point estimate crosses 1 ${c.crossings} time${c.crossings === 1 ? '' : 's'} in all${o.alignedCrossings.length > 1 ? ` (${o.alignedCrossings.map((x) => `${x.direction} at ${num(x.time)}`).join(', ')})` : ''}.`;
      sentence +=
        lasting.crossing === null
          ? ' There is no lasting crossing (after which D stays past 1 to the last bin, the rule of notebooks 03 and 06).'
          : ` The lasting crossing (D stays past 1 afterwards, the rule of notebooks 03 and 06) is at t / t_on = ${num(lasting.crossing)} [${num(lasting.ciLow)}, ${num(lasting.ciHigh)}], ${lasting.direction === 'up' ? 'upwards' : 'downwards'}.`;
    }
    lines.push(sentence);
  });
  return lines.join('\n\n');
}

/**
 * Shows the D(t) figure of a successful analysis (see {@link grokkingDimensionFigure}), or the
 * reason why there is none as markdown; returns the figure or null. For notebook cells.
 */
export function showGrokkingDimension(analysis: GrokkingDimension, options: GrokkingDimensionFigureOptions = {}): PlotlyFigure | null {
  if (!analysis.ok) {
    showMarkdown(`**No D(t) (${options.time ?? 'aligned'} axis):** ${analysis.reason}.`);
    return null;
  }
  const figure = grokkingDimensionFigure(analysis, options);
  show(figure);
  return figure;
}
