/**
 * D(t) and its crossing of D = 1 — one rule for every notebook. D(t) is the finite-size-scaling
 * slope at every snapshot epoch (or aligned-time bin) with a coherent seed bootstrap
 * (dimensionTrajectory, seeds resampled as plan.seedBootstrap says); the crossing rule is
 * crossingTime's, applied twice: the *first* crossing (the first sign change of D − 1) and the
 * *lasting* crossing (after which D stays on the new side for plan.lastingPoints points; by
 * default to the last one). Both take either direction, and report it. Their intervals are made
 * as plan.crossingInterval says: by default every crossing time of a D(t) inside the pointwise
 * 95 % band, which covers the truth where percentiles of replicate crossing times do not
 * (notebook 11 measures both).
 */
import { CrossingInterval, crossingTime, CrossingTime, dimensionTrajectory, DimensionTrajectory, LevelCrossing, levelCrossings } from '../fss/trajectory';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { Observable } from './observables';
import { ProbeRow, usableRows } from './phase';
import type { AnalysisPlan } from './plan';

/** The crossings of a level by one D(t). */
export interface Crossings {
  level: number;
  /** The plan's lasting rule: points D must stay past the level (Infinity: to the last one). */
  lastingPoints: number;
  /** First sign change of D − level, either direction, with its interval. */
  first: CrossingTime;
  /** The lasting crossing, either direction, with its interval (direction 'none': there is none). */
  lasting: CrossingTime;
  /** Every sign change of the point estimate. */
  all: LevelCrossing[];
}

/**
 * The first and the lasting crossing of `level` [1] by a trajectory, and every sign change (see
 * the file comment), with intervals made as `interval` says ['pointwise-band'].
 */
export function crossingsOf(trajectory: DimensionTrajectory, options: { lastingPoints: number; level?: number; interval?: CrossingInterval }): Crossings {
  const level = options.level ?? 1;
  if (!Number.isFinite(level)) throw new InvalidOptionError('level', `must be a finite number, got ${level}`);
  const lastingPoints = options.lastingPoints === Infinity ? Infinity : checkInteger('lastingPoints', options.lastingPoints, 1);
  return {
    level,
    lastingPoints,
    first: crossingTime(trajectory, level, { interval: options.interval ?? 'pointwise-band' }),
    lasting: crossingTime(trajectory, level, { lastingPoints, interval: options.interval ?? 'pointwise-band' }),
    all: levelCrossings(trajectory, level),
  };
}

/** Options of {@link trajectoryAnalysis}. */
export interface TrajectoryAnalysisOptions {
  /** 'epoch': one D per snapshot epoch; 'aligned': time measured from each run's onset, binned ['epoch']. */
  time?: 'epoch' | 'aligned';
  /** Aligned time = epoch − onset ('difference') or epoch / onset ('ratio') ['difference']. */
  alignment?: 'difference' | 'ratio';
  /** Aligned time: number of equal-width bins, or bin edges [20]. */
  bins?: number | number[];
  /** Fewest scales with data for a D at one time point, ≥ 2 [2]. */
  minScales?: number;
  /** Level whose crossings are timed [1]. */
  level?: number;
}

/** D(t) of one observable with its crossings of the level, or why there is none. */
export interface TrajectoryAnalysis {
  observable: Observable;
  time: 'epoch' | 'aligned';
  alignment: 'difference' | 'ratio';
  level: number;
  trajectory: DimensionTrajectory | null;
  crossings: Crossings | null;
  /** Rows (snapshots × graph seeds) that entered D(t). */
  rows: number;
  /** Rows left out: truncated probes, values ≤ 0, and (aligned time only) rows of runs without an onset. */
  leftOut: { truncated: number; nonPositive: number; noOnset: number };
  /** Some scale has a single training seed: the bands cannot show seed-to-seed spread. */
  oneSeedPerScale: boolean;
  /** Why there is no D(t) ("not enough data: …"), null when there is one. */
  reason: string | null;
}

/**
 * D(t) of `observable` with its crossings:
 *  1. truncated probes and values ≤ 0 are left out and counted; on the aligned axis, rows of
 *     runs that never reached their onset too;
 *  2. with fewer than two scales, or fewer than two time points with `minScales` scales, there
 *     is no D(t) and `reason` says so;
 *  3. dimensionTrajectory with the plan's bootstrap size, seed and seedBootstrap;
 *  4. crossingsOf with the plan's lastingPoints and crossingInterval.
 */
export function trajectoryAnalysis(
  rows: ProbeRow[],
  observable: Observable,
  plan: Pick<AnalysisPlan, 'bootstrap' | 'seed' | 'lastingPoints'> & Partial<Pick<AnalysisPlan, 'seedBootstrap' | 'crossingInterval'>>,
  options: TrajectoryAnalysisOptions = {},
): TrajectoryAnalysis {
  const time = checkChoice('time', options.time ?? 'epoch', ['epoch', 'aligned'] as const);
  const alignment = checkChoice('alignment', options.alignment ?? 'difference', ['difference', 'ratio'] as const);
  const level = options.level ?? 1;
  const u = usableRows(rows, observable);
  const used = time === 'aligned' ? u.rows.filter((r) => Number.isFinite(r.onset)) : u.rows;
  const leftOut = { truncated: u.truncated, nonPositive: u.nonPositive, noOnset: u.rows.length - used.length };
  const base = { observable, time, alignment, level, rows: used.length, leftOut };
  const empty = (reason: string): TrajectoryAnalysis => ({ ...base, trajectory: null, crossings: null, oneSeedPerScale: false, reason });
  const scales = new Set(used.map((r) => r.scaleN)).size;
  if (scales < 2) return empty(`not enough data: ${scales} scale(s) with usable snapshots, D(t) needs 2`);
  const trajectory = dimensionTrajectory(used as unknown as Array<Record<string, unknown>>, {
    time,
    alignment,
    valueField: observable,
    bootstrap: plan.bootstrap,
    seed: plan.seed,
    seedBootstrap: plan.seedBootstrap,
    bins: options.bins ?? 20,
    onsetField: 'onset',
    minScales: Math.min(options.minScales ?? 2, scales),
  });
  if (trajectory.points.length < 2) return empty(`not enough data: D(t) has ${trajectory.points.length} time point(s) with enough scales`);
  const seeds = new Map<number, Set<number>>();
  for (const r of used) seeds.set(r.scaleN, (seeds.get(r.scaleN) ?? new Set()).add(r.seed));
  const oneSeedPerScale = Math.min(...[...seeds.values()].map((s) => s.size)) < 2;
  return {
    ...base,
    trajectory,
    crossings: crossingsOf(trajectory, { lastingPoints: plan.lastingPoints, level, interval: plan.crossingInterval }),
    oneSeedPerScale,
    reason: null,
  };
}
