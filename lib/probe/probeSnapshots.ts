import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as aq from 'arquero';
import { GraphSpec, normaliseGraphSpec } from '../graphs/makeGraph';
import { NetworkLayout } from '../graphs/network';
import { cached, tableToArrow } from '../store/index';
import { checkFiniteArray, checkInteger, InvalidOptionError } from '../util/errors';
import { hashBytes, hashConfig } from '../util/hash';
import { BatchTask, BatchTaskResult, GraphCache, runBatchTask } from './batchTask';
import { ProbeOptions, resolveProbeOptions } from './options';

/** One gradient snapshot of one training run. */
export interface SnapshotInput {
  /** Model scale N used on the x axis of D fits [values.length]. */
  scaleN?: number;
  /** Training seed of the run. */
  seed: number;
  /** Snapshot index within the run. */
  snapshot: number;
  /** Training epoch (step) at which the snapshot was taken. */
  epoch: number;
  /** The gradient values, one per parameter (finite). */
  values: Float64Array;
  /** Parameter layout, needed by topology 'network' unless the topology spec carries one. */
  layout?: NetworkLayout;
}

/** Configuration of {@link probeSnapshots}. */
export interface ProbeSnapshotsConfig {
  /** Graph topology (see GraphSpec); the same spec for every snapshot. */
  topology: GraphSpec;
  /** Probe options passed to runProbe for every snapshot (defaults as there). */
  options?: ProbeOptions;
  /** Graph seeds: every snapshot is probed once per graph seed [[0]]. */
  seeds?: number[];
  /** Also return the per-avalanche table (size, area, duration) [true]. */
  keepAvalanches?: boolean;
  /** Read/write the result in the store under stage 'probe', keyed by a hash of all inputs [false]. */
  cache?: boolean;
  /** With cache: recompute even if an entry exists [false]. */
  force?: boolean;
  /** With cache: store root [storeRoot()]. */
  root?: string;
  /** Worker threads: 0 or 1 = in this thread; 'auto' = threads for batches of ≥ 2·10^7 node-probes (Σ values × seeds) ['auto']. */
  workers?: number | 'auto';
}

/** Output of {@link probeSnapshots}. */
export interface ProbeSnapshotsResult {
  /**
   * One row per (snapshot, graph seed), in input order, graph seeds innermost. Columns:
   * scaleN, seed, snapshot, epoch, graphSeed, n, threshold, avalancheCount, sMax, meanSize
   * (= totalTopplings / avalancheCount, NaN when none), totalTopplings (S_total),
   * totalDissipated, truncated.
   */
  summary: aq.ColumnTable;
  /**
   * One row per avalanche (null when keepAvalanches is false): scaleN, seed, snapshot, epoch,
   * graphSeed, avalanche (index in seed order), size, area, duration.
   */
  avalanches: aq.ColumnTable | null;
  /** True when read from the store. */
  hit: boolean;
}

/** Bumped whenever the probe's results for a given input could change. */
export const PROBE_BATCH_VERSION = 1;

/**
 * Probes a whole collection of snapshots (scales × seeds × snapshots) on one topology, for each
 * graph seed, and returns tidy arquero tables. With `cache: true` the tables are stored under
 * stage 'probe' with a key hashing every input (the bytes of every value array and layout, the
 * topology, the options, the seeds). With workers the results are identical to a single-thread
 * run (each task is computed by the same code, results are placed by task index).
 * @throws InvalidOptionError before any work on non-finite values, bad options or topology
 */
