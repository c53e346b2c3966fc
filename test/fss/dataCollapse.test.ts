import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { autoscaleCollapse, binCollapseCurves } from '../../lib/fss/collapse';
import { collapseCoverage } from '../../lib/fss/collapseCoverage';
import { collapseQualityProfile } from '../../lib/fss/collapseProfile';
import { collapseAmplitude } from '../../lib/fss/collapseQuality';

// Known answers: sizes drawn exactly from P_N(s) ∝ s^(−τ) e^(−s/N^D) at the paper's eight scales
// N = 4h + 1. Measured coverage of the 95 % intervals (bench/collapse.bench.ts, 40 data sets per
// case, 100 resamples): τ 1.5, D 1.0, 20 000 per scale: τ 40/40, D 39/40; τ 1.2, D 0.8: 40/40,
// 40/40; τ 1.5, D 1.0 with a 20 % non-scaling region: τ 38/40, D 40/40; τ 1.3, D 1.4, 50 000,
// non-scaling: τ 34/40, D 37/40 (all numbers in the doc comment of dataCollapse). The tests below
// use fixed draws, so they are deterministic.

test('recovers τ = 1.5, D = 1.0 within 0.1 in each of four draws (20 000 avalanches per scale); the intervals contain the truth in at least three', () => {
  let covered = 0;
  for (const seed of [11, 12, 13, 14]) {
    const r = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 20000, seed }), { bootstrap: 20, seed });
    assert.ok(Math.abs(r.tau - 1.5) < 0.1, `seed ${seed}: τ ${r.tau}`);
    assert.ok(Math.abs(r.D - 1.0) < 0.1, `seed ${seed}: D ${r.D}`);
    if (r.tauLow <= 1.5 && 1.5 <= r.tauHigh && r.DLow <= 1.0 && 1.0 <= r.DHigh) covered++;
    assert.ok(r.holds, r.note);
    assert.ok(r.S > 0.5 && r.S < 1.5, `S ${r.S} (≈ 1 with honest Poisson errors)`);
    assert.equal(r.onBoundary, false);
    assert.equal(r.sMinRule, 'plateau');
    // The result still reads as an AutoscaleResult.
    for (const key of ['tau', 'D', 'tauStandardError', 'DStandardError', 'S', 'terms', 'converged', 'evaluations']) assert.ok(key in r, key);
  }
  assert.ok(covered >= 3, `intervals contain (τ, D) in ${covered} of 4 draws`);
});

test('recovers τ = 1.2, D = 0.8 within 0.1 with a non-scaling small-size region: s_min moves above it', () => {
  const data = syntheticCollapseSizes({ tau: 1.2, D: 0.8, avalanches: 20000, nonScalingFraction: 0.2, nonScalingMean: 2, seed: 5 });
  const r = dataCollapse(data, { bootstrap: 20, seed: 2 });
  assert.ok(Math.abs(r.tau - 1.2) < 0.1, `τ ${r.tau}`);
  assert.ok(Math.abs(r.D - 0.8) < 0.1, `D ${r.D}`);
  assert.ok(r.sMin > 1, `s_min ${r.sMin}`);
  assert.ok(r.holds, r.note);
  // Every curve of the collapse starts at s_min or above.
  for (const c of r.curves) assert.ok(c.s[0] >= r.sMin);
  // Forcing s_min = 1 puts the non-scaling region into the fit: far from the truth.
  const low = dataCollapse(data, { sMin: 1, bootstrap: 0 });
  assert.equal(low.sMinRule, 'fixed');
  assert.ok(Math.abs(low.tau - 1.2) > 0.1 || Math.abs(low.D - 0.8) > 0.1, `forced s_min = 1: τ ${low.tau}, D ${low.D}`);
});

test('the normalisation amplitude removes the τ bias of the textbook collapse (τ = 1.2, D = 0.8, exact data)', () => {
  // Z_N converges only as N^(−D(τ−1)) = N^(−0.16): without the amplitude, τ comes out ≈ 0.1 high.
  const data = syntheticCollapseSizes({ tau: 1.2, D: 0.8, avalanches: 50000, seed: 3 });
  const withAmplitude = dataCollapse(data, { sMin: 3, bootstrap: 0 });
  const textbook = dataCollapse(data, { sMin: 3, bootstrap: 0, amplitude: 'none' });
  assert.ok(Math.abs(withAmplitude.tau - 1.2) < 0.03, `τ ${withAmplitude.tau}`);
  assert.ok(textbook.tau - 1.2 > 0.07, `textbook τ ${textbook.tau}`);
  assert.equal(textbook.beta, 0);
  // The old autoscaleCollapse with its defaults on the same data: the failure this replaces.
  const legacy = autoscaleCollapse(binCollapseCurves(data, { binsPerDecade: 10 }), { tau: 1.5, D: 1 });
  assert.ok(Math.abs(legacy.tau - 1.2) > 0.05 || Math.abs(legacy.D - 0.8) > 0.1, `legacy τ ${legacy.tau}, D ${legacy.D}`);
});

test('no scaling → no collapse: identical distributions at every N, and a shape that changes with N', () => {
  const same = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 0, cutoffAmplitude: 300, avalanches: 5000, seed: 1 }), { sMin: 1, bootstrap: 0 });
  assert.equal(same.holds, false);
  assert.equal(same.DEdge, 'lower', same.note);
  assert.match(same.note, /do not grow with N/);
  const changing = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1, tauPerScale: [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], avalanches: 5000, seed: 1 }), {
    sMin: 1,
    bootstrap: 0,
  });
  assert.equal(changing.holds, false);
  assert.ok(changing.S > 2 || changing.onBoundary, changing.note);
});

