/**
 * Notebook 03 (finite-size scaling): the probe's per-snapshot observables joined to each run's
 * onset, D(t) with its bootstrap band and the time at which it crosses 1, D before and after
 * onset (S ∝ N^D) with leave-one-scale-out checks, and the data collapse of the avalanche-size
 * distributions, s^τ P_N(s) = G(s / N^D). Pure functions: tables in, results / plotly figures out.
 * Every step returns a "not enough data: …" note instead of throwing when a profile is too small
 * for it (e.g. smoke: two scales, one seed), and never a made-up number.
 */
import * as aq from 'arquero';
import { completedRuns, RunsInput, runOnsets } from '../analysis/index';
import {
  autoscaleCollapse,
  AutoscaleResult,
  BinnedCurve,
  binCollapseCurves,
  collapseQuality,
  CollapseQuality,
  crossingTime,
  CrossingTime,
  dimensionTrajectory,
  DimensionTrajectory,
  fitScalingExponent,
  scaleCurves as scaleCollapseCurves,
  ScalingExponentFit,
} from '../fss/index';
import { mergeLayout, OKABE_ITO_NAMED, paperLayout, PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/index';
import { percentileInterval, quantileSorted } from '../stats/bootstrap';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { Observable, OBSERVABLE_LABELS, OBSERVABLES } from './plan';
import { scaleColour } from './training';

/** The paper's XOR numbers (arXiv 2604.04655): D before and after the transition, typed in as the paper's. */
export const PAPER_FSS = { dPre: 0.9, dPost: 1.2, source: 'arXiv 2604.04655 (the paper under test): XOR, real gradients, eight scales' } as const;

/** Short symbol of an observable for legends and tables: 'S_total' or 's_max'. */
export function observableSymbol(observable: Observable): string {
  return observable === 'totalTopplings' ? 'S_total' : 's_max';
}

/** Same symbol with HTML subscripts, for plotly text. */
function observableHtml(observable: Observable): string {
  return observable === 'totalTopplings' ? 'S<sub>total</sub>' : 's<sub>max</sub>';
}

// ---------------------------------------------------------------- rows

/** Phase of a snapshot relative to its run's train onset; 'none' when the run never reached one. */
export type ScalingPhase = 'pre' | 'post' | 'none';

/** One probed snapshot (one graph seed) with its run's onset. */
export interface ScalingRow {
  scaleN: number;
  seed: number;
  snapshot: number;
  epoch: number;
  graphSeed: number;
  totalTopplings: number;
  sMax: number;
  truncated: boolean;
  /** The run's train onset (first epoch from which training accuracy stays ≥ 0.99); NaN if never. */
  onsetEpoch: number;
  /** 'pre': epoch < onset; 'post': epoch ≥ onset; 'none': the run has no onset. */
  phase: ScalingPhase;
}

function requireColumns(table: aq.ColumnTable, field: string, names: readonly string[]): void {
  if (table == null || typeof (table as aq.ColumnTable).columnNames !== 'function') throw new InvalidOptionError(field, 'must be an arquero table from probeSnapshots / probeSweep');
  const missing = names.filter((n) => !table.columnNames().includes(n));
  if (missing.length) throw new InvalidOptionError(field, `lacks column(s) ${missing.join(', ')}; it has ${table.columnNames().join(', ')}`);
}

/**
 * The probe summary (probeSweep(runs, plan).summary) as rows with each run's onset and phase.
 * Rows are matched to completed runs by (scaleN = N, seed).
 * @throws InvalidOptionError when a summary row has no completed run
 */
export function scalingRows(summary: aq.ColumnTable, runs: RunsInput): ScalingRow[] {
  requireColumns(summary, 'summary', ['scaleN', 'seed', 'snapshot', 'epoch', 'graphSeed', 'totalTopplings', 'sMax', 'truncated']);
  const onsets = runOnsets(runs, { includeMissing: true });
  const col = (name: string) => summary.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, epoch, graphSeed, total, sMax] = ['scaleN', 'seed', 'snapshot', 'epoch', 'graphSeed', 'totalTopplings', 'sMax'].map(col);
  const truncated = summary.array('truncated') as ArrayLike<unknown>;
  const rows: ScalingRow[] = [];
  for (let i = 0; i < summary.numRows(); i++) {
    const onset = onsets.get(`${scaleN[i]}|${seed[i]}`);
    if (onset === undefined) throw new InvalidOptionError('runs', `has no completed run with N = ${scaleN[i]}, seed = ${seed[i]} (summary row ${i})`);
    const phase: ScalingPhase = Number.isNaN(onset) ? 'none' : epoch[i] < onset ? 'pre' : 'post';
    rows.push({ scaleN: scaleN[i], seed: seed[i], snapshot: snapshot[i], epoch: epoch[i], graphSeed: graphSeed[i], totalTopplings: total[i], sMax: sMax[i], truncated: truncated[i] === true, onsetEpoch: onset, phase });
  }
  return rows;
}

/**
 * Rows usable for a fit of `observable`: not truncated (the guard stopped a runaway avalanche,
 * so the value is censored) and finite > 0 (its logarithm is taken). Counts what was left out.
 */
export function usableRows(rows: ScalingRow[], observable: Observable): { rows: ScalingRow[]; truncated: number; nonPositive: number } {
  checkChoice('observable', observable, OBSERVABLES);
  let truncated = 0;
  let nonPositive = 0;
  const kept: ScalingRow[] = [];
  for (const r of rows) {
    if (r.truncated) truncated++;
    else if (!(r[observable] > 0) || !Number.isFinite(r[observable])) nonPositive++;
    else kept.push(r);
  }
  return { rows: kept, truncated, nonPositive };
}

function leftOutNote(u: { truncated: number; nonPositive: number }): string[] {
  const notes: string[] = [];
  if (u.truncated) notes.push(`${u.truncated} truncated probe(s) left out`);
  if (u.nonPositive) notes.push(`${u.nonPositive} snapshot(s) with value 0 left out`);
  return notes;
}

