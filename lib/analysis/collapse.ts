/**
 * Data collapse of the avalanche-size distributions of one phase, s^τ P_N(s) = A_N G(s / N^D)
 * (notebooks 03 and 08): the real avalanches through the one collapse procedure of the library,
 * lib/fss/dataCollapse (s_min from the data, unboxed search with an edge flag, bootstrap
 * intervals, verdict), with the settings of the analysis plan.
 */
import * as aq from 'arquero';
import { DataCollapseOptions, resolveCollapseOptions } from '../fss/collapseOptions';
import { collapseQualityProfile, CollapseQualityProfile } from '../fss/collapseProfile';
import { CollapsedCurve, dataCollapse, DataCollapseResult } from '../fss/dataCollapse';
import { WindowCurve } from '../fss/collapseHistogram';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { onsetMapOf, Phase, PHASES, PhaseOptions, phaseOf, probeRows, requireColumns } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { OnsetMap, RunsInput } from './runs';

/** Options of {@link collapseAnalysis}; unknown keys are rejected. */
export interface CollapseAnalysisOptions extends PhaseOptions {
  /** Which snapshots' avalanches ['post']. */
  phase?: Phase;
  /**
   * dataCollapse options (binning, s_min rule or a fixed s_min, allowed ranges, maxQuality, …)
   * [bootstrap: plan.collapseBootstrap, seed: plan.seed, every other at dataCollapse's default].
   */
  collapse?: DataCollapseOptions;
  /** Points of each quality curve, S along τ and along D through the optimum, integer ≥ 3 [61]. */
  profilePoints?: number;
}

const OPTION_KEYS = ['phase', 'collapse', 'profilePoints', 'onsetField'] as const;

/** The collapse of P_N(s) for one phase, or why there is none. */
export interface CollapseAnalysis {
  phase: Phase;
  /** Avalanches per scale that went into the collapse (ascending N). */
  avalanches: Array<{ scaleN: number; count: number }>;
  /**
   * dataCollapse's result: τ, D with bootstrap intervals and S + 1 curvature errors, the chosen
   * s_min and its candidates, edge flags, S, the verdict `holds` and its notes; null when there
   * was no fit (see `reason`).
   */
  result: DataCollapseResult | null;
  /** The window's curves P_N(s) ± dP as measured, and collapsed at the optimum (empty without a result). */
  curves: WindowCurve[];
  scaled: CollapsedCurve[];
  /** S along τ and along D through the optimum (collapseQualityProfile); empty without a result. */
  profiles: CollapseQualityProfile[];
  /** Probes left out: truncated ones (their sizes are censored). */
  leftOut: { truncatedProbes: number };
  /** Whether the collapse holds (dataCollapse's verdict; null without a result). */
  holds: boolean | null;
  /** Why there is no result ("not enough data: …", "no collapse: …"), null when there is one. */
  reason: string | null;
}

/** Avalanche sizes of one phase per scale (ascending N), without truncated probes. */
function phaseSizes(
  probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable },
  runs: RunsInput | OnsetMap,
  phase: Phase,
  options: PhaseOptions,
): { byScale: Map<number, number[]>; truncated: number } {
  requireColumns(probe.avalanches, 'probe.avalanches', ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size']);
  const onsets = onsetMapOf(runs, options);
  const truncated = new Set(
    probeRows(probe.summary, onsets)
      .filter((r) => r.truncated)
      .map((r) => `${r.scaleN}|${r.seed}|${r.snapshot}|${r.graphSeed}`),
  );
  const col = (name: string) => probe.avalanches.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, graphSeed, epoch, size] = ['scaleN', 'seed', 'snapshot', 'graphSeed', 'epoch', 'size'].map(col);
  const byScale = new Map<number, number[]>();
  for (let i = 0; i < size.length; i++) {
    const onset = onsets.get(`${scaleN[i]}|${seed[i]}`);
    if (onset === undefined || phaseOf(epoch[i], onset) !== phase) continue;
    if (truncated.has(`${scaleN[i]}|${seed[i]}|${snapshot[i]}|${graphSeed[i]}`) || !(size[i] > 0)) continue;
    if (!byScale.has(scaleN[i])) byScale.set(scaleN[i], []);
    byScale.get(scaleN[i])!.push(size[i]);
  }
  return { byScale: new Map([...byScale].sort((a, b) => a[0] - b[0])), truncated: truncated.size };
}

/**
 * Data collapse of one phase:
 *  1. avalanches of every seed, graph seed and snapshot of the phase (phaseOf: runs without an
 *     onset are in neither phase) are pooled per scale N; snapshots whose probe was truncated are
 *     left out;
 *  2. dataCollapse with the plan's bootstrap size and seed (and `options.collapse` over them):
 *     shared log bins, s_min chosen by the plateau rule, τ, D (and the amplitude β) minimising
 *     the Houdayer–Hartmann quality S over the whole allowed range, 95 % intervals from a
 *     bootstrap over avalanches that redoes the s_min choice, and the verdict `holds`;
 *  3. S along τ and along D through the optimum, for the figure of the minimum.
 * Fewer scales than dataCollapse's `minScales` [3], or no fit, give a reason instead of a result.
 * @param probe probeSweep's result ({ summary, avalanches }, avalanches kept)
 * @param plan the analysis plan (collapseBootstrap, seed)
 * @throws InvalidOptionError naming the option, before any work
 */
export function collapseAnalysis(
  probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null },
  runs: RunsInput | OnsetMap,
  plan: AnalysisPlan,
  options: CollapseAnalysisOptions = {},
): CollapseAnalysis {
  checkAnalysisPlan(plan);
  for (const key of Object.keys(options ?? {})) checkChoice('options', key, OPTION_KEYS);
  const phase = checkChoice('phase', options.phase ?? 'post', PHASES);
  const profilePoints = checkInteger('profilePoints', options.profilePoints ?? 61, 3, 10000);
  const collapseOptions: DataCollapseOptions = { bootstrap: plan.collapseBootstrap, seed: plan.seed, ...options.collapse };
  const resolved = resolveCollapseOptions(collapseOptions);
  if (!probe?.avalanches) throw new InvalidOptionError('probe.avalanches', 'is null: probe with keepAvalanches: true');
  const { byScale, truncated } = phaseSizes({ summary: probe.summary, avalanches: probe.avalanches }, runs, phase, options);
  const avalanches = [...byScale].map(([scaleN, sizes]) => ({ scaleN, count: sizes.length }));
  const base = { phase, avalanches, curves: [], scaled: [], profiles: [], leftOut: { truncatedProbes: truncated }, holds: null, result: null };
  if (byScale.size < resolved.minScales)
    return { ...base, reason: `not enough data: ${byScale.size} scale(s) with ${phase}-onset avalanches, the collapse needs ${resolved.minScales}` };
  const result = dataCollapse(
    [...byScale].map(([scaleN, sizes]) => ({ scaleN, sizes })),
    collapseOptions,
  );
  if (!Number.isFinite(result.tau)) return { ...base, reason: `no collapse: ${result.note}` };
  return {
    ...base,
    result,
    curves: result.curves,
    scaled: result.collapsed,
    profiles: (['tau', 'D'] as const).map((parameter) => collapseQualityProfile(result, { parameter, points: profilePoints })),
    holds: result.holds,
    reason: null,
  };
}
