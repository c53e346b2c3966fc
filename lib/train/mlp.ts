import { tf } from '../backend/index';
import { Activation, LossName } from './config';
import { LayoutSpec, parameterCount, parameterShapes } from './layout';

/** One evaluated batch: the network outputs (row-major [n, outputs]) and, if asked, the gradient. */
export interface Evaluation {
  /** Raw outputs (logits for bce / cross-entropy), float32, row-major [n, outputDim]. */
  outputs: Float32Array;
  /** Mean loss over the batch as computed by tfjs (float32), used to detect NaN/Inf. */
  loss: number;
  /** ∂loss/∂θ in canonical order (see layout.ts), or null for a forward-only evaluation. */
  grad: Float32Array | null;
}

/** A batch of examples uploaded to the backend once and reused every step. */
export interface DeviceBatch {
  x: tf.Tensor2D;
  /** bce/mse binary: [n, 1] float targets; cross-entropy/mse multi-class: [n, classes] one-hot. */
  target: tf.Tensor2D;
  n: number;
  dispose(): void;
}

/**
 * A dense MLP on the active tfjs backend, with parameters passed in from the Float64 master
 * copy (rounded to float32) on every call. Hidden layers use `activation`; the output layer is
 * linear. Losses are means over the batch:
 *   bce — binary cross-entropy with logits, one output: mean(max(x,0) − x·z + log(1 + e^−|x|));
 *   cross-entropy — softmax cross-entropy against the class index;
 *   mse — mean over all outputs of (output − target)², target z ∈ {0,1} or one-hot.
 */
export class Mlp {
  readonly shapes: number[][];
  readonly size: number;
  private readonly layers: number;

  constructor(readonly spec: LayoutSpec, readonly activation: Activation, readonly loss: LossName) {
    this.shapes = parameterShapes(spec);
    this.size = parameterCount(spec);
    this.layers = spec.layerSizes.length - 1;
  }

  /** Uploads inputs (row-major [n, inputDim]) and integer targets. */
  upload(x: Float32Array, y: Int32Array, n: number): DeviceBatch {
    const inputDim = this.spec.layerSizes[0];
    const outputDim = this.spec.layerSizes[this.layers];
    const xt = tf.tensor2d(x, [n, inputDim], 'float32');
    let target: tf.Tensor2D;
    if (outputDim === 1) {
      target = tf.tensor2d(Float32Array.from(y), [n, 1], 'float32');
    } else {
      const onehot = new Float32Array(n * outputDim);
      for (let i = 0; i < n; i++) onehot[i * outputDim + y[i]] = 1;
      target = tf.tensor2d(onehot, [n, outputDim], 'float32');
    }
    return { x: xt, target, n, dispose: () => { xt.dispose(); target.dispose(); } };
  }

  private forward(params: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    let a: tf.Tensor2D = x;
    let k = 0;
    for (let l = 0; l < this.layers; l++) {
      let z: tf.Tensor2D = tf.matMul(a, params[k++] as tf.Tensor2D);
      if (this.spec.bias) z = tf.add(z, params[k++]) as tf.Tensor2D;
      if (l < this.layers - 1) {
        if (this.activation === 'relu') z = tf.relu(z);
        else if (this.activation === 'tanh') z = tf.tanh(z);
        else z = tf.square(z);
      }
      a = z;
    }
    return a;
  }

  private lossOf(outputs: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
    if (this.loss === 'bce') {
      // Stable form of −z·log σ(x) − (1−z)·log(1−σ(x)).
      const x = outputs;
      const terms = tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(x))))));
      return tf.mean(terms) as tf.Scalar;
    }
    if (this.loss === 'cross-entropy') {
      const logProbabilities = tf.logSoftmax(outputs);
      return tf.neg(tf.div(tf.sum(tf.mul(target, logProbabilities)), outputs.shape[0])) as tf.Scalar;
    }
    return tf.mean(tf.square(tf.sub(outputs, target))) as tf.Scalar;
  }

  private parameterTensors(theta: Float64Array): tf.Tensor[] {
    const tensors: tf.Tensor[] = [];
    let offset = 0;
    for (const shape of this.shapes) {
      const count = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = theta[offset + i];
      tensors.push(tf.tensor(values, shape, 'float32'));
      offset += count;
    }
    return tensors;
  }

  /** Outputs, mean loss and (if `withGrad`) the gradient at `theta` on `batch`. */
  evaluate(theta: Float64Array, batch: DeviceBatch, withGrad: boolean): Evaluation {
    let result: Evaluation | null = null;
    // tidy disposes every intermediate tensor; the numbers leave through `result`.
    tf.tidy(() => {
      const params = this.parameterTensors(theta);
      if (!withGrad) {
        const outputs = this.forward(params, batch.x);
        const loss = this.lossOf(outputs, batch.target);
        result = { outputs: outputs.dataSync() as Float32Array, loss: loss.dataSync()[0], grad: null };
        return;
      }
      let kept: tf.Tensor2D | null = null;
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const outputs = this.forward(ps, batch.x);
        kept = tf.keep(outputs);
        return this.lossOf(outputs, batch.target);
      })(params);
      const grad = new Float32Array(this.size);
      let offset = 0;
      for (const g of grads) {
        const data = g.dataSync() as Float32Array;
        grad.set(data, offset);
        offset += data.length;
      }
      const outputs = (kept as unknown as tf.Tensor2D).dataSync() as Float32Array;
      (kept as unknown as tf.Tensor2D).dispose();
      result = { outputs, loss: value.dataSync()[0], grad };
    });
    return result!;
  }
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
