import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { bootstrapResample, bootstrapStatistic, median, percentileInterval, quantileSorted } from '../../lib/stats/bootstrap';
import { gini } from '../../lib/stats/gini';

test("quantileSorted is numpy's linear interpolation", () => {
  const x = [1, 2, 3, 4, 10];
  assert.equal(quantileSorted(x, 0), 1);
  assert.equal(quantileSorted(x, 1), 10);
  assert.equal(quantileSorted(x, 0.5), 3);
  assert.ok(Math.abs(quantileSorted(x, 0.9) - 7.6) < 1e-12); // numpy.quantile([1,2,3,4,10], 0.9) = 7.6
});

test('bootstrap: same seed → identical replicates; resample draws from the input', () => {
  const values = Float64Array.from({ length: 50 }, (_, i) => i * 1.5);
  const a = bootstrapStatistic(values, (s) => s.reduce((p, v) => p + v, 0) / s.length, { bootstrap: 200, seed: 7 });
  const b = bootstrapStatistic(values, (s) => s.reduce((p, v) => p + v, 0) / s.length, { bootstrap: 200, seed: 7 });
  assert.deepEqual(Buffer.from(a.replicates.buffer), Buffer.from(b.replicates.buffer));
  const r = bootstrapResample(values, new Random(1));
  for (const v of r) assert.ok(values.includes(v));
});

test('bootstrap SE of the mean ≈ σ/√n and the 95 % CI covers the mean about 95 % of the time', () => {
  // Known answer: for n = 100 normal draws, SE(mean) = 1/10.
  let covered = 0;
  const repeats = 100;
  let seSum = 0;
  for (let r = 0; r < repeats; r++) {
    const rng = new Random(1000 + r);
    const x = Float64Array.from({ length: 100 }, () => rng.normal());
    const s = bootstrapStatistic(x, (v) => v.reduce((p, q) => p + q, 0) / v.length, { bootstrap: 300, seed: r });
    seSum += s.standardError;
    if (s.ciLow <= 0 && 0 <= s.ciHigh) covered++;
  }
  assert.ok(Math.abs(seSum / repeats - 0.1) < 0.01, `mean SE ${seSum / repeats}`);
  // Binomial(100, 0.95): 86 … 100 holds with probability > 0.999.
  assert.ok(covered >= 86, `coverage ${covered}/100`);
});

test('percentileInterval drops non-finite replicates and reports them', () => {
  const ci = percentileInterval([NaN, 1, 2, 3, Infinity, 4, 5], 0.5);
  assert.equal(ci.dropped, 2);
  assert.equal(ci.low, 2);
  assert.equal(ci.high, 4);
});

test('Gini: equal → 0, one holder → (n−1)/n, uniform → 1/3, exponential → 1/2', () => {
  assert.equal(gini([3, 3, 3, 3]), 0);
  assert.ok(Math.abs(gini([0, 0, 0, 5]) - 0.75) < 1e-15);
  const rng = new Random(3);
  const u = Float64Array.from({ length: 200000 }, () => rng.uniform());
  assert.ok(Math.abs(gini(u) - 1 / 3) < 0.005);
  const e = Float64Array.from({ length: 200000 }, () => rng.exponential());
  assert.ok(Math.abs(gini(e) - 0.5) < 0.005);
  assert.throws(() => gini([]), /empty/);
  assert.throws(() => gini([1, -1]), /negative/);
  assert.throws(() => gini([0, 0]), /all zero/);
});

test('median: middle value, mean of the two middle ones, NaN values skipped, NaN when empty', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([NaN, 5, Infinity, 1]), 3);
  assert.ok(Number.isNaN(median([])));
});
