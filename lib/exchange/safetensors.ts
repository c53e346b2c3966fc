/**
 * `.safetensors` files (the format of Hugging Face's safetensors, what `safetensors.torch.save_file`
 * writes): an 8-byte little-endian header length, a JSON header mapping each tensor name to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets into the data that follows the header)
 * plus an optional `__metadata__` object of strings, then the raw little-endian C-order data.
 * Read without a dependency: the header only, data on demand. Written with the same layout.
 */
import * as fs from 'node:fs';
import { ExchangeFileError, readFileRange, RunArrays, StoredArray, elementCount } from './arrays';
import { safetensorsDType, safetensorsName } from './dtype';
import type { NpyContent } from './npy';

/** Largest header this reader accepts (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * The tensors of a `.safetensors` file and its `__metadata__` strings (header only; no data read).
 * @throws ExchangeFileError naming the file (and tensor) when the header is malformed
 */
export function openSafetensors(file: string): RunArrays {
  const size = fs.statSync(file).size;
  if (size < 8) throw new ExchangeFileError(file, null, `is ${size} bytes long: too short for a .safetensors header`);
  const headerLength = new DataView(readFileRange(file, 0, 8).buffer).getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, size - 8)))
    throw new ExchangeFileError(file, null, `declares a ${headerLength}-byte header in a ${size}-byte file: not a .safetensors file, or truncated`);
  const n = Number(headerLength);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(readFileRange(file, 8, n)).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ExchangeFileError(file, null, `has a header that is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new ExchangeFileError(file, null, 'has a header that is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = size - dataStart;
  const metadata: Record<string, string> = {};
  const arrays = new Map<string, StoredArray>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new ExchangeFileError(file, null, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string')
          throw new ExchangeFileError(file, null, `__metadata__.${k} must be a string (safetensors metadata holds strings), got ${JSON.stringify(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof info?.dtype === 'string' ? safetensorsDType(info.dtype) : null;
    if (!dtype)
      throw new ExchangeFileError(
        file,
        name,
        `has dtype ${JSON.stringify(info?.dtype)}; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL`,
      );
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw new ExchangeFileError(file, name, `has shape ${JSON.stringify(shape)}; a list of integers ≥ 0 is needed`);
    const offsets = info.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[1] < offsets[0] ||
      offsets[1] > dataLength
    )
      throw new ExchangeFileError(file, name, `has data_offsets ${JSON.stringify(offsets)} outside the ${dataLength} data bytes`);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== elementCount(shape as number[]) * dtype.size)
      throw new ExchangeFileError(
        file,
        name,
        `spans ${end - begin} bytes, but shape [${(shape as number[]).join(', ')}] of ${dtype.name} needs ${elementCount(shape as number[]) * dtype.size}`,
      );
    arrays.set(name, {
      name,
      dtype,
      shape: shape as number[],
      fortranOrder: false,
      readBytes: (offset, length) => {
        if (offset < 0 || offset + length > end - begin)
          throw new RangeError(`readBytes: [${offset}, ${offset + length}) outside the ${end - begin} bytes of ${name}`);
        return readFileRange(file, dataStart + begin + offset, length);
      },
    });
  }
  return { file, format: 'safetensors', arrays, metadata };
}

/**
 * The bytes of a `.safetensors` file holding the numeric tensors in the given order and the
 * metadata strings. The header is padded with spaces to a multiple of 8 bytes, as the reference
 * writer does.
 */
export function encodeSafetensors(tensors: Array<[string, Extract<NpyContent, { kind: 'f' | 'i' | 'u' }>]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const blocks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if ((t.kind === 'f' && t.size !== 8 && t.size !== 4) || (t.kind !== 'f' && (t.kind === 'u' || (t.size !== 8 && t.size !== 4))))
      throw new RangeError(`encodeSafetensors: ${t.kind}${t.size} is not written (F64, F32, I64, I32 are)`);
    const count = elementCount(t.shape);
    if (t.values.length !== count) throw new RangeError(`encodeSafetensors: ${t.values.length} values for shape [${t.shape.join(', ')}] of ${name}`);
    const block = new Uint8Array(count * t.size);
    const view = new DataView(block.buffer);
    for (let i = 0; i < count; i++) {
      const v = t.values[i];
      if (t.kind === 'f') {
        if (t.size === 8) view.setFloat64(i * 8, v, true);
        else view.setFloat32(i * 4, v, true);
      } else if (t.size === 8) view.setBigInt64(i * 8, BigInt(v), true);
      else view.setInt32(i * 4, v, true);
    }
    header[name] = { dtype: safetensorsName(t.kind, t.size), shape: t.shape, data_offsets: [offset, offset + block.length] };
    blocks.push(block);
    offset += block.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
