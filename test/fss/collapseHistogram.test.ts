import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { collapseHistogram, resampleCounts, windowCurves } from '../../lib/fss/collapseHistogram';
import { CollapseQualityKernel } from '../../lib/fss/collapseQuality';
import { binCollapseCurves, collapseQuality } from '../../lib/fss/collapse';
import { logBinnedDensity } from '../../lib/stats/ccdf';

const small = [
  { scaleN: 20, sizes: [1, 1, 2, 3, 5, 8, 13, 21, 40, 41] },
  { scaleN: 10, sizes: [1, 2, 2, 3, 4, 9] },
  { scaleN: 30, sizes: [1, 1, 1, 2, 6, 7, 100] },
];

test('collapseHistogram: shared integer edges from the smallest to the largest size, counts per scale sorted by N', () => {
  const h = collapseHistogram(small, { binsPerDecade: 5 });
  assert.equal(h.discrete, true);
  assert.deepEqual(Array.from(h.scales), [10, 20, 30]);
  assert.deepEqual(Array.from(h.totals), [6, 10, 7]);
  assert.equal(h.edges[0], 1);
  assert.ok(h.edges[h.edges.length - 1] > 100);
  h.counts.forEach((c, i) =>
    assert.equal(
      c.reduce((a, b) => a + b, 0),
      h.totals[i],
    ),
  );
  // Same edges and densities as logBinnedDensity when a scale spans the whole range.
  const reference = logBinnedDensity([1, 100, 5], { binsPerDecade: 5, discrete: true, keepEmpty: true });
  assert.deepEqual(Array.from(h.edges), Array.from(reference.edges));
  assert.deepEqual(Array.from(h.centres), Array.from(reference.centers));
});

test('windowCurves: whole bins inside [sMin, sMax] with ≥ minCount avalanches; density normalised by all avalanches', () => {
  const h = collapseHistogram(small, { binsPerDecade: 5 });
  const all = windowCurves(h, { sMin: 1, sMax: Infinity, minCount: 1, minPoints: 1 });
  const N20 = all.find((c) => c.scaleN === 20)!;
  assert.equal(
    N20.count.reduce((a, b) => a + b, 0),
    10,
  );
  const cut = windowCurves(h, { sMin: 3, sMax: 40, minCount: 1, minPoints: 1 });
  for (const c of cut) {
    assert.ok(c.s.every((s) => s >= 3 && s <= 40));
    // p = count/(n·width), dp = sqrt(count)/(n·width): dp/p = 1/sqrt(count).
    c.p.forEach((p, k) => assert.ok(Math.abs(c.dp[k] / p - 1 / Math.sqrt(c.count[k])) < 1e-12));
  }
  // A scale with fewer than minPoints bins drops out.
  assert.deepEqual(
    windowCurves(h, { sMin: 1, sMax: Infinity, minCount: 1, minPoints: 6 }).map((c) => c.scaleN),
    [20],
  );
});

test('resampleCounts: a resample of the avalanches (same totals, mean counts → the original), deterministic given the seed', () => {
  const h = collapseHistogram(small, { binsPerDecade: 5 });
  const a = resampleCounts(h, new Random(3));
  const b = resampleCounts(h, new Random(3));
  assert.deepEqual(
    a.map((c) => Array.from(c)),
    b.map((c) => Array.from(c)),
  );
  a.forEach((c, i) =>
    assert.equal(
      c.reduce((x, y) => x + y, 0),
      h.totals[i],
    ),
  );
  const rng = new Random(4);
  const mean = h.counts.map((c) => new Float64Array(c.length));
  const reps = 4000;
  for (let r = 0; r < reps; r++) resampleCounts(h, rng).forEach((c, i) => c.forEach((v, k) => (mean[i][k] += v / reps)));
  // Multinomial: SD of the mean count ≤ sqrt(n/4/reps) < 0.03.
  mean.forEach((m, i) => m.forEach((v, k) => assert.ok(Math.abs(v - h.counts[i][k]) < 0.15, `scale ${i} bin ${k}: ${v} vs ${h.counts[i][k]}`)));
});

test('collapseHistogram: bad input names the field', () => {
  assert.throws(() => collapseHistogram(small.slice(0, 2)), /curves: need at least 3 scales/);
  assert.throws(() => collapseHistogram([...small.slice(0, 2), { scaleN: 40, sizes: [] }]), /curves\[2\]\.sizes: is empty/);
  assert.throws(() => collapseHistogram([...small.slice(0, 2), { scaleN: 40, sizes: [1, 0] }]), /curves\[2\]\.sizes: entry 1 is 0/);
  assert.throws(() => collapseHistogram([...small.slice(0, 2), { scaleN: 40, sizes: [1, NaN] }]), /curves\[2\]\.sizes: entry 1 is NaN/);
  assert.throws(() => collapseHistogram([...small.slice(0, 2), { scaleN: NaN, sizes: [1] }]), /curves\[2\]\.scaleN/);
  assert.throws(() => collapseHistogram([...small.slice(0, 2), { scaleN: 10, sizes: [1] }]), /curves\[2\]\.scaleN: scale 10 appears twice/);
  assert.throws(
    () =>
      collapseHistogram(small, { discrete: true, binsPerDecade: 5 }) &&
      collapseHistogram([...small.slice(0, 2), { scaleN: 40, sizes: [1.5] }], { discrete: true }),
    /curves\[2\]\.sizes: entry 0 is 1.5, not an integer/,
  );
});

test('CollapseQualityKernel: the amplitude A_N = 1 − β (N/N₁)^(−D(τ−1)) undoes a normalisation offset exactly', () => {
  // Exact power laws P_N(s) = s^(−τ) / Z_N with Z_N = 1 − b N^(−D(τ−1)): with β = b N₁^(−D(τ−1))
  // the scaled curves all equal 1 (S = 0: every master-curve line is exact), without it they do not.
  const tau = 1.4;
  const D = 1;
  const b = 0.6;
  const curves = [10, 20, 40, 80].map((N) => {
    const s = Array.from({ length: 30 }, (_, k) => 10 ** (k / 10));
    const z = 1 - b * N ** (-D * (tau - 1));
    const p = s.map((x) => x ** -tau / z);
    return { scaleN: N, s, p, dp: p.map((v) => 0.01 * v) };
  });
  const kernel = new CollapseQualityKernel(curves);
  assert.ok(kernel.quality(tau, D, b * 10 ** (-D * (tau - 1))) < 1e-20);
  assert.ok(kernel.lastTerms > 100);
  assert.ok(kernel.quality(tau, D, 0) > 10);
  // β = 0 reproduces collapseQuality (the textbook S).
  const binned = binCollapseCurves(curves);
  assert.equal(kernel.quality(1.3, 1.1, 0), collapseQuality(binned, { tau: 1.3, D: 1.1 }).S);
  assert.equal(kernel.quality(tau, D, 2), Infinity); // A_N₁ = 1 − 2 < 0
});
