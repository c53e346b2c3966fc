/**
 * Training benchmark, side by side with PyTorch on one CPU thread:
 * 1. ms per full-batch training step (forward, loss, backward, gradient read back, optimiser
 *    update: the engine's own Mlp.evaluate + optimiser, exactly what trainRun does per epoch) per
 *    hidden width, for modular addition p = 59, f 0.8 (118 → h → 59, x², no biases, 2785 rows,
 *    AdamW) and XOR (2 → h → 1, tanh, SGD);
 * 2. the same steps in PyTorch (bench/train_reference.py, one thread, OPENBLAS/OMP threads = 1),
 *    written two ways: the dense one-hot product (the reference) and an embedding lookup
 *    (the fastest exact form); ratio = PyTorch ms / our ms, so ≥ 1 means at least as fast;
 * 3. peak memory (rss, heap) of an eight-scale XOR sweep with a short budget, in this thread.
 * Rounds alternate (ours, PyTorch, ours, PyTorch) so that load on a shared machine hits both;
 * each figure is the median over rounds of per-round medians.
 * Run: `npm run bench -- train` (or node build/bench/train.bench.js [widths…]).
 * Without PyTorch (`apt-get install python3-torch`) only our times are printed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../lib/backend/index';
import { makeTask } from '../lib/tasks/index';
import { DEFAULT_SCALES, layerSizesOf, resolveTrainConfig, TrainConfigInput } from '../lib/train/config';
import { initParameters } from '../lib/train/init';
import { Mlp } from '../lib/train/mlp';
import { makeOptimizer } from '../lib/train/optimizers';
import { trainScales } from '../lib/train/trainScales';

const ROUNDS = 2;
const SECONDS_PER_WIDTH = 1;
const PYTHON = '/usr/bin/python3';
const MODULAR_ADDITION: TrainConfigInput['task'] = { name: 'modular-addition', p: 59, trainFraction: 0.8 };

/** Median CPU and wall ms of one training step (at least `minSeconds` of steps, at least 10). */
function msPerStep(input: TrainConfigInput, minSeconds: number): { cpu: number; wall: number } {
  const config = resolveTrainConfig(input);
  const data = makeTask(config.task, 0);
  const spec = { layerSizes: layerSizesOf(config), bias: config.model.bias };
  const mlp = new Mlp(spec, config.model.activation, config.loss);
  const theta = initParameters(spec, config.model.initScale, 0);
  const optimizer = makeOptimizer(config.optimizer, theta.length);
  const batch = mlp.upload(data.xTrain, data.yTrain, data.nTrain, data.trainActive);
  for (let i = 0; i < 5; i++) optimizer.step(theta, mlp.evaluate(theta, batch, true).grad!);
  // CPU time of this process per step (wall time is printed too): on a shared machine, time
  // spent waiting for a core is not the engine's. PyTorch is timed the same way.
  const cpu: number[] = [];
  const wall: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000 || cpu.length < 10) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    optimizer.step(theta, mlp.evaluate(theta, batch, true).grad!);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  batch.dispose();
  return { cpu: median(cpu), wall: median(wall) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

interface Timing {
  cpu: number;
  wall: number;
}

interface TorchRound {
  torch: string;
  dense: Record<string, Timing>;
  embed: Record<string, Timing>;
  xor: Record<string, Timing>;
}

function torchAvailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function torchRound(widths: number[]): TorchRound {
  const script = path.join(__dirname, '..', '..', 'bench', 'train_reference.py');
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const run = spawnSync(PYTHON, [script, String(SECONDS_PER_WIDTH), ...widths.map(String)], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`bench/train_reference.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as TorchRound;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const widths = process.argv.slice(2).length > 0 ? process.argv.slice(2).map(Number) : DEFAULT_SCALES;
  const torchVersion = torchAvailable();
  console.log(
    `backend: ${backend.name} (${backend.reason}); ${os.cpus().length} cores; PyTorch: ${torchVersion ?? 'not installed (apt-get install python3-torch)'}`,
  );
  // Warm up the backend's kernels first (the first second of any run is slower).
  msPerStep({ task: MODULAR_ADDITION, hidden: 126 }, 0.5);

  const ours: Record<number, { ma: Timing[]; xor: Timing[] }> = Object.fromEntries(widths.map((h) => [h, { ma: [], xor: [] }]));
  const torch: Record<number, { dense: Timing[]; embed: Timing[]; xor: Timing[] }> = Object.fromEntries(
    widths.map((h) => [h, { dense: [], embed: [], xor: [] }]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const h of widths) {
      ours[h].ma.push(msPerStep({ task: MODULAR_ADDITION, hidden: h }, SECONDS_PER_WIDTH));
      ours[h].xor.push(msPerStep({ task: 'xor', hidden: h }, SECONDS_PER_WIDTH / 4));
    }
    if (torchVersion) {
      const r = torchRound(widths);
      for (const h of widths) {
        torch[h].dense.push(r.dense[h]);
        torch[h].embed.push(r.embed[h]);
        torch[h].xor.push(r.xor[h]);
      }
    }
  }

  const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const m = (timings: Timing[], kind: keyof Timing) => (timings.length ? median(timings.map((t) => t[kind])) : NaN);
  for (const kind of ['cpu', 'wall'] as const) {
    console.log(
      `\n${kind === 'cpu' ? 'CPU' : 'wall'} ms per full-batch training step (median of ${ROUNDS} alternating rounds); ratio = PyTorch ms / our ms (≥ 1: at least as fast)`,
    );
    console.log('modular addition p = 59, f 0.8 (118 → h → 59, x², AdamW, 2785 rows):');
    console.log('    h    ours   torch dense   ratio   torch embedding   ratio');
    for (const h of widths) {
      const o = m(ours[h].ma, kind);
      const d = m(torch[h].dense, kind);
      const e = m(torch[h].embed, kind);
      console.log(
        `${String(h).padStart(5)} ${f(o).padStart(7)} ${f(d).padStart(13)} ${f(d / o, 2).padStart(7)} ${f(e).padStart(17)} ${f(e / o, 2).padStart(7)}`,
      );
    }
    console.log('XOR (2 → h → 1, tanh, SGD, 4 rows):');
    console.log('    h    ours   torch   ratio');
    for (const h of widths) {
      const o = m(ours[h].xor, kind);
      const t = m(torch[h].xor, kind);
      console.log(`${String(h).padStart(5)} ${f(o, 3).padStart(7)} ${f(t, 3).padStart(7)} ${f(t / o, 2).padStart(7)}`);
    }
  }

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-bench-train-'));
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const start = performance.now();
  await trainScales(
    { base: { task: 'xor', epochs: 300, snapshots: { count: 51 } }, scales: DEFAULT_SCALES, seeds: [0] },
    { workers: 1, root, onProgress: sample },
  );
  clearInterval(timer);
  sample();
  console.log(
    `\neight-scale XOR sweep (h 20 … 500, 300 epochs, 51 snapshots, in this thread): ${((performance.now() - start) / 1000).toFixed(1)} s, peak rss ${(peakRss / 2 ** 20).toFixed(0)} MiB, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
  );
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
