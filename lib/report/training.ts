/**
 * Training-stage report steps for notebooks 01 (XOR, eight scales) and 05 (modular addition):
 * the plan as a table, learning curves per scale, onset summaries per scale, which scales never
 * grok, the Gini coefficient of |θ| over time with its peak, and bookkeeping for the results
 * summary. Pure functions: runs / metrics tables in (from trainScales and sweepMetrics), arquero
 * tables or plotly figures out. Every loop of a notebook lives here.
 */
import * as aq from 'arquero';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { OKABE_ITO_NAMED } from '../plot/palette';
import { paperLayout } from '../plot/styles';
import { layerSizesOf, resolveTrainConfig, TrainConfig } from '../train/config';
import { parameterCount } from '../train/layout';
import type { RunRow } from '../train/trainScales';
import type { TrainingPlan } from '../train/profiles';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';

/** A runs table (arquero, as trainScales returns it) or its rows. */
export type RunsLike = aq.ColumnTable | RunRow[];
/** A long metrics table (sweepMetrics) or its rows. */
export type MetricsTableLike = aq.ColumnTable | Array<Record<string, unknown>>;

/**
 * Colours of the scales, ordered from cold to warm so that neighbouring widths are told apart
 * and the order reads as a sequence (all eight Okabe–Ito colours; colour-blind safe).
 */
export const SCALE_COLOURS: readonly string[] = [
  OKABE_ITO_NAMED.black,
  OKABE_ITO_NAMED.blue,
  OKABE_ITO_NAMED.skyBlue,
  OKABE_ITO_NAMED.bluishGreen,
  OKABE_ITO_NAMED.yellow,
  OKABE_ITO_NAMED.orange,
  OKABE_ITO_NAMED.vermillion,
  OKABE_ITO_NAMED.reddishPurple,
];

/** The colour of the `index`-th scale (ascending h); wraps around after eight. */
export function scaleColour(index: number): string {
  return SCALE_COLOURS[((index % SCALE_COLOURS.length) + SCALE_COLOURS.length) % SCALE_COLOURS.length];
}

/** Legend label of a scale: `N = 81 (h = 20)`. */
export function scaleLabel(N: number, h: number): string {
  return `N = ${N} (h = ${h})`;
}

function runRows(runs: RunsLike): RunRow[] {
  const rows = Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[]);
  if (rows.length === 0) throw new InvalidOptionError('runs', 'the runs table is empty: train a sweep first (trainScales)');
  return rows;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---------------------------------------------------------------- the plan

/**
 * The training plan as a table, one row per hidden width: h, N (parameter count of the MLP),
 * seeds, runs (= seeds), epochs, snapshots (count), and the recipe (activation, optimiser,
 * learning rate, weight decay) that every row shares.
 */
export function planTable(plan: TrainingPlan): aq.ColumnTable {
  if (!plan || !Array.isArray(plan.scales) || plan.scales.length === 0) throw new InvalidOptionError('plan.scales', 'must be a non-empty array of hidden widths (see trainingPlan)');
  if (!Array.isArray(plan.seeds) || plan.seeds.length === 0) throw new InvalidOptionError('plan.seeds', 'must be a non-empty array of seeds');
  const rows = plan.scales.map((h) => {
    const config: TrainConfig = resolveTrainConfig({ ...plan.base, hidden: h, seed: plan.seeds[0] });
    const snapshots = 'count' in config.snapshots ? config.snapshots.count : config.snapshots.epochs.length;
    return {
      task: config.task.name,
      h,
      N: parameterCount({ layerSizes: layerSizesOf(config), bias: config.model.bias }),
      seeds: plan.seeds.length,
      epochs: config.epochs,
      snapshots,
      activation: config.model.activation,
      optimizer: config.optimizer.name,
      lr: config.optimizer.lr,
      weightDecay: config.optimizer.weightDecay,
    };
  });
  return aq.from(rows);
}

// ---------------------------------------------------------------- curves

/** One metric of one run over time. */
export interface RunCurve {
  h: number;
  N: number;
  seed: number;
  epochs: Float64Array;
  values: Float64Array;
}

