/**
 * The results store: each stage's output cached under a hash of its full input config.
 *
 * Layout: `<root>/<stage>/<key>/` holding the entry's files, `config.json`, and `complete.json`
 * written last (file names, byte sizes and SHA-256 of every file). An entry is built in a
 * temporary sibling folder and renamed into place, so a reader never sees half an entry and a
 * killed writer leaves only a temporary folder (named by {@link temporaryName}, removed by
 * {@link cleanTemporary}).
 *
 * Concurrent writers (two notebooks, a notebook and the CLI, cluster array tasks) coordinate
 * through one lock per entry, `<root>/locks/<stage>/<key>.lock` (lib/store/lock.ts): {@link cached}
 * computes an entry only while holding its lock; a second process asking for the same entry
 * waits for the first and then loads its result. An entry's scratch files (training
 * checkpoints) live in `<root>/<stage>-checkpoints/<key>/` ({@link entryScratchDir}) and are
 * touched only under the lock.
 *
 * Tables are stored as Arrow IPC files (readable by pandas, polars and pyarrow).
 * The root is `GROKFSS_DATA` if set, otherwise `<project>/data/store`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as aq from 'arquero';
import { canonicalJson, hashConfig } from '../util/hash';
import { InvalidOptionError } from '../util/errors';
import { acquireLock, describeOwner, HeldLock, inspectLock, LockOptions, LockStatus, tryAcquireLock } from './lock';
import { isKnownDead, isTemporaryName, temporaryName, temporaryOwner } from './owner';

export * from './lock';
export * from './owner';

/** Bumped when the on-disk format of any stage changes; part of every key. */
export const STORE_FORMAT_VERSION = 1;

/** Raised when a stored entry fails its checksum or cannot be parsed. */
export class CorruptStoreEntryError extends Error {
  /** The entry's key (its folder name). */
  readonly key: string;
  constructor(
    readonly entryDir: string,
    detail: string,
  ) {
    const key = path.basename(entryDir);
    // Training runs can also be recomputed from the command line.
    const cli = path.basename(path.dirname(entryDir)) === 'train' ? ` (CLI: \`grokking-fss train … --recompute ${key}\`)` : '';
    super(`corrupt store entry ${entryDir}: ${detail}. Recompute this entry alone: pass force: true for this one call${cli}, or delete that folder.`);
    this.name = 'CorruptStoreEntryError';
    this.key = key;
  }
}

/** Project root: the folder holding this package's package.json. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      try {
        if (JSON.parse(fs.readFileSync(candidate, 'utf8')).name === 'grokking-fss') return dir;
      } catch {
        /* keep looking upwards */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The store's root folder (created on first write). */
export function storeRoot(): string {
  return process.env.GROKFSS_DATA ? path.resolve(process.env.GROKFSS_DATA) : path.join(projectRoot(), 'data', 'store');
}

/** Key of an entry: hash of the stage name, the format version and the full config. */
export function entryKey(stage: string, config: unknown): string {
  return hashConfig({ stage, storeFormat: STORE_FORMAT_VERSION, config });
}

/** Folder of an entry (whether or not it exists). */
export function entryDir(stage: string, config: unknown, root = storeRoot()): string {
  checkStageName(stage);
  return path.join(root, stage, entryKey(stage, config));
}

function checkStageName(stage: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(stage)) throw new InvalidOptionError('store.stage', `must match [a-z][a-z0-9-]*, got ${JSON.stringify(stage)}`);
}

/** Files of an entry: name → bytes (Uint8Array) or text. Names are plain file names. */
export type EntryFiles = Record<string, Uint8Array | string>;

interface CompletionMarker {
  stage: string;
  key: string;
  storeFormat: number;
  createdAt: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Writes `bytes` to `file` atomically (temporary file in the same folder, then rename). */
export function atomicWriteFile(file: string, bytes: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), temporaryName(path.basename(file)));
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

/**
 * Writes a complete entry atomically and returns its folder. An existing complete entry with
 * the same key is replaced only when `force` is true (it is moved aside first, then deleted,
 * so a crash in between never leaves the key without an entry).
 */
