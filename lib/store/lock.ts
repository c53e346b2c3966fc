/**
 * Locks for concurrent writers: several notebooks, CLI runs or cluster array tasks computing
 * into one store (also a store on a file system shared by several machines).
 *
 * A lock is a small JSON file holding its owner ({@link LockOwner}: pid, host, boot id, process
 * start time, when acquired, a random token). Its modification time is the owner's heartbeat.
 *
 * {@link acquireLock}, step by step:
 * 1. Write the owner record to a temporary file beside the lock and hard-link it to the lock's
 *    path: link(2) fails with EEXIST if the lock exists, atomically (also over NFS), and the
 *    lock is never seen half-written. Remove the temporary file. Done if the link succeeded.
 *    (On a file system without hard links, create the lock with O_CREAT | O_EXCL instead.)
 * 2. Otherwise read the existing lock and judge it ({@link inspectLock}). It is stale when its
 *    owner is known dead (same host and the pid is gone, the machine rebooted, or the pid now
 *    belongs to a newer process), or when its heartbeat is older than `staleAfterSeconds` (the
 *    only test possible for an owner on another host), or when it is unreadable and older than
 *    a few seconds.
 * 3. A stale lock is broken under a guard: create `<lock>.break` (mkdir, atomic), read the lock
 *    again and remove it only if it still holds the same token, remove the guard; back to 1.
 *    The guard makes two processes breaking the same stale lock safe: neither can remove a lock
 *    the other has just acquired.
 * 4. A live lock: report it once (`onWait`), wait (polling every `pollMs`, doubling up to 2 s)
 *    and go back to 1; after `waitSeconds` raise {@link LockBusyError} naming the owner.
 *
 * The holder refreshes its heartbeat on a timer and on {@link HeldLock.refresh} (for code that
 * keeps the event loop busy, such as a training loop), and releases the lock when done; a lock
 * whose file no longer holds the holder's token is left alone on release.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { isKnownDead, selfIdentity, temporaryName, ProcessIdentity } from './owner';

/** What a lock file holds. */
export interface LockOwner extends ProcessIdentity {
  /** ISO time the lock was acquired. */
  acquiredAt: string;
  /** Random token telling this acquisition from any other. */
  token: string;
  /** What the owner is doing, for messages (e.g. "train 1a2b…"). */
  purpose: string;
}

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** Give up (LockBusyError) after waiting this many seconds for a live owner; 0 = do not wait [Infinity]. */
  waitSeconds?: number;
  /**
   * A lock whose heartbeat is older than this many seconds is stale, whoever owns it: the only
   * test for an owner on another machine (the holder beats every heartbeatSeconds) [600].
   */
  staleAfterSeconds?: number;
  /** The holder refreshes its heartbeat every this many seconds [30]. */
  heartbeatSeconds?: number;
  /** First polling interval while waiting, in ms (doubles up to 2000) [100]. */
  pollMs?: number;
  /** What the holder is doing, stored in the lock for messages [''] */
  purpose?: string;
  /** Called once when the lock is found held by a live owner and waiting starts [none]. */
  onWait?: (owner: LockOwner | null, file: string) => void;
  /** Called when a stale lock is broken, with the reason [none]. */
  onStale?: (owner: LockOwner | null, reason: string, file: string) => void;
}

const KNOWN = ['waitSeconds', 'staleAfterSeconds', 'heartbeatSeconds', 'pollMs', 'purpose', 'onWait', 'onStale'];

/** A held lock. */
export interface HeldLock {
  file: string;
  owner: LockOwner;
  /** Refreshes the heartbeat (at most once per heartbeatSeconds; cheap to call often). */
  refresh(): void;
  /** Releases the lock (idempotent). */
  release(): void;
}

/** What {@link inspectLock} finds. */
export interface LockStatus {
  /** 'free': no lock; 'held': a live owner (or one that cannot be judged yet); 'stale': may be broken. */
  state: 'free' | 'held' | 'stale';
  /** The owner record (null when free or unreadable). */
  owner: LockOwner | null;
  /** Seconds since the last heartbeat (null when free). */
  heartbeatAgeSeconds: number | null;
  /** Why the lock is stale or held, in words. */
  reason: string;
}

