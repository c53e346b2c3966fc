import { checkChoice } from '../util/errors';
import { TaskData } from './taskData';

/** Input codings of the XOR task. */
export const XOR_ENCODINGS = ['01', 'pm1'] as const;
export type XorEncoding = (typeof XOR_ENCODINGS)[number];

/** Options of {@link xorTask}. */
export interface XorOptions {
  /** ['01'] inputs in {0, 1} (the coding with which tanh + small init shows a plateau then a jump) or 'pm1' for {−1, +1}. */
  encoding?: XorEncoding;
}

/**
 * The paper's task: the four Boolean points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0; 2 inputs,
 * one logit output, no train/test split (the transition is the jump of training accuracy
 * from 2/4 or 3/4 to 4/4). Deterministic: no seed needed.
 */
export function xorTask(options: XorOptions = {}): TaskData {
  const encoding = checkChoice('task.encoding', options.encoding ?? '01', XOR_ENCODINGS);
  const low = encoding === '01' ? 0 : -1;
  const xTrain = Float32Array.from([low, low, low, 1, 1, low, 1, 1]);
  const yTrain = Int32Array.from([0, 1, 1, 0]);
  return {
    name: 'xor',
    inputDim: 2,
    outputDim: 1,
    classes: 2,
    xTrain,
    yTrain,
    nTrain: 4,
    xTest: new Float32Array(0),
    yTest: new Int32Array(0),
    nTest: 0,
    trainActive: null,
    testActive: null,
    metadata: { encoding },
  };
}
