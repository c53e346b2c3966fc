import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as aq from 'arquero';
import { initBackend } from '../backend/index';
import { readEntry, storeRoot } from '../store/index';
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

/** Progress of a sweep, reported to `onProgress`. */
export interface SweepProgress {
  runsDone: number;
  runsTotal: number;
  /** Fraction of the work done, 0 … 1 (runs weighted by epochs × (N + 2000)). */
  fraction: number;
  elapsedSeconds: number;
  /** Estimated seconds left (null until some work is done). */
  etaSeconds: number | null;
  /** The run that just finished, if this report is about one. */
  finished?: RunRow;
}

/** Options of {@link trainScales}. */
export interface TrainScalesOptions {
  /** Worker threads [os.availableParallelism()]; 0 or 1 = train in this thread. */
  workers?: number;
  root?: string;
  force?: boolean;
  checkpointEvery?: number;
  onProgress?: (progress: SweepProgress) => void;
}

/** A job sent to a worker. */
export interface SweepJob {
  id: number;
  config: TrainConfig;
  root: string;
  force: boolean;
  checkpointEvery?: number;
}

/** What a worker (or the in-thread path) answers per job. */
export type SweepMessage =
  | { type: 'progress'; id: number; epoch: number }
  | { type: 'done'; id: number; row: RunRow };

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
    wallSeconds: 0,
    cacheHit: false,
    error: null,
  };
  try {
    const r = await trainRun(c, { root: job.root, force: job.force, checkpointEvery: job.checkpointEvery, onProgress: (p) => post({ type: 'progress', id: job.id, epoch: p.epoch }) });
    post({ type: 'done', id: job.id, row: { ...base, key: r.key, status: r.summary.status, trainOnset: r.summary.trainOnset, testOnset: r.summary.testOnset, wallSeconds: r.wallSeconds, cacheHit: r.hit } });
  } catch (error) {
    post({ type: 'done', id: job.id, row: { ...base, error: error instanceof Error ? error.message : String(error) } });
  }
}

/**
 * Trains `sweep.base` at every width in `sweep.scales` and every seed, on worker threads
 * (each loads the compiled build/lib/train/trainWorker.js and its own tfjs backend), caching
 * each run in the store. All configs are validated before any training. Results are the same
 * as training each run in this thread (same code, same backend).
 *
 * @returns an arquero table with one row per run, sorted by h then seed: task, h, N, seed, key,
 *   status, trainOnset, testOnset, wallSeconds, cacheHit, error.
 */
export async function trainScales(sweep: SweepConfig, options: TrainScalesOptions = {}): Promise<aq.ColumnTable> {
  if (!sweep || !Array.isArray(sweep.scales) || sweep.scales.length === 0) throw new InvalidOptionError('scales', 'must be a non-empty array of hidden widths (integers ≥ 1)');
  if (!Array.isArray(sweep.seeds) || sweep.seeds.length === 0) throw new InvalidOptionError('seeds', 'must be a non-empty array of integer seeds');
  const jobs: SweepJob[] = [];
  const costs: number[] = [];
  const root = options.root ?? storeRoot();
  for (const h of sweep.scales) {
    for (const seed of sweep.seeds) {
      const config = resolveTrainConfig({ ...sweep.base, model: { ...(sweep.base.model ?? {}), hidden: [h] }, hidden: undefined, seed });
      jobs.push({ id: jobs.length, config, root, force: options.force ?? false, checkpointEvery: options.checkpointEvery });
      costs.push((config.epochs + 1) * (parameterCount({ layerSizes: layerSizesOf(config), bias: config.model.bias }) + 2000));
    }
  }
  const requestedWorkers = checkInteger('workers', options.workers ?? os.availableParallelism(), 0, 1024);
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const started = performance.now();
  const rows: RunRow[] = new Array(jobs.length);
  const epochsDone = new Float64Array(jobs.length);
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
    options.onProgress({ runsDone, runsTotal: jobs.length, fraction, elapsedSeconds, etaSeconds, finished });
  };
  const onMessage = (message: SweepMessage): void => {
    if (message.type === 'progress') {
      epochsDone[message.id] = message.epoch;
      report();
    } else {
      rows[message.id] = message.row;
      epochsDone[message.id] = jobs[message.id].config.epochs;
      runsDone++;
      report(message.row);
    }
  };
  // Runs already in the store are answered here (no worker start-up for them).
  const backend = (await initBackend()).name;
  const pending: number[] = [];
  for (const job of jobs) {
    const entry = job.force ? null : readEntry(TRAIN_STAGE, { ...job.config, backend }, { root });
    if (!entry) {
      pending.push(job.id);
      continue;
    }
    const summary = readRunSummary(entry);
    const c = job.config;
    onMessage({
      type: 'done',
      id: job.id,
      row: { task: c.task.name, h: c.model.hidden[0], N: summary.parameterCount, seed: c.seed, key: entry.key, status: summary.status, trainOnset: summary.trainOnset, testOnset: summary.testOnset, wallSeconds: 0, cacheHit: true, error: null },
    });
  }
  // Largest runs first balances the workers' load.
  const order = pending.sort((a, b) => costs[b] - costs[a] || a - b);
  const workerCount = Math.min(requestedWorkers, order.length);
  if (workerCount <= 1) {
    for (const i of order) await runSweepJob(jobs[i], onMessage);
  } else {
    await runInWorkers(order.map((i) => jobs[i]), workerCount, onMessage);
  }
  return aq.from(rows);
}

function workerScript(): string {
  const file = path.join(__dirname, 'trainWorker.js');
  if (!fs.existsSync(file)) throw new InvalidOptionError('trainScales.workers', `worker threads need the compiled library (${file} not found); run \`npx tsc -p .\` or pass workers: 1`);
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
              if (message.type === 'done') send();
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
