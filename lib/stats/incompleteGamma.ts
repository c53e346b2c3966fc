import { logGamma } from './logGamma';

/**
 * Regularised incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x),
 * for a > 0, x ≥ 0. Power series for x < a + 1, continued fraction (modified Lentz) otherwise,
 * so each is evaluated where it converges fast and without cancellation.
 */
export function regularizedGammaP(a: number, x: number): number {
  checkArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? Math.exp(logSeriesP(a, x)) : 1 - Math.exp(logContinuedFractionQ(a, x));
}

/** Q(a, x) = Γ(a, x)/Γ(a), the upper regularised incomplete gamma function (see {@link regularizedGammaP}). */
export function regularizedGammaQ(a: number, x: number): number {
  checkArgs(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - Math.exp(logSeriesP(a, x)) : Math.exp(logContinuedFractionQ(a, x));
}

/** ln Q(a, x), accurate far into the tail where Q underflows (used for log survival functions). */
export function logRegularizedGammaQ(a: number, x: number): number {
  checkArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return -Infinity;
  return x < a + 1 ? Math.log1p(-Math.exp(logSeriesP(a, x))) : logContinuedFractionQ(a, x);
}

function checkArgs(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incomplete gamma: need a > 0 and x ≥ 0, got a = ${a}, x = ${x}`);
}

// ln P(a, x) = −x + a ln x − ln Γ(a) + ln Σ x^n / (a (a+1) … (a+n)).
function logSeriesP(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  let ap = a;
  for (let n = 0; n < 10000; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return -x + a * Math.log(x) - logGamma(a) + Math.log(sum);
}

// ln Q(a, x) from the Legendre continued fraction, evaluated by the modified Lentz method.
function logContinuedFractionQ(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x + a * Math.log(x) - logGamma(a) + Math.log(h);
}
