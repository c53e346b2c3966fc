import { checkChoice, checkFiniteArray, checkInteger, checkPositive, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';

export const SYNTHETIC_KINDS = ['gaussian', 'permuted', 'student-t', 'matched'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

/** Options of {@link syntheticGradients}. */
export interface SyntheticOptions {
  /** The real snapshot, required by 'permuted' (length must equal n) and 'matched'. */
  snapshot?: ArrayLike<number>;
  /** Degrees of freedom of 'student-t' (> 0) [1.5: the heavy-tail check of the science notes]. */
  df?: number;
  /** Multiplier applied to 'gaussian' and 'student-t' draws [1]. */
  scale?: number;
}

/**
 * Synthetic gradient snapshots, the nulls against which real snapshots are compared:
 * - 'gaussian': i.i.d. N(0, scale²) (the paper's control);
 * - 'student-t': i.i.d. scale · t(df) (heavy tails, no correlations);
 * - 'permuted': a seeded permutation of `options.snapshot` (same marginal, correlations with
 *   the network's wiring destroyed); n must equal its length;
 * - 'matched': n i.i.d. draws, with replacement, from the empirical distribution of
 *   `options.snapshot` (same marginal in expectation, no shared values pattern).
 * Draws use `new Random(deriveSeed(seed, 'synthetic', kind, n))`: same arguments → same bytes.
 * @returns Float64Array of length n
 */
export function syntheticGradients(kind: SyntheticKind, n: number, seed: number, options: SyntheticOptions = {}): Float64Array {
  checkChoice('synthetic.kind', kind, SYNTHETIC_KINDS);
  checkInteger('synthetic.n', n, 1);
  checkInteger('synthetic.seed', seed, -(2 ** 53), 2 ** 53);
  const scale = options.scale ?? 1;
  checkPositive('synthetic.scale', scale);
  const rng = new Random(deriveSeed(seed, 'synthetic', kind, n));
  const out = new Float64Array(n);
  switch (kind) {
    case 'gaussian':
      for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
      return out;
    case 'student-t': {
      const df = options.df ?? 1.5;
      checkPositive('synthetic.df', df);
      for (let i = 0; i < n; i++) out[i] = scale * rng.studentT(df);
      return out;
    }
    case 'permuted': {
      const snapshot = requireSnapshot(options.snapshot);
      if (snapshot.length !== n) throw new InvalidOptionError('synthetic.n', `'permuted' needs n equal to the snapshot length ${snapshot.length}, got ${n}`);
      const permutation = rng.permutation(n);
      for (let i = 0; i < n; i++) out[i] = snapshot[permutation[i]];
      return out;
    }
    case 'matched': {
      const snapshot = requireSnapshot(options.snapshot);
      for (let i = 0; i < n; i++) out[i] = snapshot[rng.integer(snapshot.length)];
      return out;
    }
  }
}

function requireSnapshot(snapshot: ArrayLike<number> | undefined): ArrayLike<number> {
  if (!snapshot || snapshot.length === 0) throw new InvalidOptionError('synthetic.snapshot', "'permuted' and 'matched' need the real snapshot as options.snapshot (non-empty)");
  checkFiniteArray('synthetic.snapshot', snapshot);
  return snapshot;
}
