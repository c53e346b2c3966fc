import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as aq from 'arquero';
import { initBackend } from '../backend/index';
import { cleanTemporary, CorruptStoreEntryError, entryKey, LockBusyError, readEntry, storeRoot } from '../store/index';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { layerSizesOf, resolveTrainConfig, TrainConfig, TrainConfigInput } from './config';
import { parameterCount } from './layout';
import { readRunSummary, RunRow, TRAIN_STAGE } from './runFiles';
import { trainRun } from './trainRun';

/** A sweep: one base config trained at every hidden width × seed (a TrainingPlan fits). */
export interface SweepConfig {
  base: TrainConfigInput;
  /** Hidden widths h (one hidden layer) [the paper's eight, 20 … 500]. */
  scales: number[];
  seeds: number[];
}

/** A run being trained right now, as reported in {@link SweepProgress}. */
export interface RunningRun {
  task: string;
  h: number;
  seed: number;
  /** Epochs done so far, and the budget. */
  epoch: number;
  epochs: number;
}

/** Progress of a sweep, reported to `onProgress`. */
export interface SweepProgress {
  runsDone: number;
  runsTotal: number;
  /** The runs in training at this moment (at most one per worker). */
  running?: RunningRun[];
  /** Fraction of the work done, 0 … 1 (runs weighted by epochs × (N + 2000)). */
  fraction: number;
  elapsedSeconds: number;
  /** Estimated seconds left (null until some work is done). */
  etaSeconds: number | null;
  /** The run that just finished, if this report is about one. */
  finished?: RunRow;
}

/** Largest allowed number of worker threads. */
export const MAX_WORKERS = 1024;

/** Options of {@link trainScales}. */
export interface TrainScalesOptions {
  /** Worker threads, 0 … MAX_WORKERS [os.availableParallelism()]; 0 or 1 = train in this thread. */
  workers?: number;
  root?: string;
  /** Retrain every run even if the store has it [false]. */
  force?: boolean;
  /** Store keys of runs to retrain (e.g. one reported as corrupt); each must be a run of this sweep [none]. */
  recompute?: string[];
  checkpointEvery?: number;
  onProgress?: (progress: SweepProgress) => void;
  /**
   * Train only the share of one task of a job array of `size` tasks ({@link arrayShare}): the
   * returned tables hold only its runs. Tasks 0 … size − 1 together train every run once [the whole sweep].
   */
  arrayTask?: ArrayTask;
}

/** One task of a job array (e.g. a Slurm array task): its index 0 … size − 1 and the array's size. */
export interface ArrayTask {
  /** This task's index, 0 … size − 1 (Slurm: SLURM_ARRAY_TASK_ID of an array 0-(size−1)). */
  index: number;
  /** Number of tasks in the array, 1 … MAX_ARRAY_SIZE. */
  size: number;
}

/** Largest job array {@link arrayShare} accepts (Slurm's own default limit, MaxArraySize, is 1001). */
export const MAX_ARRAY_SIZE = 1_000_000;

/** A job sent to a worker. */
export interface SweepJob {
  id: number;
  config: TrainConfig;
  root: string;
  force: boolean;
  checkpointEvery?: number;
  /** How long to wait for another process training the same run (0: answer 'busy' at once) [Infinity]. */
  lockWaitSeconds?: number;
}

/** What a worker (or the in-thread path) answers per job. */
export type SweepMessage =
  | { type: 'progress'; id: number; epoch: number }
  | { type: 'done'; id: number; row: RunRow }
  /** Another process is training this run: try it again later (then waiting for it). */
  | { type: 'busy'; id: number };

