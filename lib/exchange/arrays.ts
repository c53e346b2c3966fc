/**
 * What the readers of both containers (`.npz`, `.safetensors`) return: named arrays whose bytes
 * are read on demand, so that a run's gradients can be streamed one snapshot (row) at a time
 * instead of loading every run at once, and the error every reader raises.
 */
import * as fs from 'node:fs';
import { InvalidOptionError } from '../util/errors';
import { decodeNumbers, DType, isNumeric, UnsafeIntegerError } from './dtype';

/**
 * Bad input in an exchange file. The message names the file, the array (when there is one) and,
 * for bad values, the first bad index. An InvalidOptionError, so the CLI exits with status 2.
 */
export class ExchangeFileError extends InvalidOptionError {
  readonly file: string;
  readonly array: string | null;
  constructor(file: string, array: string | null, message: string) {
    super(array === null ? file : `${file}: array '${array}'`, message);
    this.name = 'ExchangeFileError';
    this.file = file;
    this.array = array;
  }
}

/** One array of an exchange file; its data is read on demand. */
export interface StoredArray {
  /** The array's name in its file ('grads', 'epochs', …). */
  name: string;
  dtype: DType;
  /** Shape; [] for a scalar. */
  shape: number[];
  /** numpy's column-major order (np.asfortranarray): rows are then not contiguous. */
  fortranOrder: boolean;
  /** Reads `length` bytes of the array's data starting `offset` bytes into it. */
  readBytes(offset: number, length: number): Uint8Array;
}

/** The arrays of one exchange file and its string metadata (safetensors `__metadata__`; empty for `.npz`). */
export interface RunArrays {
  file: string;
  format: 'npz' | 'safetensors';
  arrays: Map<string, StoredArray>;
  metadata: Record<string, string>;
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reads `length` bytes at `position` of `file` (opened and closed here, so no descriptor stays open between reads). */
export function readFileRange(file: string, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, done, length - done, position + done);
      if (n === 0) throw new ExchangeFileError(file, null, `ends early: wanted ${length} bytes at byte ${position}, the file has ${position + done}`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Decodes elements [from, from + count) of a numeric array (flat C order), naming the file and array on a 64-bit overflow. */
function numbersAt(file: string, array: StoredArray, from: number, count: number): Float64Array {
  if (!isNumeric(array.dtype)) throw new ExchangeFileError(file, array.name, `has dtype ${array.dtype.name}; a numeric dtype is needed`);
  try {
    return decodeNumbers(array.readBytes(from * array.dtype.size, count * array.dtype.size), array.dtype, count);
  } catch (error) {
    if (error instanceof UnsafeIntegerError)
      throw new ExchangeFileError(file, array.name, `element ${from + error.index}: ${error.message.replace(/^element \d+ /, '')}`);
    throw error;
  }
}

/** Every element of a numeric array as doubles, in C (row-major) order whatever its storage order. */
export function readAllNumbers(file: string, array: StoredArray): Float64Array {
  const count = elementCount(array.shape);
  const flat = numbersAt(file, array, 0, count);
  if (!array.fortranOrder || array.shape.length < 2) return flat;
  return fortranToC(flat, array.shape);
}

/**
 * Rows [from, to) of a 2-D numeric array, one Float64Array per row. C-order arrays read only
 * those rows' bytes; a Fortran-order array is read whole and transposed (it has no contiguous rows).
 */
export function readRows(file: string, array: StoredArray, from: number, to: number): Float64Array[] {
  if (array.shape.length !== 2) throw new ExchangeFileError(file, array.name, `must be 2-D to be read by rows, has shape [${array.shape.join(', ')}]`);
  const [rows, columns] = array.shape;
  if (!(from >= 0 && to <= rows && from <= to)) throw new RangeError(`readRows: rows [${from}, ${to}) outside [0, ${rows})`);
  if (array.fortranOrder) {
    const all = readAllNumbers(file, array);
    return Array.from({ length: to - from }, (_, k) => all.slice((from + k) * columns, (from + k + 1) * columns));
  }
  const block = numbersAt(file, array, from * columns, (to - from) * columns);
  return Array.from({ length: to - from }, (_, k) => block.subarray(k * columns, (k + 1) * columns));
}

function fortranToC(flat: Float64Array, shape: readonly number[]): Float64Array {
  const out = new Float64Array(flat.length);
  const n = shape.length;
  const index = new Array<number>(n).fill(0);
  // Walk C order; the Fortran offset of an index is Σ index[d] · Π_{e<d} shape[e].
  const stride = new Array<number>(n);
  stride[0] = 1;
  for (let d = 1; d < n; d++) stride[d] = stride[d - 1] * shape[d - 1];
  for (let c = 0; c < flat.length; c++) {
    let f = 0;
    for (let d = 0; d < n; d++) f += index[d] * stride[d];
    out[c] = flat[f];
    for (let d = n - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}
