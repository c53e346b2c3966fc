/**
 * Notebook 02's computation: the probe's summary and avalanche tables split at each run's onset
 * (the phase rule of phase.ts), avalanche-size CCDFs per scale and phase, the mean trajectories
 * S_total(t) and s_max(t), and power-law fits (Clauset–Shalizi–Newman) per scale and phase with
 * bootstrap p-values and likelihood-ratio comparisons against alternative distributions.
 */
import * as aq from 'arquero';
import { ccdf } from '../stats/ccdf';
import { AlternativeDistribution, ALTERNATIVE_DISTRIBUTIONS, compareDistributions } from '../stats/compareDistributions';
import { fitPowerLaw, PowerLawFit } from '../stats/powerLaw';
import { powerLawPValue } from '../stats/powerLawPValue';
import { cached } from '../store/index';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { hashBytes } from '../util/hash';
import { Observable, OBSERVABLES } from './observables';
import { Phase, PhaseCounts, PhaseOptions, PHASES, ProbeRow, requireColumns, SnapshotPhase, splitByOnset, tablePhaseCounts } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { onsetSummary, OnsetSummary, OnsetMap, RunsInput } from './runs';

/** Per-avalanche quantities of the probe's avalanche table. */
export const AVALANCHE_QUANTITIES = ['size', 'area', 'duration'] as const;
export type AvalancheQuantity = (typeof AVALANCHE_QUANTITIES)[number];

/** The empirical CCDF P(X ≥ x) of one group of avalanches. */
export interface CcdfCurve {
  /** The group's scale N. */
  scaleN: number;
  /** The group's phase, or 'all' when phases are pooled. */
  phase: SnapshotPhase | 'all';
  /** Avalanches in the group. */
  n: number;
  x: Float64Array;
  p: Float64Array;
}

/** CCDFs of `values` grouped by scale (ascending) and by the groups' phase labels; empty groups are left out. */
function ccdfCurves(groups: Array<{ scaleN: number; phase: SnapshotPhase | 'all'; values: ArrayLike<number> }>): CcdfCurve[] {
  return groups
    .map((g) => ({ ...g, values: Array.from(g.values).filter((v) => v > 0) }))
    .filter((g) => g.values.length > 0)
    .map((g) => ({ scaleN: g.scaleN, phase: g.phase, n: g.values.length, ...ccdf(g.values) }));
}

/** The mean of an observable over training seeds and graph seeds at one (scale, epoch). */
export interface MeanTrajectoryPoint {
  scaleN: number;
  epoch: number;
  mean: number;
  /** exp of the mean log; NaN when a value is ≤ 0. */
  geometricMean: number;
  count: number;
}

/**
 * Mean of an observable of the probe summary over training seeds and graph seeds, per scale and
 * snapshot epoch, sorted by scaleN, then epoch.
 */