export function writeEntry(stage: string, config: unknown, files: EntryFiles, options: { force?: boolean; root?: string } = {}): string {
  const finalDir = entryDir(stage, config, options.root);
  for (const name of Object.keys(files)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name === 'complete.json' || name === 'config.json') {
      throw new InvalidOptionError(
        'store.files',
        `invalid file name ${JSON.stringify(name)} (letters, digits, . _ - only; config.json and complete.json are reserved)`,
      );
    }
  }
  if (!options.force && isComplete(finalDir)) return finalDir;
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  const tmpDir = path.join(parent, temporaryName(`.${path.basename(finalDir)}`));
  fs.mkdirSync(tmpDir);
  const marker: CompletionMarker = { stage, key: path.basename(finalDir), storeFormat: STORE_FORMAT_VERSION, createdAt: new Date().toISOString(), files: {} };
  const all: EntryFiles = { ...files, 'config.json': JSON.stringify(JSON.parse(canonicalJson(config)), null, 2) + '\n' };
  for (const [name, content] of Object.entries(all)) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    fs.writeFileSync(path.join(tmpDir, name), bytes);
    marker.files[name] = { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  fs.writeFileSync(path.join(tmpDir, 'complete.json'), JSON.stringify(marker, null, 2) + '\n');
  if (fs.existsSync(finalDir)) {
    const aside = path.join(parent, temporaryName(`.${path.basename(finalDir)}.old`));
    fs.renameSync(finalDir, aside);
    fs.renameSync(tmpDir, finalDir);
    fs.rmSync(aside, { recursive: true, force: true });
  } else {
    fs.renameSync(tmpDir, finalDir);
  }
  return finalDir;
}

function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'complete.json'));
}

/** A complete entry read back from disk, checksums verified. */
export interface StoredEntry {
  dir: string;
  key: string;
  config: unknown;
  createdAt: string;
  /** Raw bytes of one file of the entry. */
  bytes(name: string): Uint8Array;
  /** One file as UTF-8 text. */
  text(name: string): string;
  /** One file parsed as JSON. */
  json<T = unknown>(name: string): T;
  /** One Arrow IPC file as an arquero table. */
  table(name: string): aq.ColumnTable;
  /** Names of the entry's files (without config.json and complete.json). */
  files: string[];
  /**
   * Checks every file of the entry (presence, size, SHA-256) without keeping the bytes.
   * @throws CorruptStoreEntryError naming the first bad file
   */
  verify(): void;
}

/**
 * Reads a complete entry, or returns null when there is none (or only a partial one).
 * @throws CorruptStoreEntryError when a file is missing, truncated or fails its checksum.
 */
export function readEntry(stage: string, config: unknown, options: { root?: string } = {}): StoredEntry | null {
  return readEntryAt(entryDir(stage, config, options.root));
}

/**
 * Reads a complete entry by its key (as listed in a runs table), or null when there is none.
 * @throws InvalidOptionError for a malformed key; CorruptStoreEntryError as {@link readEntry}.
 */
export function readEntryByKey(stage: string, key: string, options: { root?: string } = {}): StoredEntry | null {
  checkStageName(stage);
  if (!/^[0-9a-f]{16}$/.test(key)) throw new InvalidOptionError('store.key', `must be 16 hex digits, got ${JSON.stringify(key)}`);
  return readEntryAt(path.join(options.root ?? storeRoot(), stage, key));
}

function readEntryAt(dir: string): StoredEntry | null {
  if (!isComplete(dir)) return null;
  let marker: CompletionMarker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(dir, 'complete.json'), 'utf8'));
  } catch (error) {
    throw new CorruptStoreEntryError(dir, `complete.json is unreadable (${(error as Error).message})`);
  }
  if (!marker || typeof marker.files !== 'object') throw new CorruptStoreEntryError(dir, 'complete.json has no file list');
  const cache = new Map<string, Uint8Array>();
  const load = (name: string): Uint8Array => {
    const expected = marker.files[name];
    if (!expected)
      throw new InvalidOptionError('store.file', `entry ${dir} has no file ${JSON.stringify(name)}; it has: ${Object.keys(marker.files).join(', ')}`);
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(dir, name));
    } catch {
      throw new CorruptStoreEntryError(dir, `file ${name} is missing`);
    }
    if (content.byteLength !== expected.bytes)
      throw new CorruptStoreEntryError(dir, `file ${name} has ${content.byteLength} bytes, expected ${expected.bytes}`);
    if (createHash('sha256').update(content).digest('hex') !== expected.sha256)
      throw new CorruptStoreEntryError(dir, `file ${name} fails its SHA-256 checksum`);
    return new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
  };
  const bytes = (name: string): Uint8Array => {
    const cached = cache.get(name);
    if (cached) return cached;
    const view = load(name);
    cache.set(name, view);
    return view;
  };
  const text = (name: string): string => Buffer.from(bytes(name)).toString('utf8');
  const json = <T>(name: string): T => {
    try {
      return JSON.parse(text(name)) as T;
    } catch (error) {
      if (error instanceof CorruptStoreEntryError) throw error;
      throw new CorruptStoreEntryError(dir, `file ${name} is not valid JSON`);
    }
  };
  const table = (name: string): aq.ColumnTable => {
    try {
      return arrowToTable(bytes(name));
    } catch (error) {
      if (error instanceof CorruptStoreEntryError) throw error;
      throw new CorruptStoreEntryError(dir, `file ${name} is not a valid Arrow IPC file (${(error as Error).message})`);
    }
  };
  return {
    dir,
    key: path.basename(dir),
    config: json('config.json'),
    createdAt: marker.createdAt,
    bytes,
    text,
    json,
    table,
    files: Object.keys(marker.files).filter((n) => n !== 'config.json'),
    verify: () => {
      for (const name of Object.keys(marker.files)) if (!cache.has(name)) load(name);
    },
  };
}