/** Runs one job: trains (or loads) the run and reports progress; exceptions become an 'error' row. */
export async function runSweepJob(job: SweepJob, post: (message: SweepMessage) => void): Promise<void> {
  const c = job.config;
  const base: RunRow = {
    task: c.task.name,
    h: c.model.hidden[0],
    N: parameterCount({ layerSizes: layerSizesOf(c), bias: c.model.bias }),
    seed: c.seed,
    key: '',
    status: 'error',
    trainOnset: null,
    testOnset: null,
    lastEpoch: null,
    wallSeconds: 0,
    cacheHit: false,
    error: null,
  };
  try {
    const r = await trainRun(c, {
      root: job.root,
      force: job.force,
      checkpointEvery: job.checkpointEvery,
      lockWaitSeconds: job.lockWaitSeconds,
      onProgress: (p) => post({ type: 'progress', id: job.id, epoch: p.epoch }),
    });
    post({
      type: 'done',
      id: job.id,
      row: {
        ...base,
        key: r.key,
        status: r.summary.status,
        trainOnset: r.summary.trainOnset,
        testOnset: r.summary.testOnset,
        lastEpoch: r.summary.lastEpoch,
        wallSeconds: r.wallSeconds,
        cacheHit: r.hit,
      },
    });
  } catch (error) {
    if (error instanceof LockBusyError) return post({ type: 'busy', id: job.id });
    post({ type: 'done', id: job.id, row: { ...base, error: error instanceof Error ? error.message : String(error) } });
  }
}

/**
 * Trains `sweep.base` at every width in `sweep.scales` and every seed, on worker threads
 * (each loads the compiled build/lib/train/trainWorker.js and its own tfjs backend), caching
 * each run in the store. All configs are validated before any training. Results are the same
 * as training each run in this thread (same code, same backend).
 *
 * Several processes may run sweeps into one store at once (two notebooks, a notebook and the
 * CLI, array tasks of a cluster job): a run another process is training is put back at the end
 * of the queue, and when its turn comes again this sweep waits for it and loads its result. So
 * concurrent sweeps share the work, and each returns the complete table.
 *
 * @returns an arquero table with one row per run, sorted by h then seed: task, h, N, seed, key,
 *   status, trainOnset, testOnset, wallSeconds, cacheHit, error.
 */
export async function trainScales(sweep: SweepConfig, options: TrainScalesOptions = {}): Promise<aq.ColumnTable> {
  return (await trainSweeps([sweep], options))[0];
}

/**
 * Trains several sweeps in one pool of workers (largest runs first across all of them, so
 * that the workers stay busy to the end), with one progress report for the whole lot.
 * `options.recompute` keys may belong to any of the sweeps. With `options.arrayTask`, only that
 * task's share of the runs ({@link arrayShare} over {@link sweepRuns}) is trained or loaded.
 * @returns one runs table per sweep, in the order given (see {@link trainScales}); with
 *   `arrayTask`, each holds only the share's runs of that sweep (possibly none).
 */
