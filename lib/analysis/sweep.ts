/**
 * Glue between the training and probe stages: a sweep's runs table (from trainScales) turned
 * into the long metrics table, the onset table and the probe's snapshot inputs, all read from
 * the store. Notebooks call these so that no cell needs a loop.
 */
import * as aq from 'arquero';
import { readEntryByKey, StoredEntry } from '../store/index';
import { InvalidOptionError } from '../util/errors';
import { METRIC_COLUMNS, readLayout, readSnapshots, RunRow, RunSummary, TRAIN_STAGE } from '../train/index';
import { SnapshotInput } from '../probe/index';

/** A runs table (arquero, as trainScales returns it) or its rows. */
export type RunsInput = aq.ColumnTable | RunRow[];

function rowsOf(runs: RunsInput): RunRow[] {
  const rows = Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[]);
  if (rows.length === 0) throw new InvalidOptionError('runs', 'the runs table is empty: train a sweep first (trainScales)');
  return rows;
}

/** Rows of runs that completed (failed and errored runs are left out, as the fits must). */
export function completedRuns(runs: RunsInput): RunRow[] {
  return rowsOf(runs).filter((row) => row.status === 'complete');
}

function openRun(row: RunRow, root?: string): StoredEntry {
  const entry = readEntryByKey(TRAIN_STAGE, row.key, { root });
  if (!entry) throw new InvalidOptionError('runs.key', `run ${row.key} (h = ${row.h}, seed = ${row.seed}) is not in the store; re-run trainScales`);
  return entry;
}

/**
 * The metrics of every completed run as one long table: task, h, N, seed, epoch, then
 * trainLoss, trainAccuracy, testLoss, testAccuracy, weightNorm, gini (NaN where a task has no test set).
 */
export function sweepMetrics(runs: RunsInput, options: { root?: string } = {}): aq.ColumnTable {
  const parts = completedRuns(runs).map((row) => {
    const metrics = openRun(row, options.root).table('metrics.arrow');
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
  const rows = rowsOf(runs).map((row) => ({
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
  const quantity = options.quantity ?? 'gradient';
  if (quantity !== 'gradient' && quantity !== 'parameter') throw new InvalidOptionError('quantity', `got ${JSON.stringify(quantity)}; allowed values: "gradient", "parameter"`);
  const inputs: SnapshotInput[] = [];
  for (const row of completedRuns(runs)) {
    const entry = openRun(row, options.root);
    const snapshots = readSnapshots(entry);
    const layout = readLayout(entry);
    const series = quantity === 'gradient' ? snapshots.gradients : snapshots.parameters;
    snapshots.epochs.forEach((epoch, snapshot) => inputs.push({ scaleN: row.N, seed: row.seed, snapshot, epoch, values: series[snapshot], layout }));
  }
  return inputs;
}

/** The stored summaries (onsets, snapshot epochs, layer sizes) of the completed runs, in row order. */
export function runSummaries(runs: RunsInput, options: { root?: string } = {}): Array<RunRow & { summary: RunSummary }> {
  return completedRuns(runs).map((row) => ({ ...row, summary: openRun(row, options.root).json<RunSummary>('summary.json') }));
}

/**
 * The onset epoch of every completed run, keyed `${N}|${seed}` (the key lib/fss uses for onsets),
 * so that probe rows (scaleN, seed) find their run. Runs that never reached the onset are left
 * out, or mapped to NaN with `includeMissing` (so that "no such run" and "no onset" differ).
 * @param options.field which onset ['trainOnset']; options.includeMissing [false]
 * @throws InvalidOptionError when two completed runs share N and seed (runs of two sweeps mixed)
 */
export function runOnsets(runs: RunsInput, options: { field?: 'trainOnset' | 'testOnset'; includeMissing?: boolean } = {}): Map<string, number> {
  const field = options.field ?? 'trainOnset';
  const rows = Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[]);
  const onsets = new Map<string, number>();
  for (const row of rows) {
    if (row.status !== 'complete') continue;
    const key = `${row.N}|${row.seed}`;
    if (onsets.has(key)) throw new InvalidOptionError('runs', `holds two completed runs with N = ${row.N}, seed = ${row.seed} (one sweep, one task at a time)`);
    const onset = row[field];
    if (typeof onset === 'number' && Number.isFinite(onset)) onsets.set(key, onset);
    else if (options.includeMissing) onsets.set(key, NaN);
  }
  return onsets;
}