/** One metric of one scale over time, summarised across its seeds at every epoch. */
export interface ScaleCurve {
  h: number;
  N: number;
  /** Number of runs (seeds) at this scale. */
  runs: number;
  epochs: Float64Array;
  mean: Float64Array;
  /** Sample standard deviation across seeds (0 with one seed). */
  sd: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

function metricsColumns(metrics: MetricsTableLike, metric: string): { h: ArrayLike<number>; N: ArrayLike<number>; seed: ArrayLike<number>; epoch: ArrayLike<number>; value: ArrayLike<number> } {
  if (Array.isArray(metrics)) {
    if (metrics.length === 0) throw new InvalidOptionError('metrics', 'the metrics table is empty');
    if (!(metric in metrics[0])) throw new InvalidOptionError('metric', `no column ${JSON.stringify(metric)}; columns: ${Object.keys(metrics[0]).join(', ')}`);
    const col = (name: string) => metrics.map((row) => Number(row[name]));
    return { h: col('h'), N: col('N'), seed: col('seed'), epoch: col('epoch'), value: col(metric) };
  }
  const names = metrics.columnNames();
  for (const name of ['h', 'N', 'seed', 'epoch']) if (!names.includes(name)) throw new InvalidOptionError('metrics', `missing column ${JSON.stringify(name)} (pass the table of sweepMetrics)`);
  if (!names.includes(metric)) throw new InvalidOptionError('metric', `no column ${JSON.stringify(metric)}; columns: ${names.join(', ')}`);
  if (metrics.numRows() === 0) throw new InvalidOptionError('metrics', 'the metrics table is empty');
  const col = (name: string) => metrics.array(name) as ArrayLike<number>;
  return { h: col('h'), N: col('N'), seed: col('seed'), epoch: col('epoch'), value: col(metric) };
}

/**
 * Splits a long metrics table (sweepMetrics) into one curve per run (h, seed), sorted by h,
 * then seed, each sorted by epoch.
 */
export function runMetricCurves(metrics: MetricsTableLike, metric: string): RunCurve[] {
  const c = metricsColumns(metrics, metric);
  const groups = new Map<string, { h: number; N: number; seed: number; points: Array<[number, number]> }>();
  for (let i = 0; i < c.epoch.length; i++) {
    const key = `${c.h[i]}|${c.seed[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { h: c.h[i], N: c.N[i], seed: c.seed[i], points: [] }));
    g.points.push([c.epoch[i], c.value[i]]);
  }
  return [...groups.values()]
    .sort((a, b) => a.h - b.h || a.seed - b.seed)
    .map((g) => {
      g.points.sort((a, b) => a[0] - b[0]);
      return { h: g.h, N: g.N, seed: g.seed, epochs: Float64Array.from(g.points, (p) => p[0]), values: Float64Array.from(g.points, (p) => p[1]) };
    });
}

/**
 * One curve per scale: at every epoch, the mean, sample standard deviation, minimum and maximum
 * of the metric across the seeds of that scale (NaN values are skipped; an epoch where every
 * seed is NaN gives NaN).
 */
export function scaleMetricCurves(metrics: MetricsTableLike, metric: string): ScaleCurve[] {
  const byScale = new Map<number, RunCurve[]>();
  for (const curve of runMetricCurves(metrics, metric)) {
    const list = byScale.get(curve.h) ?? [];
    list.push(curve);
    byScale.set(curve.h, list);
  }
  return [...byScale.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([h, curves]) => {
      const perEpoch = new Map<number, number[]>();
      for (const curve of curves) curve.epochs.forEach((e, i) => {
        const list = perEpoch.get(e) ?? [];
        if (!Number.isNaN(curve.values[i])) list.push(curve.values[i]);
        perEpoch.set(e, list);
      });
      const epochs = Float64Array.from([...perEpoch.keys()].sort((a, b) => a - b));
      const mean = new Float64Array(epochs.length);
      const sd = new Float64Array(epochs.length);
      const min = new Float64Array(epochs.length);
      const max = new Float64Array(epochs.length);
      epochs.forEach((e, i) => {
        const v = perEpoch.get(e)!;
        const n = v.length;
        const m = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
        mean[i] = m;
        sd[i] = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)) : n === 1 ? 0 : NaN;
        min[i] = n ? Math.min(...v) : NaN;
        max[i] = n ? Math.max(...v) : NaN;
      });
      return { h, N: curves[0].N, runs: curves.length, epochs, mean, sd, min, max };
    });
}

/**
 * Indices of at most about `maxPoints` points of an ascending epoch series to draw: evenly spaced
 * in epoch and, with `logX`, also evenly spaced in log(epoch) (so the early epochs keep their
 * detail on a log axis). Always keeps the first and the last point; epochs ≤ 0 are dropped with
 * `logX` (they have no place on a log axis).
 */
export function thinIndices(epochs: ArrayLike<number>, maxPoints: number, logX = false): number[] {
  checkInteger('maxPoints', maxPoints, 2);
  const n = epochs.length;
  let first = 0;
  if (logX) while (first < n && !(epochs[first] > 0)) first++;
  const count = n - first;
  if (count <= 0) return [];
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => first + i);
  const keep = new Set<number>([first, n - 1]);
  const linear = logX ? Math.ceil(maxPoints / 2) : maxPoints;
  for (let k = 0; k < linear; k++) keep.add(first + Math.round((k * (count - 1)) / (linear - 1)));
  if (logX) {
    // Targets evenly spaced in log(epoch); each maps to the first index whose epoch reaches it.
    const lo = Math.log(epochs[first]);
    const hi = Math.log(epochs[n - 1]);
    const logCount = maxPoints - linear;
    let j = first;
    for (let k = 0; k < logCount; k++) {
      const target = Math.exp(lo + ((hi - lo) * k) / Math.max(1, logCount - 1));
      while (j < n - 1 && epochs[j] < target) j++;
      keep.add(j);
    }
  }
  return [...keep].sort((a, b) => a - b);
}

const METRIC_TITLES: Record<string, string> = {
  trainAccuracy: 'train accuracy',
  testAccuracy: 'test accuracy',
  trainLoss: 'train loss',
  testLoss: 'test loss',
  weightNorm: 'weight norm ‖θ‖₂',
  gini: 'Gini of |θ|',
};

/** Options of {@link trainingCurvesFigure}. */
export interface TrainingCurvesOptions {
  /** Column of the metrics table to plot ['trainAccuracy']. */
  metric?: string;
  /** 'lines': every seed as a thin line; 'band': mean across seeds with a ±1 s.d. band ['lines']. */
  seeds?: 'lines' | 'band';
  /** Log epoch axis (epoch 0 is then left out) [false]. */
  logX?: boolean;
  /** Log value axis (losses) [false]. */
  logY?: boolean;
  /** Most points drawn per curve (thinned with {@link thinIndices}) [400]. */
  maxPoints?: number;
  /** y-axis title [from the metric]. */
  yTitle?: string;
  /** Figure title. */
  title?: string;
  /** Layout style of paperLayout ['double']. */
  style?: 'single' | 'double';
}

function pick(values: Float64Array, indices: number[]): number[] {
  return indices.map((i) => values[i]);
}

function axisTitles(options: { logX?: boolean; logY?: boolean }, yTitle: string, xTitle = 'epoch'): Record<string, unknown> {
  return {
    xaxis: { title: { text: options.logX ? `${xTitle} (log scale)` : xTitle }, type: options.logX ? 'log' : 'linear' },
    yaxis: { title: { text: yTitle }, type: options.logY ? 'log' : 'linear' },
  };
}

/**
 * Learning curves of one metric, one colour per scale (ascending N, cold → warm), legend
 * `N = … (h = …)`. Seeds are thin lines in the scale's colour (one legend entry per scale) or the
 * mean across seeds with a shaded ±1 standard-deviation band.
 */
export function trainingCurvesFigure(metrics: MetricsTableLike, options: TrainingCurvesOptions = {}): PlotlyFigure {
  const metric = options.metric ?? 'trainAccuracy';
  const mode = checkChoice('seeds', options.seeds ?? 'lines', ['lines', 'band'] as const);
  const maxPoints = options.maxPoints ?? 400;
  const logX = options.logX ?? false;
  const traces: PlotlyTrace[] = [];
  if (mode === 'lines') {
    const curves = runMetricCurves(metrics, metric);
    const scales = [...new Set(curves.map((c) => c.h))].sort((a, b) => a - b);
    for (const curve of curves) {
      const index = scales.indexOf(curve.h);
      const keep = thinIndices(curve.epochs, maxPoints, logX);
      const first = curves.find((c) => c.h === curve.h) === curve;
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: scaleLabel(curve.N, curve.h),
        legendgroup: `h${curve.h}`,
        showlegend: first,
        x: pick(curve.epochs, keep),
        y: pick(curve.values, keep),
        line: { color: scaleColour(index), width: 1 },
        opacity: 0.6,
        hovertemplate: `N = ${curve.N}, seed ${curve.seed}<br>epoch %{x}<br>%{y}<extra></extra>`,
      });
    }
  } else {
    scaleMetricCurves(metrics, metric).forEach((curve, index) => {
      const keep = thinIndices(curve.epochs, maxPoints, logX);
      const x = pick(curve.epochs, keep);
      const mean = pick(curve.mean, keep);
      const sd = pick(curve.sd, keep);
      const colour = scaleColour(index);
      const group = `h${curve.h}`;
      traces.push({ type: 'scatter', mode: 'lines', x, y: mean.map((m, i) => m + sd[i]), line: { width: 0, color: colour }, legendgroup: group, showlegend: false, hoverinfo: 'skip' });
      traces.push({ type: 'scatter', mode: 'lines', x, y: mean.map((m, i) => m - sd[i]), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: hexWithAlpha(colour, 0.2), legendgroup: group, showlegend: false, hoverinfo: 'skip' });
      traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(curve.N, curve.h)}, ${curve.runs} seeds`, x, y: mean, line: { color: colour, width: 1.5 }, legendgroup: group });
    });
  }
  const yTitle = options.yTitle ?? METRIC_TITLES[metric] ?? metric;
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX, logY: options.logY }, mode === 'band' ? `${yTitle} (mean ± s.d. over seeds)` : yTitle),
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 150 },
    }),
  };
}

