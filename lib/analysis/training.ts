/**
 * The training stage's numbers for notebooks 01 and 05: learning curves per run and per scale
 * (mean and spread across seeds), and the peak of the Gini coefficient of |θ| relative to the
 * onset. Runs tables and long metrics tables in (trainScales, sweepMetrics), typed curves and
 * arquero tables out; the figures draw these.
 */
import * as aq from 'arquero';
import { median } from '../stats/bootstrap';
import { METRIC_COLUMNS } from '../train/runFiles';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { ONSET_FIELDS, OnsetField, runRows, RunsInput, sweepMetrics } from './runs';

/** A long metrics table (sweepMetrics) or its rows. */
export type MetricsTableLike = aq.ColumnTable | Array<Record<string, unknown>>;

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

/** Every metric of a sweep as curves per run and per scale. */
export interface SweepCurves {
  /** Metric columns present (METRIC_COLUMNS found in the table). */
  metrics: string[];
  /** Per metric: one curve per run, sorted by h, then seed. */
  runs: Record<string, RunCurve[]>;
  /** Per metric: one curve per scale (ascending h). */
  scales: Record<string, ScaleCurve[]>;
}

function metricsColumns(
  metrics: MetricsTableLike,
  metric: string,
): { h: ArrayLike<number>; N: ArrayLike<number>; seed: ArrayLike<number>; epoch: ArrayLike<number>; value: ArrayLike<number> } {
  if (Array.isArray(metrics)) {
    if (metrics.length === 0) throw new InvalidOptionError('metrics', 'the metrics table is empty');
    if (!(metric in metrics[0])) throw new InvalidOptionError('metric', `no column ${JSON.stringify(metric)}; columns: ${Object.keys(metrics[0]).join(', ')}`);
    const col = (name: string) => metrics.map((row) => Number(row[name]));
    return { h: col('h'), N: col('N'), seed: col('seed'), epoch: col('epoch'), value: col(metric) };
  }
  const names = metrics.columnNames();
  for (const name of ['h', 'N', 'seed', 'epoch'])
    if (!names.includes(name)) throw new InvalidOptionError('metrics', `missing column ${JSON.stringify(name)} (pass the table of sweepMetrics)`);
  if (!names.includes(metric)) throw new InvalidOptionError('metric', `no column ${JSON.stringify(metric)}; columns: ${names.join(', ')}`);
  if (metrics.numRows() === 0) throw new InvalidOptionError('metrics', 'the metrics table is empty');
  const col = (name: string) => metrics.array(name) as ArrayLike<number>;
  return { h: col('h'), N: col('N'), seed: col('seed'), epoch: col('epoch'), value: col(metric) };
}

/** Splits a long metrics table into one curve per run (h, seed), sorted by h, then seed, each sorted by epoch. */
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
export function scaleMetricCurves(metrics: MetricsTableLike | RunCurve[], metric?: string): ScaleCurve[] {
  const runCurves = isRunCurves(metrics) ? metrics : runMetricCurves(metrics, metric ?? '');
  const byScale = new Map<number, RunCurve[]>();
  for (const curve of runCurves) byScale.set(curve.h, [...(byScale.get(curve.h) ?? []), curve]);
  return [...byScale.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([h, curves]) => {
      const perEpoch = new Map<number, number[]>();
      for (const curve of curves)
        curve.epochs.forEach((e, i) => {
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

function isRunCurves(x: unknown): x is RunCurve[] {
  return Array.isArray(x) && x.length > 0 && (x[0] as RunCurve).values instanceof Float64Array;
}

/** Curves per run and per scale of every metric column of a long metrics table (sweepMetrics). */
export function metricCurves(metrics: MetricsTableLike): SweepCurves {
  const columns = Array.isArray(metrics) ? (metrics.length ? Object.keys(metrics[0]) : []) : metrics.columnNames();
  const present = METRIC_COLUMNS.filter((m) => columns.includes(m));
  if (present.length === 0)
    throw new InvalidOptionError('metrics', `has none of the metric columns ${METRIC_COLUMNS.join(', ')} (pass the table of sweepMetrics)`);
  const runs: Record<string, RunCurve[]> = {};
  const scales: Record<string, ScaleCurve[]> = {};
  for (const m of present) {
    runs[m] = runMetricCurves(metrics, m);
    scales[m] = scaleMetricCurves(runs[m]);
  }
  return { metrics: [...present], runs, scales };
}

/** {@link metricCurves} of the stored metrics of a sweep's completed runs. */
export function sweepCurves(runs: RunsInput, options: { root?: string } = {}): SweepCurves {
  return metricCurves(sweepMetrics(runs, options));
}

/** The curves of `metric`, or a clear error naming the metrics present. */
function curvesOf(curves: SweepCurves, metric: string): { runs: RunCurve[]; scales: ScaleCurve[] } {
  if (!curves || !curves.runs || !(metric in curves.runs))
    throw new InvalidOptionError(
      'metric',
      `no curves of ${JSON.stringify(metric)}; metrics: ${curves?.metrics?.join(', ') ?? 'none (pass metricCurves / sweepCurves)'}`,
    );
  return { runs: curves.runs[metric], scales: curves.scales[metric] };
}

/** Where a run's Gini maximum lies: in the first `earlyFraction` of training, at the last epoch, or in between. */
export type GiniPeakKind = 'early' | 'transition' | 'end';

/**
 * The peak of the Gini coefficient of |θ| of every run: h, N, seed, peakEpoch (first epoch of the
 * maximum), peakGini, initialGini (first epoch), finalGini (last epoch), kind ('early' when the
 * maximum lies in the first `earlyFraction` [0.05] of the epochs — an initial transient, not a
 * transition; 'end' when it is the last evaluated epoch — still rising; else 'transition'),
 * onset (the run's `field` onset ['trainOnset'] from `runs`; null if none or no runs given) and
 * peakOverOnset (peakEpoch / onset).
 */
export function giniPeaks(curves: SweepCurves, runs?: RunsInput, field: OnsetField = 'trainOnset', earlyFraction = 0.05): aq.ColumnTable {
  checkChoice('field', field, ONSET_FIELDS);
  if (!(earlyFraction >= 0 && earlyFraction < 1)) throw new InvalidOptionError('earlyFraction', `must be in [0, 1), got ${earlyFraction}`);
  const onsets = new Map<string, number | null>();
  if (runs) for (const r of runRows(runs)) onsets.set(`${r.h}|${r.seed}`, r[field]);
  const rows = curvesOf(curves, 'gini').runs.map((curve) => {
    let best = -1;
    for (let i = 0; i < curve.values.length; i++) if (Number.isFinite(curve.values[i]) && (best < 0 || curve.values[i] > curve.values[best])) best = i;
    const onset = onsets.get(`${curve.h}|${curve.seed}`) ?? null;
    const peakEpoch = best >= 0 ? curve.epochs[best] : null;
    const first = curve.epochs[0];
    const last = curve.epochs[curve.epochs.length - 1];
    const kind: GiniPeakKind | null =
      best < 0 ? null : best === curve.values.length - 1 ? 'end' : peakEpoch! - first < earlyFraction * (last - first) ? 'early' : 'transition';
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
  const rows = peaks.objects() as Array<{
    h: number;
    N: number;
    peakEpoch: number | null;
    peakGini: number | null;
    kind: GiniPeakKind | null;
    onset: number | null;
    peakOverOnset: number | null;
  }>;
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
