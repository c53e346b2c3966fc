import { Random } from '../util/random';
import { hurwitzZetaScaled } from './hurwitzZeta';

/**
 * Exact samples of the discrete power law P(x) = x^(−α)/Z on the integers xmin ≤ x ≤ xmax
 * (Z = ζ(α, xmin) − ζ(α, xmax + 1)), by inversion of the exact CCDF: a table for the first
 * 256 integers, beyond it the continuous approximation x ≈ (xmin − ½)·v^(−1/(α−1)) + ½ as a
 * start, corrected by exact CCDF evaluations (bracketing then bisection). α > 1.
 */
export function sampleDiscretePowerLaw(n: number, alpha: number, xmin: number, rng: Random, xmax = Infinity): Float64Array {
  if (!(alpha > 1)) throw new RangeError(`sampleDiscretePowerLaw: alpha must be > 1, got ${alpha}`);
  if (!Number.isInteger(xmin) || xmin < 1) throw new RangeError(`sampleDiscretePowerLaw: xmin must be a positive integer, got ${xmin}`);
  const lq = Math.log(xmin);
  const atMax = xmax === Infinity ? 0 : hurwitzZetaScaled(alpha, xmax + 1, lq);
  const total = hurwitzZetaScaled(alpha, xmin, lq) - atMax;
  // ccdf(x) = P(X ≥ x).
  const ccdf = (x: number): number => (x > xmax ? 0 : (hurwitzZetaScaled(alpha, x, lq) - atMax) / total);
  const tableSize = Math.min(256, xmax === Infinity ? 256 : xmax - xmin + 1);
  // table[i] = P(X ≥ xmin + i + 1), decreasing.
  const table = new Float64Array(tableSize);
  let mass = 1;
  for (let i = 0; i < tableSize; i++) {
    mass -= Math.exp(-alpha * (Math.log(xmin + i) - lq)) / total;
    // Re-anchor the running sum on the exact CCDF every 32 entries so rounding cannot drift.
    if (i % 32 === 31 || i === tableSize - 1) mass = ccdf(xmin + i + 1);
    table[i] = mass;
  }
  const out = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const v = 1 - rng.uniform(); // (0, 1]
    if (v > table[tableSize - 1]) {
      // Smallest i with table[i] < v: then x = xmin + i.
      let lo = 0;
      let hi = tableSize - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (table[mid] < v) hi = mid;
        else lo = mid + 1;
      }
      out[s] = xmin + lo;
      continue;
    }
    // x is the largest integer with ccdf(x) ≥ v.
    let x = Math.floor((xmin - 0.5) * Math.pow(v, -1 / (alpha - 1)) + 0.5);
    if (!(x <= Number.MAX_SAFE_INTEGER) && xmax > Number.MAX_SAFE_INTEGER)
      throw overflow('sampleDiscretePowerLaw', alpha, xmax, 'beyond 2^53 (integers no longer exact)');
    x = Math.max(x, xmin + tableSize);
    if (x > xmax) x = xmax;
    let lo: number;
    let hi: number;
    if (ccdf(x) >= v) {
      lo = x;
      if (ccdf(x + 1) < v) {
        out[s] = x;
        continue;
      }
      let step = 1;
      hi = x + 1;
      while (ccdf(hi) >= v) {
        lo = hi;
        step *= 2;
        hi = Math.min(lo + step, xmax + 1);
      }
    } else {
      hi = x;
      let step = 1;
      lo = Math.max(x - 1, xmin + tableSize);
      while (ccdf(lo) < v) {
        hi = lo;
        step *= 2;
        lo = Math.max(hi - step, xmin + tableSize);
      }
    }
    // Invariant: ccdf(lo) ≥ v > ccdf(hi).
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ccdf(mid) >= v) lo = mid;
      else hi = mid;
    }
    out[s] = lo;
  }
  return out;
}

/** Samples of the continuous power law p(x) ∝ x^(−α) on [xmin, xmax] by exact inversion (α > 1). */
export function sampleContinuousPowerLaw(n: number, alpha: number, xmin: number, rng: Random, xmax = Infinity): Float64Array {
  if (!(alpha > 1)) throw new RangeError(`sampleContinuousPowerLaw: alpha must be > 1, got ${alpha}`);
  if (!(xmin > 0)) throw new RangeError(`sampleContinuousPowerLaw: xmin must be > 0, got ${xmin}`);
  const beta = alpha - 1;
  const r = xmax === Infinity ? 0 : Math.pow(xmax / xmin, -beta);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = 1 - rng.uniform();
    out[i] = xmin * Math.pow(r + v * (1 - r), -1 / beta);
    if (!Number.isFinite(out[i])) throw overflow('sampleContinuousPowerLaw', alpha, xmax, 'to Infinity');
  }
  return out;
}

/** The error for draws too large for double precision (α too close to 1 without an upper cutoff). */
function overflow(sampler: string, alpha: number, xmax: number, what: string): RangeError {
  return new RangeError(`${sampler}: alpha = ${alpha} with xmax = ${xmax} gives draws ${what}; allowed: alpha further from 1 or a finite xmax`);
}
