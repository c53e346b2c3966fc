import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidOptionError } from '../../lib/util/errors';
import { trainingPlan } from '../../lib/train/profiles';
import { findRun } from '../../lib/train/trainRun';
import { SweepProgress, trainScales } from '../../lib/train/trainScales';

const SWEEP = { base: { task: 'xor' as const, epochs: 150, snapshots: { count: 4 } }, scales: [3, 6], seeds: [0, 1] };

test('worker threads give the same runs, byte for byte, as training in this thread', async () => {
  const rootA = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-sweep-a-'));
  const rootB = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-sweep-b-'));
  const reports: SweepProgress[] = [];
  const threaded = await trainScales(SWEEP, { workers: 2, root: rootA, onProgress: (p) => reports.push(p) });
  const inline = await trainScales(SWEEP, { workers: 1, root: rootB });
  assert.deepEqual(threaded.columnNames(), [
    'task',
    'h',
    'N',
    'seed',
    'key',
    'status',
    'trainOnset',
    'testOnset',
    'lastEpoch',
    'wallSeconds',
    'cacheHit',
    'error',
  ]);
  assert.deepEqual(threaded.array('h'), [3, 3, 6, 6]);
  assert.deepEqual(threaded.array('seed'), [0, 1, 0, 1]);
  assert.deepEqual(threaded.array('N'), [13, 13, 25, 25]);
  assert.deepEqual(threaded.array('key'), inline.array('key'));
  assert.deepEqual(threaded.array('status'), ['complete', 'complete', 'complete', 'complete']);
  for (const h of SWEEP.scales) {
    for (const seed of SWEEP.seeds) {
      const config = { ...SWEEP.base, hidden: h, seed };
      const a = (await findRun(config, { root: rootA }))!;
      const b = (await findRun(config, { root: rootB }))!;
      for (const file of ['metrics.arrow', 'snapshots.arrow', 'summary.json'])
        assert.ok(Buffer.from(a.bytes(file)).equals(Buffer.from(b.bytes(file))), `h ${h} seed ${seed}: ${file}`);
    }
  }
  const last = reports[reports.length - 1];
  assert.equal(last.runsDone, 4);
  assert.equal(last.fraction, 1);
  // A second sweep is all cache hits.
  const again = await trainScales(SWEEP, { workers: 2, root: rootA });
  assert.deepEqual(again.array('cacheHit'), [true, true, true, true]);
});

test('bad input fails before any training; profiles give a plan per task', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-sweep-bad-'));
  await assert.rejects(
    trainScales({ ...SWEEP, base: { ...SWEEP.base, model: { activation: 'swish' } } }, { root }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'model.activation',
  );
  await assert.rejects(trainScales({ ...SWEEP, scales: [4, 0] }, { root }), (e: unknown) => e instanceof InvalidOptionError && e.field === 'model.hidden[0]');
  assert.deepEqual(fs.readdirSync(root), []);
  for (const task of ['xor', 'sparse-parity', 'modular-addition']) {
    for (const profile of ['smoke', 'quick', 'paper']) {
      const plan = trainingPlan(task, profile);
      assert.ok(plan.scales.length >= 1 && plan.seeds.length >= 1);
      assert.equal(plan.task, task);
    }
  }
  assert.equal(trainingPlan('xor', 'paper').scales.length, 8);
  assert.throws(() => trainingPlan('xor', 'huge'), /profile.*"smoke", "quick", "paper"/);
});