/** Lock file of an entry: `<root>/locks/<stage>/<key>.lock` (see lib/store/lock.ts). */
export function entryLockFile(stage: string, key: string, root = storeRoot()): string {
  checkStageName(stage);
  return path.join(root, 'locks', stage, `${key}.lock`);
}

/**
 * Whether an entry is being computed right now: 'held' (by the owner named in the status),
 * 'stale' (its writer died; the next writer breaks the lock) or 'free'.
 */
export function entryLockStatus(stage: string, key: string, options: { root?: string; staleAfterSeconds?: number } = {}): LockStatus {
  return inspectLock(entryLockFile(stage, key, options.root), { staleAfterSeconds: options.staleAfterSeconds });
}

/**
 * Scratch folder of an entry being computed (training checkpoints):
 * `<root>/<stage>-checkpoints/<key>/`. Only the holder of the entry's lock may touch it;
 * {@link cached} removes it once the entry is stored (`afterWrite`), and {@link cleanTemporary}
 * removes those whose entry is complete.
 */
export function entryScratchDir(stage: string, key: string, root = storeRoot()): string {
  checkStageName(stage);
  return path.join(root, `${stage}${SCRATCH_SUFFIX}`, key);
}

const SCRATCH_SUFFIX = '-checkpoints';

/** Options of {@link cached}. */
export interface CachedOptions {
  /** Recompute (under the lock) even if a complete entry exists [false]. */
  force?: boolean;
  /** Store root [storeRoot()]. */
  root?: string;
  /**
   * How to wait for another process computing the same entry (lib/store/lock.ts); by default
   * wait as long as it lives, with one line on stderr saying whom we wait for.
   */
  lock?: LockOptions;
  /** Runs after the entry is written, still holding the lock (e.g. to remove scratch files) [none]. */
  afterWrite?: (entry: StoredEntry) => void;
}

/**
 * The cache in one call: returns the stored entry for (stage, config) if complete (all its
 * checksums verified), else computes and stores it. `hit` says whether this call computed it.
 *
 * 1. On the first call per root in this process, clean what killed writers left ({@link cleanTemporary}).
 * 2. Unless `force`: a complete entry is verified (every file's SHA-256) and returned as a hit.
 * 3. Take the entry's lock; while another live process holds it, wait (one line on stderr).
 * 4. Holding the lock, unless `force`: if the entry is now complete (the other process just
 *    wrote it), verify and return it as a hit.
 * 5. Run `compute(lock)` (long computations call `lock.refresh()` now and then, see lock.ts),
 *    write the entry atomically, run `afterWrite`, release the lock, return the entry.
 *
 * `compute` must not itself wait for other entries' locks in an order another process could
 * reverse (two processes would wait for each other); no compute in lib does.
 *
 * @throws CorruptStoreEntryError for a damaged entry (unless force); LockBusyError after
 *   `lock.waitSeconds` of waiting
 */
