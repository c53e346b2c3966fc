import { checkChoice, InvalidOptionError } from '../util/errors';
import { modularAdditionTask, ModularAdditionOptions } from './modularAddition';
import { sparseParityTask, SparseParityOptions } from './sparseParity';
import { TaskData } from './taskData';
import { xorTask, XorOptions } from './xor';

/** Names of the tasks. */
export const TASK_NAMES = ['xor', 'sparse-parity', 'modular-addition'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** A task and its options, as stored in a run's config. */
export type TaskConfig =
  ({ name: 'xor' } & XorOptions) | ({ name: 'sparse-parity' } & SparseParityOptions) | ({ name: 'modular-addition' } & ModularAdditionOptions);

const TASK_FIELDS: Record<TaskName, string[]> = {
  xor: ['encoding'],
  'sparse-parity': ['n', 'k', 'trainSize', 'testSize'],
  'modular-addition': ['p', 'trainFraction'],
};

/**
 * The task config with every default filled in (what a run's hash covers), validated.
 * @throws InvalidOptionError for an unknown task name, an unknown option or a bad value.
 */
export function resolveTaskConfig(config: { name: string; [option: string]: unknown }): TaskConfig {
  const name = checkChoice('task.name', config?.name, TASK_NAMES);
  for (const key of Object.keys(config)) {
    if (key !== 'name' && !TASK_FIELDS[name].includes(key)) {
      throw new InvalidOptionError(`task.${key}`, `is not an option of task ${name}; allowed options: ${TASK_FIELDS[name].join(', ')}`);
    }
  }
  // Build once with seed 0 to validate, then report the resolved options.
  const data = makeTask({ ...(config as TaskConfig) }, 0);
  const m = data.metadata as Record<string, unknown>;
  if (name === 'xor') return { name, encoding: m.encoding as XorOptions['encoding'] };
  if (name === 'sparse-parity') return { name, n: m.n as number, k: m.k as number, trainSize: m.trainSize as number, testSize: m.testSize as number };
  return { name, p: m.p as number, trainFraction: m.trainFraction as number };
}

/**
 * Builds a task's data. `seed` draws the data (sparse parity: hidden bits and examples;
 * modular addition: the train/test split); XOR ignores it.
 */
export function makeTask(config: TaskConfig, seed: number): TaskData {
  const name = checkChoice('task.name', config?.name, TASK_NAMES);
  if (name === 'xor') return xorTask(config as XorOptions);
  if (name === 'sparse-parity') return sparseParityTask(config as SparseParityOptions, seed);
  return modularAdditionTask(config as ModularAdditionOptions, seed);
}