/** `#RRGGBB` → `rgba(r,g,b,alpha)`. */
export function hexWithAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new InvalidOptionError('colour', `expected #RRGGBB, got ${JSON.stringify(hex)}`);
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}

/** Options of {@link trainTestAccuracyFigure}. */
export interface TrainTestAccuracyOptions {
  /** Log epoch axis [true]. */
  logX?: boolean;
  maxPoints?: number;
  title?: string;
  style?: 'single' | 'double';
}

/**
 * Train (dashed) and test (solid) accuracy per scale, each the mean across seeds, one colour per
 * scale, on a log epoch axis by default: the grokking gap is the horizontal distance between the
 * dashed and the solid curve of one colour.
 */
export function trainTestAccuracyFigure(metrics: MetricsTableLike, options: TrainTestAccuracyOptions = {}): PlotlyFigure {
  const logX = options.logX ?? true;
  const maxPoints = options.maxPoints ?? 400;
  const train = scaleMetricCurves(metrics, 'trainAccuracy');
  const test = scaleMetricCurves(metrics, 'testAccuracy');
  const traces: PlotlyTrace[] = [];
  train.forEach((curve, index) => {
    const colour = scaleColour(index);
    const group = `h${curve.h}`;
    const keep = thinIndices(curve.epochs, maxPoints, logX);
    traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(curve.N, curve.h)} train`, legendgroup: group, x: pick(curve.epochs, keep), y: pick(curve.mean, keep), line: { color: colour, width: 1, dash: 'dash' } });
    const t = test[index];
    if (t && t.mean.some((v) => Number.isFinite(v))) {
      const keepTest = thinIndices(t.epochs, maxPoints, logX);
      traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(t.N, t.h)} test`, legendgroup: group, x: pick(t.epochs, keepTest), y: pick(t.mean, keepTest), line: { color: colour, width: 1.6 } });
    }
  });
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX }, 'accuracy (mean over seeds)'),
      yaxis: { range: [0, 1.02] },
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 170 },
    }),
  };
}

