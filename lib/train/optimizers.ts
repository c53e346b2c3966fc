import { OptimizerConfig } from './config';

/**
 * Optimisers written by hand over the Float64 master copy of the parameters (tfjs's
 * `tf.train` has no AdamW, and keeping the update in JavaScript makes it exact, identical on
 * every backend and trivially checkpointable). The forward/backward pass sees the parameters
 * rounded to float32; updates accumulate in float64.
 */
export interface Optimizer {
  /** Applies one update to `theta` in place, given the loss gradient `grad` at `theta`. */
  step(theta: Float64Array, grad: ArrayLike<number>): void;
  /** Every piece of internal state, for checkpoints (moments as exact Float64 copies). */
  state(): OptimizerState;
  /** Restores a state returned by {@link state}. */
  restore(state: OptimizerState): void;
}

/** Serialisable optimiser state: the step count and named Float64 buffers. */
export interface OptimizerState {
  steps: number;
  buffers: Record<string, Float64Array>;
}

/**
 * SGD with optional momentum μ and L2 weight decay (PyTorch's convention):
 * g' = g + wd·θ;  v ← μ·v + g' (v starts at 0, so the first step uses g');  θ ← θ − lr·v.
 */
export class Sgd implements Optimizer {
  private velocity: Float64Array;
  private steps = 0;
  constructor(
    private readonly config: OptimizerConfig,
    size: number,
  ) {
    this.velocity = new Float64Array(size);
  }
  step(theta: Float64Array, grad: ArrayLike<number>): void {
    const { lr, momentum, weightDecay } = this.config;
    const v = this.velocity;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i] + weightDecay * theta[i];
      v[i] = momentum * v[i] + g;
      theta[i] -= lr * v[i];
    }
    this.steps++;
  }
  state(): OptimizerState {
    return { steps: this.steps, buffers: { velocity: this.velocity.slice() } };
  }
  restore(state: OptimizerState): void {
    this.steps = state.steps;
    this.velocity = state.buffers.velocity.slice();
  }
}

/**
 * Adam (Kingma & Ba) with bias-corrected moments; `decoupled` = AdamW (Loshchilov & Hutter).
 * At step t (1-based):
 *   Adam:  g' = g + wd·θ                       AdamW: θ ← θ·(1 − lr·wd), g' = g
 *   m ← β1·m + (1−β1)·g';  v ← β2·v + (1−β2)·g'²
 *   θ ← θ − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)
 */
export class Adam implements Optimizer {
  private m: Float64Array;
  private v: Float64Array;
  private steps = 0;
  constructor(
    private readonly config: OptimizerConfig,
    size: number,
    private readonly decoupled: boolean,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }
  step(theta: Float64Array, grad: ArrayLike<number>): void {
    const { lr, beta1, beta2, eps, weightDecay } = this.config;
    this.steps++;
    const c1 = 1 - Math.pow(beta1, this.steps);
    const c2 = 1 - Math.pow(beta2, this.steps);
    const decay = this.decoupled ? 1 - lr * weightDecay : 1;
    const l2 = this.decoupled ? 0 : weightDecay;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < theta.length; i++) {
      const g = grad[i] + l2 * theta[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      theta[i] = theta[i] * decay - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
  state(): OptimizerState {
    return { steps: this.steps, buffers: { m: this.m.slice(), v: this.v.slice() } };
  }
  restore(state: OptimizerState): void {
    this.steps = state.steps;
    this.m = state.buffers.m.slice();
    this.v = state.buffers.v.slice();
  }
}

/** The optimiser named by `config.name` for `size` parameters. */
export function makeOptimizer(config: OptimizerConfig, size: number): Optimizer {
  if (config.name === 'sgd') return new Sgd(config, size);
  return new Adam(config, size, config.name === 'adamw');
}
