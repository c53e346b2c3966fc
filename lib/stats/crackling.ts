import { InvalidOptionError, checkInteger } from '../util/errors';
import { Random } from '../util/random';
import { BOOTSTRAP_REPLICATES, bootstrapIndices, percentileInterval } from './bootstrap';
import { positiveSample } from './input';
import { ordinaryLeastSquares } from './ols';
import { PowerLawFit, fitPowerLaw } from './powerLaw';

/** Avalanche records: size s, duration T and (optionally) area A of each avalanche. */
export interface AvalancheRecords {
  sizes: ArrayLike<number>;
  durations: ArrayLike<number>;
  areas?: ArrayLike<number>;
}

/** An exponent with its percentile bootstrap CI. */
export interface ExponentEstimate {
  value: number;
  ciLow: number;
  ciHigh: number;
}

/** Result of {@link cracklingNoise}. */
export interface CracklingNoise {
  /** P(s) ∝ s^(−τ), P(T) ∝ T^(−α_T), P(A) ∝ A^(−α_A): CSN fits (xmin scanned once, then held fixed in the bootstrap). */
  tau: ExponentEstimate & { fit: PowerLawFit };
  alphaT: ExponentEstimate & { fit: PowerLawFit };
  areaExponent?: ExponentEstimate & { fit: PowerLawFit };
  /** ⟨s⟩(T) ∝ T^γ: OLS slope of ln⟨s⟩ on ln⟨T⟩ over log bins of T ≥ the duration fit's xmin. */
  gamma: ExponentEstimate & { bins: number; rSquared: number };
  /** Crackling-noise prediction γ = (α_T − 1)/(τ − 1). */
  gammaPredicted: ExponentEstimate;
  /** γ − (α_T − 1)/(τ − 1), whose CI should cover 0 when the scaling relation holds. */
  difference: ExponentEstimate;
  bootstrap: number;
  confidence: number;
}

/**
 * Crackling-noise exponents of a set of avalanches and the scaling-relation check
 * γ = (α_T − 1)/(τ − 1) (Sethna, Dahmen & Myers 2001).
 * τ, α_T (and the area exponent) are CSN power-law fits of sizes, durations (and areas); γ is
 * the OLS slope of ln⟨s⟩ against ln⟨T⟩ over logarithmic duration bins (`binsPerDecade` [10])
 * from the duration fit's xmin, keeping bins with ≥ `minCount` avalanches [10].
 * CIs: `bootstrap` [BOOTSTRAP_REPLICATES] resamples of whole avalanches (s, T, A together) with
 * `new Random(seed)`; in each replicate the exponents are refitted with xmin fixed at the
 * original scan's values (rescanning B times would dominate the cost), γ and the prediction
 * are recomputed, and percentile intervals are reported for each and for their difference.
 */
export function cracklingNoise(
  avalanches: AvalancheRecords,
  options: { discrete?: boolean; bootstrap?: number; seed?: number; confidence?: number; binsPerDecade?: number; minCount?: number; minTail?: number } = {},
): CracklingNoise {
  const discrete = options.discrete ?? true;
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? BOOTSTRAP_REPLICATES, 0);
  const confidence = options.confidence ?? 0.95;
  const binsPerDecade = options.binsPerDecade ?? 10;
  const minCount = checkInteger('minCount', options.minCount ?? 10, 1);
  const sizes = positiveSample('sizes', avalanches?.sizes ?? [], discrete);
  const durations = positiveSample('durations', avalanches.durations ?? [], discrete);
  if (durations.length !== sizes.length) throw new InvalidOptionError('durations', `has ${durations.length} entries, sizes has ${sizes.length}`);
  const areas = avalanches.areas ? positiveSample('areas', avalanches.areas, discrete) : undefined;
  if (areas && areas.length !== sizes.length) throw new InvalidOptionError('areas', `has ${areas.length} entries, sizes has ${sizes.length}`);
  const minTail = options.minTail ?? 10;
  const tauFit = fitPowerLaw(sizes, { discrete, minTail });
  const tFit = fitPowerLaw(durations, { discrete, minTail });
  const aFit = areas ? fitPowerLaw(areas, { discrete, minTail }) : undefined;
  const gammaOf = (s: Float64Array, T: Float64Array) => meanSizeSlope(s, T, tFit.xmin, binsPerDecade, minCount);
  const g = gammaOf(sizes, durations);
  const predicted = (tFit.alpha - 1) / (tauFit.alpha - 1);
  const rng = new Random(options.seed ?? 0);
  const reps = {
    tau: new Float64Array(bootstrap),
    alphaT: new Float64Array(bootstrap),
    area: new Float64Array(bootstrap),
    gamma: new Float64Array(bootstrap),
    predicted: new Float64Array(bootstrap),
    difference: new Float64Array(bootstrap),
  };
  const refit = (x: Float64Array, fit: PowerLawFit) => {
    try {
      return fitPowerLaw(x, { discrete, xmin: fit.xmin, minTail }).alpha;
    } catch (error) {
      if (error instanceof InvalidOptionError) return NaN;
      throw error;
    }
  };
  for (let b = 0; b < bootstrap; b++) {
    const idx = bootstrapIndices(sizes.length, rng);
    const s = Float64Array.from(idx, (i) => sizes[i]);
    const T = Float64Array.from(idx, (i) => durations[i]);
    reps.tau[b] = refit(s, tauFit);
    reps.alphaT[b] = refit(T, tFit);
    if (areas && aFit)
      reps.area[b] = refit(
        Float64Array.from(idx, (i) => areas[i]),
        aFit,
      );
    let gb = NaN;
    try {
      gb = gammaOf(s, T).slope;
    } catch (error) {
      if (!(error instanceof InvalidOptionError)) throw error;
    }
    reps.gamma[b] = gb;
    reps.predicted[b] = (reps.alphaT[b] - 1) / (reps.tau[b] - 1);
    reps.difference[b] = gb - reps.predicted[b];
  }
  const est = (value: number, r: Float64Array): ExponentEstimate => {
    const ci = bootstrap > 0 ? percentileInterval(r, confidence) : { low: NaN, high: NaN };
    return { value, ciLow: ci.low, ciHigh: ci.high };
  };
  return {
    tau: { ...est(tauFit.alpha, reps.tau), fit: tauFit },
    alphaT: { ...est(tFit.alpha, reps.alphaT), fit: tFit },
    ...(aFit ? { areaExponent: { ...est(aFit.alpha, reps.area), fit: aFit } } : {}),
    gamma: { ...est(g.slope, reps.gamma), bins: g.bins, rSquared: g.rSquared },
    gammaPredicted: est(predicted, reps.predicted),
    difference: est(g.slope - predicted, reps.difference),
    bootstrap,
    confidence,
  };
}

