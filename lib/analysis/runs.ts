/**
 * A sweep's runs table (from trainScales, or rows built for runs trained elsewhere) and what the
 * analysis reads through it: the long metrics table, onsets per run and per scale, which scales
 * grok, and the probe's snapshot inputs. Stored runs are read with lib/train/runFiles, so nothing
 * here loads TensorFlow.js.
 */
import * as aq from 'arquero';
import { SnapshotInput } from '../probe/probeSnapshots';
import { median, quantileSorted } from '../stats/bootstrap';
import { METRIC_COLUMNS, openRun, readLayout, readRunMetrics, readSnapshots, RunRow } from '../train/runFiles';
import { checkChoice, InvalidOptionError } from '../util/errors';

/** A runs table (arquero, as trainScales returns it) or its rows. */
export type RunsInput = aq.ColumnTable | RunRow[];

/** Which onset of a run: the train-accuracy onset (XOR) or the test-accuracy onset (tasks with a test split). */
export const ONSET_FIELDS = ['trainOnset', 'testOnset'] as const;
export type OnsetField = (typeof ONSET_FIELDS)[number];

/** The rows of a runs table. @throws InvalidOptionError when it is empty */
export function runRows(runs: RunsInput): RunRow[] {
  const rows = Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[]);
  if (rows.length === 0) throw new InvalidOptionError('runs', 'the runs table is empty: train a sweep first (trainScales)');
  return rows;
}

/** Rows of runs that completed (failed and errored runs are left out, as the fits must). */
export function completedRuns(runs: RunsInput): RunRow[] {
  return runRows(runs).filter((row) => row.status === 'complete');
}

/** Key of a run in onset maps and probe rows: `${N}|${seed}`. */
export function runKey(scaleN: number, seed: number): string {
  return `${scaleN}|${seed}`;
}

/** Onset epoch of every completed run keyed by {@link runKey}; NaN for a run that never reached its onset. */
export type OnsetMap = Map<string, number>;

/**
 * The onset epoch of every completed run keyed `${N}|${seed}` (so that probe rows find their
 * run); a run that never reached its onset maps to NaN, so that "no such run" (absent) and
 * "no onset" (NaN) differ.
 * @param options.field which onset ['trainOnset']
 * @throws InvalidOptionError when two completed runs share N and seed (runs of two sweeps mixed)
 */
export function runOnsets(runs: RunsInput, options: { field?: OnsetField } = {}): OnsetMap {
  const field = checkChoice('field', options.field ?? 'trainOnset', ONSET_FIELDS);
  const onsets: OnsetMap = new Map();
  for (const row of Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[])) {
    if (row.status !== 'complete') continue;
    const key = runKey(row.N, row.seed);
    if (onsets.has(key)) throw new InvalidOptionError('runs', `holds two completed runs with N = ${row.N}, seed = ${row.seed} (one sweep, one task at a time)`);
    const onset = row[field];
    onsets.set(key, typeof onset === 'number' && Number.isFinite(onset) ? onset : NaN);
  }
  return onsets;
}

/** Onsets of a sweep (epochs) over the completed runs that reached one. */
export interface OnsetSummary {
  field: OnsetField;
  median: number;
  q25: number;
  q75: number;
  min: number;
  max: number;
  /** Runs that reached an onset, and completed runs in all. */
  reached: number;
  runs: number;
}

/** Median, quartiles and range of an onset over completed runs (NaN when none reached it). */
export function onsetSummary(runs: RunsInput, options: { field?: OnsetField } = {}): OnsetSummary {
  const field = checkChoice('field', options.field ?? 'trainOnset', ONSET_FIELDS);
  const completed = completedRuns(runs);
  const onsets = Float64Array.from(completed.map((r) => r[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))).sort();
  const q = (p: number) => (onsets.length ? quantileSorted(onsets, p) : NaN);
  return { field, median: q(0.5), q25: q(0.25), q75: q(0.75), min: q(0), max: q(1), reached: onsets.length, runs: completed.length };
}

/**
 * The metrics of every completed run as one long table: task, h, N, seed, epoch, then
 * trainLoss, trainAccuracy, testLoss, testAccuracy, weightNorm, gini (NaN where a task has no test set).
 */
export function sweepMetrics(runs: RunsInput, options: { root?: string } = {}): aq.ColumnTable {
  const parts = completedRuns(runs).map((row) => {
    const metrics = readRunMetrics(openRun(row, options));
    const count = metrics.numRows();
    const columns: Record<string, ArrayLike<unknown>> = {
      task: new Array(count).fill(row.task),
      h: new Int32Array(count).fill(row.h),
      N: new Int32Array(count).fill(row.N),
      seed: new Int32Array(count).fill(row.seed),
      epoch: Float64Array.from(metrics.array('epoch') as ArrayLike<number>),
    };
    for (const name of METRIC_COLUMNS) columns[name] = Float64Array.from(metrics.array(name) as ArrayLike<number>);
    return aq.table(columns);
  });
  return parts.slice(1).reduce((all, part) => all.concat(part), parts[0]);
}