export async function cached(
  stage: string,
  config: unknown,
  compute: (lock: HeldLock) => EntryFiles | Promise<EntryFiles>,
  options: CachedOptions = {},
): Promise<{ entry: StoredEntry; hit: boolean }> {
  const root = options.root ?? storeRoot();
  const dir = entryDir(stage, config, root);
  const key = path.basename(dir);
  cleanTemporaryOnce(root);
  const existing = (): StoredEntry | null => {
    const entry = options.force ? null : readEntryAt(dir);
    entry?.verify();
    return entry;
  };
  const before = existing();
  if (before) return { entry: before, hit: true };
  const lock = await acquireLock(entryLockFile(stage, key, root), {
    purpose: `computing ${stage} entry ${key}`,
    onWait: (owner) =>
      process.stderr.write(
        `grokking-fss: waiting for ${stage} entry ${key}, being computed by ${describeOwner(owner)}; its result will be loaded when it is done\n`,
      ),
    onStale: (owner, reason) =>
      process.stderr.write(`grokking-fss: breaking the stale lock of ${stage} entry ${key} (${reason}; owner ${describeOwner(owner)})\n`),
    ...options.lock,
  });
  try {
    const meanwhile = existing();
    if (meanwhile) return { entry: meanwhile, hit: true };
    const files = await compute(lock);
    writeEntry(stage, config, files, { force: true, root });
    const entry = readEntryAt(dir);
    if (!entry) throw new Error(`store: entry for stage ${stage} vanished right after being written`);
    options.afterWrite?.(entry);
    return { entry, hit: false };
  } finally {
    lock.release();
  }
}

const cleanedRoots = new Set<string>();

function cleanTemporaryOnce(root: string): void {
  const resolved = path.resolve(root);
  if (cleanedRoots.has(resolved)) return;
  cleanedRoots.add(resolved);
  cleanTemporary(resolved);
}

/** Options of {@link cleanTemporary}. */
export interface CleanOptions {
  /** Temporary files of owners that cannot be checked (another host) are removed after this many seconds [3600]. */
  maxAgeSeconds?: number;
}

/**
 * Removes what killed writers left under the store root, never what a live writer uses:
 * 1. temporary folders and files (entries being written, checkpoint and lock files being
 *    replaced) whose owner is known dead (same host, pid gone), or that are older than
 *    `maxAgeSeconds` when the owner cannot be checked (another host, or an old-style name);
 * 2. scratch folders (`<stage>-checkpoints/<key>`) of entries that are complete, taking the
 *    entry's lock first so that a process recomputing it is never disturbed.
 * Called by {@link cached} once per root and process.
 * @returns the number of items removed
 */
export function cleanTemporary(root = storeRoot(), options: CleanOptions = {}): number {
  const maxAgeSeconds = options.maxAgeSeconds ?? 3600;
  if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds >= 0))
    throw new InvalidOptionError('cleanTemporary.maxAgeSeconds', `must be a number ≥ 0, got ${String(maxAgeSeconds)}`);
  if (!fs.existsSync(root)) return 0;
  let removed = 0;
  const list = (dir: string): string[] => {
    try {
      return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : [];
    } catch {
      return [];
    }
  };
  const removeIfAbandoned = (file: string): boolean => {
    const name = path.basename(file);
    if (!isTemporaryName(name)) return false;
    const owner = temporaryOwner(name);
    let abandoned = owner !== null && isKnownDead(owner);
    if (!abandoned) {
      try {
        abandoned = (Date.now() - fs.statSync(file).mtimeMs) / 1000 > maxAgeSeconds;
      } catch {
        return true; // gone meanwhile
      }
    }
    if (abandoned) {
      fs.rmSync(file, { recursive: true, force: true });
      removed++;
    }
    return true;
  };
  for (const top of list(root)) {
    const topDir = path.join(root, top);
    const scratchOf = top.endsWith(SCRATCH_SUFFIX) ? top.slice(0, -SCRATCH_SUFFIX.length) : null;
    for (const name of list(topDir)) {
      const item = path.join(topDir, name);
      if (removeIfAbandoned(item)) continue;
      // Scratch folders and lock folders hold temporary files one level deeper.
      if (scratchOf !== null || top === 'locks') for (const inner of list(item)) removeIfAbandoned(path.join(item, inner));
      if (scratchOf !== null && /^[a-z][a-z0-9-]*$/.test(scratchOf) && isComplete(path.join(root, scratchOf, name))) {
        const lock = tryAcquireLock(entryLockFile(scratchOf, name, root), { purpose: `removing the scratch folder of ${scratchOf} entry ${name}` });
        if (!lock) continue;
        try {
          if (fs.existsSync(item)) {
            fs.rmSync(item, { recursive: true, force: true });
            removed++;
          }
        } finally {
          lock.release();
        }
      }
    }
  }
  return removed;
}

/** Arrow IPC (file format) bytes of an arquero table. */
export function tableToArrow(table: aq.ColumnTable): Uint8Array {
  return aq.toArrowIPC(table, { format: 'file' }) as Uint8Array;
}

/** An arquero table from Arrow IPC bytes (file or stream format). */
export function arrowToTable(bytes: Uint8Array): aq.ColumnTable {
  return aq.fromArrow(bytes) as aq.ColumnTable;
}