export function meanTrajectory(summary: aq.ColumnTable, observable: Observable): MeanTrajectoryPoint[] {
  checkChoice('observable', observable, OBSERVABLES);
  requireColumns(summary, 'summary', ['scaleN', 'epoch', observable]);
  const scale = summary.array('scaleN') as ArrayLike<number>;
  const epoch = summary.array('epoch') as ArrayLike<number>;
  const value = summary.array(observable) as ArrayLike<number>;
  const groups = new Map<string, { scaleN: number; epoch: number; sum: number; sumLog: number; count: number }>();
  for (let i = 0; i < value.length; i++) {
    const key = `${scale[i]}:${epoch[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { scaleN: scale[i], epoch: epoch[i], sum: 0, sumLog: 0, count: 0 }));
    g.sum += value[i];
    g.sumLog += value[i] > 0 ? Math.log(value[i]) : NaN;
    g.count++;
  }
  return [...groups.values()]
    .sort((a, b) => a.scaleN - b.scaleN || a.epoch - b.epoch)
    .map((g) => ({ scaleN: g.scaleN, epoch: g.epoch, mean: g.sum / g.count, geometricMean: Math.exp(g.sumLog / g.count), count: g.count }));
}

/** Notebook 02's tables and curves (see {@link avalancheAnalysis}). */
export interface AvalancheAnalysis {
  /** The probe summary with `onset` and `phase` columns: one row per (snapshot, graph seed). */
  summary: aq.ColumnTable;
  /** The avalanche table with `onset` and `phase` columns: one row per avalanche. */
  avalanches: aq.ColumnTable;
  /** Snapshots (summary rows) and avalanches per phase, and the runs without an onset. */
  snapshotCounts: PhaseCounts;
  avalancheCounts: PhaseCounts;
  /** Per quantity: CCDF per scale before and after onset ('pre', 'post') and over all snapshots ('all'). */
  ccdf: Record<AvalancheQuantity, CcdfCurve[]>;
  /** Per observable: the mean over seeds per scale and epoch. */
  trajectories: Record<Observable, MeanTrajectoryPoint[]>;
  /** The onsets that split the phases. */
  onset: OnsetSummary;
}

/**
 * Splits the probe's tables at each run's onset (splitByOnset: 'pre', 'post', or 'none' for runs
 * that never reached it) and computes the CCDF of every avalanche quantity per scale and phase
 * (runs without an onset appear only in 'all') and the mean trajectories of both observables.
 * @param probe probeSweep's result (avalanches kept)
 * @param runs the sweep's runs table (onsets)
 */
export function avalancheAnalysis(
  probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null },
  runs: RunsInput,
  options: PhaseOptions = {},
): AvalancheAnalysis {
  if (!probe?.avalanches) throw new InvalidOptionError('probe.avalanches', 'is null: probe with keepAvalanches: true');
  const summary = splitByOnset(probe.summary, runs, options);
  const avalanches = splitByOnset(probe.avalanches, runs, options);
  const scale = avalanches.array('scaleN') as ArrayLike<number>;
  const phase = avalanches.array('phase') as ArrayLike<SnapshotPhase>;
  const scales = [...new Set(Array.from(scale))].sort((a, b) => a - b);
  const ccdfOf = (quantity: AvalancheQuantity): CcdfCurve[] => {
    requireColumns(avalanches, 'probe.avalanches', [quantity]);
    const values = avalanches.array(quantity) as ArrayLike<number>;
    const groups = scales.flatMap((N) => (['pre', 'post', 'all'] as const).map((ph) => ({ scaleN: N, phase: ph, values: [] as number[] })));
    const index = new Map(groups.map((g, i) => [`${g.scaleN}:${g.phase}`, i]));
    for (let i = 0; i < values.length; i++) {
      groups[index.get(`${scale[i]}:all`)!].values.push(values[i]);
      if (phase[i] !== 'none') groups[index.get(`${scale[i]}:${phase[i]}`)!].values.push(values[i]);
    }
    return ccdfCurves(groups);
  };
  return {
    summary,
    avalanches,
    snapshotCounts: tablePhaseCounts(summary),
    avalancheCounts: tablePhaseCounts(avalanches),
    ccdf: { size: ccdfOf('size'), area: ccdfOf('area'), duration: ccdfOf('duration') },
    trajectories: { totalTopplings: meanTrajectory(summary, 'totalTopplings'), sMax: meanTrajectory(summary, 'sMax') },
    onset: onsetSummary(runs, { field: options.onsetField }),
  };
}

/**
 * CCDFs of the avalanche sizes per scale in one phase, pooled over seeds, graph seeds and
 * snapshots, with the snapshots whose probe was truncated left out (Figure 2).
 * @param rows probeRows of the same probe (phases and truncation)
 */
export function sizeCcdfsByScale(avalanches: aq.ColumnTable, rows: ProbeRow[], phase: Phase = 'post'): CcdfCurve[] {
  checkChoice('phase', phase, PHASES);
  requireColumns(avalanches, 'avalanches', ['scaleN', 'seed', 'snapshot', 'graphSeed', 'size']);
  const keep = new Set(rows.filter((r) => r.phase === phase && !r.truncated).map((r) => `${r.scaleN}|${r.seed}|${r.snapshot}|${r.graphSeed}`));
  const col = (name: string) => avalanches.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, graphSeed, size] = ['scaleN', 'seed', 'snapshot', 'graphSeed', 'size'].map(col);
  const by = new Map<number, number[]>();
  for (let i = 0; i < size.length; i++) {
    if (!keep.has(`${scaleN[i]}|${seed[i]}|${snapshot[i]}|${graphSeed[i]}`)) continue;
    if (!by.has(scaleN[i])) by.set(scaleN[i], []);
    by.get(scaleN[i])!.push(size[i]);
  }
  return ccdfCurves([...by.keys()].sort((a, b) => a - b).map((N) => ({ scaleN: N, phase, values: by.get(N)! })));
}

/** Alternatives compared with the power law in {@link powerLawTable}, by default. */
export const POWER_LAW_TABLE_ALTERNATIVES: readonly AlternativeDistribution[] = ['lognormal', 'exponential', 'truncated_power_law'];

/** Options of {@link powerLawTable}. */
export interface PowerLawTableOptions {
  /** Which avalanche quantity is fitted ['size']. */
  quantity?: AvalancheQuantity;
  /** Groups with fewer avalanches than this get a "not enough data" row instead of a fit [50]. */
  minAvalanches?: number;
  /** Smallest tail a candidate xmin may leave (fitPowerLaw's minTail) [10]. */
  minTail?: number;
  /** Alternatives of the likelihood-ratio comparisons [lognormal, exponential, truncated_power_law]. */
  alternatives?: readonly AlternativeDistribution[];
  /** Read/write the table in the store (stage 'report-powerlaw', keyed by the data and options) [false]. */
  cache?: boolean;
  /** With cache: store root [storeRoot()]. */
  root?: string;
}

/** Short column suffix of an alternative. */
const ALTERNATIVE_SHORT: Record<AlternativeDistribution, string> = {
  exponential: 'exponential',
  lognormal: 'lognormal',
  stretched_exponential: 'stretched',
  truncated_power_law: 'truncated',
};

/** One row of {@link powerLawTable}. Numbers are null where no fit was made. */
export interface PowerLawRow {
  N: number;
  phase: Phase;
  /** Avalanches pooled over seeds, snapshots and graph seeds of this scale and phase. */
  avalanches: number;
  xmin: number | null;
  alpha: number | null;
  alphaSE: number | null;
  nTail: number | null;
  ks: number | null;
  /** Bootstrap goodness-of-fit p-value (p ≤ 0.1 rules the power law out). */
  p: number | null;
  /** True when p > 0.1 (the power law is not ruled out); null without a fit. */
  plausible: boolean | null;
  /** Alternatives significantly favoured over the power law (R < 0, p < 0.1). */
  favoured: string[];
  /** Why there is no fit ("not enough data: …"), null when there is one. */
  reason: string | null;
  /** R_<alt> (log-likelihood ratio, > 0 favours the power law) and p_<alt>, per alternative. */
  [comparison: string]: number | string | string[] | boolean | null;
}

type Resolved = { bootstrap: number; seed: number; minAvalanches: number; minTail: number; alternatives: readonly AlternativeDistribution[] };

/** Fits one pooled sample; returns the numeric part of a row, or the reason no fit was made. */
function fitGroup(values: Float64Array, options: Resolved, streamSeed: number): Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'> {
  const empty: Record<string, null> = { xmin: null, alpha: null, alphaSE: null, nTail: null, ks: null, p: null };
  for (const alt of options.alternatives) {
    empty[`R_${ALTERNATIVE_SHORT[alt]}`] = null;
    empty[`p_${ALTERNATIVE_SHORT[alt]}`] = null;
  }
  const notEnough = (why: string) =>
    ({ ...empty, plausible: null, favoured: [], reason: `not enough data: ${why}` }) as Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'>;
  if (values.length < options.minAvalanches) return notEnough(`${values.length} avalanches (need ≥ ${options.minAvalanches})`);
  let fit: PowerLawFit;
  try {
    fit = fitPowerLaw(values, { discrete: true, minTail: options.minTail });
  } catch (error) {
    // Only a degenerate sample (e.g. too few distinct sizes for any xmin) is "not enough data".
    if (error instanceof InvalidOptionError) return notEnough(error.message);
    throw error;
  }
  const p = powerLawPValue(values, fit, { bootstrap: options.bootstrap, seed: streamSeed });
  const row: Record<string, unknown> = { xmin: fit.xmin, alpha: fit.alpha, alphaSE: fit.alphaStandardError, nTail: fit.nTail, ks: fit.ks, p: p.pValue };
  const favoured: string[] = [];
  for (const alt of options.alternatives) {
    const c = compareDistributions(values, fit, alt);
    row[`R_${ALTERNATIVE_SHORT[alt]}`] = c.logLikelihoodRatio;
    row[`p_${ALTERNATIVE_SHORT[alt]}`] = c.pValue;
    if (c.favoured === alt) favoured.push(ALTERNATIVE_SHORT[alt]);
  }
  return { ...row, plausible: p.pValue > 0.1, favoured, reason: null } as Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'>;
}

/**
 * Power-law fits of the avalanche sizes pooled per scale N and phase, after Clauset, Shalizi &
 * Newman (2009):
 *  1. avalanches of each (scale, phase) are pooled; runs without an onset are in neither phase;
 *  2. a group with fewer than `minAvalanches` avalanches, or one in which no xmin leaves
 *     `minTail` observations with two distinct values, gets a row whose numbers are null and
 *     whose reason says "not enough data: …";
 *  3. discrete MLE of α with xmin chosen by the KS distance, its standard error and the KS distance;
 *  4. the semi-parametric bootstrap p-value with plan.pValueBootstrap synthetic sets (p ≤ 0.1
 *     rules the power law out); group g (in row order) uses seed plan.seed + g, so rows are
 *     independent and the table is reproducible byte for byte;
 *  5. the log-likelihood ratio R with its p-value against each alternative (Vuong's test; χ²₁
 *     for the nested truncated power law; R > 0 favours the power law).
 * Rows: ascending N, 'pre' before 'post'; both phases are listed for every scale.
 * @param analysis avalancheAnalysis' result (its phase-split avalanche table)
 */
export async function powerLawTable(
  analysis: Pick<AvalancheAnalysis, 'avalanches'>,
  plan: AnalysisPlan,
  options: PowerLawTableOptions = {},
): Promise<aq.ColumnTable> {
  checkAnalysisPlan(plan);
  const quantity = checkChoice('quantity', options.quantity ?? 'size', AVALANCHE_QUANTITIES);
  const resolved: Resolved = {
    bootstrap: plan.pValueBootstrap,
    seed: plan.seed,
    minAvalanches: checkInteger('minAvalanches', options.minAvalanches ?? 50, 2),
    minTail: checkInteger('minTail', options.minTail ?? 10, 2),
    alternatives: (options.alternatives ?? POWER_LAW_TABLE_ALTERNATIVES).map((a) => checkChoice('alternatives', a, ALTERNATIVE_DISTRIBUTIONS)),
  };
  const avalanches = analysis?.avalanches;
  requireColumns(avalanches, 'analysis.avalanches', ['scaleN', 'phase', quantity]);
  const scale = avalanches.array('scaleN') as ArrayLike<number>;
  const value = avalanches.array(quantity) as ArrayLike<number>;
  const phase = avalanches.array('phase') as ArrayLike<SnapshotPhase>;
  const scales = [...new Set(Array.from(scale))].sort((a, b) => a - b);
  const groups = scales.flatMap((n) => PHASES.map((ph) => ({ N: n, phase: ph, values: [] as number[] })));
  const index = new Map(groups.map((g, i) => [`${g.N}:${g.phase}`, i]));
  for (let i = 0; i < value.length; i++) if (phase[i] !== 'none') groups[index.get(`${scale[i]}:${phase[i]}`)!].values.push(value[i]);
  const compute = (): PowerLawRow[] =>
    groups.map((g, i) => {
      const values = Float64Array.from(g.values);
      return { N: g.N, phase: g.phase, avalanches: values.length, ...fitGroup(values, resolved, resolved.seed + i) } as PowerLawRow;
    });
  let rows: PowerLawRow[];
  if (options.cache) {
    // Key: the exact data of every group plus every option that changes a number.
    const data = groups.map((g) => ({ N: g.N, phase: g.phase, n: g.values.length, hash: hashBytes(Float64Array.from(g.values)) }));
    const config = { version: 2, quantity, ...resolved, data };
    const { entry } = await cached('report-powerlaw', config, () => ({ 'rows.json': JSON.stringify(compute()) }), { root: options.root });
    rows = entry.json('rows.json') as PowerLawRow[];
  } else {
    rows = compute();
  }
  return aq.from(rows);
}
