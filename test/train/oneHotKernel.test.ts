import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Activation } from '../../lib/train/config';
import { OneHotKernel, oneHotBackwardJs, oneHotForwardJs } from '../../lib/train/oneHotKernel';
import { Random } from '../../lib/util/random';

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

/** Random layer data with values of mixed signs and magnitudes, some exact zeros and −0. */
function layer(random: Random, rows: number, width: number, n: number, blocks: number) {
  const value = () => {
    const u = random.uniform();
    if (u < 0.02) return 0;
    if (u < 0.04) return -0;
    return (random.uniform() * 2 - 1) * 10 ** (random.uniform() * 6 - 3);
  };
  const w = Float32Array.from({ length: rows * width }, value);
  const bias = Float32Array.from({ length: width }, value);
  // One active unit per block, in the block's own range of rows (like a one-hot of a and of b).
  const per = Math.floor(rows / blocks);
  const active = Int32Array.from({ length: n * blocks }, (_, i) => (i % blocks) * per + random.integer(per));
  const dA = Float32Array.from({ length: n * width }, value);
  return { w, bias, active, dA };
}

test('one-hot layer: the WebAssembly SIMD kernel gives the JavaScript reference bit for bit (forward z, a; backward ∂W, ∂b)', () => {
  const random = new Random(7);
  const activations: Array<Activation | null> = ['quadratic', 'relu', null];
  let cases = 0;
  for (const activation of activations) {
    const kernel = OneHotKernel.for(activation);
    assert.ok(kernel, 'WebAssembly SIMD is available in Node ≥ 20');
    // Widths around multiples of 4 (the vector lanes) and of 2 (the float64 pairs); 1–3 blocks; with and without bias.
    for (const width of [1, 2, 3, 4, 5, 7, 8, 13, 64, 126]) {
      for (const blocks of [1, 2, 3]) {
        for (const withBias of [false, true]) {
          const rows = 6 * blocks;
          const n = 17;
          const { w, bias, active, dA } = layer(random, rows, width, n, blocks);
          const b = withBias ? bias : null;
          const z = new Float32Array(n * width);
          const a = activation ? new Float32Array(n * width) : null;
          oneHotForwardJs(w, b, active, n, width, activation, z, a);
          const step = kernel!.forward(w, b, active, n, width, activation);
          assert.deepEqual(bits(step.z), bits(z), `z: ${activation} width ${width} blocks ${blocks} bias ${withBias}`);
          if (a) assert.deepEqual(bits(step.a!), bits(a), `a: ${activation} width ${width} blocks ${blocks}`);
          const size = rows * width + (withBias ? width : 0) + 3;
          const expected = new Float32Array(size).fill(NaN);
          const actual = new Float32Array(size).fill(NaN);
          const bOffset = withBias ? rows * width + 3 : -1;
          oneHotBackwardJs(dA, z, a, activation, active, n, width, rows, expected, 3, bOffset);
          kernel!.backward(step, dA, activation, actual, 3, bOffset);
          assert.deepEqual(bits(actual), bits(expected), `grad: ${activation} width ${width} blocks ${blocks} bias ${withBias}`);
          cases++;
        }
      }
    }
  }
  assert.equal(cases, 180);
  assert.equal(OneHotKernel.for('tanh'), null, 'tanh stays in JavaScript');
});

test('one-hot layer kernel: memory grows for a larger layer and a smaller one after it still agrees', () => {
  const random = new Random(3);
  const kernel = OneHotKernel.for('quadratic')!;
  for (const [n, width] of [
    [2785, 500],
    [10, 9],
  ] as const) {
    const { w, active, dA } = layer(random, 118, width, n, 2);
    const z = new Float32Array(n * width);
    const a = new Float32Array(n * width);
    oneHotForwardJs(w, null, active, n, width, 'quadratic', z, a);
    const step = kernel.forward(w, null, active, n, width, 'quadratic');
    assert.deepEqual(bits(step.a!), bits(a));
    const expected = new Float32Array(118 * width);
    const actual = new Float32Array(118 * width);
    oneHotBackwardJs(dA, z, a, 'quadratic', active, n, width, 118, expected, 0, -1);
    kernel.backward(step, dA, 'quadratic', actual, 0, -1);
    assert.deepEqual(bits(actual), bits(expected));
  }
});
