/**
 * One run of the exchange format (docs/exchange-format.md): a `.npz` or `.safetensors` file
 * holding a run's gradient snapshots and what the analysis needs about them. Opening a run reads
 * and checks everything but the snapshot values; those are checked by streaming them
 * ({@link checkRunValues}) and read by rows ({@link runSnapshotInputs}), so that a directory of
 * large runs is never loaded at once.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { NetworkLayout } from '../graphs/network';
import type { SnapshotInput } from '../probe/probeSnapshots';
import { onsetEpoch } from '../train/onset';
import { elementCount, ExchangeFileError, readAllNumbers, readRows, RunArrays, StoredArray } from './arrays';
import { decodeNumbers, decodeText, DType } from './dtype';
import { ExchangeLayout, layoutParameterCount, parseLayout } from './layout';
import { NpzArray, openNpz } from './npz';
import { openSafetensors } from './safetensors';

/** File extensions of the exchange format. */
export const EXCHANGE_EXTENSIONS = ['.npz', '.safetensors'] as const;

/** Names of the format's arrays (and safetensors metadata keys); any other array is left unread. */
export const EXCHANGE_ARRAYS = ['grads', 'epochs', 'params', 'train_acc', 'test_acc', 'acc_epochs', 'seed', 'n_params', 'layout'] as const;

/** Which rows the probe reads: the gradients (grads) or the parameters (params). */
export type ExchangeQuantity = 'gradient' | 'parameter';

/** A run of the exchange format, checked except for its snapshot values. */
export interface ExchangeRun {
  /** The file as given (absolute or relative to the working directory). */
  file: string;
  format: 'npz' | 'safetensors';
  /** Snapshots (rows of grads) and parameters per snapshot (columns). */
  T: number;
  P: number;
  /** The scale on the x axis of every fit: n_params, or P when absent. */
  N: number;
  /** The training seed: the file's `seed`, or (absent) the run's position in its scale — see readRunDirectory. */
  seed: number;
  seedGiven: boolean;
  /** Epoch of each snapshot (strictly increasing integers). */
  epochs: number[];
  /** Onsets by the library's rule (onsetEpoch: first evaluation from which accuracy stays ≥ 0.99); null = never reached or no accuracies. */
  trainOnset: number | null;
  testOnset: number | null;
  hasTrainAccuracy: boolean;
  hasTestAccuracy: boolean;
  /** Last epoch with an accuracy, else the last snapshot epoch. */
  lastEpoch: number;
  layout: ExchangeLayout | null;
  grads: StoredArray;
  params: StoredArray | null;
  /** Arrays of the file that are not part of the format (left unread). */
  ignored: string[];
}

/** Opens a run file by its extension. */
export function openRunArrays(file: string): RunArrays {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.npz') return openNpz(file);
  if (extension === '.safetensors') return openSafetensors(file);
  throw new ExchangeFileError(file, null, `has extension ${JSON.stringify(extension)}; allowed: ${EXCHANGE_EXTENSIONS.join(', ')}`);
}

function requireFloat(file: string, array: StoredArray, what: string): void {
  if (array.dtype.kind !== 'f' || (array.dtype.size !== 4 && array.dtype.size !== 8))
    throw new ExchangeFileError(
      file,
      array.name,
      `has dtype ${array.dtype.name}; ${what} must be float32 or float64 (e.g. .astype(np.float32), or .float() in PyTorch)`,
    );
}

function integerVector(file: string, array: StoredArray, length: number, lengthOf: string): number[] {
  if (array.dtype.kind !== 'i' && array.dtype.kind !== 'u')
    throw new ExchangeFileError(file, array.name, `has dtype ${array.dtype.name}; it must hold integers (e.g. np.asarray(…, dtype=np.int64))`);
  if (array.shape.length !== 1 || array.shape[0] !== length)
    throw new ExchangeFileError(file, array.name, `has shape [${array.shape.join(', ')}]; it must be 1-D with ${length} entries (${lengthOf})`);
  const values = Array.from(readAllNumbers(file, array));
  for (let i = 1; i < values.length; i++)
    if (!(values[i] > values[i - 1]))
      throw new ExchangeFileError(file, array.name, `must increase strictly: entry ${i} (${values[i]}) follows ${values[i - 1]}`);
  return values;
}

