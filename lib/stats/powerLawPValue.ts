import { InvalidOptionError, checkInteger } from '../util/errors';
import { Random, deriveSeed } from '../util/random';
import { positiveSample } from './input';
import { PowerLawFit, fitPowerLaw } from './powerLaw';
import { sampleContinuousPowerLaw, sampleDiscretePowerLaw } from './samplers';

/** Result of {@link powerLawPValue}. */
export interface PowerLawPValue {
  /** Fraction of synthetic data sets whose refitted KS distance is ≥ the observed one. */
  pValue: number;
  /** Monte-Carlo standard error sqrt(p(1 − p)/B). */
  standardError: number;
  /** Replicates requested, and those whose refit failed (excluded from the fraction). */
  bootstrap: number;
  failed: number;
  exceedances: number;
  observedKs: number;
  /** KS distance of every replicate's refit (NaN where the refit failed). */
  syntheticKs: Float64Array;
}

/**
 * Goodness-of-fit p-value of a power-law fit by the semi-parametric bootstrap of Clauset,
 * Shalizi & Newman (2009, §4.1). Each synthetic data set has the size of the fitted sample
 * (values ≤ xmax): every entry is, with probability nTail/n, a draw from the fitted power law
 * (exact discrete or continuous sampler), otherwise a uniformly chosen observed value below
 * xmin. It is refitted with the same procedure as `fit` (xmin scanned again if it was scanned,
 * same minTail/maxXminQuantile/xmax), and p is the fraction of refits with KS ≥ the observed KS.
 * Small p (CSN: ≤ 0.1) rules the power law out. Replicate b uses the random stream
 * deriveSeed(seed, 'powerLawPValue', b), so results are reproducible and independent of order.
 *
 * Cost: B full refits; each is O(n log n) plus the KS scan, so 1000 replicates of a 10⁵ sample
 * take minutes (see bench/stats.bench.ts). Use fewer replicates for exploration: B = 100
 * resolves p to ±0.05.
 */
export function powerLawPValue(values: ArrayLike<number>, fit: PowerLawFit, options: { bootstrap?: number; seed?: number } = {}): PowerLawPValue {
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? 1000, 1);
  const seed = options.seed ?? 0;
  if (fit == null || typeof fit.alpha !== 'number') throw new InvalidOptionError('fit', 'must be the result of fitPowerLaw on these values');
  const sample = positiveSample('values', values, fit.discrete);
  const kept: number[] = [];
  const body: number[] = [];
  let nTail = 0;
  for (const v of sample) {
    if (v > fit.xmax) continue;
    kept.push(v);
    if (v >= fit.xmin) nTail++;
    else body.push(v);
  }
  if (nTail !== fit.nTail || kept.length !== fit.n) {
    throw new InvalidOptionError('fit', `does not belong to these values (fit has nTail = ${fit.nTail}, n = ${fit.n}; values give ${nTail}, ${kept.length})`);
  }
  body.sort((a, b) => a - b);
  const n = kept.length;
  const pTail = nTail / n;
  const syntheticKs = new Float64Array(bootstrap);
  let exceed = 0;
  let failed = 0;
  for (let b = 0; b < bootstrap; b++) {
    const rng = new Random(deriveSeed(seed, 'powerLawPValue', b));
    let tailCount = 0;
    const synthetic = new Float64Array(n);
    let filled = 0;
    for (let i = 0; i < n; i++) {
      if (body.length === 0 || rng.uniform() < pTail) tailCount++;
      else synthetic[filled++] = body[rng.integer(body.length)];
    }
    const tail = fit.discrete
      ? sampleDiscretePowerLaw(tailCount, fit.alpha, fit.xmin, rng, fit.xmax)
      : sampleContinuousPowerLaw(tailCount, fit.alpha, fit.xmin, rng, fit.xmax);
    synthetic.set(tail, filled);
    try {
      const refit = fitPowerLaw(synthetic, {
        discrete: fit.discrete,
        xmin: fit.xminScanned ? undefined : fit.xmin,
        xmax: fit.xmax === Infinity ? undefined : fit.xmax,
        minTail: fit.minTail,
        maxXminQuantile: fit.maxXminQuantile,
      });
      syntheticKs[b] = refit.ks;
      if (refit.ks >= fit.ks) exceed++;
    } catch (error) {
      if (!(error instanceof InvalidOptionError)) throw error;
      syntheticKs[b] = NaN;
      failed++;
    }
  }
  const valid = bootstrap - failed;
  const pValue = valid > 0 ? exceed / valid : NaN;
  return { pValue, standardError: Math.sqrt((pValue * (1 - pValue)) / valid), bootstrap, failed, exceedances: exceed, observedKs: fit.ks, syntheticKs };
}
