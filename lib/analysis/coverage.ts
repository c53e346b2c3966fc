/**
 * How often the intervals of the analysis layer contain the truth. A coverage study takes many
 * independent replications of one experiment (disjoint groups of runs, each analysed exactly as
 * a notebook analyses its sweep) and a truth pinned down by all the other replications together,
 * and counts, per kind of interval, the replications whose 95 % interval contains the truth:
 * D before and after the onset (fitPhase), the band of D(t) (trajectoryAnalysis), and the
 * first and lasting crossings of D = 1 under each way of making their interval
 * (CROSSING_INTERVALS). Each fraction comes with its Wilson 95 % interval over replications.
 */
import { simultaneousBand } from '../fss/crossingBand';
import { CROSSING_INTERVALS, CrossingInterval, crossingTime, DimensionTrajectory } from '../fss/trajectory';
import { binomialInterval } from '../stats/binomial';
import { median } from '../stats/bootstrap';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { fitPhase } from './dimension';
import { Observable, OBSERVABLES } from './observables';
import { ProbeRow } from './phase';
import type { AnalysisPlan } from './plan';
import { trajectoryAnalysis } from './trajectory';

/** The plan settings a coverage study uses: bootstrap size and seed, the lasting rule. */
export type CoveragePlan = Pick<AnalysisPlan, 'bootstrap' | 'seed' | 'lastingPoints'>;

/** The two crossings every notebook reports (see crossingsOf). */
export const CROSSING_RULES = ['lasting', 'first'] as const;
export type CrossingRule = (typeof CROSSING_RULES)[number];

/** A crossing of D = 1: its time (NaN when there is none) and direction. */
export interface CrossingPoint {
  time: number;
  direction: 'up' | 'down' | 'none';
}

/** Point estimates of one pool of runs: what the replications' intervals should contain. */
export interface CoverageTruth {
  seedsPerScale: number;
  dPre: number;
  dPost: number;
  /** D(t) at every epoch of the pool's trajectory. */
  times: number[];
  D: number[];
  lasting: CrossingPoint;
  first: CrossingPoint;
}

/** An estimate with its interval. */
export interface IntervalEstimate {
  estimate: number;
  low: number;
  high: number;
}

/** What one replication reports, and whether each interval contains its truth. */
export interface ReplicationResult {
  /** Index of the replication (group of runs) and its training seeds. */
  replication: number;
  seeds: number[];
  dPre: IntervalEstimate & { covered: boolean };
  dPost: IntervalEstimate & { covered: boolean };
  /** Points of D(t) compared, and how many the pointwise / simultaneous band contains. */
  trajectoryPoints: number;
  pointwiseCovered: number;
  simultaneousCovered: number;
  /** Every crossing rule × interval method: the estimate, its interval, and whether it contains the truth. */
  crossings: Array<{ rule: CrossingRule; method: CrossingInterval } & IntervalEstimate & CrossingPoint & { covered: boolean }>;
  /** The truth this replication was compared with (the other replications pooled, or all of them). */
  truth: CoverageTruth;
}

/** One line of a coverage table. */
export interface CoverageRow {
  /** 'D before onset', 'D after onset', 'D(t) band', 'lasting crossing', 'first crossing'. */
  interval: string;
  /** How the interval is made ('percentile', 'pointwise', 'simultaneous', or a CROSSING_INTERVALS name). */
  method: string;
  replications: number;
  covered: number;
  /** covered / replications, with its Wilson 95 % interval. */
  coverage: number;
  coverageLow: number;
  coverageHigh: number;
  /** Median width of the finite intervals (units of D, or epochs). */
  medianWidth: number;
  /** Fraction of replications whose interval is open-ended (ciHigh = Infinity) or missing (NaN). */
  openEnded: number;
  missing: number;
}

