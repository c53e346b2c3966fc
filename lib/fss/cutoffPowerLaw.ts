import { checkInteger, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';

/**
 * The discrete power law with an exponential cutoff, P(s) = s^(−τ) e^(−s/s_c) / Z for integer
 * s ≥ 1, Z = Σ_{s≥1} s^(−τ) e^(−s/s_c): the textbook finite-size form of avalanche sizes
 * (s_c = c·N^D at system size N), used to test the data collapse against known exponents.
 */

/** Parameters of the distribution: exponent τ ≥ 0 and cutoff scale s_c > 0 (finite). */
export interface CutoffPowerLaw {
  tau: number;
  cutoff: number;
}

function checkParameters(p: CutoffPowerLaw): void {
  if (p == null || typeof p !== 'object') throw new InvalidOptionError('distribution', 'must be { tau, cutoff }');
  if (typeof p.tau !== 'number' || !Number.isFinite(p.tau) || p.tau < 0)
    throw new InvalidOptionError('tau', `must be a finite number ≥ 0, got ${String(p.tau)}`);
  if (typeof p.cutoff !== 'number' || !Number.isFinite(p.cutoff) || p.cutoff <= 0 || p.cutoff > 1e12) {
    throw new InvalidOptionError('cutoff', `must be a finite number in (0, 1e12], got ${String(p.cutoff)}`);
  }
}

/**
 * Σ_{s≥1} s^(power − τ) e^(−s/s_c) by direct summation: the terms decrease beyond
 * s = (power − τ)·s_c, so the sum stops past that point once a term is below 1e-18 of the sum.
 */
function seriesSum(p: CutoffPowerLaw, power: number): number {
  let sum = 0;
  const peak = Math.max(0, (power - p.tau) * p.cutoff);
  for (let s = 1; ; s++) {
    const term = Math.exp((power - p.tau) * Math.log(s) - s / p.cutoff);
    sum += term;
    if (s > peak && term < 1e-18 * sum) break;
  }
  return sum;
}

/**
 * E[s^k] of the distribution, by direct summation of the exact series (no approximation beyond
 * stopping where terms are below 1e-18 of the sum). Cost O(s_c·(k + 40)) terms.
 * @param power k ≥ 0 (k = 0 gives 1)
 */
export function cutoffPowerLawMoment(p: CutoffPowerLaw, power: number): number {
  checkParameters(p);
  if (p.cutoff > 1e7) throw new InvalidOptionError('cutoff', `the moment is summed term by term: cutoff must be ≤ 1e7, got ${p.cutoff}`);
  if (!(power >= 0) || !Number.isFinite(power)) throw new InvalidOptionError('power', `must be a finite number ≥ 0, got ${power}`);
  return seriesSum(p, power) / seriesSum(p, 0);
}

/** Size of the exact head table: sizes 1 … HEAD are drawn by inversion of their cumulative weights. */
const HEAD = 4096;

/**
 * n exact draws from P(s) ∝ s^(−τ) e^(−s/s_c), s = 1, 2, …
 *
 * Algorithm (rejection from an envelope h ≥ w, w(s) = s^(−τ) e^(−s/s_c), exact, no truncation):
 * 1. Head: h(s) = w(s) for s ≤ 4096, drawn by inversion of the cumulative weights (binary search).
 * 2. Tail s ≥ T = 4097: the cheaper of two envelopes, by total mass:
 *    - τ > 1: h(s) = (1 + 1/T)^τ ∫_s^{s+1} y^(−τ) dy, i.e. s = ⌊Y⌋ with Y Pareto(τ − 1) above T;
 *      since s^(−τ) ≤ (1 + 1/s)^τ ∫_s^{s+1} y^(−τ) dy, h ≥ w;
 *    - any τ: h(s) = T^(−τ) e^(−s/s_c), i.e. s = T + ⌊s_c·E⌋ with E exponential; h ≥ w.
 * 3. Pick head or tail with probability proportional to their masses; a tail candidate s is kept
 *    with probability w(s)/h(s), otherwise start again from 3.
 * Deterministic given `rng`. Cost: O(log 4096) per head draw; tail candidates are accepted with
 * probability ≥ e^(−s/s_c)/(1 + 1/T)^τ (Pareto envelope), so heavy cutoffs cost a few tries.
 */
export function sampleCutoffPowerLaw(n: number, p: CutoffPowerLaw, rng: Random): Float64Array {
  checkInteger('n', n, 0, 2 ** 31 - 1);
  checkParameters(p);
  const { tau, cutoff } = p;
  const cumulative = new Float64Array(HEAD);
  let headMass = 0;
  for (let s = 1; s <= HEAD; s++) {
    headMass += Math.exp(-tau * Math.log(s) - s / cutoff);
    cumulative[s - 1] = headMass;
  }
  const T = HEAD + 1;
  const paretoFactor = Math.pow(1 + 1 / T, tau);
  const paretoMass = tau > 1 ? (paretoFactor * Math.pow(T, 1 - tau)) / (tau - 1) : Infinity;
  const geometricMass = Math.exp(-tau * Math.log(T) - T / cutoff) / -Math.expm1(-1 / cutoff);
  const usePareto = paretoMass < geometricMass;
  const tailMass = usePareto ? paretoMass : geometricMass;
  const headProbability = headMass / (headMass + tailMass);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    const u = rng.uniform();
    if (u < headProbability) {
      // Smallest index with cumulative > target.
      const target = (u / headProbability) * headMass;
      let lo = 0;
      let hi = HEAD - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > target) hi = mid;
        else lo = mid + 1;
      }
      out[i++] = lo + 1;
      continue;
    }
    let s: number;
    let accept: number;
    if (usePareto) {
      s = Math.floor(T * Math.pow(rng.uniformOpen(), -1 / (tau - 1)));
      if (!(s < 2 ** 53)) continue; // e^(−s/s_c) = 0 there: always rejected
      // w/h = e^(−s/s_c) (τ − 1) / (s (1 + 1/T)^τ (1 − (1 + 1/s)^(1−τ))), computed without cancellation.
      accept = (Math.exp(-s / cutoff) * (tau - 1)) / (s * paretoFactor * -Math.expm1((1 - tau) * Math.log1p(1 / s)));
    } else {
      s = T + Math.floor(cutoff * rng.exponential());
      accept = Math.exp(-tau * Math.log(s / T));
    }
    if (rng.uniform() < accept) out[i++] = s;
  }
  return out;
}
