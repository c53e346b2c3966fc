/**
 * `.npz` files (np.savez / np.savez_compressed): a ZIP archive with one `.npy` array per entry,
 * named `<array>.npy`. Reading parses only the directory and each array's header; data is read
 * on demand (stored entries: just the bytes asked for; deflated entries: inflated once, on first
 * use, one array in memory at a time). Writing: stored entries, deterministic bytes.
 */
import * as zlib from 'node:zlib';
import { ExchangeFileError, readFileRange, RunArrays, StoredArray, elementCount } from './arrays';
import { encodeNpy, NPY_PREFIX_BYTES, NpyContent, npyDataOffset, parseNpyHeader } from './npy';
import { encodeZip, entryDataOffset, readZipDirectory, readZipEntry, ZipEntry } from './zip';

/** A stored array's checksum: CRC-32 of its whole `.npy` entry, and the CRC-32 of the header alone (to continue over the data). */
export interface NpzChecksum {
  headerCrc: number;
  expected: number;
}

/** An array of an `.npz` file, with the CRC-32 of its entry when the entry is stored (so that streaming readers can check it). */
export type NpzArray = StoredArray & { checksum: NpzChecksum | null };

/**
 * The arrays of an `.npz` file: names, dtypes, shapes (headers only; no data read).
 * @throws ExchangeFileError naming the file (and array) when it is not a readable `.npz`
 */
export function openNpz(file: string): RunArrays & { arrays: Map<string, NpzArray> } {
  const arrays = new Map<string, NpzArray>();
  for (const entry of readZipDirectory(file)) {
    if (!entry.name.endsWith('.npy'))
      throw new ExchangeFileError(file, null, `entry ${JSON.stringify(entry.name)} is not an .npy array; write the file with np.savez`);
    const name = entry.name.slice(0, -4);
    arrays.set(name, entry.method === 0 ? storedArray(file, name, entry) : deflatedArray(file, name, entry));
  }
  return { file, format: 'npz', arrays, metadata: {} };
}

function header(file: string, name: string, bytes: Uint8Array, entrySize: number): ReturnType<typeof parseNpyHeader> {
  let parsed;
  try {
    parsed = parseNpyHeader(bytes);
  } catch (error) {
    throw new ExchangeFileError(file, name, (error as Error).message);
  }
  if (!parsed.dtype) throw new ExchangeFileError(file, name, `has dtype ${parsed.descr}, which is not supported (floats, integers, booleans, or a string)`);
  const expected = parsed.dataOffset + elementCount(parsed.shape) * parsed.dtype.size;
  if (entrySize !== expected)
    throw new ExchangeFileError(
      file,
      name,
      `holds ${entrySize - parsed.dataOffset} data bytes, but shape [${parsed.shape.join(', ')}] of ${parsed.descr} needs ${expected - parsed.dataOffset}`,
    );
  return parsed;
}

function storedArray(file: string, name: string, entry: ZipEntry): NpzArray {
  const start = entryDataOffset(file, entry);
  if (entry.size < NPY_PREFIX_BYTES) throw new ExchangeFileError(file, name, `is too short (${entry.size} bytes) to be an .npy array`);
  let headerLength: number;
  try {
    headerLength = npyDataOffset(readFileRange(file, start, NPY_PREFIX_BYTES));
  } catch (error) {
    throw new ExchangeFileError(file, name, (error as Error).message);
  }
  const headerBytes = readFileRange(file, start, Math.min(headerLength, entry.size));
  const parsed = header(file, name, headerBytes, entry.size);
  const dataStart = start + parsed.dataOffset;
  const dataLength = entry.size - parsed.dataOffset;
  return {
    name,
    dtype: parsed.dtype!,
    shape: parsed.shape,
    fortranOrder: parsed.fortranOrder,
    checksum: { headerCrc: zlib.crc32(headerBytes) >>> 0, expected: entry.crc32 },
    readBytes: (offset, length) => {
      if (offset < 0 || offset + length > dataLength)
        throw new RangeError(`readBytes: [${offset}, ${offset + length}) outside the ${dataLength} data bytes of ${name}`);
      return readFileRange(file, dataStart + offset, length);
    },
  };
}

/**
 * The one inflated entry kept in memory: reading a deflated array piece by piece inflates it once,
 * and moving on to another array lets it go, so memory holds at most one inflated array.
 */
let inflated: { file: string; entry: ZipEntry; data: Uint8Array } | null = null;

function inflatedEntry(file: string, entry: ZipEntry): Uint8Array {
  if (inflated?.file !== file || inflated.entry !== entry) {
    inflated = null; // let the previous one go before inflating the next
    inflated = { file, entry, data: readZipEntry(file, entry) };
  }
  return inflated.data;
}

function deflatedArray(file: string, name: string, entry: ZipEntry): NpzArray {
  // The header from the first compressed bytes (a sync flush returns what they decode to); the data on first use.
  const start = entryDataOffset(file, entry);
  const prefix = new Uint8Array(
    zlib.inflateRawSync(readFileRange(file, start, Math.min(entry.compressedSize, 4096)), { finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  );
  let headerBytes: Uint8Array = prefix;
  try {
    if (prefix.length < NPY_PREFIX_BYTES || prefix.length < npyDataOffset(prefix)) headerBytes = inflatedEntry(file, entry);
  } catch (error) {
    if (error instanceof ExchangeFileError) throw error;
    throw new ExchangeFileError(file, name, (error as Error).message);
  }
  const parsed = header(file, name, headerBytes, entry.size);
  return {
    name,
    dtype: parsed.dtype!,
    shape: parsed.shape,
    fortranOrder: parsed.fortranOrder,
    checksum: null, // checked when the entry is inflated whole
    readBytes: (offset, length) => inflatedEntry(file, entry).subarray(parsed.dataOffset + offset, parsed.dataOffset + offset + length),
  };
}

/** The bytes of an `.npz` file (stored, as np.savez writes) holding the named arrays in the given order. */
export function encodeNpz(arrays: Array<[string, NpyContent]>): Uint8Array {
  return encodeZip(arrays.map(([name, content]) => ({ name: `${name}.npy`, data: encodeNpy(content) })));
}