// ---------------------------------------------------------------- onsets

/** Which onset column a per-scale summary is about. */
export type OnsetField = 'trainOnset' | 'testOnset';

/**
 * Onsets per scale: h, N, runs (rows in the runs table), complete, failed (status 'failed' or
 * 'error'), reached (completed runs whose onset exists), then the median, minimum and maximum of
 * the train onset and of the test onset over the runs that reached it (null when none did), and
 * the median grokking gap (test / train onset, per run) where a test set exists.
 */
export function onsetsByScale(runs: RunsLike): aq.ColumnTable {
  const rows = runRows(runs);
  const scales = [...new Set(rows.map((r) => r.h))].sort((a, b) => a - b);
  const out = scales.map((h) => {
    const all = rows.filter((r) => r.h === h);
    const complete = all.filter((r) => r.status === 'complete');
    const trains = complete.map((r) => r.trainOnset).filter((v): v is number => v != null);
    const tests = complete.map((r) => r.testOnset).filter((v): v is number => v != null);
    const gaps = complete.filter((r) => r.trainOnset != null && r.testOnset != null && r.trainOnset > 0).map((r) => r.testOnset! / r.trainOnset!);
    const stat = (v: number[], f: (x: number[]) => number) => (v.length ? f(v) : null);
    return {
      h,
      N: all[0].N,
      runs: all.length,
      complete: complete.length,
      failed: all.length - complete.length,
      trainReached: trains.length,
      trainOnsetMedian: stat(trains, median),
      trainOnsetMin: stat(trains, (v) => Math.min(...v)),
      trainOnsetMax: stat(trains, (v) => Math.max(...v)),
      testReached: tests.length,
      testOnsetMedian: stat(tests, median),
      testOnsetMin: stat(tests, (v) => Math.min(...v)),
      testOnsetMax: stat(tests, (v) => Math.max(...v)),
      gapMedian: stat(gaps, median),
    };
  });
  return aq.from(out);
}

/**
 * The per-scale onsets a notebook shows: {@link onsetsByScale} without the test-set columns when
 * no run has a test set (XOR), and without the gap column when no gap exists.
 */
export function onsetSummaryTable(runs: RunsLike): aq.ColumnTable {
  const rows = runRows(runs);
  const table = onsetsByScale(rows);
  const hasTestSet = rows.some((r) => r.task !== 'xor');
  const anyGap = (table.array('gapMedian') as Array<number | null>).some((v) => v !== null);
  const drop = new Set<string>();
  if (!hasTestSet) ['testReached', 'testOnsetMedian', 'testOnsetMin', 'testOnsetMax'].forEach((n) => drop.add(n));
  if (!anyGap) drop.add('gapMedian');
  return table.select(table.columnNames().filter((n) => !drop.has(n)));
}