export async function trainSweeps(sweeps: SweepConfig[], options: TrainScalesOptions = {}): Promise<aq.ColumnTable[]> {
  const jobs: SweepJob[] = [];
  const sweepOf: number[] = [];
  const costs: number[] = [];
  const root = options.root ?? storeRoot();
  const runs = sweepRuns(sweeps);
  const share =
    options.arrayTask === undefined
      ? null
      : new Set(
          arrayShare(
            runs.map((r) => r.cost),
            options.arrayTask,
          ),
        );
  runs.forEach((run, position) => {
    if (share && !share.has(position)) return;
    jobs.push({ id: jobs.length, config: run.config, root, force: options.force ?? false, checkpointEvery: options.checkpointEvery, lockWaitSeconds: 0 });
    sweepOf.push(run.sweep);
    costs.push(run.cost);
  });
  const requestedWorkers = checkInteger('workers', options.workers ?? os.availableParallelism(), 0, MAX_WORKERS);
  const recompute = options.recompute ?? [];
  if (!Array.isArray(recompute) || recompute.some((k) => typeof k !== 'string' || !/^[0-9a-f]{16}$/.test(k))) {
    throw new InvalidOptionError('recompute', `must be an array of store keys (16 hex digits), got ${JSON.stringify(recompute)}`);
  }
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const started = performance.now();
  const rows: RunRow[] = new Array(jobs.length);
  const epochsDone = new Float64Array(jobs.length);
  const running = new Set<number>();
  let runsDone = 0;
  let lastReport = 0;
  const report = (finished?: RunRow): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!finished && now - lastReport < 200) return;
    lastReport = now;
    let done = 0;
    jobs.forEach((job, i) => (done += costs[i] * Math.min(1, epochsDone[i] / job.config.epochs)));
    const fraction = totalCost > 0 ? done / totalCost : 1;
    const elapsedSeconds = (now - started) / 1000;
    const etaSeconds = fraction >= 0.01 ? (elapsedSeconds * (1 - fraction)) / fraction : null;
    const runningRuns = [...running].map((i) => ({
      task: jobs[i].config.task.name,
      h: jobs[i].config.model.hidden[0],
      seed: jobs[i].config.seed,
      epoch: epochsDone[i],
      epochs: jobs[i].config.epochs,
    }));
    options.onProgress({ runsDone, runsTotal: jobs.length, running: runningRuns, fraction, elapsedSeconds, etaSeconds, finished });
  };
  const onMessage = (message: SweepMessage): void => {
    if (message.type === 'busy') return;
    if (message.type === 'progress') {
      running.add(message.id);
      epochsDone[message.id] = message.epoch;
      report();
    } else {
      running.delete(message.id);
      rows[message.id] = message.row;
      epochsDone[message.id] = jobs[message.id].config.epochs;
      runsDone++;
      report(message.row);
    }
  };
  // Runs already in the store are answered here (no worker start-up for them).
  const backend = (await initBackend()).name;
  const keys = jobs.map((job) => entryKey(TRAIN_STAGE, { ...job.config, backend }));
  // A key of another array task's share is valid (that task recomputes it), so check against every run.
  const allKeys = share ? runs.map((run) => entryKey(TRAIN_STAGE, { ...run.config, backend })) : keys;
  for (const key of recompute) {
    if (!allKeys.includes(key))
      throw new InvalidOptionError('recompute', `${key} is not a run of this sweep (backend ${backend}); its runs: ${allKeys.join(', ')}`);
  }
  cleanTemporary(root); // what killed writers left (never what a live writer uses)
  const pending: number[] = [];
  for (const job of jobs) {
    const c = job.config;
    if (recompute.includes(keys[job.id])) job.force = true;
    let entry;
    try {
      entry = job.force ? null : readEntry(TRAIN_STAGE, { ...job.config, backend }, { root });
      entry?.verify();
    } catch (error) {
      if (!(error instanceof CorruptStoreEntryError)) throw error;
      const row: RunRow = {
        task: c.task.name,
        h: c.model.hidden[0],
        N: parameterCount({ layerSizes: layerSizesOf(c), bias: c.model.bias }),
        seed: c.seed,
        key: keys[job.id],
        status: 'error',
        trainOnset: null,
        testOnset: null,
        lastEpoch: null,
        wallSeconds: 0,
        cacheHit: false,
        error: error.message,
      };
      onMessage({ type: 'done', id: job.id, row });
      continue;
    }
    if (!entry) {
      pending.push(job.id);
      continue;
    }
    const summary = readRunSummary(entry);
    onMessage({
      type: 'done',
      id: job.id,
      row: {
        task: c.task.name,
        h: c.model.hidden[0],
        N: summary.parameterCount,
        seed: c.seed,
        key: entry.key,
        status: summary.status,
        trainOnset: summary.trainOnset,
        testOnset: summary.testOnset,
        lastEpoch: summary.lastEpoch,
        wallSeconds: 0,
        cacheHit: true,
        error: null,
      },
    });
  }
  // Largest runs first balances the workers' load.
  const order = pending.sort((a, b) => costs[b] - costs[a] || a - b);
  const workerCount = Math.min(requestedWorkers, order.length);
  if (workerCount <= 1) {
    // First pass: skip runs another process is training; second pass: wait for those.
    const busy: number[] = [];
    for (const i of order) await runSweepJob(jobs[i], (m) => (m.type === 'busy' ? busy.push(i) : onMessage(m)));
    for (const i of busy) await runSweepJob({ ...jobs[i], lockWaitSeconds: undefined }, onMessage);
  } else {
    await runInWorkers(
      order.map((i) => jobs[i]),
      workerCount,
      onMessage,
    );
  }
  return sweeps.map((_, index) => aq.from(rows.filter((_, i) => sweepOf[i] === index)));
}

/**
 * The resolved config of every run of a sweep (h-major, then seed), validated: throws an
 * InvalidOptionError naming the field before any work.
 */
