/**
 * Notebook 06: how much D before / after onset and the crossing time of D = 1 move when one
 * choice of the analysis changes — the threshold quantile q, the transfer fraction α, the BA
 * attachment m, the mapping of gradient values to nodes and the time binning of D(t). One call
 * gives a tidy table (one row per choice × value × observable); one builder draws it as small
 * multiples.
 */
import * as aq from 'arquero';
import { RunsInput, runOnsets, sweepSnapshots } from '../analysis/index';
import { crossingTime, dimensionTrajectory } from '../fss/index';
import { GraphSpec } from '../graphs/index';
import { ProbeMapping, ProbeOptions, SnapshotInput } from '../probe/index';
import { OKABE_ITO_NAMED, paperLayout, PlotlyFigure, PlotlyTrace } from '../plot/index';
import { activeProfile } from '../util/profile';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { AnalysisPlan, Observable, OBSERVABLES, probeSweep } from './plan';
import { fitPhase, observationRows, observableShortName, ONE_SEED_NOTE, OnsetMap, phaseRows } from './topologies';

/** The analysis choices varied by {@link robustnessSweep}. */
export const ROBUSTNESS_CHOICES = ['thresholdQuantile', 'alpha', 'baM', 'mapping', 'timeBinning'] as const;
export type RobustnessChoice = (typeof ROBUSTNESS_CHOICES)[number];

/** Readable names (with symbols) of the choices, for panel titles. */
export const ROBUSTNESS_CHOICE_LABELS: Record<RobustnessChoice, string> = {
  thresholdQuantile: 'quantile q',
  alpha: 'transfer α',
  baM: 'BA m',
  mapping: 'values → nodes',
  timeBinning: 'D(t) binning',
};

/** Time axis of D(t): one point per snapshot epoch, or epochs since each run's onset in bins. */
export type TimeBinning = 'epoch' | 'aligned';

/** The values tried for each choice (a choice left out is not varied). */
export interface RobustnessChoices {
  thresholdQuantile?: number[];
  alpha?: number[];
  baM?: number[];
  mapping?: ProbeMapping[];
  timeBinning?: TimeBinning[];
}

/**
 * Values per choice for a profile: smoke tries two per choice (the baseline and the most
 * telling alternative), quick and paper four — q ∈ {0.8, 0.85, 0.9, 0.95}, α ∈ {0.9, 0.95,
 * 0.99, 1}, m ∈ {2, 3, 4, 5} — and both mappings and both binnings.
 */
export function robustnessChoices(profile?: string): Required<RobustnessChoices> {
  const name = activeProfile(profile);
  if (name === 'smoke') return { thresholdQuantile: [0.9, 0.95], alpha: [0.95, 1], baM: [3, 4], mapping: ['identity', 'shuffled'], timeBinning: ['epoch', 'aligned'] };
  return { thresholdQuantile: [0.8, 0.85, 0.9, 0.95], alpha: [0.9, 0.95, 0.99, 1], baM: [2, 3, 4, 5], mapping: ['identity', 'shuffled'], timeBinning: ['epoch', 'aligned'] };
}

/** Options of {@link robustnessSweep}. */
export interface RobustnessOptions {
  /** Values per choice [robustnessChoices(plan.profile)]. */
  choices?: RobustnessChoices;
  /** Observables [['totalTopplings', 'sMax']] (S_total primary). */
  observables?: Observable[];
  /** Bootstrap replicates of every D fit and trajectory [plan.bootstrap]. */
  bootstrap?: number;
  /** Aligned binning: number of equal-width bins of epoch − onset [number of distinct snapshot epochs]. */
  alignedBins?: number;
  /** Called after every evaluated (choice, value). */
  onProgress?: (progress: { fraction: number; elapsedSeconds: number }) => void;
}

/** Output of {@link robustnessSweep}. */
export interface RobustnessResult {
  /**
   * One row per (choice, value, observable): choice, value (label), parameter (number, NaN for
   * categorical choices), observable, isBaseline, dPre, dPreLow, dPreHigh, dPost, dPostLow,
   * dPostHigh, crossing, crossingLow, crossingHigh (in crossingUnit), crossingUnit,
   * crossingSinceOnset (+ Low/High: epochs relative to onset, see below), direction,
   * crossedFraction, truncatedCount (probes stopped by the guard, left out of every fit),
   * probes (probed snapshots × graph seeds), note.
   */
  table: aq.ColumnTable;
  /** Probe batches read from the store, and distinct batches in all. */
  cacheHits: number;
  batches: number;
  /** Median train onset over runs with one (epochs): epoch-binned crossings are shifted by it. */
  medianOnset: number;
}