/** A scalar: a 0-d or 1-element integer array, or (safetensors) a metadata string holding an integer. */
function integerScalar(file: string, arrays: RunArrays, name: string, min: number): number | null {
  const array = arrays.arrays.get(name);
  const text = arrays.metadata[name];
  if (array && text !== undefined) throw new ExchangeFileError(file, name, 'is given twice, as a tensor and in __metadata__; keep one');
  if (text !== undefined) {
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)) || Number(text) < min)
      throw new ExchangeFileError(file, name, `(in __metadata__) must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
    return Number(text);
  }
  if (!array) return null;
  if ((array.dtype.kind !== 'i' && array.dtype.kind !== 'u') || elementCount(array.shape) !== 1 || array.shape.length > 1)
    throw new ExchangeFileError(file, name, `must be an integer scalar (shape [] or [1]), has dtype ${array.dtype.name} and shape [${array.shape.join(', ')}]`);
  const value = readAllNumbers(file, array)[0];
  if (value < min) throw new ExchangeFileError(file, name, `must be ≥ ${min}, got ${value}`);
  return value;
}

function layoutText(file: string, arrays: RunArrays): string | null {
  const array = arrays.arrays.get('layout');
  const text = arrays.metadata.layout;
  if (array && text !== undefined) throw new ExchangeFileError(file, 'layout', 'is given twice, as a tensor and in __metadata__; keep one');
  if (text !== undefined) return text;
  if (!array) return null;
  if (array.dtype.kind === 'U' || array.dtype.kind === 'S') {
    if (elementCount(array.shape) !== 1)
      throw new ExchangeFileError(file, 'layout', `must be one string (np.savez(…, layout=json.dumps(…))), has shape [${array.shape.join(', ')}]`);
    return decodeText(array.readBytes(0, array.dtype.size), array.dtype);
  }
  if (array.dtype.kind === 'u' && array.dtype.size === 1 && array.shape.length === 1) return Buffer.from(array.readBytes(0, array.shape[0])).toString('utf8');
  throw new ExchangeFileError(file, 'layout', `has dtype ${array.dtype.name}; it must be a JSON string`);
}

/**
 * Opens and checks one run file (everything but the snapshot values, see checkRunValues):
 *  1. `grads` is float32/float64 of shape [T, P] with T ≥ 2 snapshots; `epochs` holds T
 *     strictly increasing integers; `params`, when present, has the shape of grads;
 *  2. `train_acc` / `test_acc` (optional) are float vectors in [0, 1] of the length of
 *     `acc_epochs` (integers, strictly increasing, required with them); each gives an onset by
 *     onsetEpoch (the first evaluation from which accuracy stays ≥ 0.99 to the end), null when never;
 *  3. scalars `seed` (integer ≥ 0) and `n_params` (integer ≥ 1, the scale N; P when absent), as
 *     0-d arrays or (safetensors) `__metadata__` strings;
 *  4. `layout` (optional, a JSON string) parses and describes exactly P parameters.
 * @throws ExchangeFileError naming the file, the array and the problem
 */
export function readRunFile(file: string): ExchangeRun {
  const arrays = openRunArrays(file);
  const get = (name: string): StoredArray | null => arrays.arrays.get(name) ?? null;
  const grads = get('grads');
  if (!grads)
    throw new ExchangeFileError(
      file,
      null,
      `has no array 'grads' (the gradient snapshots, shape [T, P]); it has: ${[...arrays.arrays.keys()].join(', ') || 'nothing'}`,
    );
  requireFloat(file, grads, 'gradients');
  if (grads.shape.length !== 2)
    throw new ExchangeFileError(file, 'grads', `has shape [${grads.shape.join(', ')}]; it must be 2-D, [T snapshots, P parameters] (flatten each snapshot)`);
  const [T, P] = grads.shape;
  if (T < 2)
    throw new ExchangeFileError(file, 'grads', `has ${T} snapshot(s); at least 2 are needed (D(t) and the phase split compare snapshots over training)`);
  if (P < 1) throw new ExchangeFileError(file, 'grads', 'has no parameters (P = 0)');
  const epochsArray = get('epochs');
  if (!epochsArray) throw new ExchangeFileError(file, null, `has no array 'epochs' (the epoch or step of each of the ${T} snapshots)`);
  const epochs = integerVector(file, epochsArray, T, 'one per row of grads');
  const params = get('params');
  if (params) {
    requireFloat(file, params, 'parameters');
    if (params.shape.length !== 2 || params.shape[0] !== T || params.shape[1] !== P)
      throw new ExchangeFileError(file, 'params', `has shape [${params.shape.join(', ')}]; it must match grads, [${T}, ${P}]`);
  }
  const trainArray = get('train_acc');
  const testArray = get('test_acc');
  const accEpochsArray = get('acc_epochs');
  let accEpochs: number[] | null = null;
  if (trainArray || testArray) {
    if (!accEpochsArray)
      throw new ExchangeFileError(file, null, `has ${trainArray ? 'train_acc' : 'test_acc'} but no 'acc_epochs' (the epoch of each accuracy)`);
    const count = (trainArray ?? testArray)!.shape[0];
    accEpochs = integerVector(file, accEpochsArray, count, `one per accuracy of ${trainArray ? 'train_acc' : 'test_acc'}`);
  } else if (accEpochsArray) throw new ExchangeFileError(file, 'acc_epochs', 'is given without train_acc or test_acc');
  const accuracy = (array: StoredArray | null): number[] | null => {
    if (!array) return null;
    requireFloat(file, array, 'accuracies');
    if (array.shape.length !== 1 || array.shape[0] !== accEpochs!.length)
      throw new ExchangeFileError(
        file,
        array.name,
        `has shape [${array.shape.join(', ')}]; it must be 1-D with ${accEpochs!.length} entries, one per acc_epochs`,
      );
    const values = Array.from(readAllNumbers(file, array));
    const bad = values.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0)
      throw new ExchangeFileError(file, array.name, `entry ${bad} is ${values[bad]}; accuracies must be fractions in [0, 1] (not percentages, no NaN)`);
    return values;
  };
  const train = accuracy(trainArray);
  const test = accuracy(testArray);
  const onset = (values: number[] | null, metric: string): number | null => (values ? onsetEpoch({ epoch: accEpochs!, [metric]: values }, { metric }) : null);
  const seed = integerScalar(file, arrays, 'seed', 0);
  const nParams = integerScalar(file, arrays, 'n_params', 1);
  const text = layoutText(file, arrays);
  let layout: ExchangeLayout | null = null;
  if (text !== null) {
    try {
      layout = parseLayout(text);
    } catch (error) {
      throw new ExchangeFileError(file, 'layout', (error as Error).message);
    }
    const count = layoutParameterCount(layout);
    if (count !== P) throw new ExchangeFileError(file, 'layout', `describes ${count} parameters, but grads has P = ${P} per snapshot`);
  }
  return {
    file,
    format: arrays.format,
    T,
    P,
    N: nParams ?? P,
    seed: seed ?? -1,
    seedGiven: seed !== null,
    epochs,
    trainOnset: onset(train, 'trainAccuracy'),
    testOnset: onset(test, 'testAccuracy'),
    hasTrainAccuracy: train !== null,
    hasTestAccuracy: test !== null,
    lastEpoch: accEpochs ? Math.max(accEpochs[accEpochs.length - 1], epochs[T - 1]) : epochs[T - 1],
    layout,
    grads,
    params,
    ignored: [...arrays.arrays.keys()].filter((k) => !(EXCHANGE_ARRAYS as readonly string[]).includes(k)),
  };
}

/** The array the probe reads for a quantity. @throws ExchangeFileError when a run has no `params` and they are asked for */
export function quantityArray(run: ExchangeRun, quantity: ExchangeQuantity): StoredArray {
  if (quantity === 'gradient') return run.grads;
  if (!run.params) throw new ExchangeFileError(run.file, null, "has no array 'params', which quantity 'parameter' probes");
  return run.params;
}

/** Rows read per piece when streaming (about 8 MiB of data). */
function rowsPerPiece(array: StoredArray): number {
  return Math.max(1, Math.floor((8 * 2 ** 20) / Math.max(1, array.shape[1] * array.dtype.size)));
}

/**
 * Streams the rows of the quantity's array (grads or params) a few MiB at a time: every value
 * must be finite, and a stored `.npz` entry must match its CRC-32.
 * @throws ExchangeFileError naming the file, the array and the first bad index [snapshot, parameter]
 */
export function checkRunValues(run: ExchangeRun, quantity: ExchangeQuantity = 'gradient'): void {
  const array = quantityArray(run, quantity);
  const [T, P] = array.shape;
  const size = array.dtype.size;
  const checksum = (array as NpzArray).checksum ?? null;
  let crc = checksum?.headerCrc ?? 0;
  if (array.fortranOrder) {
    const all = readAllNumbers(run.file, array);
    const bad = all.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw badValue(run.file, array.name, Math.floor(bad / P), bad % P, all[bad]);
  }
  const step = rowsPerPiece(array);
  for (let from = 0; from < T && !array.fortranOrder; from += step) {
    const to = Math.min(T, from + step);
    const bytes = array.readBytes(from * P * size, (to - from) * P * size);
    if (checksum) crc = zlib.crc32(bytes, crc) >>> 0;
    const values = nativeFloats(bytes, array.dtype) ?? decodeNumbers(bytes, array.dtype, (to - from) * P);
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw badValue(run.file, array.name, from + Math.floor(i / P), i % P, values[i]);
  }
  if (checksum && !array.fortranOrder && crc !== checksum.expected)
    throw new ExchangeFileError(run.file, array.name, 'fails the CRC-32 check of its .npz entry: the file is damaged');
}

/** The bytes as a Float32Array / Float64Array view when they already are machine-order floats (no copy), else null. */
function nativeFloats(bytes: Uint8Array, dtype: DType): Float32Array | Float64Array | null {
  if (dtype.kind !== 'f' || dtype.littleEndian !== (os.endianness() === 'LE') || bytes.byteOffset % dtype.size !== 0) return null;
  if (dtype.size === 4) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  if (dtype.size === 8) return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  return null;
}

function badValue(file: string, array: string, t: number, p: number, value: number): ExchangeFileError {
  return new ExchangeFileError(file, array, `entry [${t}, ${p}] (snapshot ${t}, parameter ${p}) is ${value}; every value must be finite (no NaN or Inf)`);
}

/**
 * The probe's inputs for snapshots [from, to) of a run: scaleN = N, the run's seed, snapshot
 * index, epoch, and the row of grads (or params) as doubles (exactly the file's values).
 * @param layout the parameter layout to attach (topology 'network'), or undefined
 */
export function runSnapshotInputs(
  run: ExchangeRun,
  options: { quantity?: ExchangeQuantity; from?: number; to?: number; layout?: NetworkLayout } = {},
): SnapshotInput[] {
  const from = options.from ?? 0;
  const to = options.to ?? run.T;
  const rows = readRows(run.file, quantityArray(run, options.quantity ?? 'gradient'), from, to);
  return rows.map((values, k) => ({ scaleN: run.N, seed: run.seed, snapshot: from + k, epoch: run.epochs[from + k], values, layout: options.layout }));
}