/** Median onset per scale, keyed by h (as a string, for JSON): `{ '20': 626, … }`; null where no run reached it. */
export function medianOnsets(runs: RunsLike, field: OnsetField = 'trainOnset'): Record<string, number | null> {
  const table = onsetsByScale(runs).objects() as Array<Record<string, number | null>>;
  const column = field === 'trainOnset' ? 'trainOnsetMedian' : 'testOnsetMedian';
  return Object.fromEntries(table.map((row) => [String(row.h), row[column]]));
}

/** Verdict of a scale in {@link groksTable}. */
export type GrokVerdict = 'groks' | 'partial' | 'never';

/**
 * Whether each scale groks: h, N, complete (completed runs), grokked (completed runs whose
 * `field` onset exists, default the test onset), fraction, verdict ('groks' = every completed
 * run, 'partial' = some, 'never' = none or no completed run), and included (fraction ≥
 * `minFraction`, default 1: only scales where every seed groks enter later fits).
 */
export function groksTable(runs: RunsLike, options: { field?: OnsetField; minFraction?: number } = {}): aq.ColumnTable {
  const field = checkChoice('field', options.field ?? 'testOnset', ['trainOnset', 'testOnset'] as const);
  const minFraction = options.minFraction ?? 1;
  if (!(minFraction > 0 && minFraction <= 1)) throw new InvalidOptionError('minFraction', `must be in (0, 1], got ${minFraction}`);
  const rows = runRows(runs);
  const scales = [...new Set(rows.map((r) => r.h))].sort((a, b) => a - b);
  return aq.from(
    scales.map((h) => {
      const all = rows.filter((r) => r.h === h);
      const complete = all.filter((r) => r.status === 'complete');
      const grokked = complete.filter((r) => r[field] != null).length;
      const fraction = complete.length ? grokked / complete.length : 0;
      const verdict: GrokVerdict = complete.length && grokked === complete.length ? 'groks' : grokked > 0 ? 'partial' : 'never';
      return { h, N: all[0].N, complete: complete.length, grokked, fraction, verdict, included: complete.length > 0 && fraction >= minFraction };
    }),
  );
}

/** The hidden widths h that do not enter later fits (see {@link groksTable}), ascending. */
export function nonGrokkingScales(runs: RunsLike, options: { field?: OnsetField; minFraction?: number } = {}): number[] {
  return (groksTable(runs, options).objects() as Array<{ h: number; included: boolean }>).filter((r) => !r.included).map((r) => r.h);
}

/** The runs table without the runs of the given widths (e.g. those of nonGrokkingScales). */
export function excludeScales(runs: RunsLike, scales: number[]): RunRow[] {
  const drop = new Set(scales);
  return runRows(runs).filter((r) => !drop.has(r.h));
}

/** Cache bookkeeping of a runs table for recordStage: runs read from the store vs all runs. */
export function runCacheHits(runs: RunsLike): { cacheHits: number; entries: number } {
  const rows = runRows(runs);
  return { cacheHits: rows.filter((r) => r.cacheHit).length, entries: rows.length };
}

/** Runs that did not complete (status 'failed' or 'error'): h, seed, status, error. */
export function failedRuns(runs: RunsLike): Array<{ h: number; seed: number; status: string; error: string | null }> {
  return runRows(runs)
    .filter((r) => r.status !== 'complete')
    .map((r) => ({ h: r.h, seed: r.seed, status: r.status, error: r.error }));
}

// ---------------------------------------------------------------- Gini of |θ|

/** Where a run's Gini maximum lies: in the first `earlyFraction` of training, at the last epoch, or in between. */
export type GiniPeakKind = 'early' | 'transition' | 'end';

/**
 * The peak of the Gini coefficient of |θ| of every run: h, N, seed, peakEpoch (first epoch of the
 * maximum), peakGini, initialGini (first epoch), finalGini (last epoch), kind ('early' when the
 * maximum lies in the first `earlyFraction` (default 5 %) of the epochs — an initial transient, not
 * a transition; 'end' when it is the last evaluated epoch — still rising; else 'transition'),
 * onset (the run's onset from `runs`, `field` default trainOnset; null if none or no runs given)
 * and peakOverOnset (peakEpoch / onset).
 */