/**
 * Sensitivity of D_pre, D_post and the crossing time to one choice at a time, all others at the
 * plan's baseline (q, α from plan.probeOptions; BA m from plan.topology; identity mapping;
 * epoch binning). For every (choice, value) the real snapshots are probed through the store
 * (the baseline batch is shared), D_pre / D_post are fitted as in notebook 04 (fitPhase), and
 * D(t) (dimensionTrajectory, every scale required at each time) gives the crossing of D = 1 that
 * persists for plan.crossingPersist snapshots (crossingTime; by default: to the last snapshot) with
 * a bootstrap CI. Epoch binning gives the crossing as an epoch;
 * aligned binning as epochs since onset — `crossingSinceOnset` puts both on the aligned axis by
 * subtracting the median onset from epoch crossings. Truncated probes are counted and left out.
 */
export async function robustnessSweep(runs: RunsInput, plan: AnalysisPlan, options: RobustnessOptions = {}): Promise<RobustnessResult> {
  return robustnessSweepFromSnapshots(sweepSnapshots(runs), runOnsets(runs), plan, options);
}

/** {@link robustnessSweep} on given snapshots and onsets (keyed `${N}|${seed}`). */
export async function robustnessSweepFromSnapshots(real: SnapshotInput[], onsets: OnsetMap, plan: AnalysisPlan, options: RobustnessOptions = {}): Promise<RobustnessResult> {
  const choices = options.choices ?? robustnessChoices(plan.profile);
  if (!choices || typeof choices !== 'object') throw new InvalidOptionError('choices', `must be an object with arrays under ${ROBUSTNESS_CHOICES.join(', ')}`);
  for (const key of Object.keys(choices)) checkChoice('choices', key, ROBUSTNESS_CHOICES);
  const list: Array<{ choice: RobustnessChoice; value: number | string }> = [];
  for (const choice of ROBUSTNESS_CHOICES) {
    const values = (choices as Record<string, unknown>)[choice];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length === 0) throw new InvalidOptionError(`choices.${choice}`, 'must be a non-empty array of values');
    for (const value of values as Array<number | string>) {
      validateValue(choice, value);
      list.push({ choice, value });
    }
  }
  if (list.length === 0) throw new InvalidOptionError('choices', 'no choice to vary');
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? plan.bootstrap, 0);
  if (!Array.isArray(real) || real.length === 0) throw new InvalidOptionError('snapshots', 'no real snapshots: train the sweep first');
  const alignedBins = checkInteger('alignedBins', options.alignedBins ?? new Set(real.map((s) => s.epoch)).size, 1);
  const onsetValues = Array.from(onsets.values()).sort((a, b) => a - b);
  const medianOnset = onsetValues.length === 0 ? NaN : onsetValues.length % 2 ? onsetValues[(onsetValues.length - 1) / 2] : 0.5 * (onsetValues[onsetValues.length / 2 - 1] + onsetValues[onsetValues.length / 2]);
  const baseTopology = plan.topology;
  const baseM = typeof baseTopology === 'object' && baseTopology.kind === 'ba' ? baseTopology.m ?? 3 : NaN;

  const probes = new Map<string, Promise<{ rows: ReturnType<typeof observationRows>; hit: boolean }>>();
  const probeOnce = (topology: GraphSpec, probeOptions: ProbeOptions) => {
    const key = JSON.stringify([topology, probeOptions]);
    let p = probes.get(key);
    if (!p) {
      p = probeSweep(real, plan, { topology, probeOptions, keepAvalanches: false }).then((r) => ({ rows: observationRows(r.summary), hit: r.hit }));
      probes.set(key, p);
    }
    return p;
  };

  const started = Date.now();
  const scaleCount = new Set(real.map((s) => s.scaleN ?? s.values.length)).size;
  const rows: Array<Record<string, unknown>> = [];
  let done = 0;
  for (const { choice, value } of list) {
    let topology: GraphSpec = baseTopology;
    const probeOptions: ProbeOptions = { ...plan.probeOptions };
    let time: TimeBinning = 'epoch';
    if (choice === 'thresholdQuantile') probeOptions.thresholdQuantile = value as number;
    else if (choice === 'alpha') probeOptions.alpha = value as number;
    else if (choice === 'baM') topology = { kind: 'ba', m: value as number };
    else if (choice === 'mapping') {
      probeOptions.mapping = value as ProbeMapping;
      if (value === 'shuffled') probeOptions.mappingSeed = plan.seed;
    } else time = value as TimeBinning;
    const isBaseline = isBaselineValue(choice, value, plan, baseM);
    const { rows: observations } = await probeOnce(topology, probeOptions);
    const truncatedCount = observations.reduce((c, r) => c + (r.truncated ? 1 : 0), 0);
    for (const observable of observables) {
      const pre = fitPhase(phaseRows(observations, 'pre', onsets), observable, { bootstrap, seed: plan.seed });
      const post = fitPhase(phaseRows(observations, 'post', onsets), observable, { bootstrap, seed: plan.seed });
      const crossing = crossingOf(observations, observable, time, { bootstrap, seed: plan.seed, onsets, alignedBins, minScales: scaleCount, persist: plan.crossingPersist });
      const shift = time === 'epoch' ? medianOnset : 0;
      const notes = [
        ...pre.notes.filter((n) => n.startsWith('not enough')).map((n) => `D_pre: ${n}`),
        ...post.notes.filter((n) => n.startsWith('not enough')).map((n) => `D_post: ${n}`),
        ...(pre.notes.includes(ONE_SEED_NOTE) || post.notes.includes(ONE_SEED_NOTE) ? [ONE_SEED_NOTE] : []),
        ...(truncatedCount > 0 ? [`${truncatedCount} truncated probe(s) left out of every fit`] : []),
        crossing.note,
      ].filter((n) => n);
      rows.push({
        choice,
        value: String(value),
        parameter: typeof value === 'number' ? value : NaN,
        observable,
        isBaseline,
        dPre: pre.D,
        dPreLow: pre.ciLow,
        dPreHigh: pre.ciHigh,
        dPost: post.D,
        dPostLow: post.ciLow,
        dPostHigh: post.ciHigh,
        crossing: crossing.time,
        crossingLow: crossing.ciLow,
        crossingHigh: crossing.ciHigh,
        crossingUnit: time === 'epoch' ? 'epoch' : 'epochs since onset',
        crossingSinceOnset: crossing.time - shift,
        crossingSinceOnsetLow: crossing.ciLow - shift,
        crossingSinceOnsetHigh: crossing.ciHigh - shift,
        direction: crossing.direction,
        crossedFraction: crossing.crossedFraction,
        truncatedCount,
        probes: observations.length,
        note: Array.from(new Set(notes)).join('; '),
      });
    }
    done++;
    options.onProgress?.({ fraction: done / list.length, elapsedSeconds: (Date.now() - started) / 1000 });
  }
  let cacheHits = 0;
  for (const p of probes.values()) if ((await p).hit) cacheHits++;
  return { table: aq.from(rows), cacheHits, batches: probes.size, medianOnset };
}

