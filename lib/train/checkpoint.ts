import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { atomicWriteFile } from '../store/index';

/**
 * Checkpoint files of an interrupted run, each written atomically (temporary file + rename) and
 * ending with the SHA-256 of everything before it, so that a damaged file (one flipped bit, a
 * truncation, a file from another format) is detected and never used.
 *
 * `state.bin`:
 *   bytes 0–7   ASCII "GFSSCKP2"
 *   bytes 8–11  uint32 little-endian H = byte length of the JSON header
 *   bytes 12…   the header (UTF-8 JSON), zero-padded so the arrays start at a multiple of 8
 *   then        the Float64 arrays named in header.arrays, little-endian, back to back
 *   last 32     SHA-256 of all preceding bytes.
 * `snapshot-<epoch>.bin`:
 *   bytes 0–7   ASCII "GFSSSNP1"
 *   bytes 8–15  uint32 LE epoch, uint32 LE n
 *   then        n Float64 gradient entries, then n Float64 parameters (little-endian)
 *   last 32     SHA-256 of all preceding bytes.
 * Float64 copies are exact, so a run resumed from a checkpoint continues bit for bit.
 */
const STATE_MAGIC = 'GFSSCKP2';
const SNAPSHOT_MAGIC = 'GFSSSNP1';
const DIGEST_BYTES = 32;

/** Raised for a checkpoint file that exists but is damaged, truncated, or of another format. */
export class DamagedCheckpointError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`damaged checkpoint file ${file}: ${detail}`);
    this.name = 'DamagedCheckpointError';
  }
}

export interface CheckpointHeader {
  /** Store key of the run the checkpoint belongs to (a mismatch means: ignore it). */
  key: string;
  /** First epoch still to run. */
  nextEpoch: number;
  /** Anything else small and JSON-safe (optimiser step count, …). */
  extra: Record<string, unknown>;
  arrays: Array<{ name: string; length: number }>;
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Appends the digest and writes atomically. */
function writeSealed(file: string, body: Buffer): void {
  atomicWriteFile(file, Buffer.concat([body, sha256(body)]));
}

/** Reads a file written by {@link writeSealed}: its body, or null if absent. */
function readSealed(file: string, magic: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DamagedCheckpointError(file, `unreadable (${(error as Error).message})`);
  }
  if (bytes.length < magic.length + DIGEST_BYTES) throw new DamagedCheckpointError(file, `only ${bytes.length} bytes`);
  if (bytes.toString('latin1', 0, magic.length) !== magic)
    throw new DamagedCheckpointError(file, `does not start with ${magic} (damaged, or written by another version)`);
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  if (!sha256(body).equals(bytes.subarray(bytes.length - DIGEST_BYTES))) throw new DamagedCheckpointError(file, 'fails its SHA-256 checksum');
  return body;
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
  bytes.write(STATE_MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, 12);
  let offset = start;
  for (const name of names) {
    const a = arrays[name];
    for (let i = 0; i < a.length; i++, offset += 8) bytes.writeDoubleLE(a[i], offset);
  }
  writeSealed(file, bytes);
}

/**
 * Reads a checkpoint, or null if the file is absent.
 * @throws DamagedCheckpointError when it exists but fails its checksum or cannot be parsed
 */
export function readCheckpoint(file: string): { header: CheckpointHeader; arrays: Record<string, Float64Array> } | null {
  const bytes = readSealed(file, STATE_MAGIC);
  if (!bytes) return null;
  try {
    const length = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as CheckpointHeader;
    let offset = Math.ceil((12 + length) / 8) * 8;
    const arrays: Record<string, Float64Array> = {};
    for (const { name, length: n } of header.arrays) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++, offset += 8) a[i] = bytes.readDoubleLE(offset);
      arrays[name] = a;
    }
    if (offset !== bytes.length) throw new Error(`${bytes.length - offset} bytes left over after the arrays`);
    return { header, arrays };
  } catch (error) {
    throw new DamagedCheckpointError(file, `checksum matches but the content does not parse (${(error as Error).message})`);
  }
}

/** Path of the snapshot file of `epoch` in a checkpoint folder. */
export function snapshotFile(dir: string, epoch: number): string {
  return path.join(dir, `snapshot-${epoch}.bin`);
}

