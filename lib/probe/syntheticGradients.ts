import { checkChoice, checkFiniteArray, checkInteger, checkPositive, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';

export const SYNTHETIC_KINDS = ['gaussian', 'permuted', 'student-t', 'matched'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

/** Options of {@link syntheticGradients}. */
export interface SyntheticOptions {
  /** The real snapshot, required by 'permuted' (length must equal n) and 'matched'. */
  snapshot?: ArrayLike<number>;
  /**
   * Degrees of freedom of 'student-t', a finite number ≥ MIN_STUDENT_T_DF = 0.1 (below it the
   * draws, |T| ~ U^(−1/df), overflow double precision) [1.5: the heavy-tail check of the science notes].
   */
  df?: number;
  /** Multiplier applied to 'gaussian' and 'student-t' draws, finite and > 0 [1]. */
  scale?: number;
}

/** Smallest allowed `df` of 'student-t': at df = 0.1, a million draws stay below ~1e55. */
export const MIN_STUDENT_T_DF = 0.1;

const KNOWN_OPTIONS = ['snapshot', 'df', 'scale'];

/**
 * Synthetic gradient snapshots, the nulls against which real snapshots are compared:
 * - 'gaussian': i.i.d. N(0, scale²) (the paper's control);
 * - 'student-t': i.i.d. scale · t(df) (heavy tails, no correlations);
 * - 'permuted': a seeded permutation of `options.snapshot` (same marginal, correlations with
 *   the network's wiring destroyed); n must equal its length;
 * - 'matched': n i.i.d. draws, with replacement, from the empirical distribution of
 *   `options.snapshot` (same marginal in expectation, no shared values pattern).
 * Draws use `new Random(deriveSeed(seed, 'synthetic', kind, n))`: same arguments → same bytes.
 * Every value returned is finite: options are checked first, and a draw that still overflows
 * (a huge `scale`) is an InvalidOptionError naming the option.
 * @returns Float64Array of length n
 */
export function syntheticGradients(kind: SyntheticKind, n: number, seed: number, options: SyntheticOptions = {}): Float64Array {
  checkChoice('synthetic.kind', kind, SYNTHETIC_KINDS);
  checkInteger('synthetic.n', n, 1);
  checkInteger('synthetic.seed', seed, -(2 ** 53), 2 ** 53);
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('synthetic.options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) throw new InvalidOptionError(`synthetic.${key}`, `unknown option; allowed: ${KNOWN_OPTIONS.join(', ')}`);
  }
  const scale = options.scale ?? 1;
  checkPositive('synthetic.scale', scale);
  const rng = new Random(deriveSeed(seed, 'synthetic', kind, n));
  const out = new Float64Array(n);
  switch (kind) {
    case 'gaussian':
      for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
      return checkDraws(out, 'synthetic.scale', `scale ${scale} makes a draw overflow; allowed: a smaller scale`);
    case 'student-t': {
      const df = options.df ?? 1.5;
      if (typeof df !== 'number' || !Number.isFinite(df) || df < MIN_STUDENT_T_DF) {
        throw new InvalidOptionError('synthetic.df', `must be a finite number ≥ ${MIN_STUDENT_T_DF} (smaller df overflow double precision), got ${String(df)}`);
      }
      for (let i = 0; i < n; i++) out[i] = scale * rng.studentT(df);
      return checkDraws(out, 'synthetic.df', `df ${df} with scale ${scale} gives a draw that overflows; allowed: a larger df or a smaller scale`);
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

/** Throws an InvalidOptionError naming `field` unless every draw is finite. */
function checkDraws(out: Float64Array, field: string, message: string): Float64Array {
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new InvalidOptionError(field, `${message} (entry ${i} is ${out[i]})`);
  return out;
}

function requireSnapshot(snapshot: ArrayLike<number> | undefined): ArrayLike<number> {
  if (!snapshot || snapshot.length === 0)
    throw new InvalidOptionError('synthetic.snapshot', "'permuted' and 'matched' need the real snapshot as options.snapshot (non-empty)");
  checkFiniteArray('synthetic.snapshot', snapshot);
  return snapshot;
}
