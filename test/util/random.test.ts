import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random, deriveSeed } from '../../lib/util/random';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const sa = Array.from({ length: 8 }, () => a.nextUint32());
  const sb = Array.from({ length: 8 }, () => b.nextUint32());
  const sc = Array.from({ length: 8 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('uniform has mean 1/2 and variance 1/12 (n = 200 000, 5 sigma bounds)', () => {
  const rng = new Random(1);
  const n = 200_000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSq += u * u;
  }
  const mean = sum / n;
  const variance = sumSq / n - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n));
  assert.ok(Math.abs(variance - 1 / 12) < 0.002);
});

test('normal has mean 0, variance 1 and the right tail mass', () => {
  const rng = new Random(7);
  const n = 200_000;
  let sum = 0;
  let sumSq = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sumSq += z * z;
    if (Math.abs(z) > 2) beyond2++;
  }
  assert.ok(Math.abs(sum / n) < 0.015);
  assert.ok(Math.abs(sumSq / n - 1) < 0.015);
  // P(|Z| > 2) = 0.0455
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.003);
});

test('gamma(shape) has mean = variance = shape, also for shape < 1', () => {
  for (const shape of [0.5, 1, 3.5]) {
    const rng = new Random(11);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const g = rng.gamma(shape);
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean - shape) < 0.03 * shape + 0.01, `mean ${mean} for shape ${shape}`);
    assert.ok(Math.abs(sumSq / n - mean * mean - shape) < 0.06 * shape + 0.02);
  }
});

test('student-t with df = 5 has variance df / (df − 2)', () => {
  const rng = new Random(3);
  const n = 200_000;
  let sumSq = 0;
  for (let i = 0; i < n; i++) sumSq += rng.studentT(5) ** 2;
  assert.ok(Math.abs(sumSq / n - 5 / 3) < 0.06);
});

test('integer(n) is unbiased and in range; permutation is a permutation', () => {
  const rng = new Random(5);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60_000; i++) counts[rng.integer(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500);
  const perm = Array.from(rng.permutation(1000)).sort((x, y) => x - y);
  assert.deepEqual(
    perm,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.throws(() => rng.integer(0), /integer/);
});

test('deriveSeed separates streams by key and is stable', () => {
  assert.equal(deriveSeed(1, 'graph', 81), deriveSeed(1, 'graph', 81));
  assert.notEqual(deriveSeed(1, 'graph', 81), deriveSeed(1, 'graph', 129));
  assert.notEqual(deriveSeed(1, 'graph'), deriveSeed(2, 'graph'));
});
