/**
 * The files of a stored training run and a reader for them that does not load TensorFlow.js:
 * analysis, figures and readers of runs trained elsewhere import this file, never the training
 * code. The train stage writes these files (trainRun.ts) and every other stage reads them here.
 *
 * A run's store entry (stage TRAIN_STAGE) holds:
 *   metrics.arrow    epoch + METRIC_COLUMNS, one row per evaluated epoch;
 *   snapshots.arrow  long format: epoch, index, gradient, parameter (one row per snapshot × parameter);
 *   layout.arrow     index, layer, kind, row, col of every parameter (see layout.ts);
 *   summary.json     RunSummary (deterministic);
 *   timing.json      wall time and resume point (not deterministic).
 */
import * as aq from 'arquero';
import { readEntryByKey, StoredEntry } from '../store/index';
import { InvalidOptionError } from '../util/errors';
import type { ParameterLayout } from './layout';

/** Store stage name of training runs. */
export const TRAIN_STAGE = 'train';

/** File names inside a run's store entry. */
export const RUN_FILES = {
  metrics: 'metrics.arrow',
  snapshots: 'snapshots.arrow',
  layout: 'layout.arrow',
  summary: 'summary.json',
  timing: 'timing.json',
} as const;

/** Columns of metrics.arrow (besides `epoch`), in order. */
export const METRIC_COLUMNS = ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'weightNorm', 'gini'] as const;

/** What a run's summary.json holds (deterministic: no timings). */
export interface RunSummary {
  status: 'complete' | 'failed';
  /** For a failed run: the epoch at which the loss or a gradient was first NaN/Inf, and what was. */
  failure: { epoch: number; reason: string } | null;
  /** Last epoch evaluated (= epochs for a complete run, unless the budget rule stopped it). */
  lastEpoch: number;
  /** The epoch at which the config's early-stop rule ended the run (null: it ran its budget or failed). */
  earlyStopEpoch: number | null;
  parameterCount: number;
  layerSizes: number[];
  snapshotEpochs: number[];
  /** First epoch from which train accuracy stays ≥ 0.99 to the end (null: never). */
  trainOnset: number | null;
  /** Same for test accuracy (null: never, or no test set as in XOR). */
  testOnset: number | null;
  /** The task's metadata (hidden bits, split sizes, …). */
  task: Record<string, unknown>;
  backend: string;
}

/** One row of a sweep's runs table (trainScales): which run, and how it ended. */
export interface RunRow {
  task: string;
  h: number;
  N: number;
  seed: number;
  key: string;
  /** 'complete', 'failed' (NaN/Inf, stored as failed), or 'error' (an exception; nothing stored). */
  status: string;
  trainOnset: number | null;
  testOnset: number | null;
  /** Last epoch trained (below the budget when the early-stop rule ended the run; null for an error row). */
  lastEpoch?: number | null;
  wallSeconds: number;
  cacheHit: boolean;
  error: string | null;
}

/** A run's gradient and parameter snapshots, one Float64Array (length N) per snapshot epoch. */
export interface RunSnapshots {
  epochs: number[];
  gradients: Float64Array[];
  parameters: Float64Array[];
}

/**
 * The store entry of a run of a runs table.
 * @throws InvalidOptionError naming the run when it is not in the store
 */
export function openRun(row: Pick<RunRow, 'key' | 'h' | 'seed'>, options: { root?: string } = {}): StoredEntry {
  const entry = readEntryByKey(TRAIN_STAGE, row.key, { root: options.root });
  if (!entry) throw new InvalidOptionError('runs.key', `run ${row.key} (h = ${row.h}, seed = ${row.seed}) is not in the store; re-run trainScales`);
  return entry;
}

/** The run's summary.json. */
export function readRunSummary(entry: StoredEntry): RunSummary {
  return entry.json<RunSummary>(RUN_FILES.summary);
}

/** The run's metrics.arrow: epoch and METRIC_COLUMNS. */
export function readRunMetrics(entry: StoredEntry): aq.ColumnTable {
  return entry.table(RUN_FILES.metrics);
}

/** Reads snapshots.arrow of a stored run (views into one column buffer per kind). */
export function readSnapshots(entry: StoredEntry): RunSnapshots {
  const table = entry.table(RUN_FILES.snapshots);
  const summary = readRunSummary(entry);
  const n = summary.parameterCount;
  const gradient = (table.column('gradient') as unknown as { toArray(): Float64Array }).toArray() as unknown as Float64Array;
  const parameter = (table.column('parameter') as unknown as { toArray(): Float64Array }).toArray() as unknown as Float64Array;
  const epochs = summary.snapshotEpochs;
  return {
    epochs,
    gradients: epochs.map((_, s) => Float64Array.from(gradient.subarray(s * n, (s + 1) * n))),
    parameters: epochs.map((_, s) => Float64Array.from(parameter.subarray(s * n, (s + 1) * n))),
  };
}

/** Reads the layout of a stored run (layout.arrow plus layerSizes from summary.json). */
export function readLayout(entry: StoredEntry): ParameterLayout {
  const table = entry.table(RUN_FILES.layout);
  const summary = readRunSummary(entry);
  return {
    layer: Int32Array.from(table.array('layer') as ArrayLike<number>),
    kind: Uint8Array.from(table.array('kind') as ArrayLike<string>, (k) => (k === 'weight' ? 0 : 1)),
    row: Int32Array.from(table.array('row') as ArrayLike<number>),
    col: Int32Array.from(table.array('col') as ArrayLike<number>),
    layerSizes: summary.layerSizes,
  };
}
