/**
 * The Houdayer–Hartmann quality S of a data collapse, as one reusable kernel over typed arrays
 * (the optimisers call it thousands of times per fit).
 *
 * Curves: P_N(s) ± dP_N(s) at sizes s, for scales N. Collapse hypothesis, with amplitude A_N:
 *   A_N s^τ P_N(s) = G(s / N^D).
 * For every point (x_ij, y_ij ± dy_ij) of curve i (x = ln s − D ln N, y = A_N s^τ P), the two
 * points of every other curve that bracket x_ij (curves that do not reach x_ij contribute
 * nothing) are fitted by one weighted least-squares line in x, whose value Y_ij and variance
 * dY_ij² at x_ij estimate the master curve there; S = (1/𝒩) Σ (y_ij − Y_ij)² / (dy_ij² + dY_ij²)
 * over the 𝒩 points with neighbours (pyfssa's definition, with x = ln(s/N^D) because the sizes
 * are log-spaced). S ≈ 1 for a collapse within honest errors.
 *
 * Amplitude: A_N = 1 − β (N/N₁)^(−D(τ−1)) (N₁ the smallest scale). Normalising P_N makes its
 * amplitude N-dependent: Σ_s P_N(s) = 1 with P_N = s^(−τ) G(s/N^D)/Z_N gives, for τ > 1,
 * Z_N = Z_∞ (1 − b N^(−D(τ−1)) + …) (the scaling tail's share of the normalisation), and for
 * τ < 1 the same form with b < 0 gives Z_N ∝ N^(D(1−τ)). β = 0 is the textbook collapse.
 */
/**
 * The amplitude A_N = 1 − β (N/N₁)^(−D(τ−1)) of the curve at scale N (N₁ the smallest scale in
 * the collapse): what multiplies s^τ P_N(s) on the collapsed axis.
 */
export function collapseAmplitude(scaleN: number, smallestN: number, tau: number, D: number, beta: number): number {
  return beta === 0 ? 1 : 1 - beta * Math.exp(-D * (tau - 1) * Math.log(scaleN / smallestN));
}

export class CollapseQualityKernel {
  /** Number of curves. */
  readonly curves: number;
  /** Points of all curves. */
  readonly points: number;
  private readonly scaleN: Float64Array;
  private readonly smallestN: number;
  private readonly logN: Float64Array;
  private readonly offsets: Int32Array;
  private readonly logS: Float64Array;
  private readonly p: Float64Array;
  private readonly dp: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly dy: Float64Array;
  private readonly cursor: Int32Array;
  /** Points with neighbours in the last evaluation (the 𝒩 of S). */
  lastTerms = 0;

  /**
   * @param curves per curve: scale N (> 0), sizes s (> 0, ascending), P and dP (> 0); the caller
   *   validates (binCollapseCurves, collapseHistogram do). Curves are used in the order given;
   *   N₁ is the smallest N.
   */
  constructor(curves: ReadonlyArray<{ scaleN: number; s: ArrayLike<number>; p: ArrayLike<number>; dp: ArrayLike<number> }>) {
    this.curves = curves.length;
    this.offsets = new Int32Array(curves.length + 1);
    curves.forEach((c, i) => (this.offsets[i + 1] = this.offsets[i] + c.s.length));
    this.points = this.offsets[curves.length];
    this.smallestN = Math.min(...curves.map((c) => c.scaleN));
    this.scaleN = Float64Array.from(curves, (c) => c.scaleN);
    this.logN = Float64Array.from(curves, (c) => Math.log(c.scaleN));
    this.logS = new Float64Array(this.points);
    this.p = new Float64Array(this.points);
    this.dp = new Float64Array(this.points);
    curves.forEach((c, i) => {
      for (let j = 0; j < c.s.length; j++) {
        this.logS[this.offsets[i] + j] = Math.log(c.s[j]);
        this.p[this.offsets[i] + j] = c.p[j];
        this.dp[this.offsets[i] + j] = c.dp[j];
      }
    });
    this.x = new Float64Array(this.points);
    this.y = new Float64Array(this.points);
    this.dy = new Float64Array(this.points);
    this.cursor = new Int32Array(curves.length);
  }

  /**
   * S at (τ, D, β); the number of terms is left in `lastTerms`. Returns +∞ when an amplitude
   * A_N ≤ 0 (β too large for these τ, D) and NaN when no point has neighbours.
   */
  quality(tau: number, D: number, beta = 0): number {
    const { offsets, logS, p, dp, x, y, dy, cursor } = this;
    const K = this.curves;
    for (let i = 0; i < K; i++) {
      const amplitude = collapseAmplitude(this.scaleN[i], this.smallestN, tau, D, beta);
      if (!(amplitude > 0)) {
        this.lastTerms = 0;
        return Infinity;
      }
      const shift = D * this.logN[i];
      for (let m = offsets[i]; m < offsets[i + 1]; m++) {
        const factor = amplitude * Math.exp(tau * logS[m]);
        x[m] = logS[m] - shift;
        y[m] = factor * p[m];
        dy[m] = factor * dp[m];
      }
    }
    let sum = 0;
    let terms = 0;
    for (let i = 0; i < K; i++) {
      // Points of curve i ascend in x, so each other curve's bracket only moves right: one
      // cursor per curve instead of a binary search per point.
      for (let k = 0; k < K; k++) cursor[k] = offsets[k];
      for (let m = offsets[i]; m < offsets[i + 1]; m++) {
        const xm = x[m];
        let sw = 0;
        let swx = 0;
        let swy = 0;
        let swxx = 0;
        let swxy = 0;
        let found = 0;
        for (let k = 0; k < K; k++) {
          if (k === i) continue;
          const first = offsets[k];
          const last = offsets[k + 1] - 1;
          if (last - first < 1 || xm < x[first] || xm > x[last]) continue;
          // Largest index a (first ≤ a ≤ last − 1) with x[a] ≤ xm: the bracket is a, a + 1.
          let a = cursor[k];
          while (a < last - 1 && x[a + 1] <= xm) a++;
          cursor[k] = a;
          for (let idx = a; idx <= a + 1; idx++) {
            const w = 1 / (dy[idx] * dy[idx]);
            const px = x[idx] - xm; // centred at xm: the prediction is the intercept
            sw += w;
            swx += w * px;
            swy += w * y[idx];
            swxx += w * px * px;
            swxy += w * px * y[idx];
          }
          found++;
        }
        if (found === 0) continue;
        const det = sw * swxx - swx * swx;
        let Y: number;
        let varY: number;
        if (det > 1e-12 * sw * swxx && swxx > 0) {
          Y = (swxx * swy - swx * swxy) / det;
          varY = swxx / det;
        } else {
          Y = swy / sw;
          varY = 1 / sw;
        }
        const r = y[m] - Y;
        sum += (r * r) / (dy[m] * dy[m] + varY);
        terms++;
      }
    }
    this.lastTerms = terms;
    return terms > 0 ? sum / terms : NaN;
  }
}
