import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../lib/backend/index';
import { makeTask } from '../../lib/tasks/index';
import { layerSizesOf, resolveTrainConfig } from '../../lib/train/config';
import { initParameters } from '../../lib/train/init';
import { Mlp } from '../../lib/train/mlp';
import { trainRun } from '../../lib/train/trainRun';
import { readLayout, readSnapshots } from '../../lib/train/runFiles';
import { deriveSeed } from '../../lib/util/random';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-train-'));
}

const DETERMINISTIC_FILES = ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json', 'config.json'];

test('same config and seed → identical metric, snapshot, layout and summary bytes', async () => {
  const config = { task: { name: 'modular-addition', p: 7, trainFraction: 0.6 }, hidden: 6, epochs: 40, seed: 3, snapshots: { count: 5 }, metricsEvery: 4 };
  const a = await trainRun(config, { root: tempRoot() });
  const b = await trainRun(config, { root: tempRoot() });
  assert.equal(a.hit, false);
  assert.equal(a.key, b.key);
  for (const file of DETERMINISTIC_FILES) assert.ok(Buffer.from(a.entry.bytes(file)).equals(Buffer.from(b.entry.bytes(file))), `${file} differs`);
  const other = await trainRun({ ...config, seed: 4 }, { root: tempRoot() });
  assert.notEqual(other.key, a.key);
  assert.ok(!Buffer.from(a.entry.bytes('snapshots.arrow')).equals(Buffer.from(other.entry.bytes('snapshots.arrow'))));
});

test('XOR (tanh, init ×0.1, SGD lr 1): accuracy plateaus below 1, then jumps to 4/4 and stays', async () => {
  const r = await trainRun({ task: 'xor', hidden: 20, epochs: 1000, seed: 0, snapshots: { count: 11 } }, { root: tempRoot() });
  assert.equal(r.summary.status, 'complete');
  const onset = r.summary.trainOnset;
  assert.ok(onset !== null && onset > 100 && onset < 1000, `onset ${onset}`);
  const acc = r.entry.table('metrics.arrow').array('trainAccuracy') as ArrayLike<number>;
  assert.equal(acc.length, 1001);
  for (let e = 0; e < 100; e++) assert.ok(acc[e] <= 0.75, `accuracy ${acc[e]} at epoch ${e} (no plateau)`);
  assert.equal(acc[1000], 1);
  // The jump is abrupt: from the last sub-0.99 epoch before onset to 4/4 within one epoch, and
  // the loss falls from ≈ ln 2 to well below it within 100 epochs after the onset.
  const loss = r.entry.table('metrics.arrow').array('trainLoss') as ArrayLike<number>;
  assert.ok(loss[onset! - 50] > 0.6, `loss before onset ${loss[onset! - 50]}`);
  assert.ok(loss[Math.min(1000, onset! + 100)] < 0.2, `loss after onset ${loss[onset! + 100]}`);
  assert.equal(r.summary.testOnset, null); // XOR has no test set
  assert.equal(r.summary.parameterCount, 81);
});

test('early stop: the run ends once the onset has held as long again, and is the prefix of the full-budget run', async () => {
  // The train-accuracy onset (≈ 420 epochs) keeps the test short; the test-accuracy streak is the same code.
  const base = { task: { name: 'modular-addition', p: 11, trainFraction: 0.8 }, hidden: 40, epochs: 1000, seed: 1, snapshots: { count: 21 }, metricsEvery: 5 };
  const full = await trainRun(base, { root: tempRoot() });
  const stopped = await trainRun({ ...base, earlyStop: { metric: 'trainAccuracy', threshold: 0.99, holdFactor: 1 } }, { root: tempRoot() });
  const onset = full.summary.trainOnset;
  assert.ok(onset !== null && onset > 0 && 2 * onset < base.epochs, `train onset ${onset} (this recipe must fit well inside the budget)`);
  assert.equal(full.summary.earlyStopEpoch, null);
  assert.equal(stopped.summary.trainOnset, onset);
  // First metric epoch e with e − onset ≥ onset (metrics every 5 epochs).
  assert.equal(stopped.summary.earlyStopEpoch, Math.ceil((2 * onset!) / 5) * 5);
  assert.equal(stopped.summary.lastEpoch, stopped.summary.earlyStopEpoch);
  const a = full.entry.table('metrics.arrow');
  const b = stopped.entry.table('metrics.arrow');
  for (const column of a.columnNames()) {
    const x = Array.from(a.array(column) as ArrayLike<number>).slice(0, b.numRows());
    assert.deepEqual(Array.from(b.array(column) as ArrayLike<number>), x, `metrics column ${column}`);
  }
  const fullSnaps = readSnapshots(full.entry);
  const stoppedSnaps = readSnapshots(stopped.entry);
  assert.deepEqual(
    stoppedSnaps.epochs,
    fullSnaps.epochs.filter((e) => e <= stopped.summary.lastEpoch),
  );
  stoppedSnaps.gradients.forEach((g, i) => assert.deepEqual(g, fullSnaps.gradients[i]));
  assert.throws(() => resolveTrainConfig({ ...base, earlyStop: { metric: 'loss' } }), /earlyStop\.metric.*testAccuracy/);
  assert.throws(() => resolveTrainConfig({ ...base, earlyStop: { threshold: 1.5 } }), /earlyStop\.threshold/);
  assert.throws(() => resolveTrainConfig({ task: 'xor', earlyStop: {} }), /XOR has no test set/);
});