function distinct(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function minSeedsPerScale(rows: ScalingRow[]): number {
  const seeds = new Map<number, Set<number>>();
  for (const r of rows) {
    if (!seeds.has(r.scaleN)) seeds.set(r.scaleN, new Set());
    seeds.get(r.scaleN)!.add(r.seed);
  }
  return Math.min(...[...seeds.values()].map((s) => s.size));
}

const ONE_SEED = 'one training seed at some scale: the bootstrap CI cannot show seed-to-seed spread';

// ---------------------------------------------------------------- onset

/** The train onsets of a sweep (epochs) over the completed runs that reached one. */
export interface OnsetSummary {
  median: number;
  q25: number;
  q75: number;
  min: number;
  max: number;
  /** Runs that reached an onset, and completed runs in all. */
  reached: number;
  runs: number;
}

/** Median, quartiles and range of the train onset over completed runs (NaN when none reached it). */
export function trainOnsetSummary(runs: RunsInput): OnsetSummary {
  const completed = completedRuns(runs);
  const onsets = Float64Array.from(completed.map((r) => r.trainOnset).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))).sort();
  const q = (p: number) => (onsets.length ? quantileSorted(onsets, p) : NaN);
  return { median: q(0.5), q25: q(0.25), q75: q(0.75), min: q(0), max: q(1), reached: onsets.length, runs: completed.length };
}

// ---------------------------------------------------------------- D(t) and its crossing of 1

/**
 * Crossing of a level after which D(t) stays on the far side (see {@link sustainedCrossing}):
 * crossingTime's result with `persist: Infinity`; direction is 'none' when there is no such crossing.
 */
export type SustainedCrossing = CrossingTime;

/**
 * The crossing of `level` (default 1) after which D(t) stays on the far side to the last time
 * point: for 'up', the last point with D < level and the next point (D ≥ level) are
 * interpolated linearly. This mirrors the onset definition (first epoch of accuracy ≥ 0.99 that
 * holds) and, unlike the first crossing (crossingTime), is not moved by an early excursion of a
 * noisy D(t) across the level. The CI applies the same rule to every coherent bootstrap
 * replicate of the trajectory (replicates without such a crossing are counted, not used).
 */
export function sustainedCrossing(trajectory: DimensionTrajectory, level = 1, direction: 'up' | 'down' = 'up', confidence?: number): SustainedCrossing {
  checkChoice('direction', direction, ['up', 'down'] as const);
  return crossingTime(trajectory, level, { direction, persist: Infinity, confidence });
}

/** Options of {@link trajectoryAnalysis}. */
export interface TrajectoryAnalysisOptions {
  /** Bootstrap replicates (seed clusters resampled within scales) [200]. */
  bootstrap?: number;
  /** Bootstrap seed [0]. */
  seed?: number;
  /** 'epoch' (default) or 'aligned' (epoch − the run's onset, binned; runs without onset left out). */
  time?: 'epoch' | 'aligned';
  /** Aligned time: number of equal bins or bin edges [20]. */
  bins?: number | number[];
  /** Level whose crossing is timed [1]. */
  level?: number;
}

/** D(t) of one observable with its crossings of the level, or a note saying why there is none. */
export interface TrajectoryAnalysis {
  observable: Observable;
  time: 'epoch' | 'aligned';
  level: number;
  trajectory: DimensionTrajectory | null;
  /** First crossing in either direction (crossingTime of lib/fss). */
  firstCrossing: CrossingTime | null;
  /** Upward crossing after which D stays ≥ level (see {@link sustainedCrossing}). */
  sustained: SustainedCrossing | null;
  rows: number;
  notes: string[];
  note: string;
}

/**
 * D(t): the finite-size-scaling slope of the observable at every snapshot epoch (or aligned-time
 * bin) with a percentile bootstrap band (dimensionTrajectory), the first crossing of the level
 * (crossingTime) and the sustained upward crossing (sustainedCrossing), both with CIs from the
 * same coherent replicates. Truncated and zero-valued snapshots are left out and counted.
 */
export function trajectoryAnalysis(rows: ScalingRow[], observable: Observable, options: TrajectoryAnalysisOptions = {}): TrajectoryAnalysis {
  const time = checkChoice('time', options.time ?? 'epoch', ['epoch', 'aligned'] as const);
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? 200, 0);
  const level = options.level ?? 1;
  const u = usableRows(rows, observable);
  const used = time === 'aligned' ? u.rows.filter((r) => Number.isFinite(r.onsetEpoch)) : u.rows;
  const notes = leftOutNote(u);
  if (time === 'aligned' && used.length < u.rows.length) notes.push(`${u.rows.length - used.length} snapshot(s) of runs without an onset left out`);
  const empty = (note: string): TrajectoryAnalysis => ({ observable, time, level, trajectory: null, firstCrossing: null, sustained: null, rows: used.length, notes: [note, ...notes], note: [note, ...notes].join('; ') });
  const scales = distinct(used.map((r) => r.scaleN));
  if (scales.length < 2) return empty(`not enough data: ${scales.length} scale(s) with usable snapshots, D(t) needs 2`);
  const trajectory = dimensionTrajectory(used as unknown as Array<Record<string, unknown>>, { time, valueField: observable, bootstrap, seed: options.seed ?? 0, bins: options.bins ?? 20, onsetField: 'onsetEpoch' });
  if (trajectory.points.length < 2) return empty(`not enough data: D(t) has ${trajectory.points.length} time point(s)`);
  if (minSeedsPerScale(used) < 2) notes.push(ONE_SEED);
  if (bootstrap === 0) notes.push('bootstrap 0: no band and no crossing CI');
  return {
    observable,
    time,
    level,
    trajectory,
    firstCrossing: crossingTime(trajectory, level),
    sustained: sustainedCrossing(trajectory, level, 'up'),
    rows: used.length,
    notes,
    note: notes.join('; '),
  };
}

