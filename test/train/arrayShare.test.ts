import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEntryByKey } from '../../lib/store/index';
import { TRAIN_STAGE } from '../../lib/train/runFiles';
import { arrayShare, runCost, sweepRuns, trainScales, trainSweeps } from '../../lib/train/trainScales';
import { InvalidOptionError } from '../../lib/util/errors';
import { Random } from '../../lib/util/random';

const SWEEP = { base: { task: 'xor' as const, epochs: 40, snapshots: { count: 3 } }, scales: [3, 5, 4], seeds: [0, 1] };

test('arrayShare: a hand-worked example (largest first, ties in list order, dealt round-robin)', () => {
  // Sorted: position 1 (5), 3 (5), 2 (3), 4 (2), 0 (1).
  const costs = [1, 5, 3, 5, 2];
  assert.deepEqual(arrayShare(costs, { index: 0, size: 2 }), [1, 2, 0]);
  assert.deepEqual(arrayShare(costs, { index: 1, size: 2 }), [3, 4]);
  assert.deepEqual(arrayShare(costs, { index: 0, size: 1 }), [1, 3, 2, 4, 0]);
  assert.deepEqual(arrayShare(costs, { index: 4, size: 5 }), [0]);
  assert.deepEqual(arrayShare(costs, { index: 6, size: 8 }), [], 'more tasks than runs: the last tasks get nothing');
});

test('arrayShare: for random costs and every array size, the shares partition the runs, balanced, largest first', () => {
  const random = new Random(7);
  for (let trial = 0; trial < 30; trial++) {
    const runs = 1 + Math.floor(random.uniform() * 40);
    // Few distinct values, so that ties are common.
    const costs = Array.from({ length: runs }, () => Math.floor(random.uniform() * 5));
    const sorted = costs.map((_, i) => i).sort((a, b) => costs[b] - costs[a] || a - b);
    for (let size = 1; size <= runs + 2; size++) {
      const shares = Array.from({ length: size }, (_, index) => arrayShare(costs, { index, size }));
      const all = shares.flat();
      assert.equal(all.length, runs, `runs ${runs} size ${size}: every run once`);
      assert.deepEqual(
        [...new Set(all)].sort((a, b) => a - b),
        costs.map((_, i) => i),
      );
      for (const share of shares) {
        assert.ok(
          share.length === Math.floor(runs / size) || share.length === Math.ceil(runs / size),
          `share of ${share.length} runs of ${runs} over ${size} tasks`,
        );
        for (let i = 1; i < share.length; i++) assert.ok(costs[share[i - 1]] >= costs[share[i]], 'a task trains its largest run first');
      }
      // The first run of task i is the i-th largest.
      shares.forEach((share, index) => index < runs && assert.equal(share[0], sorted[index]));
    }
  }
});

test('arrayShare: bad array tasks are refused naming the field', () => {
  const costs = [1, 2, 3];
  const refused: Array<[unknown, RegExp]> = [
    [{ index: 3, size: 3 }, /^arrayTask\.index: must be below the array size 3 \(tasks are numbered 0 … 2\), got 3/],
    [{ index: -1, size: 3 }, /^arrayTask\.index: must be an integer in 0 … ∞, got -1/],
    [{ index: 0, size: 0 }, /^arrayTask\.size: must be an integer in 1 … 1000000, got 0/],
    [{ index: 0.5, size: 2 }, /^arrayTask\.index: must be an integer/],
    [{ index: 0 }, /^arrayTask\.size: must be an integer/],
    [null, /^arrayTask: must be an object/],
  ];
  for (const [task, message] of refused)
    assert.throws(
      () => arrayShare(costs, task as never),
      (e: unknown) => e instanceof InvalidOptionError && message.test(e.message),
      JSON.stringify(task),
    );
});

test('runCost grows with epochs and parameters; sweepRuns lists sweep after sweep', () => {
  const runs = sweepRuns([SWEEP, { ...SWEEP, scales: [3] }]);
  assert.deepEqual(
    runs.map((r) => [r.sweep, r.config.model.hidden[0], r.config.seed]),
    [
      [0, 3, 0],
      [0, 3, 1],
      [0, 5, 0],
      [0, 5, 1],
      [0, 4, 0],
      [0, 4, 1],
      [1, 3, 0],
      [1, 3, 1],
    ],
  );
  // N = 4h + 1 for XOR: (40 + 1) × (13 + 2000).
  assert.equal(runs[0].cost, 41 * (13 + 2000));
  assert.equal(runCost({ ...runs[0].config, epochs: 80 }), 81 * (13 + 2000));
  assert.ok(runs[2].cost > runs[4].cost && runs[4].cost > runs[0].cost);
  assert.throws(() => sweepRuns([]), /^InvalidOptionError: sweeps: must be a non-empty array/);
});

test('trainSweeps with arrayTask: the tasks of an array together train every run once, byte-identical to the whole sweep', async () => {
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-array-'));
  const whole = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-array-whole-'));
  const size = 4;
  const tables = [];
  for (let index = 0; index < size; index++) tables.push((await trainSweeps([SWEEP], { workers: 1, root: shared, arrayTask: { index, size } }))[0]);
  const reference = await trainScales(SWEEP, { workers: 1, root: whole });
  const costs = sweepRuns([SWEEP]).map((r) => r.cost);
  const referenceKeys = reference.array('key') as string[];
  tables.forEach((table, index) => {
    const expected = arrayShare(costs, { index, size }).map((position) => referenceKeys[position]);
    assert.deepEqual([...(table.numRows() > 0 ? (table.array('key') as string[]) : [])].sort(), expected.sort(), `task ${index}`);
    if (table.numRows() > 0)
      assert.ok(
        (table.array('cacheHit') as boolean[]).every((hit) => !hit),
        `task ${index} trained its own runs`,
      );
  });
  for (const key of referenceKeys) {
    const mine = readEntryByKey(TRAIN_STAGE, key, { root: shared })!;
    const theirs = readEntryByKey(TRAIN_STAGE, key, { root: whole })!;
    for (const file of ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json', 'config.json'])
      assert.ok(Buffer.from(mine.bytes(file)).equals(Buffer.from(theirs.bytes(file))), `${key} ${file}`);
  }
  // A task run again finds its runs done; a task whose share is empty returns empty tables.
  const again = (await trainSweeps([SWEEP], { workers: 1, root: shared, arrayTask: { index: 1, size } }))[0];
  assert.ok((again.array('cacheHit') as boolean[]).every((hit) => hit));
  const empty = await trainSweeps([SWEEP], { workers: 1, root: shared, arrayTask: { index: 7, size: 8 } });
  assert.equal(empty[0].numRows(), 0);
  // A key of another task's share may be recomputed by the task that owns it, and is accepted elsewhere.
  const other = (tables[0].array('key') as string[])[0];
  const elsewhere = (await trainSweeps([SWEEP], { workers: 1, root: shared, arrayTask: { index: 1, size }, recompute: [other] }))[0];
  assert.ok((elsewhere.array('cacheHit') as boolean[]).every((hit) => hit));
  await assert.rejects(
    trainSweeps([SWEEP], { root: shared, arrayTask: { index: 4, size } }),
    /^InvalidOptionError: arrayTask\.index: must be below the array size 4/,
  );
});