/** Raised when a lock stays held by a live owner for longer than `waitSeconds`. */
export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly owner: LockOwner | null,
    waitedSeconds: number,
  ) {
    super(`${file} is held by ${describeOwner(owner)}; gave up after waiting ${waitedSeconds.toFixed(1)} s`);
    this.name = 'LockBusyError';
  }
}

/** "pid 123 on host h since 2026-…, doing …" */
export function describeOwner(owner: LockOwner | null): string {
  if (!owner) return 'an unknown owner (unreadable lock file)';
  return `pid ${owner.pid} on host ${owner.hostname} since ${owner.acquiredAt}${owner.purpose ? ` (${owner.purpose})` : ''}`;
}

/** Unreadable lock files younger than this are assumed to be someone's, in seconds. */
const UNREADABLE_GRACE_SECONDS = 10;
/** A break guard older than this was left by a killed breaker (breaking takes milliseconds). */
const GUARD_STALE_SECONDS = 30;

interface ResolvedLockOptions {
  waitSeconds: number;
  staleAfterSeconds: number;
  heartbeatSeconds: number;
  pollMs: number;
  purpose: string;
  onWait?: LockOptions['onWait'];
  onStale?: LockOptions['onStale'];
}

function resolveLockOptions(options: LockOptions): ResolvedLockOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('lock.options', 'must be an object');
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new InvalidOptionError(`lock.${key}`, `unknown option; allowed: ${KNOWN.join(', ')}`);
  const seconds = (field: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || Number.isNaN(v) || v < min)
      throw new InvalidOptionError(`lock.${field}`, `must be a number ≥ ${min} (Infinity allowed), got ${String(v)}`);
    return v;
  };
  const heartbeatSeconds = seconds('heartbeatSeconds', options.heartbeatSeconds, 30, 0.001);
  const staleAfterSeconds = seconds('staleAfterSeconds', options.staleAfterSeconds, 600, 0.001);
  if (staleAfterSeconds <= heartbeatSeconds)
    throw new InvalidOptionError('lock.staleAfterSeconds', `must exceed heartbeatSeconds (${heartbeatSeconds}), got ${staleAfterSeconds}`);
  const purpose = options.purpose ?? '';
  if (typeof purpose !== 'string') throw new InvalidOptionError('lock.purpose', 'must be a string');
  return {
    waitSeconds: seconds('waitSeconds', options.waitSeconds, Infinity, 0),
    staleAfterSeconds,
    heartbeatSeconds,
    pollMs: checkInteger('lock.pollMs', options.pollMs ?? 100, 1, 60_000),
    purpose,
    onWait: options.onWait,
    onStale: options.onStale,
  };
}

function readOwner(file: string): { owner: LockOwner | null; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (!owner || typeof owner.token !== 'string' || typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return { owner: null, mtimeMs };
    return { owner, mtimeMs };
  } catch {
    return { owner: null, mtimeMs };
  }
}

/**
 * The state of a lock file: free, held by a live owner, or stale (see the module comment).
 * @param options.staleAfterSeconds heartbeat age beyond which any lock is stale [600]
 */
export function inspectLock(file: string, options: Pick<LockOptions, 'staleAfterSeconds'> = {}): LockStatus {
  const staleAfterSeconds = resolveLockOptions({ staleAfterSeconds: options.staleAfterSeconds }).staleAfterSeconds;
  const found = readOwner(file);
  if (!found) return { state: 'free', owner: null, heartbeatAgeSeconds: null, reason: 'no lock file' };
  const { owner, mtimeMs } = found;
  const age = Math.max(0, (Date.now() - mtimeMs) / 1000);
  if (!owner) {
    return age > UNREADABLE_GRACE_SECONDS
      ? { state: 'stale', owner, heartbeatAgeSeconds: age, reason: 'the lock file is unreadable' }
      : { state: 'held', owner, heartbeatAgeSeconds: age, reason: 'the lock file is unreadable but recent' };
  }
  if (isKnownDead(owner)) return { state: 'stale', owner, heartbeatAgeSeconds: age, reason: `its owner, pid ${owner.pid} on this host, is no longer running` };
  if (age > staleAfterSeconds)
    return { state: 'stale', owner, heartbeatAgeSeconds: age, reason: `no heartbeat for ${age.toFixed(0)} s (limit ${staleAfterSeconds} s)` };
  return { state: 'held', owner, heartbeatAgeSeconds: age, reason: `held by ${describeOwner(owner)}` };
}

