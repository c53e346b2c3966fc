import { tf } from '../backend/index';
import { Activation, LossName } from './config';
import { LayoutSpec, parameterCount, parameterShapes } from './layout';
import { activateRange, OneHotForward, OneHotKernel, oneHotBackwardJs, oneHotForwardJs } from './oneHotKernel';

/** One evaluated batch: the network outputs (row-major [n, outputs]) and, if asked, the gradient. */
export interface Evaluation {
  /** Raw outputs (logits for bce / cross-entropy), float32, row-major [n, outputDim]. */
  outputs: Float32Array;
  /** Mean loss over the batch (computed in float64 from the float32 outputs), used to detect NaN/Inf. */
  loss: number;
  /** ∂loss/∂θ in canonical order (see layout.ts), or null for a forward-only evaluation. */
  grad: Float32Array | null;
}

/**
 * A batch of examples prepared once and reused every step: dense inputs live on the tfjs
 * backend, one-hot inputs as their active indices in JavaScript.
 */
export interface DeviceBatch {
  /** Dense inputs [n, inputDim] on the backend, or null when the batch is one-hot (`active`). */
  x: tf.Tensor2D | null;
  /** For one-hot inputs: the active input unit of each block, row-major [n, blocks]. */
  active: Int32Array | null;
  /** Integer targets: the class index (multi-class) or 0/1 (one output). */
  y: Int32Array;
  n: number;
  /** Work buffers reused from step to step (the first layer's z and a), owned by the batch. */
  scratch: Map<string, Float32Array>;
  dispose(): void;
}

/**
 * A dense MLP trained by hand-written backpropagation: tfjs does every matrix product (on the
 * active backend: wasm/XNNPACK, native TensorFlow or cpu), JavaScript does everything elementwise
 * over typed arrays (first-layer lookups, biases, activations, the loss and its gradient, the
 * scatter-add of first-layer gradients). Parameters come in from the Float64 master copy and are
 * rounded to float32 on every call; matrix products run in float32; sums over the batch that
 * JavaScript does (bias gradients, first-layer scatter-add) accumulate in float64.
 *
 * Hidden layers use `activation` (relu, tanh or x²); the output layer is linear. Losses are means
 * over the batch:
 *   bce — binary cross-entropy with logits, one output: mean(max(x,0) − x·z + log(1 + e^−|x|));
 *   cross-entropy — softmax cross-entropy against the class index;
 *   mse — mean over all outputs of (output − target)², target z ∈ {0,1} or one-hot.
 *
 * One step, for layers l = 0 … L−1 (W_l [fanIn, fanOut] row-major, activations row-major [n, units]):
 *   1. z_0 = x·W_0 (+ b_0): for one-hot inputs the sum of the active rows of W_0 per example
 *      (exactly the one-hot product, without its n·inputDim·fanOut multiplications); otherwise a
 *      tfjs matMul against the inputs uploaded once.
 *   2. a_{l+1} = act(z_l) in JavaScript; z_{l+1} = a_{l+1}·W_{l+1} (+ b_{l+1}) by tfjs.
 *   3. The loss and δ_{L−1} = ∂loss/∂z_{L−1} from the outputs, in float64.
 *   4. For l = L−1 … 0: ∂W_l = a_lᵀ·δ_l, computed as (δ_lᵀ·a_l)ᵀ so that tfjs multiplies
 *      untransposed operands (its wasm kernel is ~10× slower with transpose flags); ∂b_l = Σ_rows δ_l;
 *      δ_{l−1} = (δ_l·W_lᵀ) ⊙ act′(z_{l−1}). For a one-hot first layer, ∂W_0 is the scatter-add of
 *      δ_0's rows into the active rows.
 */
export class Mlp {
  readonly shapes: number[][];
  readonly size: number;
  private readonly layers: number;
  private readonly sizes: number[];
  /** Offset in θ of each layer's weight matrix and bias vector (-1 without biases). */
  private readonly weightOffset: number[] = [];
  private readonly biasOffset: number[] = [];

  constructor(
    readonly spec: LayoutSpec,
    readonly activation: Activation,
    readonly loss: LossName,
  ) {
    this.shapes = parameterShapes(spec);
    this.size = parameterCount(spec);
    this.sizes = spec.layerSizes;
    this.layers = spec.layerSizes.length - 1;
    let offset = 0;
    for (let l = 0; l < this.layers; l++) {
      this.weightOffset.push(offset);
      offset += this.sizes[l] * this.sizes[l + 1];
      this.biasOffset.push(spec.bias ? offset : -1);
      if (spec.bias) offset += this.sizes[l + 1];
    }
  }

