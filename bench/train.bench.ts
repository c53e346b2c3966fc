/**
 * Training benchmark on the active tfjs backend:
 * 1. training steps per second (full-batch gradient + AdamW/SGD update, the engine's own
 *    Mlp.evaluate + optimiser) per hidden width for XOR (2 → h → 1) and modular addition
 *    (p = 23, f 0.8: 46 → h → 23, 423 training examples);
 * 2. peak memory (rss, heap) of an eight-scale XOR sweep with a short budget, in this thread.
 * Run: `npm run bench -- train` (or node build/bench/train.bench.js).
 */
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

function stepsPerSecond(input: TrainConfigInput, minSeconds = 1): number {
  const config = resolveTrainConfig(input);
  const data = makeTask(config.task, 0);
  const spec = { layerSizes: layerSizesOf(config), bias: config.model.bias };
  const mlp = new Mlp(spec, config.model.activation, config.loss);
  const theta = initParameters(spec, config.model.initScale, 0);
  const optimizer = makeOptimizer(config.optimizer, theta.length);
  const batch = mlp.upload(data.xTrain, data.yTrain, data.nTrain);
  for (let i = 0; i < 5; i++) optimizer.step(theta, mlp.evaluate(theta, batch, true).grad!);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000) {
    optimizer.step(theta, mlp.evaluate(theta, batch, true).grad!);
    steps++;
  }
  batch.dispose();
  return steps / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`backend: ${backend.name} (${backend.reason}); ${os.cpus().length} cores`);
  // Warm up the backend's kernels first (the first second of any run is slower).
  stepsPerSecond({ task: 'xor', hidden: 20 }, 0.5);
  stepsPerSecond({ task: { name: 'modular-addition', p: 23, trainFraction: 0.8 }, hidden: 20 }, 0.5);
  console.log('\ntraining steps/s (full batch, gradient + update):');
  console.log('    h   xor (2→h→1, SGD)   modular addition p=23 (46→h→23, AdamW)');
  for (const h of DEFAULT_SCALES) {
    const xor = stepsPerSecond({ task: 'xor', hidden: h });
    const ma = stepsPerSecond({ task: { name: 'modular-addition', p: 23, trainFraction: 0.8 }, hidden: h });
    console.log(`${String(h).padStart(5)}   ${xor.toFixed(0).padStart(16)}   ${ma.toFixed(1).padStart(12)}`);
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
  await trainScales({ base: { task: 'xor', epochs: 300, snapshots: { count: 51 } }, scales: DEFAULT_SCALES, seeds: [0] }, { workers: 1, root, onProgress: sample });
  clearInterval(timer);
  sample();
  console.log(`\neight-scale XOR sweep (h 20 … 500, 300 epochs, 51 snapshots, in this thread): ${((performance.now() - start) / 1000).toFixed(1)} s, peak rss ${(peakRss / 2 ** 20).toFixed(0)} MiB, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`);
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
