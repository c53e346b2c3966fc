/**
 * The results store: each stage's output cached under a hash of its full input config.
 *
 * Layout: `<root>/<stage>/<key>/` holding the entry's files, `config.json`, and `complete.json`
 * written last (file names, byte sizes and SHA-256 of every file). An entry is built in a
 * temporary sibling folder and renamed into place, so a reader never sees half an entry and a
 * killed writer leaves only a `.tmp-*` folder (removed by {@link cleanTemporary}).
 *
 * Tables are stored as Arrow IPC files (readable by pandas, polars and pyarrow).
 * The root is `GROKFSS_DATA` if set, otherwise `<project>/data/store`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import * as aq from 'arquero';
import { canonicalJson, hashConfig } from '../util/hash';
import { InvalidOptionError } from '../util/errors';

/** Bumped when the on-disk format of any stage changes; part of every key. */
export const STORE_FORMAT_VERSION = 1;

/** Raised when a stored entry fails its checksum or cannot be parsed. */
export class CorruptStoreEntryError extends Error {
  constructor(readonly entryDir: string, detail: string) {
    super(`corrupt store entry ${entryDir}: ${detail}. Delete that folder (or pass force: true) to recompute it.`);
    this.name = 'CorruptStoreEntryError';
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
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
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
      throw new InvalidOptionError('store.files', `invalid file name ${JSON.stringify(name)} (letters, digits, . _ - only; config.json and complete.json are reserved)`);
    }
  }
  if (!options.force && isComplete(finalDir)) return finalDir;
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  const tmpDir = path.join(parent, `.tmp-${path.basename(finalDir)}-${process.pid}-${randomBytes(4).toString('hex')}`);
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
    const aside = path.join(parent, `.tmp-old-${path.basename(finalDir)}-${randomBytes(4).toString('hex')}`);
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
  const bytes = (name: string): Uint8Array => {
    const cached = cache.get(name);
    if (cached) return cached;
    const expected = marker.files[name];
    if (!expected) throw new InvalidOptionError('store.file', `entry ${dir} has no file ${JSON.stringify(name)}; it has: ${Object.keys(marker.files).join(', ')}`);
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(dir, name));
    } catch {
      throw new CorruptStoreEntryError(dir, `file ${name} is missing`);
    }
    if (content.byteLength !== expected.bytes) throw new CorruptStoreEntryError(dir, `file ${name} has ${content.byteLength} bytes, expected ${expected.bytes}`);
    if (createHash('sha256').update(content).digest('hex') !== expected.sha256) throw new CorruptStoreEntryError(dir, `file ${name} fails its SHA-256 checksum`);
    const view = new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
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
  };
}

/**
 * The cache in one call: returns the stored entry for (stage, config) if complete, else runs
 * `compute`, writes its files atomically and returns the new entry. `hit` says which happened.
 */
export async function cached(
  stage: string,
  config: unknown,
  compute: () => EntryFiles | Promise<EntryFiles>,
  options: { force?: boolean; root?: string } = {},
): Promise<{ entry: StoredEntry; hit: boolean }> {
  if (!options.force) {
    const existing = readEntry(stage, config, options);
    if (existing) return { entry: existing, hit: true };
  }
  const files = await compute();
  writeEntry(stage, config, files, { force: true, root: options.root });
  const entry = readEntry(stage, config, options);
  if (!entry) throw new Error(`store: entry for stage ${stage} vanished right after being written`);
  return { entry, hit: false };
}

/** Removes `.tmp-*` folders and files left by killed writers under the store root. */
export function cleanTemporary(root = storeRoot()): number {
  if (!fs.existsSync(root)) return 0;
  let removed = 0;
  for (const stage of fs.readdirSync(root)) {
    const stageDir = path.join(root, stage);
    if (!fs.statSync(stageDir).isDirectory()) continue;
    for (const name of fs.readdirSync(stageDir)) {
      if (name.startsWith('.tmp-')) {
        fs.rmSync(path.join(stageDir, name), { recursive: true, force: true });
        removed++;
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
