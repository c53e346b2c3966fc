import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptimizerConfig } from '../../lib/train/config';
import { makeOptimizer } from '../../lib/train/optimizers';

const base: OptimizerConfig = { name: 'adamw', lr: 0.1, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };

test('AdamW matches the update formula on a hand-computed example', () => {
  // Step 1 by hand: θ ← θ·(1 − lr·wd) = (0.99, −1.98); m̂ = g, v̂ = g², so the Adam step is
  // lr·g/(|g| + ε): θ = (0.99 − 0.1·0.5/(0.5 + 1e-8), −1.98 + 0.1·0.1/(0.1 + 1e-8)).
  const theta = Float64Array.from([1, -2]);
  const opt = makeOptimizer(base, 2);
  opt.step(theta, [0.5, -0.1]);
  assert.ok(Math.abs(theta[0] - (0.99 - 0.05 / (0.5 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(theta[1] - (-1.98 + 0.01 / (0.1 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(theta[0] - 0.890000002) < 1e-12);
  // Step 2 (values from an independent Python evaluation of the same formula).
  opt.step(theta, [0.2, 0.3]);
  assert.ok(Math.abs(theta[0] - 0.7912424838829282) < 1e-12, String(theta[0]));
  assert.ok(Math.abs(theta[1] - -1.9106189910200655) < 1e-12, String(theta[1]));
});

test('AdamW decay is decoupled: with a zero gradient only the decay acts; Adam (L2) differs', () => {
  const theta = Float64Array.from([2]);
  const opt = makeOptimizer(base, 1);
  opt.step(theta, [0]);
  assert.equal(theta[0], 2 * (1 - 0.01)); // m = v = 0 → no Adam step
  const coupled = Float64Array.from([2]);
  makeOptimizer({ ...base, name: 'adam' }, 1).step(coupled, [0]);
  // Adam adds wd·θ = 0.2 to the gradient: the normalised step is lr·0.2/(0.2 + ε) ≈ 0.1.
  assert.ok(Math.abs(coupled[0] - (2 - (0.1 * 0.2) / (0.2 + 1e-8))) < 1e-15);
});

test('SGD with momentum: v ← μ v + g, θ ← θ − lr v', () => {
  const theta = Float64Array.from([1]);
  const opt = makeOptimizer({ ...base, name: 'sgd', lr: 0.5, momentum: 0.9, weightDecay: 0 }, 1);
  opt.step(theta, [1]); // v = 1, θ = 0.5
  assert.equal(theta[0], 0.5);
  opt.step(theta, [2]); // v = 0.9 + 2 = 2.9, θ = 0.5 − 1.45
  assert.ok(Math.abs(theta[0] - (0.5 - 1.45)) < 1e-15);
});

test('optimiser state round-trips exactly (checkpoint → restore continues identically)', () => {
  const a = Float64Array.from([0.3, -0.7, 1.1]);
  const opt = makeOptimizer(base, 3);
  opt.step(a, [0.1, 0.2, -0.3]);
  const state = opt.state();
  const b = a.slice();
  const other = makeOptimizer(base, 3);
  other.restore(state);
  opt.step(a, [0.4, -0.1, 0.05]);
  other.step(b, [0.4, -0.1, 0.05]);
  assert.deepEqual(a, b);
});
