/**
 * Synthetic probe inputs whose D(t) is set by design, for the coverage study (coverage.ts):
 * sweeps of "runs" at the eight XOR scales whose snapshots go through the real probe, graph and
 * fits, but whose D before / after a known epoch, and whether and where D(t) crosses 1, are
 * chosen in advance (and pinned down to a few thousandths by a large pool of runs).
 */
import { makeGraph } from '../graphs/makeGraph';
import { runProbe } from '../probe/runProbe';
import { syntheticGradients } from '../probe/syntheticGradients';
import { checkChoice, checkInteger, checkPositive, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';
import { phaseOf, ProbeRow } from './phase';
import type { AnalysisPlan } from './plan';

/**
 * - 'gaussian': every snapshot i.i.d. N(0, 1): D(t) constant, ≈ 1 on every topology (the
 *   paper's control), so D before = D after and D(t) never crosses 1 for good;
 * - 'switch': excess-load snapshots with exponent betaPre before `changeEpoch` and betaPost from
 *   it on, in every run: D jumps from ≈ 0.81 to ≈ 1.19 at a known epoch;
 * - 'hover': betaPre before `changeEpoch`, betaHover (D ≈ 1.03, just above 1) until `riseEpoch`,
 *   betaPost after it: D(t) crosses 1 at a known epoch and then hovers just above 1 for a while
 *   before it rises, the shape of D(t) in the XOR sweep.
 */
export const COVERAGE_DESIGNS = ['gaussian', 'switch', 'hover'] as const;
export type CoverageDesign = (typeof COVERAGE_DESIGNS)[number];

/** Options of {@link designRows}: every knob of the synthetic sweeps. */
export interface CoverageDesignOptions {
  /** Run seeds (one run per seed and scale); required, distinct integers ≥ 0. */
  seeds: number[];
  /** Scales N (graph sizes) [81, 129, 201, 321, 505, 801, 1265, 2001: N = 4h + 1 of the eight XOR widths]. */
  scales?: number[];
  /** Snapshot epochs, ascending [0, 40, …, 2000: the quick XOR schedule]. */
  epochs?: number[];
  /** Epoch at which D changes in every run; also each run's onset (phase split) [640]. */
  changeEpoch?: number;
  /** 'hover': epoch at which D rises from its hover level to its final level [1120]. */
  riseEpoch?: number;
  /** Exponent β of the excess scale r ∝ N^β before the change (D ≈ 0.81 on BA m = 3) [0]. */
  betaPre?: number;
  /** 'hover': β between changeEpoch and riseEpoch (D ≈ 1.03) [0.14]. */
  betaHover?: number;
  /** β after the change ('switch') or after riseEpoch ('hover') (D ≈ 1.19) [0.24]. */
  betaPost?: number;
  /** Excess scale r at N = referenceN, > 0 [3]. */
  amplitude?: number;
  /** Run-to-run spread: each run's amplitude is multiplied by exp(runSpread · z), z ~ N(0, 1), ≥ 0 [0.3]. */
  runSpread?: number;
  /** Fraction of nodes with an excess load, in (0.1, 1) so that θ = Q_0.9 falls among them [0.11]. */
  topFraction?: number;
  /** Other nodes: load uniform in [0, background), in (0, 1) [0.8]. */
  background?: number;
  /** N at which the excess scale equals `amplitude` [400, the geometric middle of 81 … 2001]. */
  referenceN?: number;
}

const KNOWN = [
  'seeds',
  'scales',
  'epochs',
  'changeEpoch',
  'riseEpoch',
  'betaPre',
  'betaHover',
  'betaPost',
  'amplitude',
  'runSpread',
  'topFraction',
  'background',
  'referenceN',
];

/** The scales N = 4h + 1 of the eight XOR widths h = 20 … 500. */
export const XOR_SCALES_N = [81, 129, 201, 321, 505, 801, 1265, 2001];

type Resolved = Required<CoverageDesignOptions>;

function resolveDesign(options: CoverageDesignOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('design', 'must be an object with at least `seeds`');
  for (const key of Object.keys(options))
    if (!KNOWN.includes(key)) throw new InvalidOptionError(`design.${key}`, `unknown option; allowed: ${KNOWN.join(', ')}`);
  const seeds = options.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidOptionError('design.seeds', 'must be a non-empty array of run seeds');
  seeds.forEach((s, i) => checkInteger(`design.seeds[${i}]`, s, 0, 2 ** 31 - 1));
  if (new Set(seeds).size !== seeds.length) throw new InvalidOptionError('design.seeds', 'must be distinct');
  const scales = options.scales ?? XOR_SCALES_N;
  if (!Array.isArray(scales) || new Set(scales).size < 2) throw new InvalidOptionError('design.scales', 'must hold at least two distinct scales');
  scales.forEach((n, i) => checkInteger(`design.scales[${i}]`, n, 10));
  const epochs = options.epochs ?? Array.from({ length: 51 }, (_, i) => 40 * i);
  if (!Array.isArray(epochs) || epochs.length < 2 || epochs.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= epochs[i - 1])))
    throw new InvalidOptionError('design.epochs', 'must be ≥ 2 finite, strictly increasing epochs');
  const changeEpoch = options.changeEpoch ?? 640;
  const riseEpoch = options.riseEpoch ?? 1120;
  if (!Number.isFinite(changeEpoch)) throw new InvalidOptionError('design.changeEpoch', `must be a finite epoch, got ${String(changeEpoch)}`);
  if (!(riseEpoch > changeEpoch)) throw new InvalidOptionError('design.riseEpoch', `must be a number > changeEpoch (${changeEpoch}), got ${String(riseEpoch)}`);
  const beta = (field: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (typeof v !== 'number' || !(Math.abs(v) <= 2)) throw new InvalidOptionError(`design.${field}`, `must be a number in [−2, 2], got ${String(v)}`);
    return v;
  };
  const runSpread = options.runSpread ?? 0.3;
  if (typeof runSpread !== 'number' || !(runSpread >= 0 && runSpread <= 3))
    throw new InvalidOptionError('design.runSpread', `must be a number in [0, 3], got ${String(runSpread)}`);
  const topFraction = options.topFraction ?? 0.11;
  if (typeof topFraction !== 'number' || !(topFraction > 0.1 && topFraction < 1))
    throw new InvalidOptionError('design.topFraction', `must be a number in the open interval (0.1, 1), got ${String(topFraction)}`);
  const background = options.background ?? 0.8;
  if (typeof background !== 'number' || !(background > 0 && background < 1))
    throw new InvalidOptionError('design.background', `must be a number in the open interval (0, 1), got ${String(background)}`);
  return {
    seeds,
    scales,
    epochs,
    changeEpoch,
    riseEpoch,
    betaPre: beta('betaPre', options.betaPre, 0),
    betaHover: beta('betaHover', options.betaHover, 0.14),
    betaPost: beta('betaPost', options.betaPost, 0.24),
    amplitude: checkPositive('design.amplitude', options.amplitude ?? 3),
    runSpread,
    topFraction,
    background,
    referenceN: checkPositive('design.referenceN', options.referenceN ?? 400),
  };
}

