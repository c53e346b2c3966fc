import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/backend/index';
import { Activation, LossName } from '../../lib/train/config';
import { initParameters } from '../../lib/train/init';
import { lossAndAccuracy, Mlp } from '../../lib/train/mlp';

/** Independent float64 reference: loss of a one-hidden-layer MLP, parameters in canonical order. */
function referenceLoss(theta: Float64Array, sizes: number[], bias: boolean, act: Activation, loss: LossName, x: Float32Array, y: Int32Array, n: number): number {
  const [a, h, o] = sizes;
  const w0 = (i: number, j: number) => theta[i * h + j];
  const b0 = (j: number) => (bias ? theta[a * h + j] : 0);
  const off1 = a * h + (bias ? h : 0);
  const w1 = (j: number, k: number) => theta[off1 + j * o + k];
  const b1 = (k: number) => (bias ? theta[off1 + h * o + k] : 0);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const hidden = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let z = b0(j);
      for (let i = 0; i < a; i++) z += x[r * a + i] * w0(i, j);
      hidden[j] = act === 'tanh' ? Math.tanh(z) : act === 'relu' ? Math.max(0, z) : z * z;
    }
    const out = new Float64Array(o);
    for (let k = 0; k < o; k++) {
      out[k] = b1(k);
      for (let j = 0; j < h; j++) out[k] += hidden[j] * w1(j, k);
    }
    if (loss === 'bce') total += Math.max(out[0], 0) - out[0] * y[r] + Math.log1p(Math.exp(-Math.abs(out[0])));
    else if (loss === 'mse') for (let k = 0; k < o; k++) total += (out[k] - (o === 1 ? y[r] : k === y[r] ? 1 : 0)) ** 2 / o;
    else {
      const m = Math.max(...out);
      total += m + Math.log(out.reduce((s, v) => s + Math.exp(v - m), 0)) - out[y[r]];
    }
  }
  return total / n;
}

const cases: Array<{ name: string; sizes: number[]; bias: boolean; act: Activation; loss: LossName }> = [
  { name: 'tanh + bias, BCE', sizes: [2, 4, 1], bias: true, act: 'tanh', loss: 'bce' },
  { name: 'x² without bias, softmax CE', sizes: [6, 5, 3], bias: false, act: 'quadratic', loss: 'cross-entropy' },
  { name: 'relu + bias, MSE multi-class', sizes: [3, 4, 3], bias: true, act: 'relu', loss: 'mse' },
];

for (const c of cases) {
  test(`tfjs gradient matches central finite differences of an independent float64 loss (${c.name})`, async () => {
    await initBackend();
    const n = 5;
    const x = Float32Array.from({ length: n * c.sizes[0] }, (_, i) => Math.sin(1.7 * i + 0.3));
    const y = Int32Array.from({ length: n }, (_, i) => i % Math.max(2, c.sizes[2]));
    const theta = initParameters({ layerSizes: c.sizes, bias: c.bias }, 1.5, 11);
    // Make parameters exactly float32 so tfjs and the reference see the same values.
    for (let i = 0; i < theta.length; i++) theta[i] = Math.fround(theta[i]);
    const mlp = new Mlp({ layerSizes: c.sizes, bias: c.bias }, c.act, c.loss);
    const batch = mlp.upload(x, y, n);
    const ev = mlp.evaluate(theta, batch, true);
    batch.dispose();
    const ref = referenceLoss(theta, c.sizes, c.bias, c.act, c.loss, x, y, n);
    assert.ok(Math.abs(ev.loss - ref) < 1e-5 * Math.max(1, Math.abs(ref)), `loss ${ev.loss} vs ${ref}`);
    const h = 1e-5;
    for (let i = 0; i < theta.length; i++) {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[i] += h;
      minus[i] -= h;
      const fd = (referenceLoss(plus, c.sizes, c.bias, c.act, c.loss, x, y, n) - referenceLoss(minus, c.sizes, c.bias, c.act, c.loss, x, y, n)) / (2 * h);
      assert.ok(Math.abs(ev.grad![i] - fd) < 2e-4 + 1e-3 * Math.abs(fd), `parameter ${i}: tfjs ${ev.grad![i]} vs finite difference ${fd}`);
    }
  });
}

test('lossAndAccuracy on hand values', () => {
  // BCE with logits 0 → ln 2 each; accuracy: logit > 0 predicts 1.
  const bce = lossAndAccuracy('bce', Float32Array.from([0, 3, -3]), Int32Array.from([1, 1, 1]), 3, 1);
  assert.ok(Math.abs(bce.loss - (Math.LN2 + Math.log1p(Math.exp(-3)) + 3 + Math.log1p(Math.exp(-3))) / 3) < 1e-12);
  assert.equal(bce.accuracy, 1 / 3);
  // Softmax CE with equal logits over 4 classes → ln 4; argmax ties pick the first class.
  const ce = lossAndAccuracy('cross-entropy', new Float32Array(8), Int32Array.from([0, 2]), 2, 4);
  assert.ok(Math.abs(ce.loss - Math.log(4)) < 1e-12);
  assert.equal(ce.accuracy, 0.5);
});
