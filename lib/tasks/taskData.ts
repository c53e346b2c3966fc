/**
 * What every task returns: dense float32 inputs and targets for a training and a test set,
 * plus metadata. Inputs are row-major [examples, inputDim].
 *
 * Targets: for a binary task (`classes` = 2, `outputDim` = 1) `yTrain[i]` ∈ {0, 1};
 * for a multi-class task (`outputDim` = `classes` > 2) `yTrain[i]` is the class index.
 */
export interface TaskData {
  /** Task name, e.g. 'xor'. */
  name: string;
  /** Number of input features. */
  inputDim: number;
  /** Number of network outputs: 1 for a binary task (a single logit), else the number of classes. */
  outputDim: number;
  /** Number of classes (2 for binary tasks). */
  classes: number;
  xTrain: Float32Array;
  yTrain: Int32Array;
  nTrain: number;
  /** Test inputs; empty (nTest = 0) for a task without a split (XOR). */
  xTest: Float32Array;
  yTest: Int32Array;
  nTest: number;
  /**
   * For tasks whose input is a sum of one-hot blocks (modular addition: a one-hot of a and a
   * one-hot of b): the active input index of each block per example, row-major
   * [examples, blocks]. Lets the first layer be computed as a sum of weight rows (exactly equal
   * to the one-hot matrix product). Null for dense inputs.
   */
  trainActive: Int32Array | null;
  testActive: Int32Array | null;
  /** Task-specific facts (hidden bits of sparse parity, p, split sizes, …), JSON-serialisable. */
  metadata: Record<string, unknown>;
}
