/**
 * A directory of runs in the exchange format: one `.npz` or `.safetensors` file per run, grouped
 * into scales by their parameter count. Everything is checked here, before any work: a directory
 * that is refused leaves nothing written anywhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRow } from '../train/runFiles';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { ExchangeFileError } from './arrays';
import { checkRunValues, EXCHANGE_EXTENSIONS, ExchangeQuantity, ExchangeRun, quantityArray, readRunFile } from './runFile';

/** How the phase split's onset is chosen: 'auto' (see readRunDirectory), the train- or test-accuracy onset, or none. */
export const EXCHANGE_ONSETS = ['auto', 'train', 'test', 'none'] as const;
export type ExchangeOnset = (typeof EXCHANGE_ONSETS)[number];

/** Options of {@link readRunDirectory}. */
export interface ReadRunDirectoryOptions {
  /** Fewest scales (distinct N) the directory must hold, an integer ≥ 2 (two scales fit a line with no residual to judge it by) [3]. */
  minScales?: number;
  /** Onset of the phase split: 'auto', 'train', 'test' or 'none' ['auto']. */
  onset?: ExchangeOnset;
  /** The rows the probe reads: 'gradient' (grads) or 'parameter' (params) ['gradient']. */
  quantity?: ExchangeQuantity;
  /** Stream every value of the probed array to check that it is finite (and each stored .npz entry's CRC-32) [true]. */
  checkValues?: boolean;
}

const OPTION_KEYS = ['minScales', 'onset', 'quantity', 'checkValues'];

/** A checked directory of runs. */
export interface ExchangeSweep {
  dir: string;
  /** The runs, sorted by scale N, then seed. */
  runs: ExchangeRun[];
  /** Scales N, ascending. */
  scales: number[];
  /**
   * The runs as a runs table for the analysis layer (as trainScales returns for runs trained
   * here): task 'imported', h = N (no hidden width is known), key = the file name, status 'complete'.
   */
  rows: RunRow[];
  /** Onset that splits pre / post ('trainOnset' or 'testOnset'), or null (no phase split). */
  onsetField: 'trainOnset' | 'testOnset' | null;
  quantity: ExchangeQuantity;
  /** Files of the directory without an exchange extension (left alone). */
  otherFiles: string[];
  /** Arrays that are not part of the format, per file (left unread). */
  ignoredArrays: Array<{ file: string; arrays: string[] }>;
}

/**
 * Reads and checks a directory of runs:
 *  1. every `*.npz` / `*.safetensors` file directly in `dir` (names starting with '.' skipped)
 *     is opened and checked by readRunFile, in file-name order;
 *  2. runs are grouped into scales by N (n_params, else P): all runs of a scale must have the
 *     same P, and two scales may not share a P with different n_params;
 *  3. a run without `seed` gets the next free seed 0, 1, … of its scale in file-name order; two
 *     runs with the same N and seed are refused;
 *  4. at least `minScales` scales;
 *  5. the onset: 'auto' takes the test-accuracy onset when every run has test_acc, else the
 *     train-accuracy onset when every run has train_acc, else none; 'train' / 'test' require
 *     that accuracy in every run;
 *  6. (checkValues) every value of the probed array of every run is streamed and must be finite.
 * @throws ExchangeFileError naming the file (and array, and first bad index), or InvalidOptionError for the directory and options
 */