  /**
   * Prepares a batch. Inputs are row-major [n, inputDim]. When `active` is given (the active unit
   * of each one-hot block per example, row-major [n, blocks]), the inputs must be exactly those
   * one-hot blocks: checked here, so that the row lookup of step 1 equals the dense product.
   * @throws RangeError when the inputs do not match `active` or `y` has the wrong length.
   */
  upload(x: Float32Array, y: Int32Array, n: number, active: Int32Array | null = null): DeviceBatch {
    const inputDim = this.sizes[0];
    if (x.length !== n * inputDim) throw new RangeError(`Mlp.upload: inputs have ${x.length} values, expected n·inputDim = ${n}·${inputDim}`);
    if (y.length !== n) throw new RangeError(`Mlp.upload: ${y.length} targets for ${n} examples`);
    if (active) {
      checkOneHot(x, active, n, inputDim);
      return { x: null, active, y, n, scratch: new Map(), dispose: () => {} };
    }
    const xt = tf.tensor2d(x, [n, inputDim], 'float32');
    return { x: xt, active: null, y, n, scratch: new Map(), dispose: () => xt.dispose() };
  }

  /** Outputs, mean loss and (if `withGrad`) the gradient at `theta` on `batch`. */
  evaluate(theta: Float64Array, batch: DeviceBatch, withGrad: boolean): Evaluation {
    const { n } = batch;
    const L = this.layers;
    const sizes = this.sizes;
    const act = this.activation;
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      kept.push(t);
      return t;
    };
    try {
      // Forward. z[l] = z_l and a[l] = a_l (float32, row-major), aTensor[l] = a_l on the backend.
      const z: Float32Array[] = [];
      const a: Array<Float32Array | null> = [null];
      const aTensor: Array<tf.Tensor2D | null> = [null];
      // One-hot inputs: the WebAssembly kernel where it applies (same bits as the JavaScript path).
      const firstActivation = L > 1 ? act : null;
      const kernel = batch.active ? OneHotKernel.for(firstActivation) : null;
      let step: OneHotForward | null = null;
      if (kernel) {
        step = kernel.forward(this.weights(theta, 0), this.bias(theta, 0), batch.active as Int32Array, n, sizes[1], firstActivation);
        z.push(L > 1 ? step.z : step.z.slice()); // outputs leave this call: copy them out of kernel memory
        if (L > 1) a.push(step.a);
      } else if (batch.active) {
        // Work buffers are reused from step to step; outputs (no hidden layer) leave this call, so they get a fresh array.
        const z0 = L > 1 ? reuse(batch.scratch, 'z0', n * sizes[1]) : new Float32Array(n * sizes[1]);
        const a1 = firstActivation ? reuse(batch.scratch, 'a1', n * sizes[1]) : null;
        oneHotForwardJs(this.weights(theta, 0), this.bias(theta, 0), batch.active, n, sizes[1], firstActivation, z0, a1);
        z.push(z0);
        if (L > 1) a.push(a1);
      } else {
        const w = keep(tf.tensor2d(this.weights(theta, 0), [sizes[0], sizes[1]], 'float32'));
        z.push(addBias(readAndFree(tf.matMul(batch.x as tf.Tensor2D, w)), this.bias(theta, 0), n));
        if (L > 1) a.push(applyActivation(act, z[0]));
      }
      for (let l = 1; l < L; l++) {
        aTensor[l] = keep(tf.tensor2d(a[l] as Float32Array, [n, sizes[l]], 'float32'));
        const w = keep(tf.tensor2d(this.weights(theta, l), [sizes[l], sizes[l + 1]], 'float32'));
        z.push(addBias(readAndFree(tf.matMul(aTensor[l] as tf.Tensor2D, w)), this.bias(theta, l), n));
        if (l + 1 < L) a.push(applyActivation(act, z[l]));
      }
      const outputs = z[L - 1];
      const outputDim = sizes[L];
      const delta = withGrad ? new Float32Array(n * outputDim) : null;
      const loss = lossAndDelta(this.loss, outputs, batch.y, n, outputDim, delta);
      if (!delta) return { outputs, loss, grad: null };

      // Backward: d = δ_l = ∂loss/∂z_l.
      const grad = new Float32Array(this.size);
      let d: Float32Array = delta;
      for (let l = L - 1; l >= 1; l--) {
        const fanIn = sizes[l];
        const fanOut = sizes[l + 1];
        if (this.biasOffset[l] >= 0) columnSums(d, n, fanOut, grad, this.biasOffset[l]);
        this.weightGradient(l, d, aTensor[l] as tf.Tensor2D, n, grad, keep);
        const dTensor = keep(tf.tensor2d(d, [n, fanOut], 'float32'));
        const wT = keep(tf.tensor2d(transpose(this.weights(theta, l), fanIn, fanOut), [fanOut, fanIn], 'float32'));
        const dA = readAndFree(tf.matMul(dTensor, wT));
        if (l === 1 && batch.active) {
          // δ_0 = dA ⊙ act′(z_0), fused with the bias sums and the scatter-add of the first layer.
          if (kernel) kernel.backward(step as OneHotForward, dA, act, grad, this.weightOffset[0], this.biasOffset[0]);
          else oneHotBackwardJs(dA, z[0], a[1] as Float32Array, act, batch.active, n, fanIn, sizes[0], grad, this.weightOffset[0], this.biasOffset[0]);
          return { outputs, loss, grad };
        }
        multiplyByDerivative(act, dA, z[l - 1], a[l] as Float32Array);
        d = dA;
      }
      // Only reached for the first layer when it was not fused above.
      if (this.biasOffset[0] >= 0) columnSums(d, n, sizes[1], grad, this.biasOffset[0]);
      if (kernel) kernel.backward(step as OneHotForward, d, null, grad, this.weightOffset[0], -1);
      else if (batch.active) oneHotBackwardJs(d, null, null, null, batch.active, n, sizes[1], sizes[0], grad, this.weightOffset[0], -1);
      else this.weightGradient(0, d, batch.x as tf.Tensor2D, n, grad, keep);
      return { outputs, loss, grad };
    } finally {
      for (const t of kept) t.dispose();
    }
  }

  /**
   * ∂W_l = a_lᵀ·δ_l into grad, computed as δ_lᵀ·a_l (= ∂W_lᵀ, [fanOut, fanIn]) so that tfjs
   * multiplies untransposed operands, then written back transposed into the canonical order.
   */
  private weightGradient(l: number, d: Float32Array, input: tf.Tensor2D, n: number, grad: Float32Array, keep: <T extends tf.Tensor>(t: T) => T): void {
    const fanIn = this.sizes[l];
    const fanOut = this.sizes[l + 1];
    const dT = keep(tf.tensor2d(transpose(d, n, fanOut), [fanOut, n], 'float32'));
    const gradWT = readAndFree(tf.matMul(dT, input));
    const offset = this.weightOffset[l];
    for (let j = 0; j < fanOut; j++) for (let i = 0; i < fanIn; i++) grad[offset + i * fanOut + j] = gradWT[j * fanIn + i];
  }

  /** b_l rounded to float32, or null without biases. */
  private bias(theta: Float64Array, l: number): Float32Array | null {
    const offset = this.biasOffset[l];
    return offset < 0 ? null : Float32Array.from(theta.subarray(offset, offset + this.sizes[l + 1]));
  }

  /** W_l rounded to float32, row-major [fanIn, fanOut]. */
  private weights(theta: Float64Array, l: number): Float32Array {
    const start = this.weightOffset[l];
    return Float32Array.from(theta.subarray(start, start + this.sizes[l] * this.sizes[l + 1]));
  }
}

