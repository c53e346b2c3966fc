/**
 * ln Γ(x) for x > 0.
 *
 * Stirling's asymptotic series after shifting the argument up to ≥ 10 with the recurrence
 * Γ(x + 1) = x Γ(x); six correction terms give ~1e-15 relative accuracy there.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x)) return NaN;
    throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  }
  let shift = 0;
  // Accumulate the product x (x+1) … in chunks so it cannot overflow.
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    if (product > 1e280) {
      shift += Math.log(product);
      product = 1;
    }
  }
  shift += Math.log(product);
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360))))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}