export function readRunDirectory(dir: string, options: ReadRunDirectoryOptions = {}): ExchangeSweep {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object');
  for (const key of Object.keys(options)) checkChoice('readRunDirectory option', key, OPTION_KEYS);
  const minScales = checkInteger('minScales', options.minScales ?? 3, 2);
  const onsetChoice = checkChoice('onset', options.onset ?? 'auto', EXCHANGE_ONSETS);
  const quantity = checkChoice('quantity', options.quantity ?? 'gradient', ['gradient', 'parameter'] as const);
  if (typeof dir !== 'string' || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InvalidOptionError('dir', `${JSON.stringify(dir)} is not a directory (it should hold one .npz or .safetensors file per run)`);
  const names = fs
    .readdirSync(dir)
    .filter((name) => !name.startsWith('.') && fs.statSync(path.join(dir, name)).isFile())
    .sort();
  const runNames = names.filter((n) => (EXCHANGE_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()));
  if (runNames.length === 0)
    throw new InvalidOptionError('dir', `${dir} holds no ${EXCHANGE_EXTENSIONS.join(' or ')} files (one per run; see docs/exchange-format.md)`);
  const runs = runNames.map((name) => readRunFile(path.join(dir, name)));

  // 2. scales by N, one P per scale and one N per P
  const byN = new Map<number, ExchangeRun[]>();
  for (const run of runs) byN.set(run.N, [...(byN.get(run.N) ?? []), run]);
  for (const [N, scale] of byN) {
    const other = scale.find((r) => r.P !== scale[0].P);
    if (other)
      throw new ExchangeFileError(
        other.file,
        'grads',
        `has P = ${other.P} parameters per snapshot, but ${scale[0].file} of the same scale N = ${N} has P = ${scale[0].P}: runs of one scale must have the same P (or set n_params to tell scales apart)`,
      );
  }
  const nOfP = new Map<number, ExchangeRun>();
  for (const run of runs) {
    const first = nOfP.get(run.P);
    if (first && first.N !== run.N)
      throw new ExchangeFileError(
        run.file,
        'n_params',
        `is ${run.N}, but ${first.file} with the same P = ${run.P} has n_params ${first.N}: runs with one P form one scale`,
      );
    if (!first) nOfP.set(run.P, run);
  }
  // 3. seeds
  for (const [N, scale] of byN) {
    const taken = new Map<number, ExchangeRun>();
    for (const run of scale.filter((r) => r.seedGiven)) {
      const twin = taken.get(run.seed);
      if (twin)
        throw new ExchangeFileError(run.file, 'seed', `is ${run.seed}, as in ${twin.file} of the same scale N = ${N}: each run of a scale needs its own seed`);
      taken.set(run.seed, run);
    }
    let next = 0;
    for (const run of scale.filter((r) => !r.seedGiven)) {
      while (taken.has(next)) next++;
      run.seed = next;
      taken.set(next, run);
    }
  }
  // 4. scales
  const scales = [...byN.keys()].sort((a, b) => a - b);
  if (scales.length < minScales)
    throw new InvalidOptionError(
      'dir',
      `${dir} holds ${scales.length} scale(s) (N = ${scales.join(', ')}; runs are grouped by parameter count P, or n_params); finite-size scaling needs at least ${minScales} (minScales)`,
    );
  // 5. onset
  const field = onsetFieldOf(runs, onsetChoice);
  // 6. values, streamed
  if (options.checkValues ?? true) for (const run of runs) checkRunValues(run, quantity);
  else for (const run of runs) quantityArray(run, quantity);

  runs.sort((a, b) => a.N - b.N || a.seed - b.seed);
  return {
    dir,
    runs,
    scales,
    rows: runs.map((run) => ({
      task: 'imported',
      h: run.N,
      N: run.N,
      seed: run.seed,
      key: path.basename(run.file),
      status: 'complete',
      trainOnset: run.trainOnset,
      testOnset: run.testOnset,
      lastEpoch: run.lastEpoch,
      wallSeconds: 0,
      cacheHit: false,
      error: null,
    })),
    onsetField: field,
    quantity,
    otherFiles: names.filter((n) => !runNames.includes(n)),
    ignoredArrays: runs.filter((r) => r.ignored.length).map((r) => ({ file: r.file, arrays: r.ignored })),
  };
}

function onsetFieldOf(runs: ExchangeRun[], choice: ExchangeOnset): 'trainOnset' | 'testOnset' | null {
  if (choice === 'none') return null;
  if (choice === 'auto') return runs.every((r) => r.hasTestAccuracy) ? 'testOnset' : runs.every((r) => r.hasTrainAccuracy) ? 'trainOnset' : null;
  const missing = runs.find((r) => (choice === 'test' ? !r.hasTestAccuracy : !r.hasTrainAccuracy));
  if (missing)
    throw new ExchangeFileError(missing.file, null, `has no ${choice}_acc, which onset '${choice}' needs in every run (or use onset 'auto' / 'none')`);
  return choice === 'test' ? 'testOnset' : 'trainOnset';
}
