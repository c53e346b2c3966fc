import { percentileInterval } from '../stats/bootstrap';
import { InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';

/**
 * How the bootstrap over training seeds (n seeds drawn with replacement within each scale, the
 * same draw at every time) makes an interval of D:
 * - 'studentized' — bootstrap-t: each replicate's t* = (D* − D) / √V*, V* its estimated variance
 *   (ClusterTable.slopeVariance); the interval is D − t*_(1+c)/2 · √V … D − t*_(1−c)/2 · √V. It
 *   carries the uncertainty of the spread itself, which matters with six seeds a scale;
 * - 'rescaled' — percentiles of replicates whose scale means are rescaled (Rao & Wu 1988, see
 *   ClusterTable.fit) so that their variance is unbiased;
 * - 'plain' — percentiles of the replicates as drawn (variance too small by (n−1)/n).
 */
export const SEED_BOOTSTRAPS = ['studentized', 'rescaled', 'plain'] as const;
export type SeedBootstrap = (typeof SEED_BOOTSTRAPS)[number];

/**
 * Observations of ln(value) grouped as time × scale × seed cluster. The bootstrap resamples
 * seeds (clusters) with replacement within each scale, the same draw for every time point, so
 * that a trajectory's replicates are whole resampled experiments.
 */
export class ClusterTable {
  /** Distinct scales N, ascending, and ln N. */
  readonly scales: number[];
  readonly logScales: Float64Array;
  /** Seed keys per scale. */
  readonly seeds: string[][];
  /** Offset of each scale's seeds in the flattened seed axis. */
  readonly seedOffset: Int32Array;
  readonly totalSeeds: number;
  /** [time][flattened seed]: Σ ln value and number of rows. */
  readonly sums: Float64Array[];
  readonly counts: Float64Array[];
  readonly times: number;

  constructor(entries: Array<{ time: number; scale: number; seed: string; logValue: number }>, times: number) {
    const byScale = new Map<number, Map<string, number>>();
    for (const e of entries) {
      let m = byScale.get(e.scale);
      if (!m) byScale.set(e.scale, (m = new Map()));
      if (!m.has(e.seed)) m.set(e.seed, m.size);
    }
    this.scales = Array.from(byScale.keys()).sort((a, b) => a - b);
    for (const N of this.scales) if (!(N > 0) || !Number.isFinite(N)) throw new InvalidOptionError('scaleN', `got ${N}; scales must be finite and > 0`);
    if (this.scales.length < 2) throw new InvalidOptionError('scaleN', `found ${this.scales.length} distinct scale(s); the scaling exponent needs at least 2`);
    this.logScales = Float64Array.from(this.scales, Math.log);
    this.seeds = this.scales.map((N) => Array.from(byScale.get(N)!.keys()));
    this.seedOffset = new Int32Array(this.scales.length + 1);
    this.seeds.forEach((s, k) => (this.seedOffset[k + 1] = this.seedOffset[k] + s.length));
    this.totalSeeds = this.seedOffset[this.scales.length];
    this.times = times;
    this.sums = Array.from({ length: times }, () => new Float64Array(this.totalSeeds));
    this.counts = Array.from({ length: times }, () => new Float64Array(this.totalSeeds));
    const scaleIndex = new Map(this.scales.map((N, k) => [N, k]));
    for (const e of entries) {
      const k = scaleIndex.get(e.scale)!;
      const flat = this.seedOffset[k] + byScale.get(e.scale)!.get(e.seed)!;
      this.sums[e.time][flat] += e.logValue;
      this.counts[e.time][flat] += 1;
    }
  }

  /**
   * Per-scale mean of ln value at time t using seed multiplicities `weights` (flattened; all
   * ones for the original data), then the OLS slope of mean ln value on ln N over the scales
   * that have data. Returns NaN when fewer than `minScales` scales have data.
   *
   * `rescale` (bootstrap replicates only): each scale's resampled mean m* is moved to
   * m + √(n/(n−1))·(m* − m), m the scale's mean over the original seeds and n the seeds with
   * data at t — the rescaling bootstrap of Rao & Wu (1988) for stratified cluster samples.
   * A plain resample of n seeds has variance (n−1)/n · s²/n, too small by 1/6 at six seeds; the
   * slope is linear in the scale means, so after rescaling its bootstrap variance is the
   * unbiased Σ w_k² s_k² / n_k.
   */
  fit(
    t: number,
    weights: Float64Array | null,
    minScales: number,
    out?: { intercept: number; rSquared: number; nScales: number; meanLog: number[]; scales: number[] },
    rescale = false,
  ): number {
    const xs: number[] = [];
    const ys: number[] = [];
    const sums = this.sums[t];
    const counts = this.counts[t];
    for (let k = 0; k < this.scales.length; k++) {
      let s = 0;
      let c = 0;
      let s1 = 0;
      let c1 = 0;
      let n = 0;
      for (let f = this.seedOffset[k]; f < this.seedOffset[k + 1]; f++) {
        const w = weights ? weights[f] : 1;
        s += w * sums[f];
        c += w * counts[f];
        if (rescale && counts[f] > 0) {
          s1 += sums[f];
          c1 += counts[f];
          n++;
        }
      }
      if (c > 0) {
        xs.push(this.logScales[k]);
        const mean = s / c;
        ys.push(rescale && weights && n > 1 ? s1 / c1 + Math.sqrt(n / (n - 1)) * (mean - s1 / c1) : mean);
      }
    }
    if (xs.length < minScales || xs.length < 2) {
      if (out) Object.assign(out, { intercept: NaN, rSquared: NaN, nScales: xs.length, meanLog: ys, scales: xs.map(Math.exp) });
      return NaN;
    }
    const n = xs.length;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += xs[i] / n;
      my += ys[i] / n;
    }
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (xs[i] - mx) ** 2;
      sxy += (xs[i] - mx) * (ys[i] - my);
      syy += (ys[i] - my) ** 2;
    }
    const slope = sxy / sxx;
    if (out) {
      const intercept = my - slope * mx;
      let ssRes = 0;
      for (let i = 0; i < n; i++) ssRes += (ys[i] - intercept - slope * xs[i]) ** 2;
      Object.assign(out, {
        intercept,
        rSquared: syy > 0 ? 1 - ssRes / syy : NaN,
        nScales: n,
        meanLog: ys,
        scales: xs.map((x) => this.scales[this.logScales.indexOf(x)]),
      });
    }
    return slope;
  }

  /**
   * Estimated variance of the slope that {@link fit} returns for the same t and multiplicities:
   * the slope is Σ_k w_k m_k with w_k = (ln N_k − mean ln N) / Σ (ln N − mean ln N)² over the
   * scales with data, and m_k the scale's ratio mean Σ S_s / Σ C_s over its drawn seeds (S_s,
   * C_s: sum of ln value and rows of seed s at t). Var(m_k) ≈ n/(n−1) · Σ_s (S_s − m_k C_s)² /
   * (Σ_s C_s)² over the n drawn seeds with data (each copy of a seed counts; with one row per
   * seed it is s²/n), so that Var = Σ_k w_k² Var(m_k). A scale with one seed adds nothing (its
   * spread is unknown). NaN when the slope is NaN.
   */
  slopeVariance(t: number, weights: Float64Array | null, minScales: number): number {
    const sums = this.sums[t];
    const counts = this.counts[t];
    const xs: number[] = [];
    const terms: number[] = [];
    for (let k = 0; k < this.scales.length; k++) {
      let s = 0;
      let c = 0;
      let n = 0;
      for (let f = this.seedOffset[k]; f < this.seedOffset[k + 1]; f++) {
        const w = weights ? weights[f] : 1;
        if (w === 0 || counts[f] === 0) continue;
        s += w * sums[f];
        c += w * counts[f];
        n += w;
      }
      if (c === 0) continue;
      const mean = s / c;
      let ss = 0;
      for (let f = this.seedOffset[k]; f < this.seedOffset[k + 1]; f++) {
        const w = weights ? weights[f] : 1;
        if (w !== 0 && counts[f] !== 0) ss += w * (sums[f] - mean * counts[f]) ** 2;
      }
      xs.push(this.logScales[k]);
      terms.push(n > 1 ? ((n / (n - 1)) * ss) / (c * c) : 0);
    }
    if (xs.length < minScales || xs.length < 2) return NaN;
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    return xs.reduce((v, x, i) => v + ((x - mx) / sxx) ** 2 * terms[i], 0);
  }

  /** Seed multiplicities of one bootstrap replicate: within each scale, |seeds| draws with replacement. */
  resampleWeights(rng: Random): Float64Array {
    const w = new Float64Array(this.totalSeeds);
    for (let k = 0; k < this.scales.length; k++) {
      const size = this.seedOffset[k + 1] - this.seedOffset[k];
      for (let i = 0; i < size; i++) w[this.seedOffset[k] + rng.integer(size)] += 1;
    }
    return w;
  }
}