/** z[r, :] += bias in place (no-op for null); returns z. */
function addBias(z: Float32Array, bias: Float32Array | null, n: number): Float32Array {
  if (!bias) return z;
  const width = bias.length;
  for (let r = 0; r < n; r++) {
    const row = r * width;
    for (let j = 0; j < width; j++) z[row + j] += bias[j];
  }
  return z;
}

/** A work buffer of `length` floats kept in `scratch` under `name` (contents undefined). */
function reuse(scratch: Map<string, Float32Array>, name: string, length: number): Float32Array {
  let buffer = scratch.get(name);
  if (!buffer || buffer.length !== length) {
    buffer = new Float32Array(length);
    scratch.set(name, buffer);
  }
  return buffer;
}

/** Downloads a tensor's values and disposes it. */
function readAndFree(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

/** Throws unless row r of x is 1 exactly at the active units of r and 0 elsewhere. */
function checkOneHot(x: Float32Array, active: Int32Array, n: number, inputDim: number): void {
  if (n === 0 || active.length % n !== 0) throw new RangeError(`Mlp.upload: ${active.length} active indices do not split into ${n} examples`);
  const blocks = active.length / n;
  let ones = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 1) ones++;
    else if (x[i] !== 0) throw new RangeError(`Mlp.upload: input ${i} is ${x[i]}; one-hot inputs must be 0 or 1`);
  }
  for (let r = 0; r < n; r++) {
    for (let b = 0; b < blocks; b++) {
      const unit = active[r * blocks + b];
      if (!(unit >= 0 && unit < inputDim) || x[r * inputDim + unit] !== 1)
        throw new RangeError(`Mlp.upload: example ${r}: active unit ${unit} is not a 1 of its input row`);
    }
  }
  if (ones !== n * blocks) throw new RangeError(`Mlp.upload: inputs hold ${ones} ones, expected ${n * blocks} (n · blocks)`);
}

