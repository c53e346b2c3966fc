import { checkInteger, InvalidOptionError } from '../util/errors';
import { normalQuantile } from './normal';

/** A proportion k / n with its confidence interval. */
export interface BinomialInterval {
  successes: number;
  trials: number;
  /** k / n (NaN when n = 0). */
  proportion: number;
  low: number;
  high: number;
  confidence: number;
}

/**
 * Wilson score interval of a binomial proportion k / n at `confidence` [0.95]: the set of p for
 * which |k/n − p| ≤ z·√(p(1−p)/n), z the normal quantile at (1 + confidence) / 2. Unlike
 * k/n ± z·√(k/n·(1−k/n)/n) it stays inside [0, 1] and keeps close to its nominal level near 0 and
 * 1, which is where coverage fractions live. n = 0 gives NaN bounds.
 * @throws InvalidOptionError unless 0 ≤ k ≤ n are integers and 0 < confidence < 1
 */
export function binomialInterval(successes: number, trials: number, confidence = 0.95): BinomialInterval {
  checkInteger('trials', trials, 0);
  checkInteger('successes', successes, 0, trials);
  if (!(confidence > 0 && confidence < 1)) throw new InvalidOptionError('confidence', `must be in (0, 1), got ${confidence}`);
  if (trials === 0) return { successes, trials, proportion: NaN, low: NaN, high: NaN, confidence };
  const z = normalQuantile((1 + confidence) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // Clamp the rounding of the exact ends (k = 0 or k = n give 0 and 1 exactly).
  return {
    successes,
    trials,
    proportion: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
    confidence,
  };
}