function validateValue(choice: RobustnessChoice, value: unknown): void {
  const field = `choices.${choice}`;
  if (choice === 'thresholdQuantile' && !(typeof value === 'number' && value > 0 && value < 1)) throw new InvalidOptionError(field, `values must be numbers in (0, 1), got ${String(value)}`);
  if (choice === 'alpha' && !(typeof value === 'number' && value > 0 && value <= 1)) throw new InvalidOptionError(field, `values must be numbers in (0, 1], got ${String(value)}`);
  if (choice === 'baM') checkInteger(field, value as number, 1);
  if (choice === 'mapping') checkChoice(field, value, ['identity', 'shuffled'] as const);
  if (choice === 'timeBinning') checkChoice(field, value, ['epoch', 'aligned'] as const);
}

function isBaselineValue(choice: RobustnessChoice, value: number | string, plan: AnalysisPlan, baseM: number): boolean {
  if (choice === 'thresholdQuantile') return value === (plan.probeOptions.thresholdQuantile ?? 0.9);
  if (choice === 'alpha') return value === (plan.probeOptions.alpha ?? 0.95);
  if (choice === 'baM') return value === baseM;
  if (choice === 'mapping') return value === (plan.probeOptions.mapping ?? 'identity');
  return value === 'epoch';
}

