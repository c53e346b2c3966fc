import { regularizedGammaP, regularizedGammaQ } from './incompleteGamma';

/** CDF of the χ² distribution with `df` > 0 degrees of freedom at x ≥ 0: P(df/2, x/2). */
export function chiSquareCdf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareCdf: df must be > 0, got ${df}`);
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** Survival function 1 − CDF of the χ² distribution (accurate for small tail probabilities). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSf: df must be > 0, got ${df}`);
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}
