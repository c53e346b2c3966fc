/**
 * Who wrote a file: the identity of a process (pid, host, boot, start time), and temporary
 * names that carry it, so that a later process can tell a live writer's scratch files from
 * those of a killed one — also on a file system shared by several machines.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';

/** A process, as recorded in lock files. */
export interface ProcessIdentity {
  pid: number;
  /** `os.hostname()`, reduced to the characters [A-Za-z0-9.-] (at most 63). */
  hostname: string;
  /** Linux boot id (/proc/sys/kernel/random/boot_id); null where unavailable. */
  bootId: string | null;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat); null where unavailable. */
  processStart: number | null;
}

/** This machine's host name as used in lock files and temporary names. */
export function hostTag(): string {
  return (
    os
      .hostname()
      .replace(/[^A-Za-z0-9.-]/g, '_')
      .slice(0, 63) || 'unknown-host'
  );
}

function readBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * Fields 3, 4, … of /proc/<pid>/stat (state, ppid, …, starttime at index 19), or null where
 * unavailable (no such process, not Linux).
 */
export function procStat(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function processStartOf(pid: number): number | null {
  const start = Number(procStat(pid)?.[19]);
  return Number.isFinite(start) ? start : null;
}

let self: ProcessIdentity | null = null;

/** The identity of this process. */
export function selfIdentity(): ProcessIdentity {
  if (!self || self.pid !== process.pid) self = { pid: process.pid, hostname: hostTag(), bootId: readBootId(), processStart: processStartOf(process.pid) };
  return self;
}

/**
 * Whether the process `owner` is known to be gone: it ran on this host and its pid is dead, or
 * the machine was rebooted since (boot id differs), or the pid now belongs to another process
 * (start time differs). False when it lives or when this cannot be told (another host).
 */
export function isKnownDead(owner: Pick<ProcessIdentity, 'pid' | 'hostname'> & Partial<ProcessIdentity>): boolean {
  const me = selfIdentity();
  if (owner.hostname !== me.hostname) return false;
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  if (owner.processStart !== undefined && owner.processStart !== null) {
    const start = processStartOf(owner.pid);
    if (start !== null && start !== owner.processStart) return true;
  }
  return false;
}

/**
 * A fresh temporary name `<prefix>.tmp-<pid>@<host>-<8 hex digits>` owned by this process
 * (prefix '' gives `.tmp-…`); {@link temporaryOwner} reads the owner back.
 */
export function temporaryName(prefix: string): string {
  return `${prefix}.tmp-${process.pid}@${hostTag()}-${randomBytes(4).toString('hex')}`;
}

const TEMPORARY = /\.tmp-(?:.*-)?(\d+)@([A-Za-z0-9._-]+)-[0-9a-f]{8}$/;

/** True for any name made by {@link temporaryName} (or by older versions: contains `.tmp-`). */
export function isTemporaryName(name: string): boolean {
  return name.includes('.tmp-');
}

/** Owner (pid, host) of a name made by {@link temporaryName}; null for other names. */
export function temporaryOwner(name: string): { pid: number; hostname: string } | null {
  const match = TEMPORARY.exec(name);
  return match ? { pid: Number(match[1]), hostname: match[2] } : null;
}