test('a complete run is loaded from the store, not retrained; force recomputes', async () => {
  const root = tempRoot();
  const config = { task: 'xor', hidden: 3, epochs: 20, snapshots: { count: 3 } } as const;
  const first = await trainRun(config, { root });
  const second = await trainRun(config, { root });
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.equal(second.dir, first.dir);
  const forced = await trainRun(config, { root, force: true });
  assert.equal(forced.hit, false);
  assert.ok(Buffer.from(forced.entry.bytes('metrics.arrow')).equals(Buffer.from(first.entry.bytes('metrics.arrow'))));
  // Checkpoints are removed once the entry is complete.
  assert.equal(fs.existsSync(path.join(root, 'train-checkpoints', first.key)), false);
});

test('snapshots: epoch-0 gradient and parameters equal an independent evaluation at the initial parameters', async () => {
  await initBackend();
  const input = {
    task: { name: 'sparse-parity', n: 6, k: 2, trainSize: 40, testSize: 20 },
    hidden: 5,
    epochs: 30,
    seed: 2,
    snapshots: { epochs: [0, 7, 30] },
    metricsEvery: 3,
  };
  const r = await trainRun(input, { root: tempRoot() });
  const snaps = readSnapshots(r.entry);
  assert.deepEqual(snaps.epochs, [0, 7, 30]);
  const config = resolveTrainConfig(input);
  const spec = { layerSizes: layerSizesOf(config), bias: true };
  const theta0 = initParameters(spec, config.model.initScale, deriveSeed(2, 'init'));
  assert.deepEqual(snaps.parameters[0], theta0);
  const data = makeTask(config.task, deriveSeed(2, 'data'));
  const mlp = new Mlp(spec, config.model.activation, config.loss);
  const batch = mlp.upload(data.xTrain, data.yTrain, data.nTrain);
  const ev = mlp.evaluate(theta0, batch, true);
  batch.dispose();
  assert.deepEqual(snaps.gradients[0], Float64Array.from(ev.grad!));
  // Parameters move between snapshots; the layout has one row per parameter.
  assert.notDeepEqual(snaps.parameters[1], snaps.parameters[0]);
  const layout = readLayout(r.entry);
  assert.equal(layout.layer.length, r.summary.parameterCount);
  assert.deepEqual(layout.layerSizes, [6, 5, 1]);
  // Metrics every 3 epochs plus the last: 0, 3, …, 30.
  assert.equal(r.entry.table('metrics.arrow').numRows(), 11);
});

test('minibatches: seeded order, deterministic, different from full batch', async () => {
  const base = {
    task: { name: 'sparse-parity', n: 6, k: 2, trainSize: 40, testSize: 20 },
    hidden: 4,
    epochs: 6,
    seed: 1,
    snapshots: { count: 2 },
    metricsEvery: 1,
  };
  const a = await trainRun({ ...base, batchSize: 16 }, { root: tempRoot() });
  const b = await trainRun({ ...base, batchSize: 16 }, { root: tempRoot() });
  const full = await trainRun(base, { root: tempRoot() });
  assert.ok(Buffer.from(a.entry.bytes('metrics.arrow')).equals(Buffer.from(b.entry.bytes('metrics.arrow'))));
  assert.ok(!Buffer.from(a.entry.bytes('metrics.arrow')).equals(Buffer.from(full.entry.bytes('metrics.arrow'))));
  // Snapshot gradients are full-batch in both modes: at epoch 0 they coincide.
  assert.deepEqual(readSnapshots(a.entry).gradients[0], readSnapshots(full.entry).gradients[0]);
});

test('a diverging run (NaN/Inf) stops, is stored as failed with its epoch, and is not retrained', async () => {
  const root = tempRoot();
  const config = {
    task: { name: 'modular-addition', p: 5, trainFraction: 0.6 },
    hidden: 8,
    epochs: 200,
    optimizer: { name: 'sgd', lr: 1e4 },
    model: { initScale: 3 },
    snapshots: { count: 3 },
    metricsEvery: 1,
  };
  const r = await trainRun(config, { root });
  assert.equal(r.summary.status, 'failed');
  assert.ok(r.summary.failure && r.summary.failure.epoch > 0 && r.summary.failure.epoch < 200, JSON.stringify(r.summary.failure));
  assert.match(r.summary.failure!.reason, /NaN|Inf|Infinity/);
  const metrics = r.entry.table('metrics.arrow');
  assert.equal((metrics.array('epoch') as ArrayLike<number>)[metrics.numRows() - 1], r.summary.failure!.epoch);
  assert.ok(r.summary.snapshotEpochs.every((e) => e < r.summary.failure!.epoch));
  const again = await trainRun(config, { root });
  assert.equal(again.hit, true);
  assert.equal(again.summary.status, 'failed');
});
