/** Result of {@link ordinaryLeastSquares}. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination (1 − SS_res/SS_tot); NaN when all y are equal. */
  rSquared: number;
  /** Classical standard errors (σ̂² = SS_res/(n − 2)); NaN when n < 3. */
  slopeStandardError: number;
  interceptStandardError: number;
  n: number;
}

/**
 * Simple linear regression y = intercept + slope·x by ordinary least squares (optionally
 * weighted: minimises Σ wᵢ (yᵢ − a − b xᵢ)²). Needs ≥ 2 points with distinct x.
 */
export function ordinaryLeastSquares(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): LinearFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`ordinaryLeastSquares: x has ${n} entries, y has ${y.length}`);
  if (weights && weights.length !== n) throw new RangeError(`ordinaryLeastSquares: weights have ${weights.length} entries, x has ${n}`);
  if (n < 2) throw new RangeError(`ordinaryLeastSquares: need at least 2 points, got ${n}`);
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    sw += w;
    mx += w * x[i];
    my += w * y[i];
  }
  mx /= sw;
  my /= sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += w * dx * dx;
    sxy += w * dx * dy;
    syy += w * dy * dy;
  }
  if (!(sxx > 0)) throw new RangeError('ordinaryLeastSquares: all x values are equal; the slope is undefined');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const r = y[i] - intercept - slope * x[i];
    ssRes += w * r * r;
  }
  const sigma2 = n > 2 ? ssRes / (n - 2) : NaN;
  return {
    slope,
    intercept,
    rSquared: syy > 0 ? 1 - ssRes / syy : NaN,
    slopeStandardError: Math.sqrt(sigma2 / sxx),
    interceptStandardError: Math.sqrt(sigma2 * (1 / sw + (mx * mx) / sxx)),
    n,
  };
}
