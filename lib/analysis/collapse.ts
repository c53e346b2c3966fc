/**
 * Data collapse of the avalanche-size distributions of one phase, s^τ P_N(s) = G(s / N^D)
 * (notebooks 03 and 08), built on lib/fss/collapse.
 */
import * as aq from 'arquero';
import { autoscaleCollapse, AutoscaleResult, BinnedCurve, binCollapseCurves, collapseQuality, CollapseQuality, scaleCurves } from '../fss/collapse';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { onsetMapOf, Phase, PHASES, PhaseOptions, phaseOf, probeRows, requireColumns } from './phase';
import { OnsetMap, RunsInput } from './runs';

/** Options of {@link collapseAnalysis}. */
export interface CollapseAnalysisOptions extends PhaseOptions {
  /** Which snapshots' avalanches ['post']. */
  phase?: Phase;
  /** Start of the autoscale search [{ tau: 1.5, D: 1 }]; notebook 03 passes D_post of s_max (the cutoff). */
  start?: { tau: number; D: number };
  /** Search half-widths around the start [{ tau: 0.5, D: 0.5 }]. */
  searchRadius?: { tau: number; D: number };
  /** Log bins per decade [10]. */
  binsPerDecade?: number;
  /** Bins with fewer avalanches are dropped [10]. */
  minCount?: number;
  /** Integer sizes (mass per integer in a bin) [detected: true when every size is an integer]. */
  discrete?: boolean;
}

/** The collapse of P_N(s) for one phase, or why there is none. */
export interface CollapseAnalysis {
  phase: Phase;
  /** Binned P_N(s) ± dP per scale (ascending N). */
  curves: BinnedCurve[];
  /** The curves rescaled at the optimum: x = s / N^D, y = s^τ P_N(s) ± dy (empty without a result). */
  scaled: Array<{ scaleN: number; x: Float64Array; y: Float64Array; dy: Float64Array }>;
  /** Avalanches per scale that went into the curves. */
  avalanches: Array<{ scaleN: number; count: number }>;
  start: { tau: number; D: number };
  /** τ, D, their standard errors and the Houdayer–Hartmann quality S at the optimum. */
  result: AutoscaleResult | null;
  /** Quality S of the curves as measured (τ = 0, D = 0: P_N(s) against s). */
  uncollapsed: CollapseQuality | null;
  /** Probes left out (truncated: the sizes are censored) and scales with fewer than 3 populated bins. */
  leftOut: { truncatedProbes: number; scalesWithFewBins: number };
  /** Whether the optimiser converged (null without a result). */
  converged: boolean | null;
  /** S ≤ 3: the curves agree within their errors (null without a result). */
  collapses: boolean | null;
  /** Why there is no collapse ("not enough data: …"), null when there is one. */
  reason: string | null;
}

/**
 * Data collapse of one phase:
 *  1. avalanches of every seed, graph seed and snapshot of the phase (phaseOf: runs without an
 *     onset are in neither phase) are pooled per scale N; snapshots whose probe was truncated are
 *     left out;
 *  2. P_N(s) is binned logarithmically (binCollapseCurves); scales with < 3 populated bins are dropped;
 *  3. τ and D minimise the Houdayer–Hartmann quality S (autoscaleCollapse; S ≈ 1 means the
 *     curves agree within their errors); S of the un-rescaled curves is reported beside it.
 * @param probe probeSweep's result ({ summary, avalanches }, avalanches kept)
 */
export function collapseAnalysis(
  probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null },
  runs: RunsInput | OnsetMap,
  options: CollapseAnalysisOptions = {},
): CollapseAnalysis {
  const phase = checkChoice('phase', options.phase ?? 'post', PHASES);
  const start = options.start ?? { tau: 1.5, D: 1 };
  if (!Number.isFinite(start.tau) || !Number.isFinite(start.D)) throw new InvalidOptionError('start', 'must be { tau, D } with finite numbers');
  if (!probe?.avalanches) throw new InvalidOptionError('probe.avalanches', 'is null: probe with keepAvalanches: true');
  requireColumns(probe.avalanches, 'probe.avalanches', ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size']);
  const onsets = onsetMapOf(runs, options);
  const truncated = new Set(
    probeRows(probe.summary, onsets)
      .filter((r) => r.truncated)
      .map((r) => `${r.scaleN}|${r.seed}|${r.snapshot}|${r.graphSeed}`),
  );
  const col = (name: string) => probe.avalanches!.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, graphSeed, epoch, size] = ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size'].map(col);
  const byScale = new Map<number, number[]>();
  for (let i = 0; i < size.length; i++) {
    const onset = onsets.get(`${scaleN[i]}|${seed[i]}`);
    if (onset === undefined || phaseOf(epoch[i], onset) !== phase) continue;
    if (truncated.has(`${scaleN[i]}|${seed[i]}|${snapshot[i]}|${graphSeed[i]}`) || !(size[i] > 0)) continue;
    if (!byScale.has(scaleN[i])) byScale.set(scaleN[i], []);
    byScale.get(scaleN[i])!.push(size[i]);
  }
  const scales = [...byScale.keys()].sort((a, b) => a - b);
  const avalanches = scales.map((N) => ({ scaleN: N, count: byScale.get(N)!.length }));
  const leftOut = { truncatedProbes: truncated.size, scalesWithFewBins: 0 };
  const base = { phase, avalanches, start, scaled: [], result: null, uncollapsed: null, converged: null, collapses: null };
  if (scales.length < 2)
    return { ...base, curves: [], leftOut, reason: `not enough data: ${scales.length} scale(s) with ${phase}-onset avalanches, a collapse needs 2` };
  const minCount = options.minCount ?? 10;
  const binned = binCollapseCurves(
    scales.map((N) => ({ scaleN: N, sizes: byScale.get(N)! })),
    { binsPerDecade: options.binsPerDecade ?? 10, minCount, discrete: options.discrete },
  ).filter((c) => c.s.length >= 3);
  leftOut.scalesWithFewBins = scales.length - binned.length;
  if (binned.length < 2)
    return { ...base, curves: binned, leftOut, reason: `not enough data: ${binned.length} scale(s) have ≥ 3 bins with ≥ ${minCount} avalanches` };
  const uncollapsed = collapseQuality(binned, { tau: 0, D: 0 });
  const result = autoscaleCollapse(binned, start, { searchRadius: options.searchRadius ?? { tau: 0.5, D: 0.5 } });
  if (!Number.isFinite(result.S))
    return { ...base, curves: binned, uncollapsed, leftOut, reason: 'not enough data: no (τ, D) in the search window leaves enough overlapping points' };
  return {
    phase,
    curves: binned,
    scaled: scaleCurves(binned, result.tau, result.D),
    avalanches,
    start,
    result,
    uncollapsed,
    leftOut,
    converged: result.converged,
    collapses: result.S <= 3,
    reason: null,
  };
}
