import { checkInteger, InvalidOptionError } from '../util/errors';
import { PAPER_HIDDEN_WIDTHS } from '../util/profile';
import { deriveSeed, Random } from '../util/random';
import { sampleCutoffPowerLaw } from './cutoffPowerLaw';

/** The paper's eight scales as parameter counts of the XOR network 2 → h → 1: N = 4h + 1. */
export const PAPER_SCALES_N: readonly number[] = PAPER_HIDDEN_WIDTHS.map((h) => 4 * h + 1);

/** Options of {@link syntheticCollapseSizes}; unknown keys are rejected. */
export interface SyntheticCollapseOptions {
  /** Size exponent τ of P_N(s) ∝ s^(−τ) e^(−s/(c N^D)), ≥ 0. */
  tau: number;
  /** Cutoff exponent D: the cutoff grows as N^D, ≥ 0. */
  D: number;
  /** τ of each scale, overriding `tau` (one per entry of `scales`, each ≥ 0): a shape that changes with N, which no collapse describes [none]. */
  tauPerScale?: readonly number[];
  /** Cutoff amplitude c in s_c = c·N^D, > 0 [1]. */
  cutoffAmplitude?: number;
  /** Scales N, distinct and > 0 [the paper's N = 4h + 1, h = 20 … 500]. */
  scales?: readonly number[];
  /** Avalanches drawn per scale, integer ≥ 1 [20000]. */
  avalanches?: number;
  /**
   * Fraction of avalanches, in [0, 1), drawn instead from a size distribution that does not
   * depend on N (geometric on 1, 2, … with mean `nonScalingMean`): a small-size region that is
   * not of scaling form, as discreteness and the lower cutoff make in real avalanches [0].
   */
  nonScalingFraction?: number;
  /** Mean size of the non-scaling part, > 1 [3]. */
  nonScalingMean?: number;
  /** Seed; scale N draws from the stream deriveSeed(seed, 'collapse', N) [0]. */
  seed?: number;
}

const KNOWN = ['tau', 'D', 'tauPerScale', 'cutoffAmplitude', 'scales', 'avalanches', 'nonScalingFraction', 'nonScalingMean', 'seed'];

/**
 * Avalanche sizes with a known collapse, one sample per scale:
 * 1. at scale N the cutoff is s_c = c·N^D (and the exponent τ, or tauPerScale[i]);
 * 2. each avalanche is, with probability `nonScalingFraction`, a geometric size with mean
 *    `nonScalingMean` (the same at every N), otherwise an exact draw of P(s) ∝ s^(−τ) e^(−s/s_c)
 *    on s = 1, 2, … ({@link sampleCutoffPowerLaw});
 * 3. every scale has its own random stream, so adding a scale does not change the others.
 * With `nonScalingFraction` = 0 the exact answer of the collapse s^τ P_N(s) = G(s/N^D) is (τ, D)
 * up to the normalisation Z_N of each curve (see dataCollapse's `amplitude` option).
 */
export function syntheticCollapseSizes(options: SyntheticCollapseOptions): Array<{ scaleN: number; sizes: Float64Array }> {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object');
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new InvalidOptionError(key, `unknown option; allowed: ${KNOWN.join(', ')}`);
  const { tau, D } = options;
  if (typeof tau !== 'number' || !Number.isFinite(tau) || tau < 0) throw new InvalidOptionError('tau', `must be a finite number ≥ 0, got ${String(tau)}`);
  if (typeof D !== 'number' || !Number.isFinite(D) || D < 0) throw new InvalidOptionError('D', `must be a finite number ≥ 0, got ${String(D)}`);
  const c = options.cutoffAmplitude ?? 1;
  if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) throw new InvalidOptionError('cutoffAmplitude', `must be a finite number > 0, got ${String(c)}`);
  const scales = options.scales ?? PAPER_SCALES_N;
  if (!Array.isArray(scales) || scales.length === 0) throw new InvalidOptionError('scales', 'must be a non-empty array of numbers > 0');
  scales.forEach((N, i) => {
    if (typeof N !== 'number' || !Number.isFinite(N) || N <= 0) throw new InvalidOptionError(`scales[${i}]`, `must be a finite number > 0, got ${String(N)}`);
    if (scales.indexOf(N) !== i) throw new InvalidOptionError(`scales[${i}]`, `${N} appears twice`);
  });
  const tauPerScale = options.tauPerScale;
  if (tauPerScale !== undefined) {
    if (!Array.isArray(tauPerScale) || tauPerScale.length !== scales.length)
      throw new InvalidOptionError('tauPerScale', `must have one τ per scale (${scales.length}), got ${JSON.stringify(tauPerScale)}`);
    tauPerScale.forEach((t, i) => {
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
        throw new InvalidOptionError(`tauPerScale[${i}]`, `must be a finite number ≥ 0, got ${String(t)}`);
    });
  }
  const avalanches = checkInteger('avalanches', options.avalanches ?? 20000, 1, 2 ** 31 - 1);
  const fraction = options.nonScalingFraction ?? 0;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1))
    throw new InvalidOptionError('nonScalingFraction', `must be a number in [0, 1), got ${String(fraction)}`);
  const mean = options.nonScalingMean ?? 3;
  if (typeof mean !== 'number' || !Number.isFinite(mean) || mean <= 1)
    throw new InvalidOptionError('nonScalingMean', `must be a finite number > 1, got ${String(mean)}`);
  const seed = checkInteger('seed', options.seed ?? 0, -(2 ** 53), 2 ** 53);
  // Geometric on 1, 2, …: P(s) = (1 − q) q^(s−1), mean 1/(1 − q).
  const logQ = Math.log(1 - 1 / mean);
  return scales.map((N, index) => {
    const rng = new Random(deriveSeed(seed, 'collapse', N));
    const scaling = sampleCutoffPowerLaw(avalanches, { tau: tauPerScale ? tauPerScale[index] : tau, cutoff: c * Math.pow(N, D) }, rng);
    if (fraction > 0) {
      for (let i = 0; i < avalanches; i++) {
        if (rng.uniform() < fraction) scaling[i] = 1 + Math.floor(Math.log(rng.uniformOpen()) / logQ);
      }
    }
    return { scaleN: N, sizes: scaling };
  });
}
