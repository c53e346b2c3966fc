import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/backend/index';
import { Activation, LossName } from '../../lib/train/config';
import { initParameters } from '../../lib/train/init';
import { lossAndAccuracy, Mlp } from '../../lib/train/mlp';

/** Independent float64 reference: loss of an MLP of any depth, parameters in canonical order. */
function referenceLoss(
  theta: Float64Array,
  sizes: number[],
  bias: boolean,
  act: Activation,
  loss: LossName,
  x: Float32Array,
  y: Int32Array,
  n: number,
): number {
  let total = 0;
  const o = sizes[sizes.length - 1];
  for (let r = 0; r < n; r++) {
    let a = Array.from(x.subarray(r * sizes[0], (r + 1) * sizes[0]), Number);
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const z = new Array<number>(fanOut).fill(0);
      for (let i = 0; i < fanIn; i++) for (let j = 0; j < fanOut; j++) z[j] += a[i] * theta[offset + i * fanOut + j];
      offset += fanIn * fanOut;
      if (bias) {
        for (let j = 0; j < fanOut; j++) z[j] += theta[offset + j];
        offset += fanOut;
      }
      const hidden = l + 2 < sizes.length;
      a = hidden ? z.map((v) => (act === 'tanh' ? Math.tanh(v) : act === 'relu' ? Math.max(0, v) : v * v)) : z;
    }
    const out = a;
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
  { name: 'two hidden layers, tanh + bias, BCE', sizes: [3, 4, 3, 1], bias: true, act: 'tanh', loss: 'bce' },
  { name: 'two hidden layers, relu, softmax CE', sizes: [4, 5, 3, 3], bias: false, act: 'relu', loss: 'cross-entropy' },
];

for (const c of cases) {
  test(`tfjs gradient matches central finite differences of an independent float64 loss (${c.name})`, async () => {
    await initBackend();
    const n = 5;
    const x = Float32Array.from({ length: n * c.sizes[0] }, (_, i) => Math.sin(1.7 * i + 0.3));
    const y = Int32Array.from({ length: n }, (_, i) => i % Math.max(2, c.sizes[c.sizes.length - 1]));
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

test("one-hot inputs: the row-lookup first layer gives the dense product's outputs and gradient, and matches finite differences", async () => {
  await initBackend();
  // Two one-hot blocks of 4 units (like modular addition's a and b), 7 examples, x² activation.
  const sizes = [8, 5, 4];
  const n = 7;
  const active = Int32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? (i * 3) % 4 : 4 + ((i * 5) % 4)));
  const x = new Float32Array(n * 8);
  for (let r = 0; r < n; r++) for (let b = 0; b < 2; b++) x[r * 8 + active[2 * r + b]] = 1;
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  const theta = initParameters({ layerSizes: sizes, bias: false }, 1.5, 5);
  for (let i = 0; i < theta.length; i++) theta[i] = Math.fround(theta[i]);
  const mlp = new Mlp({ layerSizes: sizes, bias: false }, 'quadratic', 'cross-entropy');
  const sparse = mlp.upload(x, y, n, active);
  const dense = mlp.upload(x, y, n);
  const a = mlp.evaluate(theta, sparse, true);
  const b = mlp.evaluate(theta, dense, true);
  dense.dispose();
  assert.deepEqual(a.outputs, b.outputs);
  for (let i = 0; i < theta.length; i++)
    assert.ok(Math.abs(a.grad![i] - b.grad![i]) <= 1e-6 * (1 + Math.abs(b.grad![i])), `parameter ${i}: ${a.grad![i]} vs ${b.grad![i]}`);
  const h = 1e-5;
  for (let i = 0; i < theta.length; i++) {
    const plus = theta.slice();
    const minus = theta.slice();
    plus[i] += h;
    minus[i] -= h;
    const fd =
      (referenceLoss(plus, sizes, false, 'quadratic', 'cross-entropy', x, y, n) - referenceLoss(minus, sizes, false, 'quadratic', 'cross-entropy', x, y, n)) /
      (2 * h);
    assert.ok(Math.abs(a.grad![i] - fd) < 2e-4 + 1e-3 * Math.abs(fd), `parameter ${i}: ${a.grad![i]} vs finite difference ${fd}`);
  }
  // Inputs that are not the one-hot blocks named by `active` are refused.
  const wrong = x.slice();
  wrong[0] = 0.5;
  assert.throws(() => mlp.upload(wrong, y, n, active), /one-hot inputs must be 0 or 1/);
  assert.throws(
    () =>
      mlp.upload(
        x,
        y,
        n,
        Int32Array.from(active, (v) => (v + 1) % 8),
      ),
    /not a 1 of its input row/,
  );
});

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