/** grad[offset + j] = Σ_r d[r, j], summed in float64. */
function columnSums(d: Float32Array, n: number, width: number, grad: Float32Array, offset: number): void {
  const sums = new Float64Array(width);
  for (let r = 0; r < n; r++) {
    const row = r * width;
    for (let j = 0; j < width; j++) sums[j] += d[row + j];
  }
  for (let j = 0; j < width; j++) grad[offset + j] = sums[j];
}

/** Row-major [rows, cols] → [cols, rows]. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}

function applyActivation(activation: Activation, z: Float32Array): Float32Array {
  const a = new Float32Array(z.length);
  activateRange(activation, z, a, 0, z.length);
  return a;
}

/** dA ⊙= act′(z) in place: relu 1[z > 0], tanh 1 − a² (a = tanh z), x² 2z. */
function multiplyByDerivative(activation: Activation, dA: Float32Array, z: Float32Array, a: Float32Array): void {
  if (activation === 'relu') {
    for (let i = 0; i < dA.length; i++) if (!(z[i] > 0)) dA[i] = 0;
  } else if (activation === 'tanh') {
    for (let i = 0; i < dA.length; i++) dA[i] *= 1 - a[i] * a[i];
  } else {
    for (let i = 0; i < dA.length; i++) dA[i] *= 2 * z[i];
  }
}

/**
 * Mean loss (float64) of `outputs` [n, outputDim] and, into `delta` when given, ∂loss/∂outputs:
 * bce (σ(x) − z)/n; cross-entropy (softmax − onehot)/n; mse 2(x − t)/(n·outputDim).
 */
function lossAndDelta(loss: LossName, outputs: Float32Array, y: Int32Array, n: number, outputDim: number, delta: Float32Array | null): number {
  let total = 0;
  if (loss === 'bce') {
    for (let r = 0; r < n; r++) {
      const x = outputs[r];
      const z = y[r];
      total += Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
      if (delta) delta[r] = (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))) - z;
    }
  } else if (loss === 'cross-entropy') {
    const exps = new Float64Array(outputDim);
    for (let r = 0; r < n; r++) {
      const row = r * outputDim;
      let max = -Infinity;
      for (let c = 0; c < outputDim; c++) if (outputs[row + c] > max) max = outputs[row + c];
      let s = 0;
      if (delta) {
        for (let c = 0; c < outputDim; c++) {
          const e = Math.exp(outputs[row + c] - max);
          exps[c] = e;
          s += e;
        }
        const scale = 1 / (s * n);
        for (let c = 0; c < outputDim; c++) delta[row + c] = exps[c] * scale;
        delta[row + y[r]] -= 1 / n;
      } else {
        for (let c = 0; c < outputDim; c++) s += Math.exp(outputs[row + c] - max);
      }
      total += max + Math.log(s) - outputs[row + y[r]];
    }
    return total / n;
  } else {
    const scale = 2 / (n * outputDim);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < outputDim; c++) {
        const target = outputDim === 1 ? y[r] : c === y[r] ? 1 : 0;
        const diff = outputs[r * outputDim + c] - target;
        total += diff * diff;
        if (delta) delta[r * outputDim + c] = scale * diff;
      }
    }
    return total / (n * outputDim);
  }
  if (delta) for (let r = 0; r < n; r++) delta[r] /= n;
  return total / n;
}

/** Mean loss and accuracy computed in float64 from a batch's outputs (the metrics' definition). */
export function lossAndAccuracy(loss: LossName, outputs: Float32Array, y: Int32Array, n: number, outputDim: number): { loss: number; accuracy: number } {
  if (n === 0) return { loss: NaN, accuracy: NaN };
  let total = 0;
  let correct = 0;
  if (outputDim === 1) {
    for (let i = 0; i < n; i++) {
      const x = outputs[i];
      const z = y[i];
      if (loss === 'mse') {
        total += (x - z) * (x - z);
        if ((x > 0.5 ? 1 : 0) === z) correct++;
      } else {
        total += Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
        if ((x > 0 ? 1 : 0) === z) correct++;
      }
    }
    return { loss: total / n, accuracy: correct / n };
  }
  for (let i = 0; i < n; i++) {
    const row = i * outputDim;
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < outputDim; c++) {
      if (outputs[row + c] > max) {
        max = outputs[row + c];
        best = c;
      }
    }
    if (best === y[i]) correct++;
    if (loss === 'mse') {
      for (let c = 0; c < outputDim; c++) {
        const d = outputs[row + c] - (c === y[i] ? 1 : 0);
        total += d * d;
      }
    } else {
      let s = 0;
      for (let c = 0; c < outputDim; c++) s += Math.exp(outputs[row + c] - max);
      total += max + Math.log(s) - outputs[row + y[i]];
    }
  }
  return { loss: loss === 'mse' ? total / (n * outputDim) : total / n, accuracy: correct / n };
}
