import { InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';

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
   */
  fit(
    t: number,
    weights: Float64Array | null,
    minScales: number,
    out?: { intercept: number; rSquared: number; nScales: number; meanLog: number[]; scales: number[] },
  ): number {
    const xs: number[] = [];
    const ys: number[] = [];
    const sums = this.sums[t];
    const counts = this.counts[t];
    for (let k = 0; k < this.scales.length; k++) {
      let s = 0;
      let c = 0;
      for (let f = this.seedOffset[k]; f < this.seedOffset[k + 1]; f++) {
        const w = weights ? weights[f] : 1;
        s += w * sums[f];
        c += w * counts[f];
      }
      if (c > 0) {
        xs.push(this.logScales[k]);
        ys.push(s / c);
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
