/**
 * Hurwitz zeta function ζ(s, q) = Σ_{k≥0} (k + q)^(−s) for s > 1, q > 0, and its first two
 * derivatives with respect to s (needed for the discrete power-law likelihood:
 * E[ln X] = −ζ'/ζ and Var[ln X] = ζ''/ζ − (ζ'/ζ)²).
 *
 * Method: Euler–Maclaurin summation. Terms k < N are summed directly, with N chosen so that
 * a = q + N ≥ 10 + s; the remainder is ∫_a^∞ x^(−s) dx + a^(−s)/2 + Σ_j B_2j/(2j)! · s(s+1)…(s+2j−2)
 * · a^(−s−2j+1), truncated after eight Bernoulli terms (relative error < 1e-15 for a ≥ 10).
 * The s-derivatives are the term-by-term derivatives of the same expansion.
 */
export function hurwitzZeta(s: number, q: number): number {
  return hurwitzZetaDerivatives(s, q)[0];
}

// B_2j / (2j)! for j = 1 … 8.
const BERNOULLI_OVER_FACTORIAL = [
  1 / 6 / 2,
  -1 / 30 / 24,
  1 / 42 / 720,
  -1 / 30 / 40320,
  5 / 66 / 3628800,
  -691 / 2730 / 479001600,
  7 / 6 / 87178291200,
  -3617 / 510 / 20922789888000,
];

const scratch = new Float64Array(3);

/**
 * [ζ(s, q), ∂ζ/∂s, ∂²ζ/∂s²] for s > 1, q > 0. Returns a fresh array each call; use
 * {@link hurwitzZetaDerivativesInto} in hot loops.
 */
export function hurwitzZetaDerivatives(s: number, q: number): [number, number, number] {
  hurwitzZetaDerivativesInto(s, q, scratch);
  return [scratch[0], scratch[1], scratch[2]];
}

/**
 * Writes [ζ, ζ', ζ''] (derivatives in s) into `out`, allocation-free. With `logScale` = L every
 * output is multiplied by e^(sL) (e.g. L = ln q gives q^s ζ(s, q)), which keeps ratios such as
 * ζ(s, x)/ζ(s, q) finite for large s or q where ζ itself would underflow.
 */
export function hurwitzZetaDerivativesInto(s: number, q: number, out: Float64Array, logScale = 0): void {
  if (!(s > 1) || !(q > 0)) throw new RangeError(`hurwitzZeta: need s > 1 and q > 0, got s = ${s}, q = ${q}`);
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let x = q;
  // The asymptotic tail needs a ≫ s/(2π); a ≥ 10 + s keeps eight terms accurate.
  const directLimit = 10 + s;
  while (x < directLimit) {
    const lx = Math.log(x);
    const t = Math.exp(-s * (lx - logScale));
    z0 += t;
    z1 -= lx * t;
    z2 += lx * lx * t;
    x += 1;
  }
  const a = x;
  const la = Math.log(a);
  const aPowMinusS = Math.exp(-s * (la - logScale));
  // Integral term I(s) = a^(1−s)/(s−1).
  const sm1 = s - 1;
  const integral = (a * aPowMinusS) / sm1;
  // d/ds: I·(−ln a − 1/(s−1)); d²/ds²: I·((ln a + 1/(s−1))² + 1/(s−1)²).
  const g = la + 1 / sm1;
  z0 += integral;
  z1 -= integral * g;
  z2 += integral * (g * g + 1 / (sm1 * sm1));
  // Half-term a^(−s)/2.
  z0 += 0.5 * aPowMinusS;
  z1 -= 0.5 * la * aPowMinusS;
  z2 += 0.5 * la * la * aPowMinusS;
  // Bernoulli terms T_j = c_j · P_j(s) · a^(−s−2j+1), P_j(s) = s (s+1) … (s+2j−2).
  // Track P, P' and P'' by the product rule as factors are appended.
  let p = s;
  let dp = 1;
  let d2p = 0;
  let power = aPowMinusS / a; // a^(−s−1)
  const invA2 = 1 / (a * a);
  for (let j = 0; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    if (j > 0) {
      // Append factors (s + 2j − 1)(s + 2j).
      for (const offset of [2 * j - 1, 2 * j]) {
        const f = s + offset;
        d2p = d2p * f + 2 * dp;
        dp = dp * f + p;
        p = p * f;
      }
      power *= invA2;
    }
    const c = BERNOULLI_OVER_FACTORIAL[j];
    // d/ds (P · a^(−s−2j+1)) = (P' − P ln a) a^…; second derivative (P'' − 2P' ln a + P ln²a) a^….
    z0 += c * p * power;
    z1 += c * (dp - p * la) * power;
    z2 += c * (d2p - 2 * dp * la + p * la * la) * power;
  }
  out[0] = z0;
  out[1] = z1;
  out[2] = z2;
}

/**
 * e^(s·logScale) · ζ(s, q), value only (the fast path used in the KS scans and the sampler).
 * Same Euler–Maclaurin expansion as {@link hurwitzZetaDerivativesInto}.
 */
export function hurwitzZetaScaled(s: number, q: number, logScale: number): number {
  let z = 0;
  let x = q;
  // The asymptotic tail needs a ≫ s/(2π); a ≥ 10 + s keeps eight terms accurate.
  const directLimit = 10 + s;
  while (x < directLimit) {
    z += Math.exp(-s * (Math.log(x) - logScale));
    x += 1;
  }
  const a = x;
  const aPowMinusS = Math.exp(-s * (Math.log(a) - logScale));
  z += (a * aPowMinusS) / (s - 1) + 0.5 * aPowMinusS;
  let p = s;
  let power = aPowMinusS / a;
  const invA2 = 1 / (a * a);
  for (let j = 0; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    if (j > 0) {
      p *= (s + 2 * j - 1) * (s + 2 * j);
      power *= invA2;
    }
    const term = BERNOULLI_OVER_FACTORIAL[j] * p * power;
    z += term;
    // Terms shrink fast once a is large compared with s: stop when negligible.
    if (Math.abs(term) < 1e-17 * z) break;
  }
  return z;
}