/** Options of {@link coverageStudy}. */
export interface CoverageStudyOptions {
  /** Observable of every fit ['totalTopplings']. */
  observable?: Observable;
  /** Interval methods of the crossings compared [every one of CROSSING_INTERVALS]. */
  crossingIntervals?: CrossingInterval[];
  /**
   * Truth of each replication: 'others' — the pool of every other replication, so that a
   * replication is never compared with its own runs; 'all' — the pool of all of them ['others'].
   */
  truth?: 'others' | 'all';
  /**
   * Whether the experiment's D(t) crosses 1 by design [true]. With false (D constant, as for
   * Gaussian input), any crossing of the pool is noise: a crossing interval then covers when it
   * allows no crossing (no interval, or an open upper end).
   */
  crossing?: boolean;
  /** Called after each replication. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link coverageStudy}. */
export interface CoverageStudy {
  observable: Observable;
  replications: number;
  seedsPerScale: number;
  scales: number[];
  bootstrap: number;
  lastingPoints: number;
  /** Point estimates over all replications pooled, and their own 95 % intervals (how well the truth is pinned down). */
  truth: CoverageTruth;
  truthIntervals: { dPre: IntervalEstimate; dPost: IntervalEstimate; lasting: IntervalEstimate; first: IntervalEstimate };
  table: CoverageRow[];
  results: ReplicationResult[];
}

/** Point estimates of D before / after the onset, D(t) and its crossings over `rows` (no bootstrap). */
export function coverageTruth(rows: ProbeRow[], plan: CoveragePlan, observable: Observable = 'totalTopplings'): CoverageTruth {
  const point = { ...plan, bootstrap: 0 };
  const trajectory = trajectoryAnalysis(rows, observable, point);
  if (!trajectory.trajectory || !trajectory.crossings) throw new InvalidOptionError('rows', `give no D(t): ${trajectory.reason}`);
  const seeds = new Map<number, Set<number>>();
  for (const r of rows) seeds.set(r.scaleN, (seeds.get(r.scaleN) ?? new Set()).add(r.seed));
  const crossing = (c: CrossingPoint): CrossingPoint => ({ time: c.time, direction: c.direction });
  return {
    seedsPerScale: Math.min(...[...seeds.values()].map((s) => s.size)),
    dPre: fitPhase(rows, observable, 'pre', point).fit?.D ?? NaN,
    dPost: fitPhase(rows, observable, 'post', point).fit?.D ?? NaN,
    times: trajectory.trajectory.points.map((p) => p.time),
    D: trajectory.trajectory.points.map((p) => p.D),
    lasting: crossing(trajectory.crossings.lasting),
    first: crossing(trajectory.crossings.first),
  };
}

/** Whether an interval of a crossing contains the true crossing (see CoverageStudyOptions.crossing). */
function crossingCovered(truth: CrossingPoint, estimate: CrossingPoint & { low: number; high: number }, designedCrossing: boolean): boolean {
  if (!designedCrossing || truth.direction === 'none') return estimate.direction === 'none' || !(estimate.high < Infinity);
  return estimate.direction === truth.direction && estimate.low <= truth.time && truth.time <= estimate.high;
}

/** The intervals of one replication (its rows analysed as a notebook does) against `truth`. */
export function replicationResult(
  rows: ProbeRow[],
  truth: CoverageTruth,
  plan: CoveragePlan,
  options: { replication?: number; observable?: Observable; crossingIntervals?: CrossingInterval[]; crossing?: boolean } = {},
): ReplicationResult {
  const observable = options.observable ?? 'totalTopplings';
  const methods = options.crossingIntervals ?? [...CROSSING_INTERVALS];
  const phase = (p: 'pre' | 'post', value: number): IntervalEstimate & { covered: boolean } => {
    const f = fitPhase(rows, observable, p, plan).fit;
    const e = { estimate: f?.D ?? NaN, low: f?.ciLow ?? NaN, high: f?.ciHigh ?? NaN };
    return { ...e, covered: e.low <= value && value <= e.high };
  };
  const analysis = trajectoryAnalysis(rows, observable, plan);
  const trajectory = analysis.trajectory as DimensionTrajectory | null;
  let pointwiseCovered = 0;
  let simultaneousCovered = 0;
  let trajectoryPoints = 0;
  const crossings: ReplicationResult['crossings'] = [];
  if (trajectory) {
    const D = trajectory.points.map((p) => p.D);
    const band = simultaneousBand(D, trajectory.replicates, trajectory.confidence);
    const truthAt = new Map(truth.times.map((t, i) => [t, truth.D[i]]));
    trajectory.points.forEach((p, i) => {
      const value = truthAt.get(p.time);
      if (value === undefined || !Number.isFinite(value)) return;
      trajectoryPoints++;
      if (p.ciLow <= value && value <= p.ciHigh) pointwiseCovered++;
      if (band.low[i] <= value && value <= band.high[i]) simultaneousCovered++;
    });
    for (const rule of CROSSING_RULES) {
      for (const method of methods) {
        const c = crossingTime(trajectory, 1, { lastingPoints: rule === 'lasting' ? plan.lastingPoints : 1, interval: method });
        const estimate = { time: c.time, direction: c.direction, estimate: c.time, low: c.ciLow, high: c.ciHigh };
        crossings.push({ rule, method, ...estimate, covered: crossingCovered(truth[rule], estimate, options.crossing ?? true) });
      }
    }
  }
  const seeds = [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b);
  return {
    replication: options.replication ?? 0,
    seeds,
    dPre: phase('pre', truth.dPre),
    dPost: phase('post', truth.dPost),
    trajectoryPoints,
    pointwiseCovered,
    simultaneousCovered,
    crossings,
    truth,
  };
}

/** One coverage line from per-replication (covered, low, high) triples. */
function coverageRow(interval: string, method: string, items: Array<{ covered: boolean; low?: number; high?: number }>): CoverageRow {
  const covered = items.filter((i) => i.covered).length;
  const ci = binomialInterval(covered, items.length);
  const bounded = items.filter((i) => i.low !== undefined);
  const widths = bounded.filter((i) => Number.isFinite(i.low) && Number.isFinite(i.high)).map((i) => i.high! - i.low!);
  return {
    interval,
    method,
    replications: items.length,
    covered,
    coverage: ci.proportion,
    coverageLow: ci.low,
    coverageHigh: ci.high,
    medianWidth: median(widths),
    openEnded: bounded.length ? bounded.filter((i) => i.high === Infinity).length / bounded.length : NaN,
    missing: bounded.length ? bounded.filter((i) => Number.isNaN(i.low) || Number.isNaN(i.high)).length / bounded.length : NaN,
  };
}

/**
 * Coverage of the pointwise band at one point: covered points over compared points, pooled over
 * replications. The points of one replication are not independent, so no binomial interval is given.
 */
function pointwiseRow(results: ReplicationResult[]): CoverageRow {
  const points = results.reduce((a, r) => a + r.trajectoryPoints, 0);
  const covered = results.reduce((a, r) => a + r.pointwiseCovered, 0);
  return {
    interval: 'D(t) band, one point',
    method: 'pointwise',
    replications: results.length,
    covered,
    coverage: points ? covered / points : NaN,
    coverageLow: NaN,
    coverageHigh: NaN,
    medianWidth: NaN,
    openEnded: NaN,
    missing: NaN,
  };
}

/** The coverage table of a set of replication results. */
export function coverageTable(results: ReplicationResult[]): CoverageRow[] {
  const table = [
    coverageRow(
      'D before onset',
      'percentile',
      results.map((r) => r.dPre),
    ),
    coverageRow(
      'D after onset',
      'percentile',
      results.map((r) => r.dPost),
    ),
    pointwiseRow(results),
    coverageRow(
      'D(t) band, every point',
      'pointwise',
      results.map((r) => ({ covered: r.trajectoryPoints > 0 && r.pointwiseCovered === r.trajectoryPoints })),
    ),
    coverageRow(
      'D(t) band, every point',
      'simultaneous',
      results.map((r) => ({ covered: r.trajectoryPoints > 0 && r.simultaneousCovered === r.trajectoryPoints })),
    ),
  ];
  for (const rule of CROSSING_RULES) {
    const methods = [...new Set(results.flatMap((r) => r.crossings.filter((c) => c.rule === rule).map((c) => c.method)))];
    for (const method of methods)
      table.push(
        coverageRow(
          `${rule} crossing`,
          method,
          results.map((r) => r.crossings.find((c) => c.rule === rule && c.method === method) ?? { covered: false, low: NaN, high: NaN }),
        ),
      );
  }
  return table;
}

/**
 * The coverage study of one experiment:
 *  1. every group must hold the same scales; groups are the replications (disjoint runs);
 *  2. the truth of replication i is the point estimate (coverageTruth) over every other group
 *     (options.truth 'others') or over all groups ('all');
 *  3. each group is analysed as a notebook analyses its sweep — fitPhase before / after the
 *     onset, trajectoryAnalysis, crossingTime under each interval method — with the plan's
 *     bootstrap size and seed and lasting rule (replicationResult);
 *  4. per kind of interval and method: the fraction of replications whose interval contains
 *     their truth, with its Wilson 95 % interval (coverageTable);
 *  5. the pooled truth is also fitted with the plan's bootstrap, to show how well it is pinned.
 * @param groups the probe rows of each replication (e.g. designRows for disjoint seed sets, or
 *   the rows of disjoint groups of trained runs)
 */
export function coverageStudy(groups: ProbeRow[][], plan: CoveragePlan, options: CoverageStudyOptions = {}): CoverageStudy {
  if (!Array.isArray(groups) || groups.length < 2) throw new InvalidOptionError('groups', 'must hold at least two replications (arrays of probe rows)');
  const observable = checkChoice('observable', options.observable ?? 'totalTopplings', OBSERVABLES);
  const methods = (options.crossingIntervals ?? [...CROSSING_INTERVALS]).map((m, i) => checkChoice(`crossingIntervals[${i}]`, m, CROSSING_INTERVALS));
  const truthMode = checkChoice('truth', options.truth ?? 'others', ['others', 'all'] as const);
  checkInteger('plan.bootstrap', plan.bootstrap, 1);
  const scaleKey = (rows: ProbeRow[]) => [...new Set(rows.map((r) => r.scaleN))].sort((a, b) => a - b).join(',');
  const scales = scaleKey(groups[0]);
  groups.forEach((g, i) => {
    if (g.length === 0 || scaleKey(g) !== scales) throw new InvalidOptionError(`groups[${i}]`, `must hold rows at the scales of groups[0] (${scales})`);
  });
  const all = groups.flat();
  const pooled = coverageTruth(all, plan, observable);
  const results = groups.map((rows, i) => {
    const truth = truthMode === 'all' ? pooled : coverageTruth(groups.filter((_, j) => j !== i).flat(), plan, observable);
    const result = replicationResult(rows, truth, plan, { replication: i, observable, crossingIntervals: methods, crossing: options.crossing });
    options.onProgress?.(i + 1, groups.length);
    return result;
  });
  const interval = (f: { D: number; ciLow: number; ciHigh: number } | null | undefined): IntervalEstimate => ({
    estimate: f?.D ?? NaN,
    low: f?.ciLow ?? NaN,
    high: f?.ciHigh ?? NaN,
  });
  const poolTrajectory = trajectoryAnalysis(all, observable, plan);
  const crossingInterval = (rule: CrossingRule): IntervalEstimate => {
    const c = poolTrajectory.crossings?.[rule];
    return { estimate: c?.time ?? NaN, low: c?.ciLow ?? NaN, high: c?.ciHigh ?? NaN };
  };
  return {
    observable,
    replications: groups.length,
    seedsPerScale: Math.min(...results.map((r) => r.seeds.length)),
    scales: scales.split(',').map(Number),
    bootstrap: plan.bootstrap,
    lastingPoints: plan.lastingPoints,
    truth: pooled,
    truthIntervals: {
      dPre: interval(fitPhase(all, observable, 'pre', plan).fit),
      dPost: interval(fitPhase(all, observable, 'post', plan).fit),
      lasting: crossingInterval('lasting'),
      first: crossingInterval('first'),
    },
    table: coverageTable(results),
    results,
  };
}
