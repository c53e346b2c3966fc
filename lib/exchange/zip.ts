/**
 * The ZIP container of `.npz` files (PKWARE APPNOTE 6.3), read and written without a dependency.
 * Reading: the end-of-central-directory record (and its ZIP64 variant, which numpy uses for
 * large arrays) gives the central directory; each entry's data starts after its local header.
 * Entries are stored (np.savez) or deflated (np.savez_compressed); a stored entry can be read
 * in pieces, so that one snapshot of a gradient array is read without the rest.
 * Writing: stored entries, fixed timestamps (the same content gives the same bytes), CRC-32.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { ExchangeFileError, readFileRange } from './arrays';

/** One entry of a ZIP file's central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('a 64-bit ZIP field beyond 2^53');
  return Number(v);
}

/**
 * The central directory of the ZIP file `file`.
 * @throws ExchangeFileError naming the file when it is not a ZIP file, spans several disks, or is encrypted
 */
export function readZipDirectory(file: string): ZipEntry[] {
  const size = fs.statSync(file).size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = readFileRange(file, size - tailLength, tailLength);
  const tailView = new DataView(tail.buffer);
  let eocd = -1;
  for (let at = tailLength - 22; at >= 0; at--) {
    if (tailView.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ExchangeFileError(file, null, 'is not a ZIP archive (no end-of-central-directory record): write it with np.savez');
  let count = tailView.getUint16(eocd + 10, true);
  let directorySize = tailView.getUint32(eocd + 12, true);
  let directoryOffset = tailView.getUint32(eocd + 16, true);
  if (tailView.getUint16(eocd + 4, true) !== 0 || tailView.getUint16(eocd + 6, true) !== 0)
    throw new ExchangeFileError(file, null, 'is a multi-disk ZIP archive, which is not supported');
  if (count === 0xffff || directorySize === MAX32 || directoryOffset === MAX32) {
    const locatorAt = size - tailLength + eocd - 20;
    const locator = new DataView(readFileRange(file, locatorAt, 20).buffer);
    if (locator.getUint32(0, true) !== ZIP64_LOCATOR)
      throw new ExchangeFileError(file, null, 'has a ZIP64 end record without its locator: the archive is damaged');
    const record = new DataView(readFileRange(file, u64(locator, 8), 56).buffer);
    if (record.getUint32(0, true) !== ZIP64_EOCD) throw new ExchangeFileError(file, null, 'has a damaged ZIP64 end-of-central-directory record');
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryOffset = u64(record, 48);
  }
  if (directoryOffset + directorySize > size) throw new ExchangeFileError(file, null, 'is truncated: its central directory lies past the end of the file');
  const directory = readFileRange(file, directoryOffset, directorySize);
  const view = new DataView(directory.buffer);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directorySize || view.getUint32(at, true) !== CENTRAL)
      throw new ExchangeFileError(file, null, `has a damaged central directory (entry ${i})`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = Buffer.from(directory.buffer, at + 46, nameLength).toString('utf8');
    const entry: ZipEntry = {
      name,
      method,
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    // ZIP64 extended information (id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 1) {
        let field = extra + 4;
        for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
          if (entry[key] === MAX32 && field + 8 <= extra + 4 + length) {
            entry[key] = u64(view, field);
            field += 8;
          }
        }
      }
      extra += 4 + length;
    }
    if (flags & 1) throw new ExchangeFileError(file, null, `entry ${name} is encrypted, which is not supported`);
    if (method !== 0 && method !== 8)
      throw new ExchangeFileError(
        file,
        null,
        `entry ${name} uses ZIP compression method ${method}; only stored (np.savez) and deflated (np.savez_compressed) are supported`,
      );
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Offset in the file of an entry's (possibly compressed) data, read from its local header. */
export function entryDataOffset(file: string, entry: ZipEntry): number {
  const header = new DataView(readFileRange(file, entry.localHeaderOffset, 30).buffer);
  if (header.getUint32(0, true) !== LOCAL) throw new ExchangeFileError(file, null, `entry ${entry.name} has a damaged local header`);
  const offset = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  if (offset + entry.compressedSize > fs.statSync(file).size) throw new ExchangeFileError(file, null, `entry ${entry.name} is truncated`);
  return offset;
}

/**
 * The whole (inflated) content of an entry, its CRC-32 checked.
 * @throws ExchangeFileError naming the file and entry when the data is damaged
 */
export function readZipEntry(file: string, entry: ZipEntry): Uint8Array {
  const raw = readFileRange(file, entryDataOffset(file, entry), entry.compressedSize);
  let data: Uint8Array;
  try {
    data = entry.method === 8 ? new Uint8Array(zlib.inflateRawSync(raw)) : raw;
  } catch (error) {
    throw new ExchangeFileError(file, null, `entry ${entry.name} cannot be inflated: ${(error as Error).message}`);
  }
  if (data.length !== entry.size) throw new ExchangeFileError(file, null, `entry ${entry.name} holds ${data.length} bytes, its directory says ${entry.size}`);
  if (zlib.crc32(data) >>> 0 !== entry.crc32) throw new ExchangeFileError(file, null, `entry ${entry.name} fails its CRC-32 check: the file is damaged`);
  return data;
}

/**
 * The bytes of a ZIP archive holding `entries` stored (uncompressed), in order, with a fixed
 * timestamp (1980-01-01) so that the same entries always give the same bytes.
 * @throws RangeError when the archive would need ZIP64 (an entry or the archive over 4 GiB)
 */
export function encodeZip(entries: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data) >>> 0;
    if (data.length >= MAX32 || offset >= MAX32) throw new RangeError(`encodeZip: ${name} would need ZIP64 (over 4 GiB); write fewer snapshots per file`);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, LOCAL, true);
    local.setUint16(4, 20, true); // version needed 2.0
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint16(8, 0, true); // stored
    local.setUint16(10, 0, true);
    local.setUint16(12, dosDate, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, 0, true);
    const record = new DataView(new ArrayBuffer(46));
    record.setUint32(0, CENTRAL, true);
    record.setUint16(4, 20, true);
    record.setUint16(6, 20, true);
    record.setUint16(8, 0x0800, true);
    record.setUint16(10, 0, true);
    record.setUint16(12, 0, true);
    record.setUint16(14, dosDate, true);
    record.setUint32(16, crc, true);
    record.setUint32(20, data.length, true);
    record.setUint32(24, data.length, true);
    record.setUint16(28, nameBytes.length, true);
    record.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), nameBytes, data);
    central.push(new Uint8Array(record.buffer), nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directorySize = central.reduce((s, p) => s + p.length, 0);
  if (offset + directorySize >= MAX32) throw new RangeError('encodeZip: the archive would need ZIP64 (over 4 GiB)');
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, EOCD, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
