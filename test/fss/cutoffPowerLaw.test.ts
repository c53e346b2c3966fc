import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { cutoffPowerLawMoment, sampleCutoffPowerLaw } from '../../lib/fss/cutoffPowerLaw';
import { PAPER_SCALES_N, syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';

function sampleMoment(x: Float64Array, k: number): number {
  let sum = 0;
  for (const v of x) sum += v ** k;
  return sum / x.length;
}

/** P(s) ∝ s^(−τ) e^(−s/s_c) summed directly, for the exact mass of single sizes. */
function exactMass(tau: number, cutoff: number, s: number): number {
  let z = 0;
  for (let k = 1; ; k++) {
    const t = Math.exp(-tau * Math.log(k) - k / cutoff);
    z += t;
    if (k > 10 && t < 1e-18 * z) break;
  }
  return Math.exp(-tau * Math.log(s) - s / cutoff) / z;
}

test('cutoffPowerLawMoment: the exact series (k = 0 is 1; τ = 0 is the geometric distribution)', () => {
  assert.equal(cutoffPowerLawMoment({ tau: 1.5, cutoff: 50 }, 0), 1);
  // τ = 0: P(s) = (1 − q) q^(s−1), q = e^(−1/s_c): mean 1/(1 − q), E[s²] = (1 + q)/(1 − q)².
  const q = Math.exp(-1 / 20);
  assert.ok(Math.abs(cutoffPowerLawMoment({ tau: 0, cutoff: 20 }, 1) - 1 / (1 - q)) < 1e-9);
  assert.ok(Math.abs(cutoffPowerLawMoment({ tau: 0, cutoff: 20 }, 2) / ((1 + q) / (1 - q) ** 2) - 1) < 1e-12);
  assert.throws(() => cutoffPowerLawMoment({ tau: 1.5, cutoff: 1e9 }, 1), /cutoff/);
  assert.throws(() => cutoffPowerLawMoment({ tau: 1.5, cutoff: 10 }, -1), /power/);
});

test('sampleCutoffPowerLaw: sample moments and single-size frequencies match the exact distribution (head, Pareto and geometric tails)', () => {
  // (τ, s_c): mostly head; heavy Pareto tail beyond 4096; τ < 1 uses the geometric tail envelope.
  for (const [tau, cutoff, n] of [
    [1.5, 100, 200000],
    [1.2, 20000, 200000],
    [0.8, 3000, 100000],
  ]) {
    const x = sampleCutoffPowerLaw(n, { tau, cutoff }, new Random(7));
    for (const k of [1, 2]) {
      const exact = cutoffPowerLawMoment({ tau, cutoff }, k);
      const se = Math.sqrt((cutoffPowerLawMoment({ tau, cutoff }, 2 * k) - exact ** 2) / n);
      const got = sampleMoment(x, k);
      assert.ok(Math.abs(got - exact) < 4 * se, `τ ${tau}, s_c ${cutoff}: E[s^${k}] ${got} vs exact ${exact} (SE ${se})`);
    }
    for (const s of [1, 2, 5]) {
      const p = exactMass(tau, cutoff, s);
      const got = x.filter((v) => v === s).length / n;
      assert.ok(Math.abs(got - p) < 4 * Math.sqrt((p * (1 - p)) / n), `τ ${tau}: P(${s}) ${got} vs ${p}`);
    }
    assert.ok(x.every((v) => Number.isInteger(v) && v >= 1));
  }
});

test('sampleCutoffPowerLaw: same seed → identical bytes; bad parameters are rejected by name', () => {
  const a = sampleCutoffPowerLaw(5000, { tau: 1.3, cutoff: 1e4 }, new Random(3));
  const b = sampleCutoffPowerLaw(5000, { tau: 1.3, cutoff: 1e4 }, new Random(3));
  assert.deepEqual(Buffer.from(a.buffer), Buffer.from(b.buffer));
  assert.throws(() => sampleCutoffPowerLaw(10, { tau: -1, cutoff: 10 }, new Random(1)), /tau/);
  assert.throws(() => sampleCutoffPowerLaw(10, { tau: 1.5, cutoff: Infinity }, new Random(1)), /cutoff/);
  assert.throws(() => sampleCutoffPowerLaw(1.5, { tau: 1.5, cutoff: 10 }, new Random(1)), /n/);
});

test('syntheticCollapseSizes: paper scales, cutoff c·N^D, non-scaling fraction and mean, independent streams per scale', () => {
  assert.deepEqual(PAPER_SCALES_N, [81, 129, 201, 321, 505, 801, 1265, 2001]);
  const data = syntheticCollapseSizes({ tau: 1.5, D: 1, avalanches: 50000, seed: 4 });
  assert.deepEqual(
    data.map((d) => d.scaleN),
    PAPER_SCALES_N,
  );
  // Mean size at N: E[s] of the cutoff power law with s_c = N.
  for (const d of [data[0], data[7]]) {
    const exact = cutoffPowerLawMoment({ tau: 1.5, cutoff: d.scaleN }, 1);
    const se = Math.sqrt((cutoffPowerLawMoment({ tau: 1.5, cutoff: d.scaleN }, 2) - exact ** 2) / 50000);
    assert.ok(Math.abs(sampleMoment(d.sizes, 1) - exact) < 4 * se, `N ${d.scaleN}`);
  }
  // Pure geometric part (τ = 0 with a tiny cutoff would differ): fraction 0.5, mean 4 → P(s = 1)
  // = 0.5·(1/4) + 0.5·P_cpl(1).
  const mixed = syntheticCollapseSizes({ tau: 1.5, D: 1, scales: [100, 200, 300], avalanches: 100000, nonScalingFraction: 0.5, nonScalingMean: 4, seed: 1 });
  const p1 = 0.5 * 0.25 + 0.5 * exactMass(1.5, 100, 1);
  const got = mixed[0].sizes.filter((v) => v === 1).length / 100000;
  assert.ok(Math.abs(got - p1) < 4 * Math.sqrt((p1 * (1 - p1)) / 100000), `P(1) ${got} vs ${p1}`);
  // Adding a scale leaves the others' draws unchanged.
  const fewer = syntheticCollapseSizes({ tau: 1.5, D: 1, scales: [100, 300], avalanches: 1000, seed: 1 });
  const more = syntheticCollapseSizes({ tau: 1.5, D: 1, scales: [100, 200, 300], avalanches: 1000, seed: 1 });
  assert.deepEqual(Array.from(fewer[1].sizes), Array.from(more[2].sizes));
  assert.throws(() => syntheticCollapseSizes({ tau: 1.5, D: 1, nonScalingFraction: 1 }), /nonScalingFraction/);
  assert.throws(() => syntheticCollapseSizes({ tau: 1.5, D: 1, scales: [10, 10] }), /scales\[1\]/);
  assert.throws(() => syntheticCollapseSizes({ tau: 1.5, D: 1, avalanche: 10 } as never), /avalanche: unknown option/);
});