export function sweepConfigs(sweep: SweepConfig): TrainConfig[] {
  if (!sweep || !Array.isArray(sweep.scales) || sweep.scales.length === 0)
    throw new InvalidOptionError('scales', 'must be a non-empty array of hidden widths (integers ≥ 1)');
  if (!Array.isArray(sweep.seeds) || sweep.seeds.length === 0) throw new InvalidOptionError('seeds', 'must be a non-empty array of integer seeds');
  return sweep.scales.flatMap((h) =>
    sweep.seeds.map((seed) => resolveTrainConfig({ ...sweep.base, model: { ...(sweep.base.model ?? {}), hidden: [h] }, hidden: undefined, seed })),
  );
}

/** One run of a list of sweeps: which sweep, its resolved config and its {@link runCost}. */
export interface SweepRun {
  /** Position of the run's sweep in the list. */
  sweep: number;
  config: TrainConfig;
  cost: number;
}

/**
 * Every run of the sweeps, sweep after sweep (each in {@link sweepConfigs} order: h-major, then
 * seed), validated: the run list that {@link trainSweeps} trains and {@link arrayShare} splits.
 */
export function sweepRuns(sweeps: SweepConfig[]): SweepRun[] {
  if (!Array.isArray(sweeps) || sweeps.length === 0) throw new InvalidOptionError('sweeps', 'must be a non-empty array of { base, scales, seeds }');
  return sweeps.flatMap((sweep, index) => sweepConfigs(sweep).map((config) => ({ sweep: index, config, cost: runCost(config) })));
}

/**
 * Relative cost of training a run, for ordering and load balancing (not a time):
 * (epochs + 1) × (N + 2000), with N the parameter count; the 2000 stands for the per-epoch work
 * that does not grow with N (data, metrics, bookkeeping).
 */
export function runCost(config: TrainConfig): number {
  return (config.epochs + 1) * (parameterCount({ layerSizes: layerSizesOf(config), bias: config.model.bias }) + 2000);
}

/**
 * The runs of task `task.index` of a job array of `task.size` tasks, as positions in the run
 * list whose costs are given (largest first). Deterministic, from the costs alone:
 * 1. Sort the positions by cost, largest first (equal costs: list order).
 * 2. Deal them round-robin: task i gets sorted positions i, i + size, i + 2·size, …
 * So the shares are disjoint and together hold every run; each task gets ⌈R / size⌉ or
 * ⌊R / size⌋ of the R runs (none when size > R), and the largest runs start first, one per task.
 * @throws InvalidOptionError naming arrayTask.index or arrayTask.size
 */
export function arrayShare(costs: number[], task: ArrayTask): number[] {
  if (task === null || typeof task !== 'object') throw new InvalidOptionError('arrayTask', 'must be an object { index, size }');
  const size = checkInteger('arrayTask.size', task.size, 1, MAX_ARRAY_SIZE);
  const index = checkInteger('arrayTask.index', task.index, 0);
  if (index >= size) throw new InvalidOptionError('arrayTask.index', `must be below the array size ${size} (tasks are numbered 0 … ${size - 1}), got ${index}`);
  const order = costs.map((_, i) => i).sort((a, b) => costs[b] - costs[a] || a - b);
  return order.filter((_, rank) => rank % size === index);
}

function workerScript(): string {
  const file = path.join(__dirname, 'trainWorker.js');
  if (!fs.existsSync(file))
    throw new InvalidOptionError(
      'trainScales.workers',
      `worker threads need the compiled library (${file} not found); run \`npx tsc -p .\` or pass workers: 1`,
    );
  return file;
}

async function runInWorkers(queue: SweepJob[], count: number, onMessage: (message: SweepMessage) => void): Promise<void> {
  const script = workerScript();
  let next = 0;
  const workers = Array.from({ length: count }, () => new Worker(script));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= queue.length) return resolve();
              worker.postMessage(queue[next++]);
            };
            worker.on('message', (message: SweepMessage) => {
              onMessage(message);
              if (message.type === 'busy') {
                // Another process trains this run: come back to it last, then wait for it.
                const job = queue.find((j) => j.id === message.id)!;
                queue.push({ ...job, lockWaitSeconds: undefined });
              }
              if (message.type !== 'progress') send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (next < queue.length || code !== 0) reject(new Error(`training worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