export async function probeSnapshots(snapshots: SnapshotInput[], config: ProbeSnapshotsConfig): Promise<ProbeSnapshotsResult> {
  // ---- validation, before any work
  if (!Array.isArray(snapshots) || snapshots.length === 0)
    throw new InvalidOptionError('probeSnapshots.snapshots', 'must be a non-empty array of { seed, snapshot, epoch, values }');
  if (!config || typeof config !== 'object') throw new InvalidOptionError('probeSnapshots.config', 'must be an object with a topology');
  const topology = normaliseGraphSpec(config.topology);
  const isNetwork = topology.kind === 'network';
  const options = config.options ?? {};
  const seeds = config.seeds ?? [0];
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidOptionError('probeSnapshots.seeds', 'must be a non-empty array of integer graph seeds');
  seeds.forEach((s, i) => checkInteger(`probeSnapshots.seeds[${i}]`, s, -(2 ** 53), 2 ** 53));
  const keepAvalanches = config.keepAvalanches ?? true;
  const workersOption = config.workers ?? 'auto';
  if (workersOption !== 'auto') checkInteger('probeSnapshots.workers', workersOption, 0, 256);
  const layoutKeys = new Map<NetworkLayout, string>();
  const inputs = snapshots.map((s, i) => {
    const field = `probeSnapshots.snapshots[${i}]`;
    if (!s || !(s.values instanceof Float64Array)) throw new InvalidOptionError(`${field}.values`, 'must be a Float64Array');
    for (const key of ['seed', 'snapshot', 'epoch'] as const) {
      if (typeof s[key] !== 'number' || !Number.isFinite(s[key]))
        throw new InvalidOptionError(`${field}.${key}`, `must be a finite number, got ${String(s[key])}`);
    }
    checkFiniteArray(`${field}.values`, s.values);
    resolveProbeOptions(options, s.values.length);
    let layoutKey = '';
    if (isNetwork) {
      const layout = topology.layout ?? s.layout;
      if (!layout) throw new InvalidOptionError(`${field}.layout`, "topology 'network' needs a layout, in the topology spec or on every snapshot");
      layoutKey = layoutKeys.get(layout) ?? hashLayout(layout);
      layoutKeys.set(layout, layoutKey);
    }
    // The values' hash is only part of the cache key: not computed when nothing is cached.
    const valuesHash = config.cache ? hashBytes(s.values) : '';
    return { scaleN: s.scaleN ?? s.values.length, seed: s.seed, snapshot: s.snapshot, epoch: s.epoch, valuesHash, layoutKey };
  });
  const topologyForKey = isNetwork ? { ...topology, layout: topology.layout ? hashLayout(topology.layout) : undefined } : topology;
  const compute = async (): Promise<{ summary: aq.ColumnTable; avalanches: aq.ColumnTable | null }> => {
    const tasks: BatchTask[] = [];
    snapshots.forEach((s, i) => {
      for (const graphSeed of seeds)
        tasks.push({
          id: tasks.length,
          values: s.values,
          graphSeed,
          layoutKey: inputs[i].layoutKey,
          layout: isNetwork ? ((topology as { layout?: NetworkLayout }).layout ?? s.layout) : undefined,
        });
    });
    const work = tasks.reduce((sum, t) => sum + t.values.length, 0);
    const workerCount = workersOption === 'auto' ? (work >= AUTO_WORKER_VALUES ? Math.min(os.availableParallelism(), 8) : 0) : workersOption;
    const results =
      workerCount > 1 ? await runInWorkers(tasks, topology, options, keepAvalanches, workerCount) : runHere(tasks, topology, options, keepAvalanches);
    return buildTables(results, tasks, inputs, seeds, keepAvalanches);
  };
  if (!config.cache) {
    const { summary, avalanches } = await compute();
    return { summary, avalanches, hit: false };
  }
  const key = {
    version: PROBE_BATCH_VERSION,
    topology: topologyForKey,
    options,
    seeds,
    keepAvalanches,
    inputCount: inputs.length,
    inputs: hashConfig(inputs, 64),
  };
  const { entry, hit } = await cached(
    'probe',
    key,
    async () => {
      const { summary, avalanches } = await compute();
      const files: Record<string, Uint8Array> = { 'summary.arrow': tableToArrow(summary) };
      if (avalanches) files['avalanches.arrow'] = tableToArrow(avalanches);
      return files;
    },
    { force: config.force, root: config.root },
  );
  return { summary: entry.table('summary.arrow'), avalanches: keepAvalanches ? entry.table('avalanches.arrow') : null, hit };
}

/** Hash of a layout's arrays (bytes), used in cache keys and to share graphs between snapshots. */
export function hashLayout(layout: NetworkLayout): string {
  const kinds = Array.from(layout.kind as ArrayLike<unknown>, (k) => (k === 'bias' || k === 1 ? 1 : k === 'weight' || k === 0 ? 0 : 2));
  return hashConfig(
    {
      layer: hashBytes(Int32Array.from(layout.layer)),
      kind: hashBytes(Uint8Array.from(kinds)),
      row: hashBytes(Int32Array.from(layout.row)),
      col: hashBytes(Int32Array.from(layout.col)),
      layerSizes: Array.from(layout.layerSizes),
    },
    32,
  );
}

function runHere(tasks: BatchTask[], topology: GraphSpec, options: ProbeOptions, keepAvalanches: boolean): BatchTaskResult[] {
  const cache = new GraphCache(topology);
  return tasks.map((task) => runBatchTask(task, cache, options, keepAvalanches));
}

/**
 * 'auto' uses worker threads only from this many node-probes (Σ snapshot length × graph seeds):
 * a worker costs ~60 ms to start and must JIT-warm and rebuild graphs, and the paper-size batch
 * (8 scales × 6 seeds × 51 snapshots, 1.6 M values) takes ~0.1 s of CPU in one thread.
 */
const AUTO_WORKER_VALUES = 20_000_000;

/** Values per message to a worker (amortises messaging; small enough to balance load). */
const CHUNK_VALUES = 200_000;

/** Path of the compiled worker script (next to this file in build/lib/probe). */
function workerScript(): string {
  const file = path.join(__dirname, 'probeWorker.js');
  if (!fs.existsSync(file))
    throw new InvalidOptionError(
      'probeSnapshots.workers',
      `worker threads need the compiled library (${file} not found); run \`npx tsc -p .\` or pass workers: 0`,
    );
  return file;
}

/**
 * Dynamic scheduling over `count` workers: each worker gets the next task when it answers.
 * Tasks are handed out in order and graphs are cached per worker, so consecutive tasks of one
 * scale mostly reuse a worker's graph.
 */