/**
 * One row per run: task, h, N, seed, status, trainOnset, testOnset and the gap (test / train
 * onset ratio, NaN when either is missing). Onsets are the first epoch from which accuracy stays
 * ≥ 0.99 to the end of training (null = never).
 */
export function onsetTable(runs: RunsInput): aq.ColumnTable {
  const rows = runRows(runs).map((row) => ({
    task: row.task,
    h: row.h,
    N: row.N,
    seed: row.seed,
    status: row.status,
    trainOnset: row.trainOnset,
    testOnset: row.testOnset,
    gap: row.trainOnset != null && row.testOnset != null && row.trainOnset > 0 ? row.testOnset / row.trainOnset : NaN,
  }));
  return aq.from(rows).orderby('h', 'seed');
}

/** Which quantity of a run becomes the probe's values. */
export type SnapshotQuantity = 'gradient' | 'parameter';

/**
 * The probe's inputs for every snapshot of every completed run: scaleN = N (parameter count),
 * seed, snapshot index, epoch, values (the gradient by default) and the parameter layout (for
 * the 'network' topology).
 */
export function sweepSnapshots(runs: RunsInput, options: { root?: string; quantity?: SnapshotQuantity } = {}): SnapshotInput[] {
  const quantity = checkChoice('quantity', options.quantity ?? 'gradient', ['gradient', 'parameter'] as const);
  const inputs: SnapshotInput[] = [];
  for (const row of completedRuns(runs)) {
    const entry = openRun(row, options);
    const snapshots = readSnapshots(entry);
    const layout = readLayout(entry);
    const series = quantity === 'gradient' ? snapshots.gradients : snapshots.parameters;
    snapshots.epochs.forEach((epoch, snapshot) => inputs.push({ scaleN: row.N, seed: row.seed, snapshot, epoch, values: series[snapshot], layout }));
  }
  return inputs;
}

/**
 * Onsets per scale: h, N, runs (rows in the runs table), complete, failed (status 'failed' or
 * 'error'), then per onset (train, test) the runs that reached it and the median, minimum and
 * maximum over them (null when none did), and the median grokking gap (test / train onset, per run).
 */
export function onsetsByScale(runs: RunsInput): aq.ColumnTable {
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

/** Verdict of a scale in {@link groksTable}. */
export type GrokVerdict = 'groks' | 'partial' | 'never';

/** Options of {@link groksTable}, {@link nonGrokkingScales}. */
export interface GroksOptions {
  /** The onset that counts as grokking ['testOnset']. */
  field?: OnsetField;
  /** A scale enters later fits when at least this fraction of its completed runs groks, in (0, 1] [1]. */
  minFraction?: number;
}

/**
 * Whether each scale groks: h, N, complete (completed runs), grokked (completed runs whose
 * onset exists), fraction, verdict ('groks' = every completed run, 'partial' = some, 'never' =
 * none or no completed run), and included (fraction ≥ minFraction: the scale enters later fits).
 */
export function groksTable(runs: RunsInput, options: GroksOptions = {}): aq.ColumnTable {
  const field = checkChoice('field', options.field ?? 'testOnset', ONSET_FIELDS);
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
export function nonGrokkingScales(runs: RunsInput, options: GroksOptions = {}): number[] {
  return (groksTable(runs, options).objects() as Array<{ h: number; included: boolean }>).filter((r) => !r.included).map((r) => r.h);
}

/** The runs table without the runs of the given widths (e.g. those of nonGrokkingScales). */
export function excludeScales(runs: RunsInput, scales: number[]): RunRow[] {
  const drop = new Set(scales);
  return runRows(runs).filter((r) => !drop.has(r.h));
}

/** Cache bookkeeping of a runs table for recordStage: runs read from the store vs all runs. */
export function runCacheHits(runs: RunsInput): { cacheHits: number; entries: number } {
  const rows = runRows(runs);
  return { cacheHits: rows.filter((r) => r.cacheHit).length, entries: rows.length };
}

/** Runs that did not complete (status 'failed' or 'error'): h, seed, status, error. */
export function failedRuns(runs: RunsInput): Array<{ h: number; seed: number; status: string; error: string | null }> {
  return runRows(runs)
    .filter((r) => r.status !== 'complete')
    .map((r) => ({ h: r.h, seed: r.seed, status: r.status, error: r.error }));
}