// ---------------------------------------------------------------- D before and after onset

/** D of one observable in one phase (fitScalingExponent), or a note saying why there is none. */
export interface PhaseScaling {
  observable: Observable;
  phase: 'pre' | 'post';
  fit: ScalingExponentFit | null;
  rows: number;
  notes: string[];
  note: string;
}

/**
 * The finite-size-scaling exponent D in ⟨ln value⟩_N = c + D ln N from the snapshots of one
 * phase (pre: epoch < the run's onset; post: epoch ≥ onset; runs without an onset are in
 * neither), with the seed-cluster bootstrap CI and leave-one-scale-out refits.
 */
export function phaseScaling(rows: ScalingRow[], observable: Observable, phase: 'pre' | 'post', options: { bootstrap?: number; seed?: number } = {}): PhaseScaling {
  checkChoice('phase', phase, ['pre', 'post'] as const);
  const u = usableRows(rows.filter((r) => r.phase === phase), observable);
  const notes = leftOutNote(u);
  const scales = distinct(u.rows.map((r) => r.scaleN));
  if (scales.length < 2) {
    const note = `not enough data: ${scales.length} scale(s) with ${phase}-onset snapshots, a slope needs 2`;
    return { observable, phase, fit: null, rows: u.rows.length, notes: [note, ...notes], note: [note, ...notes].join('; ') };
  }
  const fit = fitScalingExponent(u.rows as unknown as Array<Record<string, unknown>>, { bootstrap: options.bootstrap ?? 1000, seed: options.seed ?? 0, valueField: observable });
  if (Math.min(...fit.seedCounts) < 2) notes.push(ONE_SEED);
  if (fit.scales.length === 2) notes.push('two scales: the line passes through both points (R² = 1 says nothing)');
  return { observable, phase, fit, rows: u.rows.length, notes, note: notes.join('; ') };
}

/** All four fits: (S_total, s_max) × (pre, post), in that order. */
export function phaseScalingAll(rows: ScalingRow[], options: { bootstrap?: number; seed?: number; observables?: Observable[] } = {}): PhaseScaling[] {
  const observables = options.observables ?? [...OBSERVABLES];
  return observables.flatMap((o) => (['pre', 'post'] as const).map((p) => phaseScaling(rows, o, p, options)));
}

/**
 * One row per fit: observable, phase, D, 95 % CI, bootstrap s.e., OLS s.e., R², scales, seeds,
 * rows, the range of the leave-one-scale-out D, and notes.
 */
export function scalingFitTable(fits: PhaseScaling[]): aq.ColumnTable {
  return aq.from(
    fits.map((f) => {
      const loo = f.fit?.leaveOneOut.map((l) => l.D) ?? [];
      return {
        observable: observableSymbol(f.observable),
        phase: f.phase === 'pre' ? 'before onset' : 'after onset',
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
        note: f.note,
      };
    }),
  );
}

/** Leave-one-scale-out D of every fit: observable, phase, left-out N, D without it, change from the full D. */
export function leaveOneOutTable(fits: PhaseScaling[]): aq.ColumnTable {
  const rows = fits.flatMap((f) => (f.fit?.leaveOneOut ?? []).map((l) => ({ observable: observableSymbol(f.observable), phase: f.phase, leftOutN: l.scaleN, D: l.D, change: l.D - f.fit!.D })));
  return rows.length ? aq.from(rows) : aq.table({ observable: [], phase: [], leftOutN: [], D: [], change: [] });
}

// ---------------------------------------------------------------- data collapse

/** Options of {@link collapseAnalysis}. */
export interface CollapseAnalysisOptions {
  /** Which snapshots' avalanches ['post']. */
  phase?: 'pre' | 'post';
  /** Start of the autoscale search [{ tau: 1.5, D: 1 }]; the notebook passes D_post of s_max (the cutoff). */
  start?: { tau: number; D: number };
  /** Search half-widths around the start [{ tau: 0.5, D: 0.5 }]. */
  searchRadius?: { tau: number; D: number };
  /** Log bins per decade [10]. */
  binsPerDecade?: number;
  /** Bins with fewer avalanches are dropped [10]. */
  minCount?: number;
  /** Integer sizes (mass per integer in a bin) [detected: true when every size is an integer]. */
  discrete?: boolean;
}

/** The collapse of P_N(s) for one phase, or a note saying why there is none. */
export interface CollapseAnalysis {
  phase: 'pre' | 'post';
  /** Binned P_N(s) ± dP per scale (ascending N). */
  curves: BinnedCurve[];
  /** Avalanches per scale that went into the curves. */
  avalanches: Array<{ scaleN: number; count: number }>;
  start: { tau: number; D: number };
  /** τ, D, their standard errors and the Houdayer–Hartmann quality S at the optimum. */
  result: AutoscaleResult | null;
  /** Quality S of the curves as measured (τ = 0, D = 0: P_N(s) against s). */
  uncollapsed: CollapseQuality | null;
  notes: string[];
  note: string;
}

/**
 * Data collapse s^τ P_N(s) = G(s / N^D) of the avalanche-size distributions of one phase:
 * avalanches of every seed, graph seed and snapshot of that phase pooled per scale N (snapshots
 * whose probe was truncated left out), binned logarithmically (binCollapseCurves), then τ and D
 * found by minimising the Houdayer–Hartmann quality S (autoscaleCollapse; S ≈ 1 means the
 * curves agree within their errors). S of the un-rescaled curves is reported for comparison.
 * @param probe probeSweep's result ({ summary, avalanches }, avalanches kept)
 */