test('an optimum on the edge of the allowed range is flagged, not reported as a collapse', () => {
  // S is steep in τ: with τ = 1.5 outside the allowed range the optimum is on its upper edge.
  const r = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 5000, seed: 2 }), { sMin: 2, bootstrap: 0, tauRange: [0.5, 1.3] });
  assert.equal(r.tauEdge, 'upper');
  assert.equal(r.tau, 1.3);
  assert.equal(r.onBoundary, true);
  assert.equal(r.holds, false);
  assert.match(r.note, /τ at the upper edge of its allowed range \[0.5, 1.3\]/);
});

test('same data, options and seed → identical result; another seed → other bootstrap draws', () => {
  const data = syntheticCollapseSizes({ tau: 1.6, D: 1.2, avalanches: 2000, seed: 8, scales: [81, 201, 505, 1265] });
  const a = dataCollapse(data, { bootstrap: 20, seed: 4 });
  const b = dataCollapse(data, { bootstrap: 20, seed: 4 });
  const c = dataCollapse(data, { bootstrap: 20, seed: 5 });
  const strip = (r: typeof a) =>
    JSON.stringify({
      ...r,
      histogram: undefined,
      curves: undefined,
      bootstrap: { ...r.bootstrap, tau: Array.from(r.bootstrap.tau), D: Array.from(r.bootstrap.D) },
    });
  assert.equal(strip(a), strip(b));
  assert.notDeepEqual(Array.from(a.bootstrap.tau), Array.from(c.bootstrap.tau));
  assert.equal(a.bootstrap.replicates, 20);
});

test('bad input and options are rejected with the field named', () => {
  const ok = syntheticCollapseSizes({ tau: 1.5, D: 1, avalanches: 200, scales: [81, 201, 505] });
  assert.throws(() => dataCollapse(ok.slice(0, 2)), /curves: need at least 3 scales/);
  assert.throws(() => dataCollapse([...ok.slice(0, 2), { scaleN: 999, sizes: [] }]), /curves\[2\]\.sizes: is empty/);
  assert.throws(() => dataCollapse([...ok.slice(0, 2), { scaleN: 999, sizes: [3, -1] }]), /curves\[2\]\.sizes: entry 1 is -1/);
  assert.throws(() => dataCollapse([...ok.slice(0, 2), { scaleN: 999, sizes: [3, NaN] }]), /curves\[2\]\.sizes: entry 1 is NaN/);
  assert.throws(() => dataCollapse([...ok.slice(0, 2), { scaleN: 0, sizes: [3] }]), /curves\[2\]\.scaleN/);
  assert.throws(() => dataCollapse(ok, { sMin: 'auto', bootstrap: 5 }), /bootstrap: .*needs bootstrap ≥ 20/);
  assert.throws(() => dataCollapse(ok, { sMin: -1 }), /sMin/);
  assert.throws(() => dataCollapse(ok, { sMin: 10, sMax: 5 }), /sMax: must be > sMin/);
  assert.throws(() => dataCollapse(ok, { tauRange: [2, 1] }), /tauRange/);
  assert.throws(() => dataCollapse(ok, { amplitude: 'free' as never }), /amplitude: got "free"; allowed values: "normalization", "none"/);
  assert.throws(() => dataCollapse(ok, { searchRadius: 1 } as never), /searchRadius: unknown option/);
});

test('coverage study mechanics, quality profile and amplitudes on a small case', () => {
  const cov = collapseCoverage({
    truth: { tau: 1.5, D: 1.0, avalanches: 1500, scales: [81, 201, 505, 1265] },
    replications: 2,
    collapse: { sMin: 2, bootstrap: 10 },
  });
  assert.equal(cov.rows.length, 2);
  assert.equal(cov.tauCovered.of, 2);
  const covered = cov.rows.filter((r) => r.tauLow <= 1.5 && 1.5 <= r.tauHigh).length;
  assert.equal(cov.tauCovered.count, covered);
  assert.ok(Math.abs(cov.tauCovered.standardError - Math.sqrt((cov.tauCovered.fraction * (1 - cov.tauCovered.fraction)) / 2)) < 1e-15);
  assert.throws(() => collapseCoverage({ truth: { tau: 1.5, D: 1 }, replications: 1, collapse: { seed: 3 } }), /collapse\.seed/);
  const r = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 3000, seed: 1 }), { sMin: 2, bootstrap: 10 });
  const pt = collapseQualityProfile(r, { parameter: 'tau', points: 21 });
  const pd = collapseQualityProfile(r, { parameter: 'D', points: 21 });
  // τ (with β) is the last stage of the search: the optimum is the smallest S along τ. D comes
  // from the first stage (β = 0), so along D the profile need not be smallest at the optimum.
  const finite = (p: typeof pt) => Array.from(p.S).filter(Number.isFinite);
  assert.ok(Math.min(...finite(pt)) >= r.S - 1e-9);
  assert.equal(finite(pd).length, 21);
  // A_N per window curve at the optimum: 1 − β at the smallest N, → 1 as N grows.
  assert.equal(r.amplitudes.length, r.curves.length);
  const smallest = Math.min(...r.curves.map((c) => c.scaleN));
  r.curves.forEach((c, i) => assert.equal(r.amplitudes[i], collapseAmplitude(c.scaleN, smallest, r.tau, r.D, r.beta)));
  assert.ok(Math.abs(r.amplitudes[r.curves.findIndex((c) => c.scaleN === smallest)] - (1 - r.beta)) < 1e-12);
  const none = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 3000, seed: 1 }), { sMin: 2, bootstrap: 0, amplitude: 'none' });
  assert.deepEqual(
    none.amplitudes,
    none.curves.map(() => 1),
  );
});