/** Writes one snapshot (gradient then parameters, Float64 little-endian) atomically. */
export function writeSnapshotFile(dir: string, epoch: number, gradient: ArrayLike<number>, parameters: ArrayLike<number>): void {
  const n = gradient.length;
  const bytes = Buffer.alloc(16 + 16 * n);
  bytes.write(SNAPSHOT_MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(epoch, 8);
  bytes.writeUInt32LE(n, 12);
  for (let i = 0; i < n; i++) {
    bytes.writeDoubleLE(gradient[i], 16 + 8 * i);
    bytes.writeDoubleLE(parameters[i], 16 + 8 * (n + i));
  }
  writeSealed(snapshotFile(dir, epoch), bytes);
}

/**
 * Reads a snapshot written by {@link writeSnapshotFile}.
 * @throws DamagedCheckpointError when it is missing, damaged, or not the snapshot of `epoch` with n entries
 */
export function readSnapshotFile(dir: string, epoch: number, n: number): { gradient: Float64Array; parameters: Float64Array } {
  const file = snapshotFile(dir, epoch);
  const bytes = readSealed(file, SNAPSHOT_MAGIC);
  if (!bytes) throw new DamagedCheckpointError(file, 'missing');
  if (bytes.readUInt32LE(8) !== epoch || bytes.readUInt32LE(12) !== n || bytes.length !== 16 + 16 * n) {
    throw new DamagedCheckpointError(file, `holds epoch ${bytes.readUInt32LE(8)} with ${bytes.readUInt32LE(12)} parameters, expected epoch ${epoch} with ${n}`);
  }
  const gradient = new Float64Array(n);
  const parameters = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    gradient[i] = bytes.readDoubleLE(16 + 8 * i);
    parameters[i] = bytes.readDoubleLE(16 + 8 * (n + i));
  }
  return { gradient, parameters };
}

/** What a checkpoint must match to be resumed from (see {@link loadCheckpoint}). */
export interface CheckpointExpectation {
  /** Store key of the run. */
  key: string;
  /** Epoch budget of the run (a checkpoint's nextEpoch lies in 1 … epochs − 1). */
  epochs: number;
  /** Parameter count N (length of `theta` and of every snapshot). */
  parameterCount: number;
  /** The run's snapshot epochs; those before nextEpoch must be on disk and intact. */
  snapshotEpochs: readonly number[];
}

/**
 * The checkpoint of an interrupted run in `dir`, if it can be resumed from, else null.
 *
 * 1. No `state.bin`: null (start from scratch; snapshot files left in the folder are all
 *    rewritten before they are read).
 * 2. Read and check `state.bin` (checksum, key, nextEpoch in range, `theta` of length N), and
 *    every snapshot file of an epoch before nextEpoch (present, checksum, epoch and N).
 * 3. On any failure: report it in one line (`warn`, naming the file and the problem), delete
 *    the folder's contents and return null, so the run restarts from scratch: a damaged
 *    checkpoint is never used and never blocks the run.
 */
export function loadCheckpoint(
  dir: string,
  expected: CheckpointExpectation,
  warn: (message: string) => void = (message) => process.stderr.write(`grokking-fss: ${message}\n`),
): { header: CheckpointHeader; arrays: Record<string, Float64Array> } | null {
  const stateFile = path.join(dir, 'state.bin');
  let problem: string;
  try {
    const checkpoint = readCheckpoint(stateFile);
    if (!checkpoint) return null;
    const { header, arrays } = checkpoint;
    if (header.key !== expected.key) throw new DamagedCheckpointError(stateFile, `belongs to run ${header.key}, not ${expected.key}`);
    if (!Number.isInteger(header.nextEpoch) || header.nextEpoch < 1 || header.nextEpoch >= expected.epochs) {
      throw new DamagedCheckpointError(stateFile, `nextEpoch ${header.nextEpoch} is outside 1 … ${expected.epochs - 1}`);
    }
    if (!arrays.theta || arrays.theta.length !== expected.parameterCount)
      throw new DamagedCheckpointError(stateFile, `theta has ${arrays.theta?.length ?? 0} entries, expected ${expected.parameterCount}`);
    for (const epoch of expected.snapshotEpochs) if (epoch < header.nextEpoch) readSnapshotFile(dir, epoch, expected.parameterCount);
    return checkpoint;
  } catch (error) {
    if (!(error instanceof DamagedCheckpointError)) throw error;
    problem = error.message;
  }
  warn(`${problem}; discarding the checkpoint of run ${expected.key} and training it from scratch`);
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  return null;
}
