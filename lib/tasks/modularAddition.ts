import { checkInteger, checkOpenInterval, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';
import { TaskData } from './taskData';

/** Options of {@link modularAdditionTask}. */
export interface ModularAdditionOptions {
  /** [59] modulus p (≥ 2; p = 97 and 113 are the common literature values). */
  p?: number;
  /** [0.8] fraction of the p² pairs used for training, in (0, 1). */
  trainFraction?: number;
}

/**
 * Modular addition (a + b) mod p over all p² ordered pairs. Input: one-hot of a (units
 * 0 … p−1) followed by one-hot of b (units p … 2p−1), so inputDim = 2p; output: p classes.
 * The pairs are shuffled with `seed`; the first round(trainFraction · p²) are the training
 * set, the rest the test set (both sets non-empty).
 */
export function modularAdditionTask(options: ModularAdditionOptions, seed: number): TaskData {
  const p = checkInteger('task.p', options.p ?? 59, 2, 1000);
  const trainFraction = checkOpenInterval('task.trainFraction', options.trainFraction ?? 0.8, 0, 1);
  const pairs = p * p;
  const nTrain = Math.round(trainFraction * pairs);
  if (nTrain < 1 || nTrain >= pairs) {
    throw new InvalidOptionError('task.trainFraction', `gives ${nTrain} training pairs out of ${pairs}; both sets must be non-empty`);
  }
  const order = new Random(seed).permutation(pairs);
  const build = (from: number, to: number) => {
    const count = to - from;
    const x = new Float32Array(count * 2 * p);
    const y = new Int32Array(count);
    const active = new Int32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const pair = order[from + i];
      const a = Math.floor(pair / p);
      const b = pair % p;
      x[i * 2 * p + a] = 1;
      x[i * 2 * p + p + b] = 1;
      active[2 * i] = a;
      active[2 * i + 1] = p + b;
      y[i] = (a + b) % p;
    }
    return { x, y, active };
  };
  const train = build(0, nTrain);
  const test = build(nTrain, pairs);
  return {
    name: 'modular-addition',
    inputDim: 2 * p,
    outputDim: p,
    classes: p,
    xTrain: train.x,
    yTrain: train.y,
    nTrain,
    xTest: test.x,
    yTest: test.y,
    nTest: pairs - nTrain,
    trainActive: train.active,
    testActive: test.active,
    metadata: { p, trainFraction, nTrain, nTest: pairs - nTrain },
  };
}
