import { checkInteger } from '../util/errors';
import { Random } from '../util/random';
import { TaskData } from './taskData';

/** Options of {@link sparseParityTask}. */
export interface SparseParityOptions {
  /** [20] number of input bits n (≥ 1). */
  n?: number;
  /** [3] number of hidden bits k whose parity is the label (1 ≤ k ≤ n). */
  k?: number;
  /** [1000] training examples. */
  trainSize?: number;
  /** [1000] test examples (drawn independently of the training set). */
  testSize?: number;
}

/**
 * Sparse parity: inputs are n uniformly random bits coded ±1; the label is the parity of k
 * hidden bits (1 when an odd number of them are −1, i.e. their product is −1). The hidden
 * bits, the training set and the test set are drawn from `seed`. This is the
 * high-dimensional XOR (k = 2, n = 2 is XOR) that shows delayed generalisation with MLPs.
 */
export function sparseParityTask(options: SparseParityOptions, seed: number): TaskData {
  const n = checkInteger('task.n', options.n ?? 20, 1, 4096);
  const k = checkInteger('task.k', options.k ?? 3, 1, n);
  const trainSize = checkInteger('task.trainSize', options.trainSize ?? 1000, 1, 1e7);
  const testSize = checkInteger('task.testSize', options.testSize ?? 1000, 0, 1e7);
  const random = new Random(seed);
  const hiddenBits = Array.from(random.permutation(n).subarray(0, k)).sort((a, b) => a - b);
  const draw = (count: number): { x: Float32Array; y: Int32Array } => {
    const x = new Float32Array(count * n);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < n; j++) x[i * n + j] = random.nextUint32() & 1 ? 1 : -1;
      let odd = 0;
      for (const bit of hiddenBits) if (x[i * n + bit] < 0) odd ^= 1;
      y[i] = odd;
    }
    return { x, y };
  };
  const train = draw(trainSize);
  const test = draw(testSize);
  return {
    name: 'sparse-parity',
    inputDim: n,
    outputDim: 1,
    classes: 2,
    xTrain: train.x,
    yTrain: train.y,
    nTrain: trainSize,
    xTest: test.x,
    yTest: test.y,
    nTest: testSize,
    trainActive: null,
    testActive: null,
    metadata: { n, k, hiddenBits, trainSize, testSize },
  };
}