export function collapseAnalysis(probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null }, runs: RunsInput, options: CollapseAnalysisOptions = {}): CollapseAnalysis {
  const phase = checkChoice('phase', options.phase ?? 'post', ['pre', 'post'] as const);
  const start = options.start ?? { tau: 1.5, D: 1 };
  if (!Number.isFinite(start.tau) || !Number.isFinite(start.D)) throw new InvalidOptionError('start', 'must be { tau, D } with finite numbers');
  if (!probe?.avalanches) throw new InvalidOptionError('probe.avalanches', 'is null: probe with keepAvalanches: true');
  requireColumns(probe.avalanches, 'probe.avalanches', ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size']);
  const rows = scalingRows(probe.summary, runs);
  const truncated = new Set(rows.filter((r) => r.truncated).map((r) => `${r.scaleN}|${r.seed}|${r.snapshot}|${r.graphSeed}`));
  const onsets = runOnsets(runs, { includeMissing: true });
  const col = (name: string) => probe.avalanches!.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, graphSeed, epoch, size] = ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size'].map(col);
  const byScale = new Map<number, number[]>();
  for (let i = 0; i < size.length; i++) {
    const onset = onsets.get(`${scaleN[i]}|${seed[i]}`);
    if (onset === undefined || Number.isNaN(onset)) continue;
    if ((epoch[i] < onset ? 'pre' : 'post') !== phase) continue;
    if (truncated.has(`${scaleN[i]}|${seed[i]}|${snapshot[i]}|${graphSeed[i]}`)) continue;
    if (!(size[i] > 0)) continue;
    if (!byScale.has(scaleN[i])) byScale.set(scaleN[i], []);
    byScale.get(scaleN[i])!.push(size[i]);
  }
  const scales = [...byScale.keys()].sort((a, b) => a - b);
  const avalanches = scales.map((N) => ({ scaleN: N, count: byScale.get(N)!.length }));
  const notes: string[] = [];
  if (truncated.size) notes.push(`${truncated.size} truncated probe(s) left out`);
  const empty = (note: string, curves: BinnedCurve[] = []): CollapseAnalysis => ({ phase, curves, avalanches, start, result: null, uncollapsed: null, notes: [note, ...notes], note: [note, ...notes].join('; ') });
  if (scales.length < 2) return empty(`not enough data: ${scales.length} scale(s) with ${phase}-onset avalanches, a collapse needs 2`);
  const binned = binCollapseCurves(
    scales.map((N) => ({ scaleN: N, sizes: byScale.get(N)! })),
    { binsPerDecade: options.binsPerDecade ?? 10, minCount: options.minCount ?? 10, discrete: options.discrete },
  ).filter((c) => c.s.length >= 3);
  if (binned.length < 2) return empty(`not enough data: ${binned.length} scale(s) have ≥ 3 bins with ≥ ${options.minCount ?? 10} avalanches (counts per scale: ${avalanches.map((a) => `N = ${a.scaleN}: ${a.count}`).join(', ')})`, binned);
  if (binned.length < scales.length) notes.push(`${scales.length - binned.length} scale(s) with fewer than 3 populated bins left out`);
  const uncollapsed = collapseQuality(binned, { tau: 0, D: 0 });
  const result = autoscaleCollapse(binned, start, { searchRadius: options.searchRadius ?? { tau: 0.5, D: 0.5 } });
  if (!Number.isFinite(result.S)) return { ...empty('not enough data: no (τ, D) in the search window leaves enough overlapping points', binned), uncollapsed };
  if (!result.converged) notes.push('the optimiser did not converge');
  if (result.S > 3) notes.push(`S = ${result.S.toFixed(1)} ≫ 1: the curves do not collapse within their errors`);
  return { phase, curves: binned, avalanches, start, result, uncollapsed, notes, note: notes.join('; ') };
}

// ---------------------------------------------------------------- figures

function hexAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

/** Axis names of panel k (0-based): 'x', 'x2', … */
function axisName(letter: 'x' | 'y', k: number): string {
  return k === 0 ? letter : `${letter}${k + 1}`;
}

/** Equal horizontal domains for `n` panels with a gap. */
function panelDomains(n: number, gap = 0.1): Array<[number, number]> {
  const width = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => [k * (width + gap), k * (width + gap) + width] as [number, number]);
}

/** Options of {@link dimensionTrajectoryTraces}. */
export interface TrajectoryTraceOptions {
  /** Axes of the panel ['x', 'y']. */
  xaxis?: string;
  yaxis?: string;
  /** Train onsets of the sweep (epoch time): a dotted line at the median and a grey quartile band. */
  onset?: OnsetSummary | null;
  /** The panel's y range (the onset line spans it). */
  yRange: [number, number];
  /** Show legend entries [true]. */
  showLegend?: boolean;
  /** Colour of D(t) [blue for S_total, vermillion for s_max]. */
  colour?: string;
}

/**
 * The traces of one D(t) panel, each named: '95 % bootstrap band' (upper edge + lower edge
 * filled to it), 'D(t), <obs>' (line + markers), 'D = 1' (dashed line over the time range),
 * 'median train onset' (dotted vertical line; epoch time only) with 'onset quartiles' (grey
 * band), and 'D = 1 crossing' (marker at the sustained crossing with its CI as a horizontal bar).
 */