export function giniPeaks(metrics: MetricsTableLike, runs?: RunsLike, field: OnsetField = 'trainOnset', earlyFraction = 0.05): aq.ColumnTable {
  if (!(earlyFraction >= 0 && earlyFraction < 1)) throw new InvalidOptionError('earlyFraction', `must be in [0, 1), got ${earlyFraction}`);
  const onsets = new Map<string, number | null>();
  if (runs) for (const r of runRows(runs)) onsets.set(`${r.h}|${r.seed}`, r[field]);
  const rows = runMetricCurves(metrics, 'gini').map((curve) => {
    let best = -1;
    for (let i = 0; i < curve.values.length; i++) if (Number.isFinite(curve.values[i]) && (best < 0 || curve.values[i] > curve.values[best])) best = i;
    const onset = onsets.get(`${curve.h}|${curve.seed}`) ?? null;
    const peakEpoch = best >= 0 ? curve.epochs[best] : null;
    const first = curve.epochs[0];
    const last = curve.epochs[curve.epochs.length - 1];
    const kind: GiniPeakKind | null = best < 0 ? null : best === curve.values.length - 1 ? 'end' : peakEpoch! - first < earlyFraction * (last - first) ? 'early' : 'transition';
    return {
      h: curve.h,
      N: curve.N,
      seed: curve.seed,
      peakEpoch,
      peakGini: best >= 0 ? curve.values[best] : null,
      initialGini: curve.values[0],
      finalGini: curve.values[curve.values.length - 1],
      kind,
      onset,
      peakOverOnset: peakEpoch !== null && onset !== null && onset > 0 ? peakEpoch / onset : null,
    };
  });
  return aq.from(rows);
}

/**
 * Gini peaks per scale (from {@link giniPeaks}): h, N, runs, transitionPeaks / earlyPeaks /
 * endPeaks (runs of each peak kind), then over the runs with a 'transition' peak only (the medians
 * are null when there is none): peakEpochMedian, peakOverOnsetMedian, peakGiniMedian; and
 * onsetMedian over all runs with an onset.
 */
export function giniPeaksByScale(peaks: aq.ColumnTable): aq.ColumnTable {
  const rows = peaks.objects() as Array<{ h: number; N: number; peakEpoch: number | null; peakGini: number | null; kind: GiniPeakKind | null; onset: number | null; peakOverOnset: number | null }>;
  const scales = [...new Set(rows.map((r) => r.h))].sort((a, b) => a - b);
  const med = (v: Array<number | null>) => {
    const finite = v.filter((x): x is number => x !== null && Number.isFinite(x));
    return finite.length ? median(finite) : null;
  };
  return aq.from(
    scales.map((h) => {
      const r = rows.filter((x) => x.h === h);
      const transition = r.filter((x) => x.kind === 'transition');
      return {
        h,
        N: r[0].N,
        runs: r.length,
        transitionPeaks: transition.length,
        earlyPeaks: r.filter((x) => x.kind === 'early').length,
        endPeaks: r.filter((x) => x.kind === 'end').length,
        peakEpochMedian: med(transition.map((x) => x.peakEpoch)),
        onsetMedian: med(r.map((x) => x.onset)),
        peakOverOnsetMedian: med(transition.map((x) => x.peakOverOnset)),
        peakGiniMedian: med(transition.map((x) => x.peakGini)),
      };
    }),
  );
}

/** Options of {@link giniFigure}. */
export interface GiniFigureOptions {
  logX?: boolean;
  maxPoints?: number;
  title?: string;
  style?: 'single' | 'double';
}

/**
 * The Gini coefficient of |θ| over time, mean across seeds per scale (one colour per scale); on
 * each curve a filled circle marks the median transition-peak epoch of the scale's runs and an open diamond
 * the median onset epoch (both from `peaksByScale`, the table of giniPeaksByScale), placed at the
 * curve's value at that epoch.
 */
