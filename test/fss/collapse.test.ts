import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { autoscaleCollapse, binCollapseCurves, collapseQuality } from '../../lib/fss/collapse';

/** Sizes from P_N(s) ∝ s^(−τ) exp(−s/N^D), s ≥ 1 (Pareto proposal, exponential acceptance). */
function sampleCurves(tau: number, D: number, n: number, seed: number) {
  const rng = new Random(seed);
  return Array.from({ length: 8 }, (_, k) => {
    const N = 300 * 2 ** k;
    const cutoff = N ** D;
    const sizes = new Float64Array(n);
    for (let m = 0; m < n;) {
      const v = Math.pow(1 - rng.uniform(), -1 / (tau - 1));
      if (rng.uniform() < Math.exp(-v / cutoff)) sizes[m++] = v;
    }
    return { scaleN: N, sizes };
  });
}

test('autoscaleCollapse recovers τ = 1.5 and D = 1.2 (±0.05) from sampled distributions at eight sizes', () => {
  const curves = binCollapseCurves(sampleCurves(1.5, 1.2, 100000, 1), { binsPerDecade: 5 });
  const r = autoscaleCollapse(curves, { tau: 1.3, D: 1.0 });
  assert.ok(Math.abs(r.tau - 1.5) < 0.05, `tau ${r.tau}`);
  assert.ok(Math.abs(r.D - 1.2) < 0.05, `D ${r.D}`);
  assert.ok(r.tauStandardError > 0 && r.DStandardError > 0);
  // Honest Poisson errors: S near 1 at the optimum, much larger away from it.
  assert.ok(r.S > 0.6 && r.S < 1.6, `S ${r.S}`);
  assert.ok(collapseQuality(curves, { tau: 1.3, D: 0.9 }).S > 3 * r.S);
});

test('exact pre-binned curves with noise: τ and D recovered tightly', () => {
  const rng = new Random(2);
  const curves = Array.from({ length: 8 }, (_, k) => {
    const N = 100 * 2 ** k;
    const cutoff = N ** 1.2;
    const s: number[] = [];
    const p: number[] = [];
    const dp: number[] = [];
    for (let j = 0; j < 80; j++) {
      const x = 10 ** (j / 10);
      if (x > 20 * cutoff) break;
      const v = x ** -1.5 * Math.exp(-x / cutoff);
      s.push(x);
      p.push(v * (1 + 0.03 * rng.normal()));
      dp.push(0.03 * v);
    }
    return { scaleN: N, s, p, dp };
  });
  const r = autoscaleCollapse(curves, { tau: 1.3, D: 1.0 });
  assert.ok(Math.abs(r.tau - 1.5) < 0.02 && Math.abs(r.D - 1.2) < 0.02, `${r.tau}, ${r.D}`);
});

test('quality: two identical noiseless curves give S = 0; bad input is rejected', () => {
  // Two identical noiseless power-law curves collapse perfectly: S = 0.
  const s = [1, 2, 4, 8, 16, 32];
  const curve = (N: number) => ({ scaleN: N, s, p: s.map((x) => x ** -2), dp: s.map((x) => 0.1 * x ** -2) });
  const q = collapseQuality([curve(10), curve(20)], { tau: 2, D: 0 });
  assert.ok(q.S < 1e-20 && q.terms === 12);
  assert.throws(() => collapseQuality([curve(10)], { tau: 2, D: 0 }), /at least 2 curves/);
  assert.throws(() => collapseQuality([curve(10), curve(20)], { tau: NaN, D: 0 }), /tau/);
});