export function dimensionTrajectoryTraces(analysis: TrajectoryAnalysis, options: TrajectoryTraceOptions): PlotlyTrace[] {
  const t = analysis.trajectory;
  if (!t) return [];
  const xaxis = options.xaxis ?? 'x';
  const yaxis = options.yaxis ?? 'y';
  const show = options.showLegend ?? true;
  const colour = options.colour ?? (analysis.observable === 'totalTopplings' ? OKABE_ITO_NAMED.blue : OKABE_ITO_NAMED.vermillion);
  const x = t.points.map((p) => p.time);
  const common = { xaxis, yaxis, type: 'scatter' };
  const traces: PlotlyTrace[] = [];
  const [y0, y1] = options.yRange;
  const onset = analysis.time === 'epoch' ? options.onset : { median: 0, q25: NaN, q75: NaN };
  if (onset && Number.isFinite(onset.q25) && Number.isFinite(onset.q75)) {
    traces.push({ ...common, mode: 'lines', name: 'onset quartiles', legendgroup: 'onsetband', showlegend: show, x: [onset.q25, onset.q25, onset.q75, onset.q75, onset.q25], y: [y0, y1, y1, y0, y0], fill: 'toself', fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, hoverinfo: 'skip' });
  }
  if (t.bootstrap > 0) {
    traces.push({ ...common, mode: 'lines', name: '95 % bootstrap band (upper)', legendgroup: `band${analysis.observable}`, showlegend: false, x, y: t.points.map((p) => p.ciHigh), line: { width: 0, color: colour }, hoverinfo: 'skip' });
    traces.push({ ...common, mode: 'lines', name: `${Math.round(t.confidence * 100)} % bootstrap band`, legendgroup: `band${analysis.observable}`, showlegend: show, x, y: t.points.map((p) => p.ciLow), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: hexAlpha(colour, 0.25), hoverinfo: 'skip' });
  }
  traces.push({ ...common, mode: 'lines+markers', name: `D(t), ${observableSymbol(analysis.observable)}`, showlegend: show, x, y: t.points.map((p) => p.D), line: { color: colour, width: 1.5 }, marker: { color: colour, size: 3 } });
  traces.push({ ...common, mode: 'lines', name: `D = ${analysis.level}`, legendgroup: 'level', showlegend: show, x: [x[0], x[x.length - 1]], y: [analysis.level, analysis.level], line: { color: '#000000', width: 1, dash: 'dash' }, hoverinfo: 'skip' });
  if (onset && Number.isFinite(onset.median)) {
    traces.push({ ...common, mode: 'lines', name: analysis.time === 'epoch' ? 'median train onset' : 'onset (t − onset = 0)', legendgroup: 'onset', showlegend: show, x: [onset.median, onset.median], y: [y0, y1], line: { color: '#000000', width: 1, dash: 'dot' } });
  }
  const c = analysis.sustained;
  if (c && Number.isFinite(c.time)) {
    traces.push({
      ...common,
      mode: 'markers',
      name: 'D = 1 crossing (sustained, 95 % CI)',
      legendgroup: 'crossing',
      showlegend: show,
      x: [c.time],
      y: [c.level],
      marker: { symbol: 'diamond', size: 7, color: '#ffffff', line: { color: '#000000', width: 1.2 } },
      error_x: { type: 'data', symmetric: false, array: [Number.isFinite(c.ciHigh) ? c.ciHigh - c.time : 0], arrayminus: [Number.isFinite(c.ciLow) ? c.time - c.ciLow : 0], color: '#000000', thickness: 1, width: 3 },
    });
  }
  return traces;
}

function trajectoryYRange(analyses: TrajectoryAnalysis[]): [number, number] {
  const values = analyses.flatMap((a) => (a.trajectory?.points ?? []).flatMap((p) => [p.D, p.ciLow, p.ciHigh])).filter(Number.isFinite);
  const lo = Math.min(0.8, ...values);
  const hi = Math.max(1.2, ...values);
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/**
 * D(t) panels side by side, one per analysis (S_total first, then s_max), sharing the y range:
 * the bootstrap band, D(t), the D = 1 line, the onset (median line and quartile band; at 0 in
 * aligned time) and the sustained crossing with its CI. Analyses without a trajectory are left
 * out (their note is in the analysis).
 */
export function dimensionTrajectoryFigure(analyses: TrajectoryAnalysis[], onset: OnsetSummary | null, options: { style?: 'single' | 'double'; title?: string; heightPx?: number } = {}): PlotlyFigure {
  const shown = analyses.filter((a) => a.trajectory);
  if (shown.length === 0) throw new InvalidOptionError('analyses', `no trajectory to draw (${analyses.map((a) => a.note).join(' | ') || 'empty list'})`);
  const yRange = trajectoryYRange(shown);
  const domains = panelDomains(shown.length);
  const base = paperLayout(options.style ?? 'double');
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    height: options.heightPx,
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    margin: { t: 28, b: 8 },
    annotations: shown.map((a, k) => ({ text: `${OBSERVABLE_LABELS[a.observable]}`, showarrow: false, xref: 'paper', yref: 'paper', x: (domains[k][0] + domains[k][1]) / 2, y: 1.02, xanchor: 'center', yanchor: 'bottom' })),
  });
  const traces: PlotlyTrace[] = [];
  shown.forEach((a, k) => {
    const xa = axisName('x', k);
    const ya = axisName('y', k);
    traces.push(...dimensionTrajectoryTraces(a, { xaxis: xa, yaxis: ya, onset, yRange, showLegend: true }));
    layout[`xaxis${k === 0 ? '' : k + 1}`] = mergeLayout(base.xaxis as PlotlyLayout, { domain: domains[k], anchor: ya, title: { text: a.time === 'epoch' ? 'epoch t' : 'epoch − run onset' } });
    layout[`yaxis${k === 0 ? '' : k + 1}`] = mergeLayout(base.yaxis as PlotlyLayout, { anchor: xa, range: yRange, title: { text: k === 0 ? `D(t)  (${observableHtml(a.observable)} ∝ N<sup>D</sup>)` : `D(t)  (${observableHtml(a.observable)})` } });
  });
  // One legend entry per kind of trace: later panels repeat names, drop their duplicates.
  const seen = new Set<string>();
  for (const tr of traces) {
    if (tr.showlegend === false) continue;
    const key = String(tr.name).replace(/, (S_total|s_max)$/, '');
    if (seen.has(key) && !/^D\(t\)/.test(String(tr.name))) tr.showlegend = false;
    seen.add(key);
  }
  return { data: traces, layout };
}