export function giniFigure(metrics: MetricsTableLike, peaksByScale: aq.ColumnTable, options: GiniFigureOptions = {}): PlotlyFigure {
  const logX = options.logX ?? false;
  const maxPoints = options.maxPoints ?? 400;
  const peaks = new Map((peaksByScale.objects() as Array<{ h: number; peakEpochMedian: number | null; onsetMedian: number | null }>).map((r) => [r.h, r]));
  const traces: PlotlyTrace[] = [];
  const valueAt = (curve: ScaleCurve, epoch: number) => {
    let j = 0;
    while (j < curve.epochs.length - 1 && curve.epochs[j] < epoch) j++;
    return curve.mean[j];
  };
  scaleMetricCurves(metrics, 'gini').forEach((curve, index) => {
    const colour = scaleColour(index);
    const group = `h${curve.h}`;
    const keep = thinIndices(curve.epochs, maxPoints, logX);
    traces.push({ type: 'scatter', mode: 'lines', name: scaleLabel(curve.N, curve.h), legendgroup: group, x: pick(curve.epochs, keep), y: pick(curve.mean, keep), line: { color: colour, width: 1.4 } });
    const p = peaks.get(curve.h);
    if (p && p.peakEpochMedian !== null) {
      traces.push({ type: 'scatter', mode: 'markers', name: `peak (N = ${curve.N})`, legendgroup: group, showlegend: false, x: [p.peakEpochMedian], y: [valueAt(curve, p.peakEpochMedian)], marker: { color: colour, size: 8, symbol: 'circle', line: { color: '#000000', width: 0.5 } }, hovertemplate: `N = ${curve.N}: median Gini peak at epoch %{x}<extra></extra>` });
    }
    if (p && p.onsetMedian !== null) {
      traces.push({ type: 'scatter', mode: 'markers', name: `onset (N = ${curve.N})`, legendgroup: group, showlegend: false, x: [p.onsetMedian], y: [valueAt(curve, p.onsetMedian)], marker: { color: colour, size: 8, symbol: 'diamond-open', line: { width: 1.5 } }, hovertemplate: `N = ${curve.N}: median onset at epoch %{x}<extra></extra>` });
    }
  });
  // Two legend-only entries explain the markers.
  traces.push({ type: 'scatter', mode: 'markers', name: 'median Gini peak', x: [null], y: [null], marker: { color: '#888888', size: 8, symbol: 'circle' } });
  traces.push({ type: 'scatter', mode: 'markers', name: 'median onset', x: [null], y: [null], marker: { color: '#888888', size: 8, symbol: 'diamond-open', line: { width: 1.5 } } });
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX }, 'Gini coefficient of |θ| (mean over seeds)'),
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 150 },
    }),
  };
}

// ---------------------------------------------------------------- headline numbers

/** Headline numbers of a training sweep (for recordResults and the "what this shows" cell). */
export interface TrainingHeadline {
  task: string;
  runs: number;
  complete: number;
  failed: number;
  cacheHits: number;
  /** Hidden widths h and parameter counts N, ascending. */
  scales: number[];
  N: number[];
  /** Which onset the medians are about (trainOnset for XOR, testOnset for a task with a test split). */
  onsetField: OnsetField;
  /** Completed runs whose onset exists. */
  runsReachingOnset: number;
  /** Median onset epoch per scale, keyed by h (null: no run of that scale reached it). */
  onsetMedians: Record<string, number | null>;
  /** Median train onset per scale (also for tasks with a test split). */
  trainOnsetMedians: Record<string, number | null>;
  /** Median grokking gap (test / train onset) per scale; empty without a test split. */
  gapMedians: Record<string, number | null>;
  /** Gini peaks: scales where most runs have a transition peak (not early, not still rising), and per-scale medians over those runs. */
  giniTransitionScales: number;
  giniPeakOverOnsetMedians: Record<string, number | null>;
  giniPeakEpochMedians: Record<string, number | null>;
}

/**
 * Collects the headline numbers of a sweep from its runs table and the per-scale Gini peaks
 * (giniPeaksByScale; optional). `onsetField` defaults to testOnset when the runs have a test
 * split, else trainOnset.
 */
export function trainingHeadline(runs: RunsLike, peaksByScale?: aq.ColumnTable, onsetField?: OnsetField): TrainingHeadline {
  const rows = runRows(runs);
  const hasTestSet = rows.some((r) => r.task !== 'xor');
  const field = onsetField ?? (hasTestSet ? 'testOnset' : 'trainOnset');
  const byScale = onsetsByScale(rows).objects() as Array<Record<string, number | null>>;
  const peaks = peaksByScale ? (peaksByScale.objects() as Array<Record<string, number | null>>) : [];
  const keyed = (list: Array<Record<string, number | null>>, column: string) => Object.fromEntries(list.map((r) => [String(r.h), r[column]]));
  return {
    task: rows[0].task,
    runs: rows.length,
    complete: rows.filter((r) => r.status === 'complete').length,
    failed: rows.filter((r) => r.status !== 'complete').length,
    cacheHits: rows.filter((r) => r.cacheHit).length,
    scales: byScale.map((r) => r.h as number),
    N: byScale.map((r) => r.N as number),
    onsetField: field,
    runsReachingOnset: rows.filter((r) => r.status === 'complete' && r[field] != null).length,
    onsetMedians: keyed(byScale, field === 'trainOnset' ? 'trainOnsetMedian' : 'testOnsetMedian'),
    trainOnsetMedians: keyed(byScale, 'trainOnsetMedian'),
    gapMedians: hasTestSet ? keyed(byScale, 'gapMedian') : {},
    giniTransitionScales: peaks.filter((r) => (r.transitionPeaks as number) * 2 > (r.runs as number)).length,
    giniPeakOverOnsetMedians: keyed(peaks, 'peakOverOnsetMedian'),
    giniPeakEpochMedians: keyed(peaks, 'peakEpochMedian'),
  };
}