/**
 * Mean avalanche size per logarithmic bin of duration, for T ≥ tmin: bin k holds
 * tmin·10^(k/binsPerDecade) ≤ T < tmin·10^((k+1)/binsPerDecade) (a 1e-9 guard puts exact bin
 * edges in the upper bin); bins with fewer than `minCount` avalanches are dropped. Returns the
 * mean duration ⟨T⟩, mean size ⟨s⟩ and count per kept bin, ascending in T. The OLS slope of
 * ln⟨s⟩ on ln⟨T⟩ over these points is γ of {@link cracklingNoise}.
 * @param options.binsPerDecade [10]; options.minCount [10]
 */
export function meanSizeByDuration(
  sizes: ArrayLike<number>,
  durations: ArrayLike<number>,
  tmin: number,
  options: { binsPerDecade?: number; minCount?: number } = {},
): { meanT: Float64Array; meanS: Float64Array; count: Int32Array } {
  const width = Math.log(10) / (options.binsPerDecade ?? 10);
  const minCount = options.minCount ?? 10;
  if (sizes.length !== durations.length) throw new InvalidOptionError('durations', `has ${durations.length} entries, sizes has ${sizes.length}`);
  const groups = new Map<number, { s: number; t: number; c: number }>();
  for (let i = 0; i < sizes.length; i++) {
    if (durations[i] < tmin) continue;
    const k = Math.floor(Math.log(durations[i] / tmin) / width + 1e-9);
    const g = groups.get(k) ?? { s: 0, t: 0, c: 0 };
    g.s += sizes[i];
    g.t += durations[i];
    g.c++;
    groups.set(k, g);
  }
  const kept = [...groups.entries()].filter(([, g]) => g.c >= minCount).sort((a, b) => a[0] - b[0]);
  return {
    meanT: Float64Array.from(kept, ([, g]) => g.t / g.c),
    meanS: Float64Array.from(kept, ([, g]) => g.s / g.c),
    count: Int32Array.from(kept, ([, g]) => g.c),
  };
}

/** OLS slope of ln⟨s⟩ on ln⟨T⟩ over the points of {@link meanSizeByDuration}. */
function meanSizeSlope(
  sizes: Float64Array,
  durations: Float64Array,
  tmin: number,
  binsPerDecade: number,
  minCount: number,
): { slope: number; bins: number; rSquared: number } {
  const points = meanSizeByDuration(sizes, durations, tmin, { binsPerDecade, minCount });
  if (points.meanT.length < 2)
    throw new InvalidOptionError(
      'durations',
      `only ${points.meanT.length} duration bin(s) above xmin = ${tmin} hold ≥ ${minCount} avalanches; γ needs at least 2`,
    );
  const fit = ordinaryLeastSquares(Array.from(points.meanT, Math.log), Array.from(points.meanS, Math.log));
  return { slope: fit.slope, bins: points.meanT.length, rSquared: fit.rSquared };
}
