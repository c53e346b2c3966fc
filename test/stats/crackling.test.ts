import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { cracklingNoise } from '../../lib/stats/crackling';
import { sampleDiscretePowerLaw } from '../../lib/stats/samplers';

test('crackling noise: T ~ T^−2, s = T^γ·noise with γ = 1.5 ⇒ τ = 1 + (α_T − 1)/γ = 5/3; relation holds', () => {
  const rng = new Random(4);
  const T = sampleDiscretePowerLaw(20000, 2, 1, rng);
  const sizes = Float64Array.from(T, (t) => Math.max(1, Math.round(10 * t ** 1.5 * Math.exp(0.2 * rng.normal()))));
  const r = cracklingNoise({ sizes, durations: T, areas: T }, { bootstrap: 60, seed: 1 });
  assert.ok(Math.abs(r.alphaT.value - 2) < 0.05, `α_T ${r.alphaT.value}`);
  assert.ok(Math.abs(r.gamma.value - 1.5) < 0.05, `γ ${r.gamma.value}`);
  assert.ok(Math.abs(r.tau.value - 5 / 3) < 0.08, `τ ${r.tau.value}`);
  assert.ok(r.difference.ciLow < 0.15 && r.difference.ciHigh > -0.15, `difference CI [${r.difference.ciLow}, ${r.difference.ciHigh}]`);
  assert.ok(r.areaExponent && Math.abs(r.areaExponent.value - r.alphaT.value) < 1e-12);
  assert.ok(r.gamma.ciLow < r.gamma.value && r.gamma.value < r.gamma.ciHigh);
});

test('crackling noise: a violated relation is detected (γ = 1.5 but sizes reshuffled across durations)', () => {
  const rng = new Random(5);
  const T = sampleDiscretePowerLaw(20000, 2, 1, rng);
  const sizes = Float64Array.from(T, (t) => Math.max(1, Math.round(10 * t ** 1.5)));
  // Keep the size distribution but break ⟨s⟩(T): pair sizes with durations at random.
  rng.shuffle(sizes);
  const r = cracklingNoise({ sizes, durations: T }, { bootstrap: 40, seed: 1 });
  // ⟨s⟩ no longer grows with T (it is a noisy constant: the size distribution has no finite mean).
  assert.ok(r.gamma.value < 0.5, `γ ${r.gamma.value}`);
  assert.ok(r.difference.ciHigh < 0, `difference CI [${r.difference.ciLow}, ${r.difference.ciHigh}]`);
  assert.throws(() => cracklingNoise({ sizes: [1, 2], durations: [1] }), /durations: has 1 entries/);
});
