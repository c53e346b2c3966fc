/**
 * How often the intervals of the analysis layer contain the truth. A coverage study takes many
 * independent replications of one experiment (disjoint groups of runs, each analysed exactly as
 * a notebook analyses its sweep) and a truth pinned down by all the other replications together,
 * and counts, per kind of interval, the replications whose 95 % interval contains the truth:
 * D before and after the onset (fitPhase), the band of D(t) (trajectoryAnalysis), and the
 * first and lasting crossings of D = 1 — each under every way of resampling seeds
 * (SEED_BOOTSTRAPS) and, for the crossings, every way of making their interval
 * (CROSSING_INTERVALS). Each fraction comes with its Wilson 95 % interval over replications.
 */
import { SeedBootstrap, SEED_BOOTSTRAPS } from '../fss/clusters';
import { simultaneousBand } from '../fss/crossingBand';
import { CROSSING_INTERVALS, CrossingInterval, crossingTime } from '../fss/trajectory';
import { binomialInterval } from '../stats/binomial';
import { median } from '../stats/bootstrap';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { activeProfile } from '../util/profile';
import { CoverageDesign, designRows } from './coverageDesigns';
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

/** An estimate with its interval, and whether the interval contains the truth. */
export interface CoveredInterval {
  estimate: number;
  low: number;
  high: number;
  covered: boolean;
}

/** What one replication reports under one way of resampling seeds. */
export interface ReplicationIntervals {
  seedBootstrap: SeedBootstrap;
  dPre: CoveredInterval;
  dPost: CoveredInterval;
  /** Points of D(t) compared, and how many the pointwise / simultaneous band contains. */
  trajectoryPoints: number;
  pointwiseCovered: number;
  simultaneousCovered: number;
  /** Every crossing rule × interval method. */
  crossings: Array<{ rule: CrossingRule; method: CrossingInterval; direction: 'up' | 'down' | 'none' } & CoveredInterval>;
}

/** One replication: its seeds, its truth, and its intervals under each way of resampling seeds. */
export interface ReplicationResult {
  replication: number;
  seeds: number[];
  /** The truth it was compared with (the other replications pooled, or all of them). */
  truth: CoverageTruth;
  intervals: ReplicationIntervals[];
}

/** One line of a coverage table. */
export interface CoverageRow {
  /** 'D before onset', 'D after onset', 'D(t) band, one point', 'D(t) band, every point', 'lasting crossing', 'first crossing'. */
  interval: string;
  seedBootstrap: SeedBootstrap;
  /** How the interval is made: 'percentile', 'pointwise', 'simultaneous', or a CROSSING_INTERVALS name. */
  method: string;
  replications: number;
  covered: number;
  /** covered / replications, with its Wilson 95 % interval (NaN for 'one point': points of a replication are not independent). */
  coverage: number;
  coverageLow: number;
  coverageHigh: number;
  /** Median width of the finite intervals (units of D, or epochs; NaN for bands). */
  medianWidth: number;
  /** Fraction of replications whose interval is open-ended (upper end Infinity), and with no interval (NaN). */
  openEnded: number;
  missing: number;
}

