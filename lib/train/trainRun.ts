import * as fs from 'node:fs';
import * as path from 'node:path';
import * as aq from 'arquero';
import { initBackend } from '../backend/index';
import { makeTask } from '../tasks/makeTask';
import { cached, entryKey, entryScratchDir, readEntry, StoredEntry, storeRoot, tableToArrow } from '../store/index';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';
import { loadCheckpoint, readSnapshotFile, writeCheckpoint, writeSnapshotFile } from './checkpoint';
import { layerSizesOf, resolveTrainConfig, TrainConfig, TrainConfigInput } from './config';
import { initParameters } from './init';
import { layoutTable, parameterCount, parameterLayout } from './layout';
import { allFinite, giniOfMagnitudes, l2Norm } from './metrics';
import { lossAndAccuracy, Mlp } from './mlp';
import { onsetEpoch } from './onset';
import { makeOptimizer } from './optimizers';
import { metricEpochs, snapshotEpochs } from './schedule';
import { METRIC_COLUMNS, RUN_FILES, RunSummary, TRAIN_STAGE } from './runFiles';

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** Store root [storeRoot()]. */
  root?: string;
  /** Recompute even if a complete entry exists (old checkpoints are discarded) [false]. */
  force?: boolean;
  /** Checkpoint every this many epochs [ceil(epochs / 20)]. Does not change results. */
  checkpointEvery?: number;
  /** Called with the epoch just finished (at most every ~100 ms, and at the end). */
  onProgress?: (progress: { epoch: number; epochs: number }) => void;
  /**
   * While another process trains the same run (same store, same key), wait at most this many
   * seconds for it, then load its result; past that, LockBusyError [Infinity: wait as long as it lives].
   */
  lockWaitSeconds?: number;
}

/** A run found in or written to the store. */
export interface TrainRunResult {
  key: string;
  dir: string;
  /** True when the run was loaded from the store rather than trained. */
  hit: boolean;
  config: TrainConfig;
  summary: RunSummary;
  entry: StoredEntry;
  /** Seconds spent training in this call (0 for a store hit). */
  wallSeconds: number;
}

/** The config as stored (and hashed): the resolved config plus the active backend's name. */
export type StoredTrainConfig = TrainConfig & { backend: string };

/** Folder of a run's checkpoints: `<root>/train-checkpoints/<key>/` (the store's scratch folder of the entry). */
export function checkpointDir(key: string, root = storeRoot()): string {
  return entryScratchDir(TRAIN_STAGE, key, root);
}

/**
 * Trains one run (task, MLP, optimiser, seed, schedule) or loads it from the store.
 *
 * Every epoch e = 0 … epochs is evaluated at the parameters θ_e after e updates: metrics
 * (every `metricsEvery` epochs and at the last), and at snapshot epochs the full-batch
 * gradient of the mean training loss (without the weight-decay term) and θ_e, both in the
 * canonical order of layout.ts. Full batch by default (one update per epoch); with a batch
 * size, each epoch is a pass over the training set in an order drawn from
 * deriveSeed(seed, 'batch', epoch). A NaN/Inf loss or gradient stops the run, which is stored
 * with status 'failed' and the epoch. Checkpoints under `<root>/train-checkpoints/<key>/`
 * let a killed run continue where it stopped, with byte-identical results; a damaged or
 * incomplete checkpoint is reported on stderr and discarded (the run restarts from scratch).
 * Two processes asking for the same run never train it twice at once: the second waits for
 * the first (the store's per-entry lock) and loads its result.
 *
 * Entry files: metrics.arrow (epoch + METRIC_COLUMNS), snapshots.arrow (long format: epoch,
 * index, gradient, parameter — one row per snapshot and parameter), layout.arrow (index,
 * layer, kind, row, col), summary.json (deterministic) and timing.json (wall time; not
 * deterministic).
 */
export async function trainRun(input: TrainConfigInput | TrainConfig, options: TrainRunOptions = {}): Promise<TrainRunResult> {
  const config = resolveTrainConfig(input as TrainConfigInput);
  const checkpointEvery = checkInteger('checkpointEvery', options.checkpointEvery ?? Math.max(1, Math.ceil(config.epochs / 20)), 1);
  if (options.lockWaitSeconds !== undefined && !(typeof options.lockWaitSeconds === 'number' && options.lockWaitSeconds >= 0)) {
    throw new InvalidOptionError('lockWaitSeconds', `must be a number ≥ 0 (Infinity allowed), got ${String(options.lockWaitSeconds)}`);
  }
  const backend = (await initBackend()).name;
  const stored: StoredTrainConfig = { ...config, backend };
  const root = options.root ?? storeRoot();
  const key = entryKey(TRAIN_STAGE, stored);
  const ckptDir = checkpointDir(key, root);
  const started = performance.now();
  // Checkpoints are read, written and removed only while holding the run's lock.
  const { entry, hit } = await cached(
    TRAIN_STAGE,
    stored,
    (lock) => {
      if (options.force) fs.rmSync(ckptDir, { recursive: true, force: true });
      return runTraining(config, backend, key, ckptDir, checkpointEvery, (progress) => {
        lock.refresh();
        options.onProgress?.(progress);
      });
    },
    {
      force: options.force,
      root,
      lock: options.lockWaitSeconds === undefined ? undefined : { waitSeconds: options.lockWaitSeconds },
      afterWrite: () => fs.rmSync(ckptDir, { recursive: true, force: true }),
    },
  );
  return {
    key,
    dir: entry.dir,
    hit,
    config,
    summary: entry.json<RunSummary>(RUN_FILES.summary),
    entry,
    wallSeconds: hit ? 0 : (performance.now() - started) / 1000,
  };
}