/** Colours and symbols of the phases in scaling figures. */
const PHASE_STYLE = {
  pre: { colour: OKABE_ITO_NAMED.skyBlue, symbol: 'circle-open', dash: 'dash', word: 'before onset' },
  post: { colour: OKABE_ITO_NAMED.vermillion, symbol: 'circle', dash: 'solid', word: 'after onset' },
} as const;

/**
 * The traces of one log–log scaling panel: for each fit, the per-scale geometric means
 * exp⟨ln value⟩_N (markers, named '<obs> <phase>') and the fitted line exp(c) N^D over the
 * fitted scales (named '<obs> <phase>: D = … [CI]'), whose slope in log–log is exactly D.
 */
export function scalingFitTraces(fits: PhaseScaling[], options: { xaxis?: string; yaxis?: string; showLegend?: boolean; colourOf?: (f: PhaseScaling) => string } = {}): PlotlyTrace[] {
  const traces: PlotlyTrace[] = [];
  for (const f of fits) {
    if (!f.fit) continue;
    const style = PHASE_STYLE[f.phase];
    const colour = options.colourOf ? options.colourOf(f) : style.colour;
    const common = { type: 'scatter', xaxis: options.xaxis ?? 'x', yaxis: options.yaxis ?? 'y', legendgroup: `${f.observable}${f.phase}`, showlegend: options.showLegend ?? true };
    const name = `${observableSymbol(f.observable)}, ${style.word}`;
    traces.push({ ...common, mode: 'markers', name, showlegend: false, x: f.fit.scales, y: f.fit.meanLog.map(Math.exp), marker: { color: colour, symbol: style.symbol, size: 6, line: { color: colour, width: 1.2 } }, hovertemplate: `${name}<br>N = %{x}<br>exp⟨ln value⟩ = %{y:.4g}<extra></extra>` });
    const lo = f.fit.scales[0];
    const hi = f.fit.scales[f.fit.scales.length - 1];
    const line = (N: number) => Math.exp(f.fit!.intercept + f.fit!.D * Math.log(N));
    const ci = Number.isFinite(f.fit.ciLow) ? ` [${fmt(f.fit.ciLow)}, ${fmt(f.fit.ciHigh)}]` : '';
    traces.push({ ...common, mode: 'lines+markers', name: `${name}: D = ${fmt(f.fit.D)}${ci}`, x: [lo, hi], y: [line(lo), line(hi)], line: { color: colour, width: 1.2, dash: style.dash }, marker: { size: 0.1, color: colour, symbol: style.symbol } });
  }
  return traces;
}

/**
 * log value against log N, one panel per observable (S_total first): the per-scale geometric
 * means before and after onset with the fitted lines value ∝ N^D (legend: D with its 95 % CI).
 */
export function scalingFitFigure(fits: PhaseScaling[], options: { style?: 'single' | 'double'; title?: string } = {}): PlotlyFigure {
  const observables = OBSERVABLES.filter((o) => fits.some((f) => f.observable === o && f.fit));
  if (observables.length === 0) throw new InvalidOptionError('fits', `no fit to draw (${fits.map((f) => f.note).join(' | ') || 'empty list'})`);
  const domains = panelDomains(observables.length, 0.14);
  const base = paperLayout(options.style ?? 'double');
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    legend: { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' },
    margin: { t: 24, b: 8 },
  });
  const traces: PlotlyTrace[] = [];
  observables.forEach((o, k) => {
    const xa = axisName('x', k);
    const ya = axisName('y', k);
    traces.push(...scalingFitTraces(fits.filter((f) => f.observable === o), { xaxis: xa, yaxis: ya }));
    layout[`xaxis${k === 0 ? '' : k + 1}`] = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', domain: domains[k], anchor: ya, title: { text: 'N (parameters)' } });
    layout[`yaxis${k === 0 ? '' : k + 1}`] = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', anchor: xa, title: { text: `exp⟨ln ${observableHtml(o)}⟩<sub>N</sub>` } });
  });
  return { data: traces, layout };
}

/**
 * The traces of a collapse panel: one curve per scale (colour by scale, legend 'N = …'),
 * either as measured (P_N(s) against s) or rescaled (s^τ P_N(s) against s / N^D), with Poisson
 * error bars.
 */
export function collapseTraces(curves: BinnedCurve[], scaled: { tau: number; D: number } | null, options: { xaxis?: string; yaxis?: string; showLegend?: boolean } = {}): PlotlyTrace[] {
  const data = scaled ? scaleCollapseCurves(curves, scaled.tau, scaled.D) : curves.map((c) => ({ scaleN: c.scaleN, x: c.s, y: c.p, dy: c.dp }));
  return data.map((c, k) => ({
    type: 'scatter',
    mode: 'lines+markers',
    xaxis: options.xaxis ?? 'x',
    yaxis: options.yaxis ?? 'y',
    name: `N = ${c.scaleN}`,
    legendgroup: `N${c.scaleN}`,
    showlegend: options.showLegend ?? true,
    x: Array.from(c.x),
    y: Array.from(c.y),
    error_y: { type: 'data', array: Array.from(c.dy), thickness: 0.8, width: 0, color: scaleColour(k) },
    line: { color: scaleColour(k), width: 1 },
    marker: { color: scaleColour(k), size: 3 },
  }));
}

/**
 * The collapse next to the curves as measured: left, P_N(s) against s; right, s^τ P_N(s)
 * against s / N^D at the autoscaled τ and D; the panel titles give S of each (Houdayer–Hartmann,
 * ≈ 1 for a collapse within errors).
 */
