import { InvalidOptionError, checkFiniteArray } from '../util/errors';

/**
 * Gini coefficient of non-negative values (e.g. |θ| of a weight vector): 0 when all entries
 * are equal, (n − 1)/n when a single entry holds everything. Computed from the sorted values
 * as G = Σ_i (2i − n − 1) x_(i) / (n Σ x), i = 1 … n (O(n log n)).
 */
export function gini(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new InvalidOptionError('values', 'is empty; the Gini coefficient needs at least one value');
  checkFiniteArray('values', values);
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  if (sorted[0] < 0) throw new InvalidOptionError('values', `contains a negative entry (${sorted[0]}); the Gini coefficient needs values ≥ 0 (pass |θ|)`);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  if (total === 0) throw new InvalidOptionError('values', 'are all zero; the Gini coefficient is undefined');
  return weighted / (n * total);
}