async function runInWorkers(
  tasks: BatchTask[],
  topology: GraphSpec,
  options: ProbeOptions,
  keepAvalanches: boolean,
  count: number,
): Promise<BatchTaskResult[]> {
  const script = workerScript();
  const topologyWithoutLayout = typeof topology === 'string' || topology.kind !== 'network' ? topology : { ...topology, layout: undefined };
  const results: BatchTaskResult[] = new Array(tasks.length);
  const workers = Array.from(
    { length: Math.min(count, tasks.length) },
    () => new Worker(script, { workerData: { topology: topologyWithoutLayout, options, keepAvalanches } }),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const sentLayouts = new Set<string>();
            const send = (): void => {
              if (next >= tasks.length) return resolve();
              // A chunk of consecutive tasks, about CHUNK_VALUES values in all, per message:
              // fewer messages, and consecutive tasks mostly share one graph.
              const chunk: BatchTask[] = [];
              let values = 0;
              while (next < tasks.length && (chunk.length === 0 || values < CHUNK_VALUES)) {
                const task = tasks[next++];
                // Each worker receives a layout once; later tasks name it by key.
                const layout = task.layout && !sentLayouts.has(task.layoutKey) ? task.layout : undefined;
                if (layout) sentLayouts.add(task.layoutKey);
                chunk.push({ id: task.id, values: task.values, graphSeed: task.graphSeed, layoutKey: task.layoutKey, layout });
                values += task.values.length;
              }
              worker.postMessage(chunk);
            };
            worker.on('message', (message: { ok: boolean; results?: BatchTaskResult[]; message?: string; name?: string; field?: string }) => {
              if (!message.ok) {
                next = tasks.length; // stop handing out work
                const error =
                  message.name === 'InvalidOptionError' && message.field
                    ? new InvalidOptionError(message.field, message.message!.replace(`${message.field}: `, ''))
                    : new Error(message.message);
                return reject(error);
              }
              for (const result of message.results!) results[result.id] = result;
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function buildTables(
  results: BatchTaskResult[],
  tasks: BatchTask[],
  inputs: Array<{ scaleN: number; seed: number; snapshot: number; epoch: number }>,
  seeds: number[],
  keepAvalanches: boolean,
): { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null } {
  const rows = results.length;
  const col = {
    scaleN: new Float64Array(rows),
    seed: new Float64Array(rows),
    snapshot: new Float64Array(rows),
    epoch: new Float64Array(rows),
    graphSeed: new Float64Array(rows),
    n: new Int32Array(rows),
    threshold: new Float64Array(rows),
    avalancheCount: new Int32Array(rows),
    sMax: new Int32Array(rows),
    meanSize: new Float64Array(rows),
    totalTopplings: new Float64Array(rows),
    totalDissipated: new Float64Array(rows),
    truncated: new Array<boolean>(rows),
  };
  let avalancheRows = 0;
  for (let r = 0; r < rows; r++) {
    const res = results[r];
    const input = inputs[Math.floor(r / seeds.length)];
    col.scaleN[r] = input.scaleN;
    col.seed[r] = input.seed;
    col.snapshot[r] = input.snapshot;
    col.epoch[r] = input.epoch;
    col.graphSeed[r] = tasks[r].graphSeed;
    col.n[r] = res.n;
    col.threshold[r] = res.threshold;
    col.avalancheCount[r] = res.avalancheCount;
    col.sMax[r] = res.sMax;
    col.meanSize[r] = res.avalancheCount > 0 ? res.totalTopplings / res.avalancheCount : NaN;
    col.totalTopplings[r] = res.totalTopplings;
    col.totalDissipated[r] = res.totalDissipated;
    col.truncated[r] = res.truncated;
    avalancheRows += res.avalancheCount;
  }
  const summary = aq.table(col);
  if (!keepAvalanches) return { summary, avalanches: null };
  const av = {
    scaleN: new Float64Array(avalancheRows),
    seed: new Float64Array(avalancheRows),
    snapshot: new Float64Array(avalancheRows),
    epoch: new Float64Array(avalancheRows),
    graphSeed: new Float64Array(avalancheRows),
    avalanche: new Int32Array(avalancheRows),
    size: new Int32Array(avalancheRows),
    area: new Int32Array(avalancheRows),
    duration: new Int32Array(avalancheRows),
  };
  let w = 0;
  for (let r = 0; r < rows; r++) {
    const res = results[r];
    for (let a = 0; a < res.avalancheCount; a++, w++) {
      av.scaleN[w] = col.scaleN[r];
      av.seed[w] = col.seed[r];
      av.snapshot[w] = col.snapshot[r];
      av.epoch[w] = col.epoch[r];
      av.graphSeed[w] = col.graphSeed[r];
      av.avalanche[w] = a;
      av.size[w] = res.sizes![a];
      av.area[w] = res.areas![a];
      av.duration[w] = res.durations![a];
    }
  }
  return { summary, avalanches: aq.table(av) };
}