export function collapseFigure(collapse: CollapseAnalysis, options: { style?: 'single' | 'double'; title?: string } = {}): PlotlyFigure {
  if (!collapse.result || collapse.curves.length < 2) throw new InvalidOptionError('collapse', `has no collapse to draw (${collapse.note})`);
  const r = collapse.result;
  const base = paperLayout(options.style ?? 'double');
  const [d0, d1] = panelDomains(2, 0.14);
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    legend: { x: 1.02, xanchor: 'left', y: 1 },
    margin: { t: 28 },
    xaxis: { type: 'log', domain: d0, anchor: 'y', title: { text: 'avalanche size s' } },
    yaxis: { type: 'log', anchor: 'x', title: { text: 'P<sub>N</sub>(s)' }, exponentformat: 'power' },
    annotations: [
      { text: `as measured (S = ${fmt(collapse.uncollapsed?.S ?? NaN, 1)})`, showarrow: false, xref: 'paper', yref: 'paper', x: (d0[0] + d0[1]) / 2, y: 1.02, xanchor: 'center', yanchor: 'bottom' },
      { text: `τ = ${fmt(r.tau)}, D = ${fmt(r.D)} (S = ${fmt(r.S, 1)})`, showarrow: false, xref: 'paper', yref: 'paper', x: (d1[0] + d1[1]) / 2, y: 1.02, xanchor: 'center', yanchor: 'bottom' },
    ],
  });
  layout.xaxis2 = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', domain: d1, anchor: 'y2', title: { text: 's / N<sup>D</sup>' } });
  layout.yaxis2 = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', anchor: 'x2', title: { text: 's<sup>τ</sup> P<sub>N</sub>(s)' } });
  return {
    data: [...collapseTraces(collapse.curves, null, { xaxis: 'x', yaxis: 'y', showLegend: true }), ...collapseTraces(collapse.curves, { tau: r.tau, D: r.D }, { xaxis: 'x2', yaxis: 'y2', showLegend: false })],
    layout,
  };
}

// ---------------------------------------------------------------- tables and headline

/**
 * One row per trajectory analysis: observable, time, first crossing (crossingTime) with CI and
 * the fraction of replicates that cross, sustained crossing with CI and fraction, the median
 * train onset and crossing − onset (epoch time; aligned time is already relative to onset).
 */
export function crossingTable(analyses: TrajectoryAnalysis[], onset: OnsetSummary | null): aq.ColumnTable {
  return aq.from(
    analyses.map((a) => {
      const s = a.sustained;
      const f = a.firstCrossing;
      const reference = a.time === 'epoch' ? (onset?.median ?? NaN) : 0;
      return {
        observable: observableSymbol(a.observable),
        time: a.time === 'epoch' ? 'epoch' : 'epoch − onset',
        firstCrossing: f?.time ?? NaN,
        firstDirection: f?.direction ?? 'none',
        firstLow: f?.ciLow ?? NaN,
        firstHigh: f?.ciHigh ?? NaN,
        firstFraction: f?.crossedFraction ?? NaN,
        sustainedCrossing: s?.time ?? NaN,
        sustainedLow: s?.ciLow ?? NaN,
        sustainedHigh: s?.ciHigh ?? NaN,
        sustainedFraction: s?.crossedFraction ?? NaN,
        onset: reference,
        crossingMinusOnset: (s?.time ?? NaN) - reference,
        note: a.note,
      };
    }),
  );
}

/** A finite number or null (JSON-friendly). */
function num(x: number | undefined | null): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Headline numbers of notebook 03 (for recordResults and the closing cell). CIs are null when a scale has one seed. */
export interface ScalingHeadline {
  observable: 'totalTopplings';
  dPre: number | null;
  dPreCI: [number | null, number | null];
  dPost: number | null;
  dPostCI: [number | null, number | null];
  rSquaredPre: number | null;
  rSquaredPost: number | null;
  /** Sustained upward crossing of D = 1 (epoch) with CI, and the first crossing for comparison. */
  crossing: number | null;
  crossingCI: [number | null, number | null];
  firstCrossing: number | null;
  firstCrossingCI: [number | null, number | null];
  /** Median train onset and its quartiles. */
  onset: number | null;
  onsetIQR: [number | null, number | null];
  /** Sustained crossing in aligned time (epochs after each run's own onset). */
  alignedCrossing: number | null;
  alignedCrossingCI: [number | null, number | null];
  sMax: { dPre: number | null; dPreCI: [number | null, number | null]; dPost: number | null; dPostCI: [number | null, number | null]; crossing: number | null; crossingCI: [number | null, number | null] };
  collapse: { tau: number | null; D: number | null; S: number | null; uncollapsedS: number | null; note: string };
  paper: { dPre: number; dPost: number };
  notes: string[];
}

/**
 * Collects the headline numbers: S_total (primary) D before / after onset with CIs, the
 * crossing of D = 1 vs the median onset, the same for s_max, the aligned-time crossing and the
 * collapse. Missing pieces are null with the reason in `notes`.
 */