/** The stored entry of a run, or null if it has not been trained (with this backend). */
export async function findRun(input: TrainConfigInput | TrainConfig, options: { root?: string } = {}): Promise<StoredEntry | null> {
  const config = resolveTrainConfig(input as TrainConfigInput);
  const backend = (await initBackend()).name;
  return readEntry(TRAIN_STAGE, { ...config, backend }, options);
}

/** The training loop proper; returns the entry's files. */
function runTraining(
  config: TrainConfig,
  backend: string,
  key: string,
  ckptDir: string,
  checkpointEvery: number,
  onProgress?: (progress: { epoch: number; epochs: number }) => void,
): Record<string, Uint8Array | string> {
  const started = performance.now();
  const data = makeTask(config.task, deriveSeed(config.seed, 'data'));
  const spec = { layerSizes: layerSizesOf(config), bias: config.model.bias };
  const n = parameterCount(spec);
  const outputDim = spec.layerSizes[spec.layerSizes.length - 1];
  const mlp = new Mlp(spec, config.model.activation, config.loss);
  const optimizer = makeOptimizer(config.optimizer, n);
  let theta = initParameters(spec, config.model.initScale, deriveSeed(config.seed, 'init'));
  const snaps = snapshotEpochs(config.snapshots, config.epochs);
  const snapSet = new Set(snaps);
  const metricSet = new Set(metricEpochs(config.metricsEvery, config.epochs));
  const metricNames = ['epoch', ...METRIC_COLUMNS];
  const metrics: Record<string, number[]> = Object.fromEntries(metricNames.map((m) => [m, []]));
  let startEpoch = 0;
  let resumedFrom: number | null = null;

  const ckptFile = path.join(ckptDir, 'state.bin');
  const checkpoint = loadCheckpoint(ckptDir, { key, epochs: config.epochs, parameterCount: n, snapshotEpochs: snaps });
  if (checkpoint) {
    const { header, arrays } = checkpoint;
    startEpoch = header.nextEpoch;
    resumedFrom = startEpoch;
    theta = arrays.theta;
    const buffers: Record<string, Float64Array> = {};
    for (const name of Object.keys(arrays)) if (name.startsWith('opt:')) buffers[name.slice(4)] = arrays[name];
    optimizer.restore({ steps: header.extra.optimizerSteps as number, buffers });
    for (const m of metricNames) metrics[m] = Array.from(arrays[`metric:${m}`]);
  }
  // Early stop: the epoch at which the watched metric's current streak ≥ threshold began.
  const stop = config.earlyStop;
  let streakStart: number | null = null;
  if (stop) for (let i = 0; i < metrics.epoch.length; i++) streakStart = metrics[stop.metric][i] >= stop.threshold ? (streakStart ?? metrics.epoch[i]) : null;
  let earlyStopEpoch: number | null = null;

  const fullBatch = config.batchSize === 0 || config.batchSize >= data.nTrain;
  const train = mlp.upload(data.xTrain, data.yTrain, data.nTrain, data.trainActive);
  const test = data.nTest > 0 ? mlp.upload(data.xTest, data.yTest, data.nTest, data.testActive) : null;
  let failure: { epoch: number; reason: string } | null = null;
  let lastEpoch = startEpoch;
  let lastReport = 0;
  try {
    for (let e = startEpoch; e <= config.epochs; e++) {
      lastEpoch = e;
      const isMetric = metricSet.has(e);
      const isSnap = snapSet.has(e);
      const needGrad = isSnap || (fullBatch && e < config.epochs);
      const evaluation = fullBatch || isMetric || isSnap ? mlp.evaluate(theta, train, needGrad) : null;
      if (evaluation) {
        if (!Number.isFinite(evaluation.loss)) failure = { epoch: e, reason: `training loss is ${evaluation.loss}` };
        else if (evaluation.grad && !allFinite(evaluation.grad)) failure = { epoch: e, reason: 'gradient has NaN or Inf entries' };
      }
      if (isMetric && evaluation) {
        const tr = lossAndAccuracy(config.loss, evaluation.outputs, data.yTrain, data.nTrain, outputDim);
        const te = test
          ? lossAndAccuracy(config.loss, mlp.evaluate(theta, test, false).outputs, data.yTest, data.nTest, outputDim)
          : { loss: NaN, accuracy: NaN };
        const row = [e, tr.loss, tr.accuracy, te.loss, te.accuracy, l2Norm(theta), giniOfMagnitudes(theta)];
        metricNames.forEach((m, i) => metrics[m].push(row[i]));
        if (stop) {
          const value = stop.metric === 'testAccuracy' ? te.accuracy : tr.accuracy;
          streakStart = value >= stop.threshold ? (streakStart ?? e) : null;
          if (streakStart !== null && e < config.epochs && e - streakStart >= Math.max(stop.holdFactor * streakStart, config.metricsEvery)) earlyStopEpoch = e;
        }
      }
      if (isSnap && evaluation && evaluation.grad && !failure) writeSnapshotFile(ckptDir, e, evaluation.grad, theta);
      if (failure || e === config.epochs || earlyStopEpoch !== null) break;

      if (fullBatch) {
        optimizer.step(theta, evaluation!.grad!);
      } else {
        const order = new Random(deriveSeed(config.seed, 'batch', e)).permutation(data.nTrain);
        const inputDim = data.inputDim;
        const blocks = data.trainActive ? data.trainActive.length / data.nTrain : 0;
        for (let start = 0; start < data.nTrain && !failure; start += config.batchSize) {
          const count = Math.min(config.batchSize, data.nTrain - start);
          const x = new Float32Array(count * inputDim);
          const y = new Int32Array(count);
          const active = data.trainActive ? new Int32Array(count * blocks) : null;
          for (let i = 0; i < count; i++) {
            const r = order[start + i];
            x.set(data.xTrain.subarray(r * inputDim, (r + 1) * inputDim), i * inputDim);
            y[i] = data.yTrain[r];
            if (active) active.set(data.trainActive!.subarray(r * blocks, (r + 1) * blocks), i * blocks);
          }
          const batch = mlp.upload(x, y, count, active);
          try {
            const ev = mlp.evaluate(theta, batch, true);
            if (!Number.isFinite(ev.loss) || !allFinite(ev.grad!)) failure = { epoch: e, reason: `minibatch loss or gradient is not finite (loss ${ev.loss})` };
            else optimizer.step(theta, ev.grad!);
          } finally {
            batch.dispose();
          }
        }
        if (failure) break;
      }
      if ((e + 1) % checkpointEvery === 0 && e + 1 < config.epochs) {
        const arrays: Record<string, Float64Array> = { theta };
        const state = optimizer.state();
        for (const [name, buffer] of Object.entries(state.buffers)) arrays[`opt:${name}`] = buffer;
        for (const m of metricNames) arrays[`metric:${m}`] = Float64Array.from(metrics[m]);
        writeCheckpoint(ckptFile, { key, nextEpoch: e + 1, extra: { optimizerSteps: state.steps } }, arrays);
      }
      if (onProgress) {
        const now = performance.now();
        if (now - lastReport > 100) {
          lastReport = now;
          onProgress({ epoch: e + 1, epochs: config.epochs });
        }
      }
    }
  } finally {
    train.dispose();
    test?.dispose();
  }
  onProgress?.({ epoch: config.epochs, epochs: config.epochs });

  // Assemble the entry.
  const metricTable = aq.table({
    epoch: Int32Array.from(metrics.epoch),
    ...Object.fromEntries(METRIC_COLUMNS.map((m) => [m, Float64Array.from(metrics[m])])),
  });
  const taken = snaps.filter((e) => e <= lastEpoch && (failure === null || e < failure.epoch));
  const rows = taken.length * n;
  const epochColumn = new Int32Array(rows);
  const indexColumn = new Int32Array(rows);
  const gradientColumn = new Float64Array(rows);
  const parameterColumn = new Float64Array(rows);
  taken.forEach((epoch, s) => {
    const { gradient, parameters } = readSnapshotFile(ckptDir, epoch, n);
    epochColumn.fill(epoch, s * n, (s + 1) * n);
    for (let i = 0; i < n; i++) indexColumn[s * n + i] = i;
    gradientColumn.set(gradient, s * n);
    parameterColumn.set(parameters, s * n);
  });
  const snapshotTable = aq.table({ epoch: epochColumn, index: indexColumn, gradient: gradientColumn, parameter: parameterColumn });
  const summary: RunSummary = {
    status: failure ? 'failed' : 'complete',
    failure,
    lastEpoch,
    earlyStopEpoch: failure ? null : earlyStopEpoch,
    parameterCount: n,
    layerSizes: spec.layerSizes,
    snapshotEpochs: taken,
    trainOnset: onsetEpoch(metricTable, { metric: 'trainAccuracy' }),
    testOnset: onsetEpoch(metricTable, { metric: 'testAccuracy' }),
    task: data.metadata,
    backend,
  };
  return {
    [RUN_FILES.metrics]: tableToArrow(metricTable),
    [RUN_FILES.snapshots]: tableToArrow(snapshotTable),
    [RUN_FILES.layout]: tableToArrow(layoutTable(parameterLayout(spec))),
    [RUN_FILES.summary]: JSON.stringify(summary, null, 2) + '\n',
    [RUN_FILES.timing]: JSON.stringify({ wallSeconds: (performance.now() - started) / 1000, resumedFromEpoch: resumedFrom }, null, 2) + '\n',
  };
}