/** The lasting crossing of D = 1 by D(t) (plan.crossingPersist points) on one time axis; NaN with a note when there is none or no trajectory. */
function crossingOf(
  observations: ReturnType<typeof observationRows>,
  observable: Observable,
  time: TimeBinning,
  options: { bootstrap: number; seed: number; onsets: OnsetMap; alignedBins: number; minScales: number; persist: number },
): { time: number; ciLow: number; ciHigh: number; direction: string; crossedFraction: number; note: string } {
  const usable = observations.filter((r) => !r.truncated && r[observable] > 0);
  const none = (note: string) => ({ time: NaN, ciLow: NaN, ciHigh: NaN, direction: 'none', crossedFraction: NaN, note });
  const scales = new Set(usable.map((r) => r.scaleN)).size;
  if (scales < 2) return none(`not enough data for D(t): ${scales} scale(s)`);
  const trajectory = dimensionTrajectory(usable as unknown as Array<Record<string, unknown>>, {
    time,
    valueField: observable,
    bootstrap: options.bootstrap,
    seed: options.seed,
    onsets: options.onsets,
    bins: options.alignedBins,
    minScales: Math.min(options.minScales, scales),
  });
  if (trajectory.points.length < 2) return none(`not enough data for D(t): ${trajectory.points.length} time point(s) with every scale`);
  const c = crossingTime(trajectory, 1, { persist: options.persist });
  return { time: c.time, ciLow: c.ciLow, ciHigh: c.ciHigh, direction: c.direction, crossedFraction: c.crossedFraction, note: c.direction === 'none' ? 'D(t) does not cross 1' : '' };
}

/**
 * Small multiples of a robustness table for one observable: one column per choice; top row D
 * before (blue) and after (vermillion) onset with 95 % CIs against the choice's value, with the
 * D = 1 line and the number of truncated probes written above values that had any; bottom row
 * the crossing time of D = 1 relative to the median onset (0 = onset), with its CI.
 */