/** Bootstrap draws at one or more times: the replicates' D and, for 'studentized', their t*. */
export interface SeedDraws {
  /** replicates[b][i]: D at time i in replicate b ('rescaled': of the rescaled means). */
  replicates: Float64Array[];
  /** 'studentized' only: t*[b][i] = (D*[b][i] − D[i]) / √V*[b][i]. */
  studentized: Float64Array[] | null;
}

/**
 * `bootstrap` replicates of the slope at the times `timeIndex`, each from one draw of seeds
 * within each scale (the same draw at every time, so that replicate trajectories are coherent),
 * as `kind` says (see SEED_BOOTSTRAPS). `estimates[i]` is the slope of the original data at
 * timeIndex[i] (needed for t*).
 */
export function drawSeedBootstrap(
  table: ClusterTable,
  timeIndex: number[],
  estimates: ArrayLike<number>,
  minScales: number,
  bootstrap: number,
  rng: Random,
  kind: SeedBootstrap,
): SeedDraws {
  const replicates: Float64Array[] = [];
  const studentized: Float64Array[] | null = kind === 'studentized' ? [] : null;
  for (let b = 0; b < bootstrap; b++) {
    const w = table.resampleWeights(rng);
    const r = Float64Array.from(timeIndex, (t) => table.fit(t, w, minScales, undefined, kind === 'rescaled'));
    replicates.push(r);
    if (studentized) studentized.push(Float64Array.from(timeIndex, (t, i) => (r[i] - estimates[i]) / Math.sqrt(table.slopeVariance(t, w, minScales))));
  }
  return { replicates, studentized };
}

/**
 * The `confidence` interval of the slope at timeIndex[i] from draws of {@link drawSeedBootstrap}:
 * percentiles of the replicates, or for 'studentized' D − q_hi·√V … D − q_lo·√V with q the
 * percentiles of t* and V the original data's slopeVariance (just D when V = 0: seeds without
 * spread). Non-finite replicates are dropped.
 */
export function seedBootstrapInterval(
  table: ClusterTable,
  t: number,
  i: number,
  estimate: number,
  minScales: number,
  draws: SeedDraws,
  confidence: number,
): { low: number; high: number } {
  if (draws.replicates.length === 0) return { low: NaN, high: NaN };
  if (!draws.studentized)
    return percentileInterval(
      Float64Array.from(draws.replicates, (r) => r[i]),
      confidence,
    );
  const se = Math.sqrt(table.slopeVariance(t, null, minScales));
  // No spread among the seeds (exact data): nothing to studentize, the interval is the point.
  if (se === 0) return { low: estimate, high: estimate };
  const q = percentileInterval(
    Float64Array.from(draws.studentized, (r) => r[i]),
    confidence,
  );
  return { low: estimate - q.high * se, high: estimate - q.low * se };
}
