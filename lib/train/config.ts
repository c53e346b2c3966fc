import { resolveTaskConfig, TaskConfig, TaskName, TASK_NAMES } from '../tasks/makeTask';
import { checkChoice, checkInteger, checkPositive, InvalidOptionError } from '../util/errors';
import { PAPER_HIDDEN_WIDTHS } from '../util/profile';

/** Bumped whenever what a training run writes changes; part of every run's key. */
export const TRAIN_FORMAT_VERSION = 2;

export const ACTIVATIONS = ['relu', 'tanh', 'quadratic'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LOSSES = ['bce', 'cross-entropy', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];
export const SNAPSHOT_SPACINGS = ['linear', 'log'] as const;

/**
 * An MLP: inputDim → hidden[0] → … → outputDim. Every parameter (weights and, if `bias`,
 * biases) starts uniform in ±initScale/√fanIn (PyTorch's nn.Linear default scaled by
 * `initScale`, the scale with which the reference recipes were measured).
 */
export interface ModelConfig {
  hidden: number[];
  activation: Activation;
  bias: boolean;
  initScale: number;
}

/**
 * Optimiser. SGD: v ← μ v + g, θ ← θ − lr v (μ = momentum; 0 = plain SGD). Adam: L2 weight
 * decay added to the gradient (g + wd θ). AdamW: decoupled decay θ ← θ (1 − lr wd), then the
 * Adam step (PyTorch's order). Bias-corrected moments, ε added outside the square root.
 */
export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** Snapshot schedule: `count` epochs spread over [0, epochs] (linear or log spacing), or an explicit list. */
export type SnapshotSchedule = { count: number; spacing: 'linear' | 'log' } | { epochs: number[] };

/** Metrics an early stop can watch. */
export const EARLY_STOP_METRICS = ['testAccuracy', 'trainAccuracy'] as const;

/**
 * A budget rule: stop a run once `metric` ≥ `threshold` has held, at every metric evaluation,
 * for `holdFactor` times as many epochs as it took to get there. With the streak starting at
 * epoch t₀ (the run's onset, since the run ends inside the streak), the run stops at the first
 * metric epoch e with e − t₀ ≥ max(holdFactor · t₀, metricsEvery). Snapshots keep the run's
 * schedule, so a stopped run has the first snapshots of the full-budget run (same seed, same
 * numbers up to the stop: training is deterministic).
 */
export interface EarlyStopConfig {
  /** ['testAccuracy'] the metric column watched. */
  metric: (typeof EARLY_STOP_METRICS)[number];
  /** [0.99] the onset threshold (the same as the onset rule's). */
  threshold: number;
  /** [1] epochs held after the onset, as a multiple of the onset epoch. */
  holdFactor: number;
}

/** A training run's full config (all defaults filled): its hash is the run's store key. */
export interface TrainConfig {
  task: TaskConfig;
  model: ModelConfig;
  optimizer: OptimizerConfig;
  loss: LossName;
  /** Number of epochs (full passes over the training set; = steps in full-batch mode). */
  epochs: number;
  /** Minibatch size, or 0 for full batch. */
  batchSize: number;
  /** Seeds initialisation, data and minibatch order (independent sub-streams). */
  seed: number;
  snapshots: SnapshotSchedule;
  /** Metrics are evaluated every `metricsEvery` epochs (and always at epoch 0 and the last). */
  metricsEvery: number;
  /** A budget rule that may end the run before `epochs` (null: train the full budget). */
  earlyStop: EarlyStopConfig | null;
  format: number;
}

/** What a user may pass: any part may be left out and is filled from the task's defaults. */
export interface TrainConfigInput {
  task: string | ({ name: string } & Record<string, unknown>);
  model?: Partial<Omit<ModelConfig, 'activation'>> & { activation?: string };
  optimizer?: Partial<Omit<OptimizerConfig, 'name'>> & { name?: string };
  loss?: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  snapshots?: Partial<{ count: number; spacing: string }> | { epochs: number[] };
  metricsEvery?: number;
  /** [null] a budget rule, e.g. { metric: 'testAccuracy', threshold: 0.99, holdFactor: 1 }; missing fields take those defaults. */
  earlyStop?: Partial<{ metric: string; threshold: number; holdFactor: number }> | null;
  /** Shortcut for `model.hidden = [hidden]`. */
  hidden?: number;
}

/** The paper's eight hidden widths (log-spaced, 20 … 500; PAPER_HIDDEN_WIDTHS). */
export const DEFAULT_SCALES: number[] = [...PAPER_HIDDEN_WIDTHS];

/**
 * The training recipe per task that shows the transition on a CPU (measured, see
 * shared/science-notes.md): XOR — tanh, init ×0.1, inputs {0,1}, SGD lr 1, BCE;
 * modular addition — x² activation, no biases, AdamW (0.9, 0.98) lr 1e-3 wd 1, cross-entropy;
 * sparse parity — ReLU, AdamW lr 1e-3 wd 1, BCE.
 */
export function taskDefaults(task: TaskName): Omit<TrainConfig, 'task' | 'seed' | 'earlyStop'> {
  const adamw: OptimizerConfig = { name: 'adamw', lr: 1e-3, momentum: 0, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1 };
  const snapshots = { count: 51, spacing: 'linear' as const };
  if (task === 'xor') {
    return {
      model: { hidden: [20], activation: 'tanh', bias: true, initScale: 0.1 },
      optimizer: { name: 'sgd', lr: 1, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
      loss: 'bce',
      epochs: 3000,
      batchSize: 0,
      snapshots,
      metricsEvery: 1,
      format: TRAIN_FORMAT_VERSION,
    };
  }
  if (task === 'modular-addition') {
    return {
      model: { hidden: [126], activation: 'quadratic', bias: false, initScale: 1 },
      optimizer: adamw,
      loss: 'cross-entropy',
      epochs: 5000,
      batchSize: 0,
      snapshots,
      metricsEvery: 10,
      format: TRAIN_FORMAT_VERSION,
    };
  }
  return {
    model: { hidden: [126], activation: 'relu', bias: true, initScale: 1 },
    optimizer: adamw,
    loss: 'bce',
    epochs: 5000,
    batchSize: 0,
    snapshots,
    metricsEvery: 10,
    format: TRAIN_FORMAT_VERSION,
  };
}

const TOP_FIELDS = ['task', 'model', 'optimizer', 'loss', 'epochs', 'batchSize', 'seed', 'snapshots', 'metricsEvery', 'earlyStop', 'hidden', 'format'];

function checkKnown(field: string, value: object, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new InvalidOptionError(`${field}.${key}`, `is not an option; allowed options: ${allowed.join(', ')}`);
  }
}

/**
 * Fills every default from the task's recipe and validates everything, before any work.
 * @throws InvalidOptionError naming the field (and the allowed values) for unknown
 *   task/activation/optimiser/loss names, widths or learning rates ≤ 0, p < 2, a train
 *   fraction outside (0, 1), or a snapshot schedule beyond the epoch budget.
 */
export function resolveTrainConfig(input: TrainConfigInput | TrainConfig): TrainConfig {
  if (input === null || typeof input !== 'object') throw new InvalidOptionError('config', 'must be an object');
  return resolveInput(input as TrainConfigInput);
}

function resolveInput(input: TrainConfigInput): TrainConfig {
  checkKnown('config', input, TOP_FIELDS);
  const taskInput = typeof input.task === 'string' ? { name: input.task } : input.task;
  if (!taskInput || typeof taskInput !== 'object') throw new InvalidOptionError('task', `is required; allowed values: ${TASK_NAMES.join(', ')}`);
  const task = resolveTaskConfig(taskInput as { name: string });
  const d = taskDefaults(task.name);

  const modelIn = input.model ?? {};
  checkKnown('model', modelIn, ['hidden', 'activation', 'bias', 'initScale']);
  const hiddenIn = input.hidden !== undefined ? [input.hidden] : (modelIn.hidden ?? d.model.hidden);
  if (!Array.isArray(hiddenIn) || hiddenIn.length === 0) throw new InvalidOptionError('model.hidden', 'must be a non-empty array of widths (integers ≥ 1)');
  const hidden = hiddenIn.map((w, i) => checkInteger(`model.hidden[${i}]`, w, 1, 1e6));
  const model: ModelConfig = {
    hidden,
    activation: checkChoice('model.activation', modelIn.activation ?? d.model.activation, ACTIVATIONS),
    bias: checkBoolean('model.bias', modelIn.bias ?? d.model.bias),
    initScale: checkPositive('model.initScale', modelIn.initScale ?? d.model.initScale),
  };

  const optIn = input.optimizer ?? {};
  checkKnown('optimizer', optIn, ['name', 'lr', 'momentum', 'beta1', 'beta2', 'eps', 'weightDecay']);
  const name = checkChoice('optimizer.name', optIn.name ?? d.optimizer.name, OPTIMIZERS);
  // Changing the optimiser name starts from that optimiser's usual defaults, not the task's.
  const base =
    name === d.optimizer.name ? d.optimizer : { name, lr: 1e-3, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: name === 'adamw' ? 0.01 : 0 };
  const optimizer: OptimizerConfig = {
    name,
    lr: checkPositive('optimizer.lr', optIn.lr ?? base.lr),
    momentum: checkRange('optimizer.momentum', optIn.momentum ?? base.momentum, 0, 1, true),
    beta1: checkRange('optimizer.beta1', optIn.beta1 ?? base.beta1, 0, 1, true),
    beta2: checkRange('optimizer.beta2', optIn.beta2 ?? base.beta2, 0, 1, true),
    eps: checkPositive('optimizer.eps', optIn.eps ?? base.eps),
    weightDecay: checkRange('optimizer.weightDecay', optIn.weightDecay ?? base.weightDecay, 0, Infinity, true),
  };

  const loss = checkChoice('loss', input.loss ?? d.loss, LOSSES);
  if (loss === 'bce' && task.name === 'modular-addition') {
    throw new InvalidOptionError('loss', `'bce' needs a binary task; modular-addition has p classes; allowed values here: "cross-entropy", "mse"`);
  }
  if (loss === 'cross-entropy' && task.name !== 'modular-addition') {
    throw new InvalidOptionError(
      'loss',
      `'cross-entropy' (softmax) needs a multi-class task; ${task.name} is binary with one logit; allowed values here: "bce", "mse"`,
    );
  }
  const epochs = checkInteger('epochs', input.epochs ?? d.epochs, 1, 1e9);
  const batchSize = checkInteger('batchSize', input.batchSize ?? d.batchSize, 0, 1e9);
  const seed = checkInteger('seed', input.seed ?? 0, 0, 2 ** 32 - 1);
  const metricsEvery = checkInteger('metricsEvery', input.metricsEvery ?? d.metricsEvery, 1, epochs);

  let snapshots: SnapshotSchedule;
  const snapIn = input.snapshots ?? {};
  if ('epochs' in snapIn && snapIn.epochs !== undefined) {
    checkKnown('snapshots', snapIn, ['epochs']);
    const list = snapIn.epochs;
    if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError('snapshots.epochs', 'must be a non-empty array of epochs');
    const sorted = [...new Set(list.map((e, i) => checkInteger(`snapshots.epochs[${i}]`, e, 0, Infinity)))].sort((a, b) => a - b);
    if (sorted[sorted.length - 1] > epochs) {
      throw new InvalidOptionError('snapshots.epochs', `epoch ${sorted[sorted.length - 1]} is beyond the budget; allowed: integers in 0 … ${epochs} (epochs)`);
    }
    snapshots = { epochs: sorted };
  } else {
    checkKnown('snapshots', snapIn, ['count', 'spacing']);
    const s = snapIn as Partial<{ count: number; spacing: string }>;
    const spacing = checkChoice('snapshots.spacing', s.spacing ?? 'linear', SNAPSHOT_SPACINGS);
    const count = checkInteger('snapshots.count', s.count ?? (d.snapshots as { count: number }).count, 0, Infinity);
    if (count > epochs + 1) {
      throw new InvalidOptionError('snapshots.count', `${count} snapshots do not fit in a budget of ${epochs} epochs; allowed: 0 … ${epochs + 1} (epochs + 1)`);
    }
    snapshots = { count, spacing };
  }
  let earlyStop: EarlyStopConfig | null = null;
  if (input.earlyStop !== undefined && input.earlyStop !== null) {
    const stopIn = input.earlyStop;
    if (typeof stopIn !== 'object') throw new InvalidOptionError('earlyStop', 'must be null or an object { metric, threshold, holdFactor }');
    checkKnown('earlyStop', stopIn, ['metric', 'threshold', 'holdFactor']);
    earlyStop = {
      metric: checkChoice('earlyStop.metric', stopIn.metric ?? 'testAccuracy', EARLY_STOP_METRICS),
      threshold: checkThreshold('earlyStop.threshold', stopIn.threshold ?? 0.99),
      holdFactor: checkRange('earlyStop.holdFactor', stopIn.holdFactor ?? 1, 0, Infinity, true),
    };
    if (earlyStop.metric === 'testAccuracy' && task.name === 'xor') {
      throw new InvalidOptionError('earlyStop.metric', `XOR has no test set; allowed values here: "trainAccuracy"`);
    }
  }
  return { task, model, optimizer, loss, epochs, batchSize, seed, snapshots, metricsEvery, earlyStop, format: TRAIN_FORMAT_VERSION };
}

function checkThreshold(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new InvalidOptionError(field, `must be an accuracy in (0, 1], got ${String(value)}`);
  return value;
}

function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(field, `must be true or false, got ${String(value)}`);
  return value;
}

function checkRange(field: string, value: unknown, low: number, high: number, lowInclusive: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value >= high || value < low || (!lowInclusive && value === low)) {
    throw new InvalidOptionError(field, `must be a number in ${lowInclusive ? '[' : '('}${low}, ${high}), got ${String(value)}`);
  }
  return value;
}

/**
 * Units per level of the run's MLP, inputs first: [inputDim, ...hidden, outputDim].
 * inputDim/outputDim follow the task (XOR 2/1, sparse parity n/1, modular addition 2p/p).
 */
export function layerSizesOf(config: TrainConfig): number[] {
  const t = config.task;
  if (t.name === 'xor') return [2, ...config.model.hidden, 1];
  if (t.name === 'sparse-parity') return [t.n!, ...config.model.hidden, 1];
  return [2 * t.p!, ...config.model.hidden, t.p!];
}