export function robustnessFigure(table: aq.ColumnTable, observable: Observable, options: { style?: string } = {}): PlotlyFigure {
  const objects = (table.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  if (objects.length === 0) throw new InvalidOptionError('observable', `no rows for observable ${observable} in the robustness table`);
  const choices = ROBUSTNESS_CHOICES.filter((c) => objects.some((r) => r.choice === c));
  const k = choices.length;
  const gap = 0.05;
  const width = (1 - gap * (k - 1)) / k;
  const layoutAxes: Record<string, unknown> = {};
  const data: PlotlyTrace[] = [];
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const err = (rows: Array<Record<string, any>>, v: string, lo: string, hi: string) => ({
    type: 'data',
    symmetric: false,
    array: rows.map((r) => (Number.isFinite(r[hi]) && Number.isFinite(r[v]) ? r[hi] - r[v] : null)),
    arrayminus: rows.map((r) => (Number.isFinite(r[lo]) && Number.isFinite(r[v]) ? r[v] - r[lo] : null)),
    thickness: 1,
    width: 2,
  });
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  choices.forEach((choice, j) => {
    const rows = objects.filter((r) => r.choice === choice);
    const numeric = rows.every((r) => Number.isFinite(r.parameter));
    const x = rows.map((r) => (numeric ? r.parameter : r.value));
    const top = j + 1;
    const bottom = k + j + 1;
    const axisName = (n: number) => (n === 1 ? '' : String(n));
    const domain = [j * (width + gap), j * (width + gap) + width];
    layoutAxes[`xaxis${axisName(top)}`] = { domain, anchor: `y${axisName(top)}`, type: numeric ? 'linear' : 'category', showticklabels: true, matches: undefined };
    layoutAxes[`yaxis${axisName(top)}`] = { domain: [0.55, 1], anchor: `x${axisName(top)}`, title: j === 0 ? { text: `D (${observableShortName(observable)})` } : undefined, ...(j > 0 ? { matches: 'y' } : {}) };
    layoutAxes[`xaxis${axisName(bottom)}`] = { domain, anchor: `y${axisName(bottom)}`, type: numeric ? 'linear' : 'category', title: { text: ROBUSTNESS_CHOICE_LABELS[choice] } };
    layoutAxes[`yaxis${axisName(bottom)}`] = { domain: [0, 0.4], anchor: `x${axisName(bottom)}`, title: j === 0 ? { text: 'crossing − onset (epochs)' } : undefined, ...(j > 0 ? { matches: `y${k + 1}` } : {}) };
    const common = { xaxis: `x${axisName(top)}`, yaxis: `y${axisName(top)}`, type: 'scatter', mode: 'markers+lines' };
    data.push({ ...common, name: 'D before onset', legendgroup: 'pre', showlegend: j === 0, x, y: rows.map((r) => num(r.dPre)), error_y: { ...err(rows, 'dPre', 'dPreLow', 'dPreHigh'), color: OKABE_ITO_NAMED.blue }, marker: { color: OKABE_ITO_NAMED.blue, size: 5 }, line: { color: OKABE_ITO_NAMED.blue, width: 1 } });
    data.push({ ...common, name: 'D after onset', legendgroup: 'post', showlegend: j === 0, x, y: rows.map((r) => num(r.dPost)), error_y: { ...err(rows, 'dPost', 'dPostLow', 'dPostHigh'), color: OKABE_ITO_NAMED.vermillion }, marker: { color: OKABE_ITO_NAMED.vermillion, size: 5, symbol: 'square' }, line: { color: OKABE_ITO_NAMED.vermillion, width: 1 } });
    data.push({
      type: 'scatter',
      mode: 'markers',
      xaxis: `x${axisName(bottom)}`,
      yaxis: `y${axisName(bottom)}`,
      name: 'crossing of D = 1 − onset',
      legendgroup: 'crossing',
      showlegend: j === 0,
      x,
      y: rows.map((r) => num(r.crossingSinceOnset)),
      error_y: { ...err(rows, 'crossingSinceOnset', 'crossingSinceOnsetLow', 'crossingSinceOnsetHigh'), color: OKABE_ITO_NAMED.black },
      marker: { color: OKABE_ITO_NAMED.black, size: 5, symbol: 'diamond' },
    });
    shapes.push({ type: 'line', xref: `x${axisName(top)} domain`, x0: 0, x1: 1, yref: `y${axisName(top)}`, y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dash' } });
    shapes.push({ type: 'line', xref: `x${axisName(bottom)} domain`, x0: 0, x1: 1, yref: `y${axisName(bottom)}`, y0: 0, y1: 0, line: { color: '#888888', width: 1, dash: 'dot' } });
    rows.forEach((r, i) => {
      if (r.truncatedCount > 0) annotations.push({ xref: `x${axisName(top)}`, yref: `y${axisName(top)} domain`, x: x[i], y: 1, yanchor: 'bottom', text: `${r.truncatedCount} trunc.`, showarrow: false, font: { size: 9, color: OKABE_ITO_NAMED.vermillion } });
    });
  });
  return {
    data,
    layout: paperLayout(options.style ?? 'double', {
      ...layoutAxes,
      title: { text: `Robustness of D and of the crossing of D = 1 (${observableShortName(observable)}; one choice varied at a time)` },
      shapes,
      annotations,
      height: 420,
      legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top' },
      margin: { l: 50, r: 10, t: 40, b: 80 },
    }),
  };
}

/** Rows of the robustness table with truncated probes (choice, value, count) — for showing them. */
export function truncationTable(table: aq.ColumnTable): aq.ColumnTable {
  const rows = (table.objects() as Array<Record<string, any>>).filter((r) => r.observable === OBSERVABLES[0] || !table.objects().some((s: any) => s.observable === OBSERVABLES[0]));
  return aq.from(rows.map((r) => ({ choice: r.choice, value: r.value, probes: r.probes, truncated: r.truncatedCount, fraction: r.probes > 0 ? r.truncatedCount / r.probes : NaN })));
}

/**
 * Largest |change| of D_pre, D_post (and the crossing, in epochs since onset) from the baseline
 * row, per choice and observable — the one-line summary of the robustness study.
 */
export function robustnessSpread(table: aq.ColumnTable): aq.ColumnTable {
  const objects = table.objects() as Array<Record<string, any>>;
  const out: Array<Record<string, unknown>> = [];
  for (const observable of OBSERVABLES) {
    for (const choice of ROBUSTNESS_CHOICES) {
      const rows = objects.filter((r) => r.choice === choice && r.observable === observable);
      const base = rows.find((r) => r.isBaseline);
      if (!base || rows.length < 2) continue;
      const spread = (field: string) => {
        const deltas = rows.filter((r) => r !== base && Number.isFinite(r[field]) && Number.isFinite(base[field])).map((r) => Math.abs(r[field] - base[field]));
        return deltas.length ? Math.max(...deltas) : NaN;
      };
      out.push({ observable, choice, values: rows.length, maxDeltaDPre: spread('dPre'), maxDeltaDPost: spread('dPost'), maxDeltaCrossing: spread('crossingSinceOnset'), truncated: rows.reduce((c, r) => c + r.truncatedCount, 0) });
    }
  }
  return aq.from(out);
}

/**
 * The closing "what this shows" paragraph of notebook 06 for one observable, every number from
 * the table: the baseline D_pre / D_post, for each choice the range of D_pre, D_post and the
 * crossing (relative to onset) over its values, how many values keep D_pre < 1 < D_post, and
 * the truncated probes.
 */
export function robustnessSummaryMarkdown(table: aq.ColumnTable, observable: Observable = 'totalTopplings'): string {
  const objects = (table.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  if (objects.length === 0) return `No robustness rows for ${observableShortName(observable)}.`;
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const span = (values: number[], digits = 2) => {
    const finite = values.filter(Number.isFinite);
    return finite.length ? `${Math.min(...finite).toFixed(digits)} to ${Math.max(...finite).toFixed(digits)}` : 'n/a';
  };
  const base = objects.find((r) => r.isBaseline);
  const lines: string[] = [];
  const g = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  if (base) lines.push(`**Baseline (${observableShortName(observable)}).** D_pre = ${f(base.dPre)} [${f(base.dPreLow)}, ${f(base.dPreHigh)}], D_post = ${f(base.dPost)} [${f(base.dPostLow)}, ${f(base.dPostHigh)}], lasting crossing of D = 1 (D stays past 1 afterwards) at ${g(base.crossingSinceOnset)} epochs from the median onset (CI ${g(base.crossingSinceOnsetLow)} to ${g(base.crossingSinceOnsetHigh)}).`);
  if (objects.some((r) => typeof r.note === 'string' && r.note.includes(ONE_SEED_NOTE))) lines.push('*One training seed per scale in this run: every CI has zero width, so "clear of 1" below means only the point estimate.*');
  for (const choice of ROBUSTNESS_CHOICES) {
    const rows = objects.filter((r) => r.choice === choice);
    if (rows.length === 0) continue;
    const straddle = rows.filter((r) => r.dPreHigh < 1 && r.dPostLow > 1).length;
    const truncated = rows.reduce((c, r) => c + r.truncatedCount, 0);
    lines.push(
      `- **${ROBUSTNESS_CHOICE_LABELS[choice]}** (${rows.map((r) => r.value).join(', ')}): D_pre ${span(rows.map((r) => r.dPre))}, D_post ${span(rows.map((r) => r.dPost))}; ` +
        `D_pre < 1 < D_post with both CIs clear of 1 for ${straddle} of ${rows.length} values; crossing − onset ${span(rows.map((r) => r.crossingSinceOnset), 0)} epochs` +
        (truncated > 0 ? `; ${truncated} truncated probes (${rows.filter((r) => r.truncatedCount > 0).map((r) => `value ${r.value}: ${r.truncatedCount} of ${r.probes}`).join(', ')}), left out of the fits` : '') +
        '.',
    );
  }
  return lines.join('\n');
}

/** Headline numbers of a robustness table for recordResults (S_total unless `observable`). */
export function robustnessHeadline(table: aq.ColumnTable, observable: Observable = 'totalTopplings'): Record<string, unknown> {
  const objects = (table.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  const base = objects.find((r) => r.isBaseline);
  const spanOf = (rows: Array<Record<string, any>>, field: string): [number, number] => {
    const finite = rows.map((r) => r[field] as number).filter(Number.isFinite);
    return finite.length ? [Math.min(...finite), Math.max(...finite)] : [NaN, NaN];
  };
  const per = (field: string) => Object.fromEntries(ROBUSTNESS_CHOICES.filter((c) => objects.some((r) => r.choice === c)).map((c) => [c, spanOf(objects.filter((r) => r.choice === c), field)]));
  return {
    observable,
    baselineDPre: base?.dPre ?? NaN,
    baselineDPost: base?.dPost ?? NaN,
    baselineCrossingSinceOnset: base?.crossingSinceOnset ?? NaN,
    dPreRange: per('dPre'),
    dPostRange: per('dPost'),
    crossingSinceOnsetRange: per('crossingSinceOnset'),
    truncatedProbes: Object.fromEntries(objects.filter((r) => r.truncatedCount > 0).map((r) => [`${r.choice}=${r.value}`, r.truncatedCount])),
  };
}
