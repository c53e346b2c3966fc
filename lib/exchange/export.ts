/**
 * Writes runs trained here (read from the store with lib/train/runFiles, no TensorFlow.js) in the
 * exchange format, so that `grokking-fss analyze` — or anyone's numpy — can read them: the
 * example directory of notebook 09, and a check that the import path reproduces our own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as aq from 'arquero';
import { atomicWriteFile } from '../store/index';
import { onsetEpoch } from '../train/onset';
import { openRun, readLayout, readRunMetrics, readRunSummary, readSnapshots, RunRow } from '../train/runFiles';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { layoutJsonOf } from './layout';
import type { NpyContent } from './npy';
import { encodeNpz } from './npz';
import { EXCHANGE_EXTENSIONS } from './runFile';
import { encodeSafetensors } from './safetensors';

/** Container formats the export writes. */
export const EXPORT_FORMATS = ['npz', 'safetensors'] as const;
export type ExchangeExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportRuns}. */
export interface ExportRunsOptions {
  /** 'npz' (np.savez layout) or 'safetensors' (scalars and layout in __metadata__) ['npz']. */
  format?: ExchangeExportFormat;
  /** Store root the runs are read from [storeRoot()]. */
  root?: string;
  /** Replace files whose content differs, and allow other run files in the directory [false]. */
  force?: boolean;
}

/** What {@link exportRuns} did. */
export interface ExportRunsResult {
  dir: string;
  /** The run files, in the order of the runs table. */
  files: string[];
  /** Files written, and files left as they were (already identical). */
  written: number;
  unchanged: number;
}

const OPTION_KEYS = ['format', 'root', 'force'];

/** File name of a run: `<task>-h<h>-N<N>-seed<seed>.<format>`. */
export function exportFileName(row: Pick<RunRow, 'task' | 'h' | 'N' | 'seed'>, format: ExchangeExportFormat): string {
  return `${row.task}-h${row.h}-N${row.N}-seed${row.seed}.${format}`;
}

/**
 * The exchange file of one stored run: grads and params [T, N] as float64 (the stored values,
 * bit for bit), epochs, acc_epochs with train_acc (and test_acc when the task has a test set),
 * seed, n_params, and the layout (orientation 'in_out', as tfjs stores kernels).
 * @throws Error when the onsets recomputed from the written accuracies differ from the stored ones (they cannot, unless the store is inconsistent)
 */
export function runExchangeBytes(row: RunRow, format: ExchangeExportFormat, options: { root?: string } = {}): Uint8Array {
  const entry = openRun(row, options);
  const summary = readRunSummary(entry);
  const snapshots = readSnapshots(entry);
  const metrics = readRunMetrics(entry);
  const n = summary.parameterCount;
  const T = snapshots.epochs.length;
  const flat = (rows: Float64Array[]): Float64Array => {
    const out = new Float64Array(T * n);
    rows.forEach((r, t) => out.set(r, t * n));
    return out;
  };
  const accEpochs = Array.from(metrics.array('epoch') as ArrayLike<number>);
  const train = Float64Array.from(metrics.array('trainAccuracy') as ArrayLike<number>);
  const test = Float64Array.from(metrics.array('testAccuracy') as ArrayLike<number>);
  const hasTest = test.every(Number.isFinite);
  // The onsets the reader will compute must be the ones the store holds.
  const trainOnset = onsetEpoch({ epoch: accEpochs, trainAccuracy: train }, { metric: 'trainAccuracy' });
  const testOnset = hasTest ? onsetEpoch({ epoch: accEpochs, testAccuracy: test }, { metric: 'testAccuracy' }) : null;
  if (trainOnset !== summary.trainOnset || testOnset !== summary.testOnset)
    throw new Error(
      `run ${row.key}: onsets recomputed from its metrics (${trainOnset}, ${testOnset}) differ from its summary (${summary.trainOnset}, ${summary.testOnset})`,
    );
  const numbers = (kind: 'f' | 'i', shape: number[], values: ArrayLike<number>) => ({ kind, size: 8 as const, shape, values });
  const tensors: Array<[string, Extract<NpyContent, { kind: 'f' | 'i' | 'u' }>]> = [
    ['grads', numbers('f', [T, n], flat(snapshots.gradients))],
    ['epochs', numbers('i', [T], snapshots.epochs)],
    ['params', numbers('f', [T, n], flat(snapshots.parameters))],
    ['acc_epochs', numbers('i', [accEpochs.length], accEpochs)],
    ['train_acc', numbers('f', [train.length], train)],
    ...(hasTest ? [['test_acc', numbers('f', [test.length], test)] as [string, ReturnType<typeof numbers>]] : []),
  ];
  const layout = layoutJsonOf(readLayout(entry));
  if (format === 'safetensors') return encodeSafetensors(tensors, { seed: String(row.seed), n_params: String(n), layout });
  return encodeNpz([...tensors, ['seed', numbers('i', [], [row.seed])], ['n_params', numbers('i', [], [n])], ['layout', { kind: 'U', text: layout }]]);
}

/**
 * Writes every completed run of a runs table (trainScales' table, or its rows) into `dir`, one
 * file per run (runExchangeBytes):
 *  1. before anything is written: the directory may hold no other run files (they would be
 *     analysed with these), and no file of the same name with other content (unless `force`);
 *  2. each file is written atomically (temporary file, then rename); a file already identical is left alone.
 * @throws InvalidOptionError naming the conflicting file; nothing is written then
 */
export function exportRuns(runs: aq.ColumnTable | RunRow[], dir: string, options: ExportRunsOptions = {}): ExportRunsResult {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object');
  for (const key of Object.keys(options)) checkChoice('exportRuns option', key, OPTION_KEYS);
  const format = checkChoice('format', options.format ?? 'npz', EXPORT_FORMATS);
  const rows = (Array.isArray(runs) ? runs : (runs.objects() as unknown as RunRow[])).filter((r) => r.status === 'complete');
  if (rows.length === 0) throw new InvalidOptionError('runs', 'holds no completed run to export');
  if (typeof dir !== 'string' || dir === '') throw new InvalidOptionError('dir', 'must be a directory path');
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new InvalidOptionError('dir', `${dir} exists and is not a directory`);
  const names = rows.map((r) => exportFileName(r, format));
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const foreign = existing.filter(
    (n) => !n.startsWith('.') && (EXCHANGE_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()) && !names.includes(n),
  );
  if (foreign.length && !options.force)
    throw new InvalidOptionError(
      'dir',
      `${dir} already holds other run files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}) that an analysis would mix with these; use an empty directory, or force`,
    );
  const same = new Set<string>();
  rows.forEach((row, i) => {
    const file = path.join(dir, names[i]);
    if (!fs.existsSync(file)) return;
    if (Buffer.from(runExchangeBytes(row, format, options)).equals(fs.readFileSync(file))) same.add(names[i]);
    else if (!options.force) throw new InvalidOptionError('dir', `${file} exists with other content; remove it, or force`);
  });
  rows.forEach((row, i) => {
    if (!same.has(names[i])) atomicWriteFile(path.join(dir, names[i]), runExchangeBytes(row, format, options));
  });
  return { dir, files: names.map((n) => path.join(dir, n)), written: rows.length - same.size, unchanged: same.size };
}