/** Options of {@link coverageStudy}. */
export interface CoverageStudyOptions {
  /** Observable of every fit ['totalTopplings']. */
  observable?: Observable;
  /** Ways of resampling seeds compared [every one of SEED_BOOTSTRAPS]. */
  seedBootstraps?: SeedBootstrap[];
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
  /** Point estimates over all replications pooled, and their intervals under the plan's rules (how well the truth is pinned down). */
  truth: CoverageTruth;
  truthIntervals: { dPre: CoveredInterval; dPost: CoveredInterval; lasting: CoveredInterval; first: CoveredInterval };
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
function crossingCovered(truth: CrossingPoint, estimate: { direction: string; low: number; high: number }, designedCrossing: boolean): boolean {
  if (!designedCrossing || truth.direction === 'none') return estimate.direction === 'none' || !(estimate.high < Infinity);
  return estimate.direction === truth.direction && estimate.low <= truth.time && truth.time <= estimate.high;
}

/** Options of {@link replicationIntervals}. */
export interface ReplicationOptions {
  observable?: Observable;
  seedBootstrap?: SeedBootstrap;
  crossingIntervals?: CrossingInterval[];
  crossing?: boolean;
}

/**
 * The intervals of one replication — its rows analysed as a notebook analyses a sweep, with the
 * plan's bootstrap and one way of resampling seeds — and whether each contains `truth`:
 * fitPhase before / after the onset, the pointwise and simultaneous bands of D(t) at every
 * epoch the truth has, and crossingTime of the first and lasting crossings under each method.
 */
export function replicationIntervals(rows: ProbeRow[], truth: CoverageTruth, plan: CoveragePlan, options: ReplicationOptions = {}): ReplicationIntervals {
  const observable = options.observable ?? 'totalTopplings';
  const seedBootstrap = options.seedBootstrap ?? 'studentized';
  const settings = { ...plan, seedBootstrap };
  const phase = (p: 'pre' | 'post', value: number): CoveredInterval => {
    const f = fitPhase(rows, observable, p, settings).fit;
    const low = f?.ciLow ?? NaN;
    const high = f?.ciHigh ?? NaN;
    return { estimate: f?.D ?? NaN, low, high, covered: low <= value && value <= high };
  };
  const trajectory = trajectoryAnalysis(rows, observable, settings).trajectory;
  let pointwiseCovered = 0;
  let simultaneousCovered = 0;
  let trajectoryPoints = 0;
  const crossings: ReplicationIntervals['crossings'] = [];
  if (trajectory) {
    const band = simultaneousBand(
      trajectory.points.map((p) => p.D),
      trajectory.replicates,
      trajectory.confidence,
    );
    const truthAt = new Map(truth.times.map((t, i) => [t, truth.D[i]]));
    trajectory.points.forEach((p, i) => {
      const value = truthAt.get(p.time);
      if (value === undefined || !Number.isFinite(value)) return;
      trajectoryPoints++;
      if (p.ciLow <= value && value <= p.ciHigh) pointwiseCovered++;
      if (band.low[i] <= value && value <= band.high[i]) simultaneousCovered++;
    });
    for (const rule of CROSSING_RULES) {
      for (const method of options.crossingIntervals ?? CROSSING_INTERVALS) {
        const c = crossingTime(trajectory, 1, { lastingPoints: rule === 'lasting' ? plan.lastingPoints : 1, interval: method });
        const interval = { direction: c.direction, estimate: c.time, low: c.ciLow, high: c.ciHigh };
        crossings.push({ rule, method, ...interval, covered: crossingCovered(truth[rule], interval, options.crossing ?? true) });
      }
    }
  }
  return {
    seedBootstrap,
    dPre: phase('pre', truth.dPre),
    dPost: phase('post', truth.dPost),
    trajectoryPoints,
    pointwiseCovered,
    simultaneousCovered,
    crossings,
  };
}

/** One coverage line from per-replication outcomes (with their intervals where there are any). */
function coverageRow(
  interval: string,
  seedBootstrap: SeedBootstrap,
  method: string,
  items: Array<{ covered: boolean; low?: number; high?: number }>,
): CoverageRow {
  const covered = items.filter((i) => i.covered).length;
  const ci = binomialInterval(covered, items.length);
  const bounded = items.filter((i) => i.low !== undefined);
  const widths = bounded.filter((i) => Number.isFinite(i.low) && Number.isFinite(i.high)).map((i) => i.high! - i.low!);
  return {
    interval,
    seedBootstrap,
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
 * The coverage table of a set of replications: per way of resampling seeds, D before / after
 * the onset, the band of D(t) at one point (covered points over compared points, no binomial
 * interval: a replication's points are not independent) and at every point (pointwise and
 * simultaneous), then the lasting and first crossings under each interval method.
 */
export function coverageTable(results: ReplicationResult[]): CoverageRow[] {
  const table: CoverageRow[] = [];
  const bootstraps = [...new Set(results.flatMap((r) => r.intervals.map((i) => i.seedBootstrap)))];
  for (const b of bootstraps) {
    const of = results.map((r) => r.intervals.find((i) => i.seedBootstrap === b)!);
    table.push(
      coverageRow(
        'D before onset',
        b,
        'percentile',
        of.map((i) => i.dPre),
      ),
    );
    table.push(
      coverageRow(
        'D after onset',
        b,
        'percentile',
        of.map((i) => i.dPost),
      ),
    );
    const points = of.reduce((a, i) => a + i.trajectoryPoints, 0);
    const covered = of.reduce((a, i) => a + i.pointwiseCovered, 0);
    table.push({
      interval: 'D(t) band, one point',
      seedBootstrap: b,
      method: 'pointwise',
      replications: of.length,
      covered,
      coverage: points ? covered / points : NaN,
      coverageLow: NaN,
      coverageHigh: NaN,
      medianWidth: NaN,
      openEnded: NaN,
      missing: NaN,
    });
    const every = (n: (i: ReplicationIntervals) => number) => of.map((i) => ({ covered: i.trajectoryPoints > 0 && n(i) === i.trajectoryPoints }));
    table.push(
      coverageRow(
        'D(t) band, every point',
        b,
        'pointwise',
        every((i) => i.pointwiseCovered),
      ),
    );
    table.push(
      coverageRow(
        'D(t) band, every point',
        b,
        'simultaneous',
        every((i) => i.simultaneousCovered),
      ),
    );
    for (const rule of CROSSING_RULES) {
      const methods = [...new Set(of.flatMap((i) => i.crossings.filter((c) => c.rule === rule).map((c) => c.method)))];
      for (const method of methods)
        table.push(
          coverageRow(
            `${rule} crossing`,
            b,
            method,
            of.map((i) => i.crossings.find((c) => c.rule === rule && c.method === method) ?? { covered: false, low: NaN, high: NaN }),
          ),
        );
    }
  }
  return table;
}

/**
 * The coverage study of one experiment:
 *  1. every group must hold the same scales; groups are the replications (disjoint runs);
 *  2. the truth of replication i is the point estimate (coverageTruth) over every other group
 *     (options.truth 'others') or over all groups ('all');
 *  3. each group is analysed as a notebook analyses its sweep, once per way of resampling seeds
 *     (replicationIntervals), with the plan's bootstrap size and seed and lasting rule;
 *  4. per kind of interval and method: the fraction of replications whose interval contains
 *     their truth, with its Wilson 95 % interval (coverageTable);
 *  5. the pooled truth is also fitted with the plan's bootstrap (studentized, pointwise-band
 *     crossings), to show how well it is pinned down.
 * @param groups the probe rows of each replication (e.g. designRows for disjoint seed sets, or
 *   the rows of disjoint groups of trained runs)
 */
export function coverageStudy(groups: ProbeRow[][], plan: CoveragePlan, options: CoverageStudyOptions = {}): CoverageStudy {
  if (!Array.isArray(groups) || groups.length < 2) throw new InvalidOptionError('groups', 'must hold at least two replications (arrays of probe rows)');
  const observable = checkChoice('observable', options.observable ?? 'totalTopplings', OBSERVABLES);
  const bootstraps = (options.seedBootstraps ?? [...SEED_BOOTSTRAPS]).map((b, i) => checkChoice(`seedBootstraps[${i}]`, b, SEED_BOOTSTRAPS));
  const methods = (options.crossingIntervals ?? [...CROSSING_INTERVALS]).map((m, i) => checkChoice(`crossingIntervals[${i}]`, m, CROSSING_INTERVALS));
  const truthMode = checkChoice('truth', options.truth ?? 'others', ['others', 'all'] as const);
  checkInteger('plan.bootstrap', plan.bootstrap, 1);
  const scaleKey = (rows: ProbeRow[]) => [...new Set(rows.map((r) => r.scaleN))].sort((a, b) => a - b).join(',');
  const scales = scaleKey(groups[0]);
  groups.forEach((g, i) => {
    if (!Array.isArray(g) || g.length === 0 || scaleKey(g) !== scales)
      throw new InvalidOptionError(`groups[${i}]`, `must hold rows at the scales of groups[0] (${scales})`);
  });
  const all = groups.flat();
  const pooled = coverageTruth(all, plan, observable);
  const results = groups.map((rows, i): ReplicationResult => {
    const truth = truthMode === 'all' ? pooled : coverageTruth(groups.filter((_, j) => j !== i).flat(), plan, observable);
    const intervals = bootstraps.map((seedBootstrap) =>
      replicationIntervals(rows, truth, plan, { observable, seedBootstrap, crossingIntervals: methods, crossing: options.crossing }),
    );
    options.onProgress?.(i + 1, groups.length);
    return { replication: i, seeds: [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b), truth, intervals };
  });
  const self = replicationIntervals(all, pooled, plan, { observable, crossingIntervals: ['pointwise-band'], crossing: options.crossing });
  const crossingOf = (rule: CrossingRule): CoveredInterval => self.crossings.find((c) => c.rule === rule)!;
  return {
    observable,
    replications: groups.length,
    seedsPerScale: Math.min(...results.map((r) => r.seeds.length)),
    scales: scales.split(',').map(Number),
    bootstrap: plan.bootstrap,
    lastingPoints: plan.lastingPoints,
    truth: pooled,
    truthIntervals: { dPre: self.dPre, dPost: self.dPost, lasting: crossingOf('lasting'), first: crossingOf('first') },
    table: coverageTable(results),
    results,
  };
}

/** Size of a coverage study run inside a notebook: replications, run seeds per scale, snapshot epochs. */
export interface DesignStudySize {
  replications: number;
  seedsPerScale: number;
  epochs: number[];
}

/**
 * The size of the live study of notebook 11 per profile — a check that the study runs from the
 * library, far too small to measure coverage (the stored study, `npm run coverage`, does that):
 * smoke 4 replications × 3 seeds at 6 epochs (~1 s of probes), quick 8 × 6 at 13 epochs
 * (every 160, ~1 min), paper 40 × 6 at 26 epochs (every 80, ~7 min).
 */
export function designStudySize(profile?: string): DesignStudySize {
  const name = activeProfile(profile);
  const every = (step: number) => Array.from({ length: Math.floor(2000 / step) + 1 }, (_, i) => step * i);
  if (name === 'smoke') return { replications: 4, seedsPerScale: 3, epochs: [0, 320, 600, 680, 1200, 2000] };
  if (name === 'quick') return { replications: 8, seedsPerScale: 6, epochs: every(160) };
  return { replications: 40, seedsPerScale: 6, epochs: every(80) };
}

/**
 * A coverage study of a synthetic design (coverageDesigns.ts), run from scratch:
 *  1. replication g gets run seeds seedsPerScale·g … seedsPerScale·(g + 1) − 1 (disjoint);
 *  2. designRows probes its snapshots on the plan's graph with the plan's probe options;
 *  3. coverageStudy compares every replication with the pool of the others, under the plan's
 *     bootstrap size, seed and lasting rule ('gaussian' counts as a design without a crossing).
 */
export function designCoverageStudy(
  design: CoverageDesign,
  plan: CoveragePlan & Pick<AnalysisPlan, 'topology' | 'probeOptions' | 'graphSeeds'>,
  size: DesignStudySize,
  options: Omit<CoverageStudyOptions, 'crossing'> = {},
): CoverageStudy {
  checkInteger('size.replications', size.replications, 2);
  checkInteger('size.seedsPerScale', size.seedsPerScale, 2);
  const groups = Array.from({ length: size.replications }, (_, g) =>
    designRows(design, plan, { seeds: Array.from({ length: size.seedsPerScale }, (_, i) => size.seedsPerScale * g + i), epochs: size.epochs }),
  );
  return coverageStudy(groups, plan, { ...options, crossing: design !== 'gaussian' });
}