export function scalingHeadline(parts: { fits: PhaseScaling[]; trajectories: TrajectoryAnalysis[]; aligned?: TrajectoryAnalysis[]; onset: OnsetSummary; collapse?: CollapseAnalysis | null }): ScalingHeadline {
  const fit = (o: Observable, p: 'pre' | 'post') => parts.fits.find((f) => f.observable === o && f.phase === p);
  const traj = (o: Observable) => parts.trajectories.find((t) => t.observable === o);
  const notes: string[] = [];
  // With one seed at a scale every bootstrap replicate is the same data: a zero-width interval
  // would look like certainty, so the headline reports no CI instead.
  const oneSeed = (notes: string[] | undefined) => (notes ?? []).includes(ONE_SEED);
  const ci = (f: PhaseScaling | undefined): [number | null, number | null] => (oneSeed(f?.notes) ? [null, null] : [num(f?.fit?.ciLow), num(f?.fit?.ciHigh)]);
  const crossingCi = (t: TrajectoryAnalysis | undefined, c: { ciLow: number; ciHigh: number } | null | undefined): [number | null, number | null] => (oneSeed(t?.notes) ? [null, null] : [num(c?.ciLow), num(c?.ciHigh)]);
  for (const f of parts.fits) if (f.note) notes.push(`${observableSymbol(f.observable)} ${f.phase}: ${f.note}`);
  for (const t of [...parts.trajectories, ...(parts.aligned ?? [])]) if (t.note) notes.push(`${observableSymbol(t.observable)} D(t) (${t.time}): ${t.note}`);
  const s = traj('totalTopplings');
  const m = traj('sMax');
  const a = parts.aligned?.find((t) => t.observable === 'totalTopplings');
  const c = parts.collapse;
  if (c?.note) notes.push(`collapse: ${c.note}`);
  return {
    observable: 'totalTopplings',
    dPre: num(fit('totalTopplings', 'pre')?.fit?.D),
    dPreCI: ci(fit('totalTopplings', 'pre')),
    dPost: num(fit('totalTopplings', 'post')?.fit?.D),
    dPostCI: ci(fit('totalTopplings', 'post')),
    rSquaredPre: num(fit('totalTopplings', 'pre')?.fit?.rSquared),
    rSquaredPost: num(fit('totalTopplings', 'post')?.fit?.rSquared),
    crossing: num(s?.sustained?.time),
    crossingCI: crossingCi(s, s?.sustained),
    firstCrossing: num(s?.firstCrossing?.time),
    firstCrossingCI: crossingCi(s, s?.firstCrossing),
    onset: num(parts.onset.median),
    onsetIQR: [num(parts.onset.q25), num(parts.onset.q75)],
    alignedCrossing: num(a?.sustained?.time),
    alignedCrossingCI: crossingCi(a, a?.sustained),
    sMax: {
      dPre: num(fit('sMax', 'pre')?.fit?.D),
      dPreCI: ci(fit('sMax', 'pre')),
      dPost: num(fit('sMax', 'post')?.fit?.D),
      dPostCI: ci(fit('sMax', 'post')),
      crossing: num(m?.sustained?.time),
      crossingCI: crossingCi(m, m?.sustained),
    },
    collapse: { tau: num(c?.result?.tau), D: num(c?.result?.D), S: num(c?.result?.S), uncollapsedS: num(c?.uncollapsed?.S), note: c?.note ?? 'not computed' },
    paper: { dPre: PAPER_FSS.dPre, dPost: PAPER_FSS.dPost },
    notes,
  };
}

function f2(x: number | null, digits = 2): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function interval(v: [number | null, number | null], digits = 2): string {
  return v[0] === null || v[1] === null ? 'no CI' : `[${f2(v[0], digits)}, ${f2(v[1], digits)}]`;
}

/** Whether two intervals overlap (null when either is missing). */
function overlaps(a: [number | null, number | null], value: number): boolean | null {
  return a[0] === null || a[1] === null ? null : a[0] <= value && value <= a[1];
}

/** The closing "what this shows" paragraph, every number taken from the headline. */
export function scalingSummaryMarkdown(h: ScalingHeadline): string {
  const lines: string[] = [];
  lines.push(`**What this shows** (observable S_total; s_max second).`);
  lines.push('');
  const preIn = overlaps(h.dPreCI, h.paper.dPre);
  const postIn = overlaps(h.dPostCI, h.paper.dPost);
  const verdict = (inside: boolean | null, paper: number) => (inside === null ? '' : inside ? ` — the paper's ${paper.toFixed(2)} lies inside the CI` : ` — the paper's ${paper.toFixed(2)} lies outside the CI`);
  lines.push(`- **D before onset** = ${f2(h.dPre)} ${interval(h.dPreCI)} (R² ${f2(h.rSquaredPre, 3)})${verdict(preIn, h.paper.dPre)}.`);
  lines.push(`- **D after onset** = ${f2(h.dPost)} ${interval(h.dPostCI)} (R² ${f2(h.rSquaredPost, 3)})${verdict(postIn, h.paper.dPost)}.`);
  lines.push(`- Paper (arXiv 2604.04655, typed in as the paper's): D ${h.paper.dPre.toFixed(2)} → ${h.paper.dPost.toFixed(2)}.`);
  if (h.crossing !== null) {
    const diff = h.onset !== null ? ` (${h.crossing - h.onset >= 0 ? '+' : ''}${(h.crossing - h.onset).toFixed(0)} epochs from the median train onset ${h.onset.toFixed(0)}, quartiles ${interval(h.onsetIQR, 0)})` : '';
    lines.push(`- D(t) of S_total crosses 1 upward for good at epoch **${h.crossing.toFixed(0)}** ${interval(h.crossingCI, 0)}${diff}; the first crossing in either direction is at ${f2(h.firstCrossing, 0)} ${interval(h.firstCrossingCI, 0)}.`);
  } else {
    lines.push(`- D(t) of S_total has no sustained upward crossing of 1 in this run (first crossing: ${f2(h.firstCrossing, 0)}).`);
  }
  if (h.alignedCrossing !== null) lines.push(`- Aligned on each run's own onset, the crossing is at t − onset = ${h.alignedCrossing.toFixed(0)} ${interval(h.alignedCrossingCI, 0)} epochs.`);
  lines.push(`- s_max: D ${f2(h.sMax.dPre)} ${interval(h.sMax.dPreCI)} → ${f2(h.sMax.dPost)} ${interval(h.sMax.dPostCI)}; sustained crossing at ${f2(h.sMax.crossing, 0)} ${interval(h.sMax.crossingCI, 0)}.`);
  if (h.collapse.S !== null) {
    lines.push(`- Collapse after onset: τ = ${f2(h.collapse.tau)}, D = ${f2(h.collapse.D)}, quality S = ${f2(h.collapse.S, 1)} (as measured, without rescaling: S = ${f2(h.collapse.uncollapsedS, 1)}; S ≈ 1 is a collapse within errors).`);
  } else {
    lines.push(`- Collapse: ${h.collapse.note}.`);
  }
  if (h.notes.length) {
    lines.push('');
    lines.push(`Caveats: ${h.notes.join('; ')}.`);
  }
  return lines.join('\n');
}
