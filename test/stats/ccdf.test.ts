import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { ccdf, logBinnedDensity } from '../../lib/stats/ccdf';
import { sampleContinuousPowerLaw, sampleDiscretePowerLaw } from '../../lib/stats/samplers';
import { hurwitzZeta } from '../../lib/stats/hurwitzZeta';

test('ccdf: fractions ≥ x at the distinct values', () => {
  const c = ccdf([3, 1, 2, 2, 5]);
  assert.deepEqual(Array.from(c.x), [1, 2, 3, 5]);
  assert.deepEqual(Array.from(c.p), [1, 0.8, 0.4, 0.2]);
  assert.throws(() => ccdf([]), /empty/);
});

test('log-binned density integrates to 1 and follows the continuous power-law density', () => {
  const x = sampleContinuousPowerLaw(200000, 2.5, 1, new Random(1));
  const b = logBinnedDensity(x, { binsPerDecade: 5 });
  let total = 0;
  for (let i = 0; i < b.density.length; i++) total += b.density[i] * b.widths[i];
  assert.ok(Math.abs(total - 1) < 1e-12);
  // Bins with many counts: density within 4 Poisson errors of the exact bin average.
  for (let k = 0; k + 1 < b.edges.length; k++) {
    const a = b.edges[k];
    const z = b.edges[k + 1];
    const idx = Array.from(b.centers).findIndex((c) => Math.abs(c - Math.sqrt(a * z)) < 1e-9 * c);
    if (idx < 0 || b.counts[idx] < 1000) continue;
    const exact = (a ** -1.5 - z ** -1.5) / (z - a);
    assert.ok(Math.abs(b.density[idx] - exact) < 4 * b.errors[idx], `bin [${a}, ${z})`);
  }
});

test('discrete log-binned density is a mass per integer (matches the pmf at small s)', () => {
  const x = sampleDiscretePowerLaw(300000, 2, 1, new Random(2));
  const b = logBinnedDensity(x, { binsPerDecade: 10, discrete: true });
  // First bins hold single integers 1, 2, 3 … whose mass is k^−2/ζ(2).
  assert.equal(b.widths[0], 1);
  assert.ok(Math.abs(b.density[0] - 1 / hurwitzZeta(2, 1)) < 4 * b.errors[0]);
  let total = 0;
  for (let i = 0; i < b.density.length; i++) total += b.density[i] * b.widths[i];
  assert.ok(Math.abs(total - 1) < 1e-12);
  assert.throws(() => logBinnedDensity([1, 2.5], { discrete: true }), /not an integer/);
});

test('power-law samplers refuse draws that overflow (alpha near 1 without xmax) instead of returning Infinity or hanging', () => {
  assert.throws(
    () => sampleContinuousPowerLaw(1_000_000, 1.001, 1, new Random(1)),
    /sampleContinuousPowerLaw: alpha = 1\.001 with xmax = Infinity gives draws to Infinity/,
  );
  assert.throws(
    () => sampleDiscretePowerLaw(100_000, 1.001, 1, new Random(1)),
    /sampleDiscretePowerLaw: alpha = 1\.001 with xmax = Infinity gives draws beyond 2\^53/,
  );
  // With a finite cutoff the same alpha is fine.
  const capped = sampleDiscretePowerLaw(10_000, 1.001, 1, new Random(1), 1e6);
  assert.ok(capped.every((x) => Number.isInteger(x) && x >= 1 && x <= 1e6));
  const cappedContinuous = sampleContinuousPowerLaw(10_000, 1.001, 1, new Random(1), 1e6);
  assert.ok(cappedContinuous.every((x) => x >= 1 && x <= 1e6));
});
