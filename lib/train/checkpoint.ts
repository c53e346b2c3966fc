import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFile } from '../store/index';

/**
 * Checkpoint file (`state.bin`), written atomically (temporary file + rename):
 *   bytes 0–7   ASCII "GFSSCKP1"
 *   bytes 8–11  uint32 little-endian H = byte length of the JSON header
 *   bytes 12…   the header (UTF-8 JSON), zero-padded so the arrays start at a multiple of 8
 *   then        the Float64 arrays named in header.arrays, little-endian, back to back.
 * Float64 copies are exact, so a run resumed from a checkpoint continues bit for bit.
 */
const MAGIC = 'GFSSCKP1';

export interface CheckpointHeader {
  /** Store key of the run the checkpoint belongs to (a mismatch means: ignore it). */
  key: string;
  /** First epoch still to run. */
  nextEpoch: number;
  /** Anything else small and JSON-safe (optimiser step count, …). */
  extra: Record<string, unknown>;
  arrays: Array<{ name: string; length: number }>;
}

/** Writes a checkpoint atomically. */
export function writeCheckpoint(file: string, header: Omit<CheckpointHeader, 'arrays'>, arrays: Record<string, Float64Array>): void {
  const names = Object.keys(arrays).sort();
  const full: CheckpointHeader = { ...header, arrays: names.map((name) => ({ name, length: arrays[name].length })) };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const start = Math.ceil((12 + json.length) / 8) * 8;
  let total = start;
  for (const name of names) total += arrays[name].length * 8;
  const bytes = Buffer.alloc(total);
  bytes.write(MAGIC, 0, 'ascii');
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, 12);
  let offset = start;
  for (const name of names) {
    const a = arrays[name];
    for (let i = 0; i < a.length; i++, offset += 8) bytes.writeDoubleLE(a[i], offset);
  }
  atomicWriteFile(file, bytes);
}

/** Reads a checkpoint, or null if the file is absent or not a valid checkpoint. */
export function readCheckpoint(file: string): { header: CheckpointHeader; arrays: Record<string, Float64Array> } | null {
  if (!fs.existsSync(file)) return null;
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.toString('ascii', 0, 8) !== MAGIC) return null;
    const length = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as CheckpointHeader;
    let offset = Math.ceil((12 + length) / 8) * 8;
    const arrays: Record<string, Float64Array> = {};
    for (const { name, length: n } of header.arrays) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++, offset += 8) a[i] = bytes.readDoubleLE(offset);
      arrays[name] = a;
    }
    if (offset !== bytes.length) return null;
    return { header, arrays };
  } catch {
    return null;
  }
}

/** Writes one snapshot (gradient then parameters, Float64 little-endian) atomically. */
export function writeSnapshotFile(dir: string, epoch: number, gradient: ArrayLike<number>, parameters: ArrayLike<number>): void {
  const n = gradient.length;
  const bytes = Buffer.alloc(16 * n);
  for (let i = 0; i < n; i++) {
    bytes.writeDoubleLE(gradient[i], 8 * i);
    bytes.writeDoubleLE(parameters[i], 8 * (n + i));
  }
  atomicWriteFile(path.join(dir, `snapshot-${epoch}.bin`), bytes);
}

/** Reads a snapshot written by {@link writeSnapshotFile}. */
export function readSnapshotFile(dir: string, epoch: number, n: number): { gradient: Float64Array; parameters: Float64Array } {
  const bytes = fs.readFileSync(path.join(dir, `snapshot-${epoch}.bin`));
  if (bytes.length !== 16 * n) throw new Error(`snapshot file for epoch ${epoch} in ${dir} has ${bytes.length} bytes, expected ${16 * n}`);
  const gradient = new Float64Array(n);
  const parameters = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    gradient[i] = bytes.readDoubleLE(8 * i);
    parameters[i] = bytes.readDoubleLE(8 * (n + i));
  }
  return { gradient, parameters };
}
