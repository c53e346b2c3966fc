/**
 * The numpy `.npy` format (NEP 1, versions 1.0–3.0), read and written here without numpy:
 *   magic "\x93NUMPY", major and minor version bytes, the header length (uint16 LE in 1.0,
 *   uint32 LE in 2.0 and 3.0), then the header — a Python dict literal
 *   `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and a
 *   newline so that the data starts on a 64-byte boundary — then the raw data.
 */
import { DType, numpyDescr, numpyDType } from './dtype';

/** The parsed header of an `.npy` file. */
export interface NpyHeader {
  /** The descriptor string as written, e.g. '<f4'. */
  descr: string;
  /** The dtype, or null when this reader does not support it (the caller names the array). */
  dtype: DType | null;
  fortranOrder: boolean;
  shape: number[];
  /** Bytes before the data (magic, version, length field, header). */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes needed to know the header length: magic, version, and a uint32 length field. */
export const NPY_PREFIX_BYTES = 12;

/** The total header length (data offset) from the first NPY_PREFIX_BYTES bytes; throws Error with the reason when they are not an .npy prefix. */
export function npyDataOffset(prefix: Uint8Array): number {
  if (prefix.length < 10 || MAGIC.some((b, i) => prefix[i] !== b)) throw new Error('is not a numpy .npy array (no \\x93NUMPY magic)');
  const major = prefix[6];
  if (major === 1) return 10 + (prefix[8] | (prefix[9] << 8));
  if (major === 2 || major === 3) {
    if (prefix.length < 12) throw new Error('has a truncated .npy header');
    return 12 + (prefix[8] | (prefix[9] << 8) | (prefix[10] << 16)) + prefix[11] * 2 ** 24;
  }
  throw new Error(`has .npy format version ${major}.${prefix[7]}; versions 1.0–3.0 are supported`);
}

/**
 * Parses an `.npy` header from the bytes of the whole header (npyDataOffset bytes).
 * @throws Error with the reason (the caller adds the file and array names)
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const dataOffset = npyDataOffset(bytes);
  if (bytes.length < dataOffset) throw new Error('has a truncated .npy header');
  const start = bytes[6] === 1 ? 10 : 12;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, dataOffset - start).toString(bytes[6] === 3 ? 'utf8' : 'latin1');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  if (!descr) throw new Error(`has a structured or unreadable dtype in its header ${JSON.stringify(text.trim())}; write plain numeric arrays`);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortran || !shapeText) throw new Error(`has an unreadable .npy header ${JSON.stringify(text.trim())}`);
  const shape = shapeText[1]
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`has an invalid shape (${shapeText[1]})`);
  return { descr: descr[1], dtype: numpyDType(descr[1]), fortranOrder: fortran[1] === 'True', shape, dataOffset };
}

/** An array to write as `.npy`: little-endian numbers, or one text string (numpy '<U'). */
export type NpyContent = { kind: 'f' | 'i' | 'u'; size: 1 | 2 | 4 | 8; shape: number[]; values: ArrayLike<number> } | { kind: 'U'; text: string };

/**
 * The bytes of an `.npy` file (version 1.0, C order) holding `content`: numbers of the given
 * kind and size in the given shape ([] for a scalar), or a 0-d text array (UTF-32, as numpy
 * saves a Python str).
 */
export function encodeNpy(content: NpyContent): Uint8Array {
  let descr: string;
  let shape: number[];
  let data: Uint8Array;
  if (content.kind === 'U') {
    const codes = Array.from(content.text, (c) => c.codePointAt(0)!);
    descr = `<U${Math.max(codes.length, 1)}`;
    shape = [];
    data = new Uint8Array(4 * Math.max(codes.length, 1));
    const view = new DataView(data.buffer);
    codes.forEach((c, i) => view.setUint32(4 * i, c, true));
  } else {
    descr = numpyDescr(content.kind, content.size);
    shape = content.shape;
    const count = shape.reduce((a, b) => a * b, 1);
    if (content.values.length !== count) throw new RangeError(`encodeNpy: ${content.values.length} values for shape [${shape.join(', ')}]`);
    data = new Uint8Array(count * content.size);
    const view = new DataView(data.buffer);
    for (let i = 0; i < count; i++) {
      const v = content.values[i];
      const at = i * content.size;
      if (content.kind === 'f') {
        if (content.size === 8) view.setFloat64(at, v, true);
        else if (content.size === 4) view.setFloat32(at, v, true);
        else throw new RangeError('encodeNpy: float16 is not written');
      } else if (content.size === 8) {
        if (!Number.isSafeInteger(v)) throw new RangeError(`encodeNpy: ${v} is not a safe integer`);
        if (content.kind === 'i') view.setBigInt64(at, BigInt(v), true);
        else view.setBigUint64(at, BigInt(v), true);
      } else if (content.kind === 'i') {
        if (content.size === 4) view.setInt32(at, v, true);
        else if (content.size === 2) view.setInt16(at, v, true);
        else view.setInt8(at, v);
      } else if (content.size === 4) view.setUint32(at, v, true);
      else if (content.size === 2) view.setUint16(at, v, true);
      else view.setUint8(at, v);
    }
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces so that magic (6) + version (2) + length (2) + header ends on a 64-byte boundary, newline last.
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(data, 10 + header.length);
  return out;
}
