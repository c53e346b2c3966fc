import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjacentOrderStatistics, selectKth, sortIndicesByDescendingKey } from '../../lib/probe/orderStatistics';
import { Random } from '../../lib/util/random';

function randomLoads(rng: Random, n: number, ties: boolean): Float64Array {
  return Float64Array.from({ length: n }, () => (ties ? rng.integer(5) : Math.abs(rng.studentT(1.5))));
}

test('selectKth / adjacentOrderStatistics give the same values as a full sort, ties included', () => {
  const rng = new Random(3);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.integer(300);
    const values = randomLoads(rng, n, trial % 3 === 0);
    const sorted = values.slice().sort();
    const k = rng.integer(n);
    const copy = values.slice();
    assert.equal(selectKth(copy, k), sorted[k]);
    for (let i = 0; i < k; i++) assert.ok(copy[i] <= copy[k]);
    for (let i = k + 1; i < n; i++) assert.ok(copy[i] >= copy[k]);
    const [a, b] = adjacentOrderStatistics(values, k, new Float64Array(n));
    assert.deepEqual([a, b], [sorted[k], sorted[Math.min(k + 1, n - 1)]]);
  }
  // Already sorted, reversed and constant inputs (pivot worst cases for naive quickselect).
  const n = 5000;
  for (const values of [Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => n - i), new Float64Array(n).fill(2)]) {
    const sorted = values.slice().sort();
    for (const k of [0, 1, 2500, 4500, n - 1]) assert.equal(selectKth(values.slice(), k), sorted[k]);
  }
});

test('sortIndicesByDescendingKey: descending key, ties by ascending index (same as a comparator sort)', () => {
  const rng = new Random(4);
  for (let trial = 0; trial < 112; trial++) {
    // Short lists (merge sort, runs of 32) and, in the last 12 trials, long ones (radix sort, > 4096).
    const n = trial < 100 ? rng.integer(400) : 4097 + rng.integer(8000);
    const keys = randomLoads(rng, n, trial % 2 === 0);
    keys[0] = 0;
    if (n > 3) keys[3] = Number.MAX_VALUE;
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    const expected = Array.from(indices).sort((a, b) => keys[b] - keys[a] || a - b);
    sortIndicesByDescendingKey(indices, keys);
    assert.deepEqual(Array.from(indices), expected);
  }
  // A subset of indices (as the probe passes the seeds), keys with denormals and exact powers of two.
  const keys = Float64Array.from([5e-324, 1, 0.5, 1, 2 ** 60, 5e-324, 3]);
  const subset = Int32Array.from([0, 1, 3, 4, 5, 6]);
  sortIndicesByDescendingKey(subset, keys);
  assert.deepEqual(Array.from(subset), [4, 6, 1, 3, 0, 5]);
});
