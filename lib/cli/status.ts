/**
 * `grokking-fss status`: where every run of a sweep stands in a (shared) store — the gather step
 * after a cluster job array and before the notebooks.
 */
import * as path from 'node:path';
import { initBackend } from '../backend/index';
import { CorruptStoreEntryError, entryKey, entryLockStatus, readEntryByKey, storeRoot } from '../store/index';
import { readCheckpoint } from '../train/checkpoint';
import { layerSizesOf } from '../train/config';
import { parameterCount } from '../train/layout';
import { readRunSummary, TRAIN_STAGE } from '../train/runFiles';
import { checkpointDir } from '../train/trainRun';
import { SweepConfig, sweepRuns } from '../train/trainScales';

/** Where a run stands; see {@link sweepStatus}. */
export type RunState = 'complete' | 'failed' | 'running' | 'stale' | 'corrupt' | 'missing';

/** Every state, in the order the summary line lists them. */
export const RUN_STATES: readonly RunState[] = ['complete', 'failed', 'running', 'stale', 'corrupt', 'missing'];

/** One run's status row. */
export interface RunStatusRow {
  /** Label of the run's sweep (the task, or e.g. "modular-addition/full-budget"). */
  sweep: string;
  h: number;
  N: number;
  seed: number;
  key: string;
  state: RunState;
  /**
   * Epochs done: the last epoch of a stored run, else the epoch its latest checkpoint resumes
   * from (null: no checkpoint yet).
   */
  epoch: number | null;
  /** The run's epoch budget. */
  epochs: number;
  /** Who trains it, why the lock is stale, the failure, or the damage (null when nothing to say). */
  detail: string | null;
}

/**
 * The status of every run of the sweeps in the store at `root`, in {@link sweepRuns} order:
 * 1. A complete entry's summary is read (its SHA-256 checked; with `verify`, every file's):
 *    'complete', or 'failed' when the run was stored as failed (NaN/Inf; detail: epoch and
 *    reason), or 'corrupt' when a check fails (detail: the damage; `train … --recompute KEY`
 *    retrains it).
 * 2. Otherwise the entry's lock decides (lib/store/lock.ts): 'running' while a live process holds
 *    it (detail: pid, host, seconds since its heartbeat), 'stale' when its holder died (on this
 *    host: the pid is gone; elsewhere: no heartbeat for `staleAfterSeconds`) — the next `train`
 *    or resubmission breaks the lock and resumes the run from its checkpoint — and 'missing'
 *    when nobody holds it.
 * 3. For runs not stored, `epoch` is read from the run's checkpoint, if any.
 * Keys include the active backend's name (GROKFSS_BACKEND), as when training.
 * @param options.root store root [storeRoot()]
 * @param options.staleAfterSeconds heartbeat age beyond which a lock of another host is stale [600]
 * @param options.verify check every file of every stored run, not only its summary (reads all
 *   the snapshots: slow for paper-size sweeps) [false]
 */
export async function sweepStatus(
  sweeps: Array<{ label: string; sweep: SweepConfig }>,
  options: { root?: string; staleAfterSeconds?: number; verify?: boolean } = {},
): Promise<RunStatusRow[]> {
  const root = options.root ?? storeRoot();
  const runs = sweepRuns(sweeps.map((s) => s.sweep));
  const backend = (await initBackend()).name;
  return runs.map((run) => {
    const c = run.config;
    const key = entryKey(TRAIN_STAGE, { ...c, backend });
    const row: RunStatusRow = {
      sweep: sweeps[run.sweep].label,
      h: c.model.hidden[0],
      N: parameterCount({ layerSizes: layerSizesOf(c), bias: c.model.bias }),
      seed: c.seed,
      key,
      state: 'missing',
      epoch: null,
      epochs: c.epochs,
      detail: null,
    };
    try {
      const entry = readEntryByKey(TRAIN_STAGE, key, { root });
      if (entry) {
        if (options.verify) entry.verify();
        const summary = readRunSummary(entry);
        row.epoch = summary.lastEpoch;
        if (summary.status === 'failed')
          return { ...row, state: 'failed', detail: summary.failure ? `epoch ${summary.failure.epoch}: ${summary.failure.reason}` : 'stored as failed' };
        return { ...row, state: 'complete' };
      }
    } catch (error) {
      if (!(error instanceof CorruptStoreEntryError)) throw error;
      return {
        ...row,
        state: 'corrupt',
        detail: `${error.message.replace(/\.? Recompute this entry alone:.*$/, '')}; retrain it with \`grokking-fss train … --recompute ${key}\``,
      };
    }
    try {
      row.epoch = readCheckpoint(path.join(checkpointDir(key, root), 'state.bin'))?.header.nextEpoch ?? null;
    } catch {
      row.epoch = null; // a damaged checkpoint is reported (and discarded) by the trainer
    }
    const lock = entryLockStatus(TRAIN_STAGE, key, { root, staleAfterSeconds: options.staleAfterSeconds });
    const heartbeat = lock.heartbeatAgeSeconds === null ? '' : `, last heartbeat ${lock.heartbeatAgeSeconds.toFixed(0)} s ago`;
    if (lock.state === 'held')
      return { ...row, state: 'running', detail: lock.owner ? `pid ${lock.owner.pid} on ${lock.owner.hostname}${heartbeat}` : `${lock.reason}${heartbeat}` };
    if (lock.state === 'stale') return { ...row, state: 'stale', detail: `${lock.reason}; the next train or submission resumes it` };
    return row;
  });
}

/** "4 runs: 3 complete, 1 running" (states with no run left out). */
export function statusSummary(rows: RunStatusRow[]): string {
  const counts = RUN_STATES.map((state) => [state, rows.filter((r) => r.state === state).length] as const).filter(([, n]) => n > 0);
  return `${rows.length} runs: ${counts.map(([state, n]) => `${n} ${state}`).join(', ') || 'none'}`;
}

/** True when nothing is left to train: every run is complete or stored as failed. */
export function sweepDone(rows: RunStatusRow[]): boolean {
  return rows.every((r) => r.state === 'complete' || r.state === 'failed');
}
