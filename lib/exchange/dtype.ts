/**
 * Element types of the arrays in an exchange file (numpy `.npy` descriptors and safetensors
 * dtype names) and their decoding into JavaScript numbers and strings. One table for both
 * containers, so that a float32 gradient reads the same from `.npz` and from `.safetensors`.
 */
import * as os from 'node:os';

/** Kind of an element: float, signed / unsigned integer, boolean, UTF-32 text (numpy 'U'), bytes (numpy 'S'). */
export type DTypeKind = 'f' | 'i' | 'u' | 'b' | 'U' | 'S';

/** An element type: kind, bytes per element, byte order, and its name as the file wrote it. */
export interface DType {
  kind: DTypeKind;
  /** Bytes per element (for 'U': 4 × characters; for 'S': characters). */
  size: number;
  littleEndian: boolean;
  /** The descriptor as written, e.g. '<f4' or 'F32' (for messages). */
  name: string;
}

const MACHINE_LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * A numpy dtype descriptor ('<f8', '>i4', '|u1', '|b1', '<U12', '|S5', '=f4'), or null when it
 * is not one this reader supports (structured, object, complex, datetime …).
 */
export function numpyDType(descr: string): DType | null {
  const m = /^([<>|=])([fiubUS])(\d+)$/.exec(descr);
  if (!m) return null;
  const kind = m[2] as DTypeKind;
  const count = Number(m[3]);
  const size = kind === 'U' ? 4 * count : count;
  const order = m[1] === '=' ? (MACHINE_LITTLE_ENDIAN ? '<' : '>') : m[1];
  if ((kind === 'f' && ![2, 4, 8].includes(size)) || ((kind === 'i' || kind === 'u') && ![1, 2, 4, 8].includes(size)) || (kind === 'b' && size !== 1))
    return null;
  return { kind, size, littleEndian: order !== '>', name: descr };
}

/** The numpy descriptor of a little-endian numeric dtype (for writing). */
export function numpyDescr(kind: 'f' | 'i' | 'u', size: number): string {
  return `<${kind}${size}`;
}

/** safetensors dtype names this reader decodes (BF16 is not a numpy type: it is read as the top half of a float32). */
const SAFETENSORS_DTYPES: Record<string, { kind: DTypeKind; size: number }> = {
  F64: { kind: 'f', size: 8 },
  F32: { kind: 'f', size: 4 },
  F16: { kind: 'f', size: 2 },
  BF16: { kind: 'f', size: 2 },
  I64: { kind: 'i', size: 8 },
  I32: { kind: 'i', size: 4 },
  I16: { kind: 'i', size: 2 },
  I8: { kind: 'i', size: 1 },
  U64: { kind: 'u', size: 8 },
  U32: { kind: 'u', size: 4 },
  U16: { kind: 'u', size: 2 },
  U8: { kind: 'u', size: 1 },
  BOOL: { kind: 'b', size: 1 },
};

/** A safetensors dtype name ('F32', 'I64', …; always little-endian), or null when unknown. */
export function safetensorsDType(name: string): DType | null {
  const d = SAFETENSORS_DTYPES[name];
  return d ? { ...d, littleEndian: true, name } : null;
}

/** The safetensors name of a numeric dtype (for writing). */
export function safetensorsName(kind: 'f' | 'i' | 'u', size: number): string {
  return `${kind === 'f' ? 'F' : kind === 'i' ? 'I' : 'U'}${size * 8}`;
}

/** True for float, integer and boolean dtypes. */
export function isNumeric(dtype: DType): boolean {
  return dtype.kind === 'f' || dtype.kind === 'i' || dtype.kind === 'u' || dtype.kind === 'b';
}

/** A value that cannot be held exactly by a JavaScript number (a 64-bit integer beyond 2^53). */
export class UnsafeIntegerError extends Error {
  constructor(readonly index: number) {
    super(`element ${index} is a 64-bit integer beyond ±2^53, which a double cannot hold exactly`);
  }
}

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Decodes `count` numeric elements from `bytes` (C order) into doubles: floats exactly, integers
 * exactly up to 2^53 (beyond: UnsafeIntegerError naming the element), booleans as 0 / 1.
 */
export function decodeNumbers(bytes: Uint8Array, dtype: DType, count: number): Float64Array {
  if (!isNumeric(dtype)) throw new TypeError(`decodeNumbers: ${dtype.name} is not numeric`);
  if (bytes.length < count * dtype.size) throw new RangeError(`decodeNumbers: ${bytes.length} bytes hold fewer than ${count} elements of ${dtype.name}`);
  const native = dtype.littleEndian === MACHINE_LITTLE_ENDIAN && bytes.byteOffset % dtype.size === 0;
  if (native && dtype.kind === 'f' && dtype.size === 8) return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 8));
  if (native && dtype.kind === 'f' && dtype.size === 4) return Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, count));
  const out = new Float64Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * dtype.size);
  const le = dtype.littleEndian;
  const bf16 = dtype.name === 'BF16';
  // bfloat16 is the top half of a float32.
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    const at = i * dtype.size;
    switch (`${dtype.kind}${dtype.size}`) {
      case 'f8':
        out[i] = view.getFloat64(at, le);
        break;
      case 'f4':
        out[i] = view.getFloat32(at, le);
        break;
      case 'f2': {
        const bits = view.getUint16(at, le);
        if (bf16) {
          scratch.setUint32(0, bits << 16);
          out[i] = scratch.getFloat32(0);
        } else out[i] = half(bits);
        break;
      }
      case 'i1':
        out[i] = view.getInt8(at);
        break;
      case 'i2':
        out[i] = view.getInt16(at, le);
        break;
      case 'i4':
        out[i] = view.getInt32(at, le);
        break;
      case 'i8': {
        const v = view.getBigInt64(at, le);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new UnsafeIntegerError(i);
        out[i] = Number(v);
        break;
      }
      case 'u1':
      case 'b1':
        out[i] = view.getUint8(at);
        break;
      case 'u2':
        out[i] = view.getUint16(at, le);
        break;
      case 'u4':
        out[i] = view.getUint32(at, le);
        break;
      case 'u8': {
        const v = view.getBigUint64(at, le);
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnsafeIntegerError(i);
        out[i] = Number(v);
        break;
      }
    }
  }
  return out;
}

/** Decodes one text element: numpy 'U' (UTF-32, trailing NULs dropped) or 'S' (bytes, read as UTF-8). */
export function decodeText(bytes: Uint8Array, dtype: DType): string {
  if (dtype.kind === 'S') {
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
  }
  if (dtype.kind !== 'U') throw new TypeError(`decodeText: ${dtype.name} is not text`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let text = '';
  for (let at = 0; at + 4 <= dtype.size; at += 4) {
    const code = view.getUint32(at, dtype.littleEndian);
    if (code === 0) break;
    text += String.fromCodePoint(code);
  }
  return text;
}