function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits)));
}

/** "ranges from a (N = …) to b (N = …)", or "is a (N = …)" for a single scale. */
function extremes(values: Record<string, number | null>, N: Record<string, number>): string | null {
  const entries = Object.entries(values).filter((e): e is [string, number] => e[1] !== null && Number.isFinite(e[1]));
  if (entries.length === 0) return null;
  const sorted = [...entries].sort((a, b) => a[1] - b[1]);
  const say = ([h, v]: [string, number]) => `${fmt(v)} (N = ${N[h]})`;
  return sorted.length === 1 ? `is ${say(sorted[0])}` : `ranges from ${say(sorted[0])} to ${say(sorted[sorted.length - 1])}`;
}

/**
 * A short markdown paragraph stating the sweep's numbers: runs, failures, cache use, how many
 * runs reached the onset, the range of per-scale median onsets (and gaps), and where the Gini
 * peak sits relative to the onset. Every number comes from `headline`.
 */
export function trainingSummaryMarkdown(headline: TrainingHeadline): string {
  const N = Object.fromEntries(headline.scales.map((h, i) => [String(h), headline.N[i]]));
  const onsetName = headline.onsetField === 'trainOnset' ? 'train-accuracy onset' : 'test-accuracy onset';
  const lines: string[] = [];
  lines.push(
    `**Sweep.** ${headline.runs} run${headline.runs === 1 ? '' : 's'} of ${headline.task} at ${headline.scales.length} scale${headline.scales.length === 1 ? '' : 's'} ` +
      `(N = ${headline.N.join(', ')}); ${headline.complete} completed, ${headline.failed} failed; ${headline.cacheHits} read from the store.`,
  );
  const onset = extremes(headline.onsetMedians, N);
  lines.push(
    `**Onset** (first epoch from which accuracy stays ≥ 0.99): ${headline.runsReachingOnset} of ${headline.complete} completed runs reach the ${onsetName}` +
      (onset ? `; the per-scale median ${onset} epochs.` : '; no scale has an onset.'),
  );
  const never = headline.scales.filter((h) => headline.onsetMedians[String(h)] === null);
  if (never.length) lines.push(`Scales without any run reaching the ${onsetName}: ${never.map((h) => `N = ${N[String(h)]} (h = ${h})`).join(', ')}.`);
  const gap = extremes(headline.gapMedians, N);
  if (gap) lines.push(`**Grokking gap** (test onset / train onset): the per-scale median ${gap}.`);
  const ratios = Object.values(headline.giniPeakOverOnsetMedians).filter((v): v is number => v !== null && Number.isFinite(v));
  if (Object.keys(headline.giniPeakEpochMedians).length) {
    const before = ratios.filter((r) => r < 1).length;
    const ratio = extremes(headline.giniPeakOverOnsetMedians, N);
    lines.push(
      `**Gini of |θ|:** in ${headline.giniTransitionScales} of ${headline.scales.length} scales most runs have a peak after the first 5 % of training and before its end. ` +
        (ratio ? `Over those runs the median peak epoch / onset ${ratio}: the peak comes before the onset in ${before} and at or after it in ${ratios.length - before} of ${ratios.length} scales.` : 'No onset to compare the peak with.'),
    );
  }
  return lines.join('\n\n');
}

/**
 * One paragraph on which scales grok (from {@link groksTable}): those that never do, those where
 * only some seeds do, and which scales are excluded from / enter the later fits.
 */
export function groksMarkdown(runs: RunsLike, options: { field?: OnsetField; minFraction?: number } = {}): string {
  const rows = groksTable(runs, options).objects() as Array<{ h: number; N: number; grokked: number; complete: number; verdict: GrokVerdict; included: boolean }>;
  const field = options.field ?? 'testOnset';
  const what = field === 'testOnset' ? 'test' : 'train';
  const list = (r: typeof rows) => r.map((x) => `N = ${x.N} (h = ${x.h})`).join(', ');
  const never = rows.filter((r) => r.verdict === 'never');
  const partial = rows.filter((r) => r.verdict === 'partial');
  const excluded = rows.filter((r) => !r.included);
  const included = rows.filter((r) => r.included);
  const parts = [
    never.length ? `**Never grok** (no completed seed keeps ${what} accuracy ≥ 0.99 to the end): ${list(never)}.` : `Every scale has at least one seed that reaches the ${what}-accuracy onset.`,
    partial.length ? `**Partly:** ${partial.map((x) => `N = ${x.N} (h = ${x.h}, ${x.grokked} of ${x.complete} seeds)`).join(', ')}.` : '',
    excluded.length ? `Excluded from the fits below: ${list(excluded)}.` : 'No scale is excluded from the fits below.',
    included.length ? `Entering them: ${list(included)}.` : 'No scale enters them.',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