/**
 * Removes `file` if it still holds `token` (null: an unreadable file), under the break guard.
 * @returns false when another process holds the guard (it is breaking the same lock)
 */
function breakStale(file: string, token: string | null): boolean {
  const guard = `${file}.break`;
  try {
    fs.mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A guard left by a killed breaker is removed after a while.
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > GUARD_STALE_SECONDS * 1000) fs.rmdirSync(guard);
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  try {
    const again = readOwner(file);
    if (again && (again.owner?.token ?? null) === token) fs.rmSync(file, { force: true });
  } finally {
    fs.rmdirSync(guard);
  }
  return true;
}

/**
 * One attempt (steps 1–3): the held lock, or the status of the lock that is in the way
 * ('stale' only when it was just broken, so that trying again at once makes sense).
 */
function attempt(file: string, options: ResolvedLockOptions): HeldLock | LockStatus {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const owner: LockOwner = { ...selfIdentity(), acquiredAt: new Date().toISOString(), token: randomBytes(12).toString('hex'), purpose: options.purpose };
  const tmp = path.join(path.dirname(file), temporaryName(path.basename(file)));
  fs.writeFileSync(tmp, JSON.stringify(owner) + '\n');
  try {
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
      fs.writeFileSync(file, JSON.stringify(owner) + '\n', { flag: 'wx' });
    }
    return holdLock(file, owner, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const status = inspectLock(file, options);
  if (status.state === 'stale') {
    if (breakStale(file, status.owner?.token ?? null)) options.onStale?.(status.owner, status.reason, file);
    else return { ...status, state: 'held', reason: `${status.reason}; another process is breaking it` };
  }
  return status;
}

function holdLock(file: string, owner: LockOwner, options: ResolvedLockOptions): HeldLock {
  let released = false;
  let lastBeat = Date.now();
  const beat = (): void => {
    if (released) return;
    lastBeat = Date.now();
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      /* lock removed under us: release() will notice */
    }
  };
  const timer = Number.isFinite(options.heartbeatSeconds) ? setInterval(beat, options.heartbeatSeconds * 1000) : null;
  timer?.unref();
  return {
    file,
    owner,
    refresh: () => {
      if (Date.now() - lastBeat >= options.heartbeatSeconds * 1000) beat();
    },
    release: () => {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      const current = readOwner(file);
      if (current?.owner?.token === owner.token) fs.rmSync(file, { force: true });
    },
  };
}

/**
 * Takes the lock `file` without waiting: the held lock, or null when a live owner holds it
 * (a stale lock is broken first, see the module comment).
 */
export function tryAcquireLock(file: string, options: LockOptions = {}): HeldLock | null {
  const resolved = resolveLockOptions(options);
  for (let tries = 0; tries < 5; tries++) {
    const result = attempt(file, resolved);
    if ('release' in result) return result;
    if (result.state === 'held') return null;
  }
  return null;
}

/**
 * Takes the lock `file`, waiting while a live owner holds it (algorithm in the module comment).
 * @throws LockBusyError after `waitSeconds` of waiting
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const resolved = resolveLockOptions(options);
  const started = Date.now();
  let pollMs = resolved.pollMs;
  let reported = false;
  for (;;) {
    const result = attempt(file, resolved);
    if ('release' in result) return result;
    if (result.state === 'stale') continue;
    const waited = (Date.now() - started) / 1000;
    if (waited >= resolved.waitSeconds) throw new LockBusyError(file, result.owner, waited);
    if (!reported) {
      reported = true;
      resolved.onWait?.(result.owner, file);
    }
    const remainingMs = (resolved.waitSeconds - waited) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pollMs, remainingMs))));
    pollMs = Math.min(2000, pollMs * 2);
  }
}