/** β of a design at `epoch`. */
function betaAt(design: Exclude<CoverageDesign, 'gaussian'>, d: Resolved, epoch: number): number {
  if (epoch < d.changeEpoch) return d.betaPre;
  if (design === 'hover' && epoch < d.riseEpoch) return d.betaHover;
  return d.betaPost;
}

/**
 * One excess-load snapshot of n values: K = round(topFraction·n) excess loads 1 + r·F⁻¹((k + ½)/K)
 * (F the Exp(1) distribution, k = 0 … K−1) and n − K background loads background·(k + ½)/(n − K),
 * on nodes in a random order. θ = Q_0.9 of the loads falls among the excess loads, so the
 * avalanche seeds are those and r (= scale) — how far they exceed θ — sets how far their
 * avalanches spread: S_total / N grows with r, and r ∝ N^β tilts D. The values themselves are
 * fixed quantiles, only their places are drawn, so a snapshot's noise is the graph's and the
 * run's, not that of a few extreme draws.
 */
function excessLoads(n: number, scale: number, d: Resolved, rng: Random): Float64Array {
  const top = Math.round(d.topFraction * n);
  const values = new Float64Array(n);
  for (let k = 0; k < top; k++) values[k] = 1 - scale * Math.log(1 - (k + 0.5) / top);
  for (let k = 0; k < n - top; k++) values[top + k] = (d.background * (k + 0.5)) / (n - top);
  const order = rng.permutation(n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[order[i]];
  return out;
}

/**
 * Probe rows of a synthetic sweep: for every seed × scale (a "run") and every epoch, one
 * snapshot probed on the plan's topology with the plan's probe options, on each of the plan's
 * graph seeds.
 *  1. options are checked (unknown keys and out-of-range values rejected) before any work;
 *  2. a run's amplitude is amplitude · exp(runSpread · z), z from deriveSeed(seed, 'coverage-run', design, N);
 *  3. the snapshot at epoch t: 'gaussian' — syntheticGradients('gaussian'); otherwise
 *     excessLoads with r = amplitude_run · (N / referenceN)^β(t), from
 *     deriveSeed(seed, 'coverage-snapshot', design, N, t);
 *  4. each row carries onset = changeEpoch and its phase (pre before it, post from it on).
 * Same options and plan → identical rows.
 */
export function designRows(
  design: CoverageDesign,
  plan: Pick<AnalysisPlan, 'topology' | 'probeOptions' | 'graphSeeds'>,
  options: CoverageDesignOptions,
): ProbeRow[] {
  checkChoice('design', design, COVERAGE_DESIGNS);
  const d = resolveDesign(options);
  const rows: ProbeRow[] = [];
  for (const n of d.scales) {
    const graphs = plan.graphSeeds.map((g) => ({ seed: g, graph: makeGraph(plan.topology, n, g) }));
    for (const seed of d.seeds) {
      const runAmplitude = d.amplitude * Math.exp(d.runSpread * new Random(deriveSeed(seed, 'coverage-run', design, n)).normal());
      d.epochs.forEach((epoch, snapshot) => {
        const rngSeed = deriveSeed(seed, 'coverage-snapshot', design, n, epoch);
        const values =
          design === 'gaussian'
            ? syntheticGradients('gaussian', n, rngSeed)
            : excessLoads(n, runAmplitude * (n / d.referenceN) ** betaAt(design, d, epoch), d, new Random(rngSeed));
        for (const { seed: graphSeed, graph } of graphs) {
          const result = runProbe(values, graph, plan.probeOptions);
          rows.push({
            scaleN: n,
            seed,
            snapshot,
            epoch,
            graphSeed,
            totalTopplings: result.totalTopplings,
            sMax: result.sMax,
            truncated: result.truncated,
            onset: d.changeEpoch,
            phase: phaseOf(epoch, d.changeEpoch),
          });
        }
      });
    }
  }
  return rows;
}
