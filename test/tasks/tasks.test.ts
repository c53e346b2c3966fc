import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError } from '../../lib/util/errors';
import { makeTask, modularAdditionTask, resolveTaskConfig, sparseParityTask, xorTask } from '../../lib/tasks/index';

test('xor: the four Boolean points with XOR labels, {0,1} or ±1 coding', () => {
  const t = xorTask();
  assert.deepEqual(Array.from(t.xTrain), [0, 0, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual(Array.from(t.yTrain), [0, 1, 1, 0]);
  assert.equal(t.nTest, 0);
  assert.deepEqual(Array.from(xorTask({ encoding: 'pm1' }).xTrain), [-1, -1, -1, 1, 1, -1, 1, 1]);
  assert.throws(() => xorTask({ encoding: 'x' as never }), /task\.encoding.*"01", "pm1"/);
});

test('modular addition: every pair exactly once, correct labels, one-hot matches active indices', () => {
  const p = 7;
  const t = modularAdditionTask({ p, trainFraction: 0.6 }, 3);
  assert.equal(t.nTrain, Math.round(0.6 * 49));
  assert.equal(t.nTrain + t.nTest, 49);
  assert.equal(t.inputDim, 14);
  assert.equal(t.outputDim, 7);
  const seen = new Set<number>();
  for (const [x, y, active, n] of [
    [t.xTrain, t.yTrain, t.trainActive!, t.nTrain],
    [t.xTest, t.yTest, t.testActive!, t.nTest],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const row = Array.from(x.subarray(i * 2 * p, (i + 1) * 2 * p));
      const ones = row.flatMap((v, j) => (v === 1 ? [j] : []));
      assert.equal(row.filter((v) => v !== 0).length, 2);
      const a = ones[0];
      const b = ones[1] - p;
      assert.deepEqual([active[2 * i], active[2 * i + 1]], [a, b + p]);
      assert.equal(y[i], (a + b) % p);
      seen.add(a * p + b);
    }
  }
  assert.equal(seen.size, 49);
});

test('modular addition: seeded split (same seed same split, other seed another), p = 97 and 113 work', () => {
  const a = modularAdditionTask({ p: 11 }, 1);
  const b = modularAdditionTask({ p: 11 }, 1);
  const c = modularAdditionTask({ p: 11 }, 2);
  assert.deepEqual(a.trainActive, b.trainActive);
  assert.notDeepEqual(a.trainActive, c.trainActive);
  assert.equal(modularAdditionTask({ p: 97, trainFraction: 0.4 }, 0).nTrain, Math.round(0.4 * 97 * 97));
  assert.equal(modularAdditionTask({ p: 113 }, 0).nTrain + modularAdditionTask({ p: 113 }, 0).nTest, 113 * 113);
});

test('modular addition: p < 2 and train fractions outside (0, 1) are rejected, naming the field', () => {
  assert.throws(
    () => modularAdditionTask({ p: 1 }, 0),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'task.p',
  );
  for (const f of [0, 1, -0.5, 1.5, NaN]) {
    assert.throws(
      () => modularAdditionTask({ trainFraction: f }, 0),
      (e: unknown) => e instanceof InvalidOptionError && e.field === 'task.trainFraction',
    );
  }
});

test('sparse parity: label = parity of the hidden bits, inputs ±1, deterministic per seed', () => {
  const t = sparseParityTask({ n: 12, k: 3, trainSize: 200, testSize: 50 }, 5);
  const bits = t.metadata.hiddenBits as number[];
  assert.equal(bits.length, 3);
  for (let i = 0; i < t.nTrain; i++) {
    let product = 1;
    for (let j = 0; j < 12; j++) {
      const v = t.xTrain[i * 12 + j];
      assert.ok(v === 1 || v === -1);
      if (bits.includes(j)) product *= v;
    }
    assert.equal(t.yTrain[i], product < 0 ? 1 : 0);
  }
  const again = sparseParityTask({ n: 12, k: 3, trainSize: 200, testSize: 50 }, 5);
  assert.deepEqual(again.xTrain, t.xTrain);
  assert.deepEqual(again.xTest, t.xTest);
  // Both classes occur (a parity of uniform bits is balanced).
  const ones = t.yTrain.reduce((a, b) => a + b, 0);
  assert.ok(ones > 60 && ones < 140, `class balance ${ones}/200`);
  assert.throws(() => sparseParityTask({ n: 3, k: 4 }, 0), /task\.k/);
});

test('unknown task names and options are rejected with the allowed values', () => {
  assert.throws(() => resolveTaskConfig({ name: 'mnist' }), /task\.name.*"xor", "sparse-parity", "modular-addition"/);
  assert.throws(() => resolveTaskConfig({ name: 'xor', p: 5 }), /task\.p.*allowed options: encoding/);
  assert.deepEqual(resolveTaskConfig({ name: 'modular-addition' }), { name: 'modular-addition', p: 59, trainFraction: 0.8 });
  assert.equal(makeTask({ name: 'xor' }, 0).nTrain, 4);
});
