import { InvalidOptionError, checkChoice, checkInteger } from '../util/errors';
import { Random, deriveSeed } from '../util/random';
import { BOOTSTRAP_REPLICATES, percentileInterval } from '../stats/bootstrap';
import { ClusterTable, drawSeedBootstrap, SeedBootstrap, seedBootstrapInterval, SeedDraws, SEED_BOOTSTRAPS } from './clusters';
import { bandCrossingInterval, simultaneousBand } from './crossingBand';
import { FssRows, logPositiveField, numberField, rowsToObjects, seedKey } from './rows';

/** Options of {@link dimensionTrajectory}. */
export interface TrajectoryOptions {
  /**
   * 'epoch': one D per distinct `epoch` value (snapshots taken at the same epochs at every
   * scale). 'aligned': time relative to each run's onset, binned into `bins`.
   */
  time: 'epoch' | 'aligned';
  /** Value column ['totalTopplings']. */
  valueField?: string;
  /** Bootstrap replicates, 0 for none [BOOTSTRAP_REPLICATES = 1000]. */
  bootstrap?: number;
  /** Seed of the bootstrap stream [0]. */
  seed?: number;
  /** Confidence level of the percentile bands [0.95]. */
  confidence?: number;
  /** Aligned time: onset per run, keyed `${scaleN}|${seed}` (Map or object); else the `onsetField` column. */
  onsets?: Map<string, number> | Record<string, number>;
  /** Column holding each run's onset epoch ['onsetEpoch']. */
  onsetField?: string;
  /** Aligned time = epoch − onset ('difference') or epoch / onset ('ratio') ['difference']. */
  alignment?: 'difference' | 'ratio';
  /** Aligned-time bin edges (ascending, ≥ 2) or a number of equal-width bins over the range [20]. */
  bins?: number[] | number;
  /** Minimum number of scales with data for a D at a time point, ≥ 2 [2]. */
  minScales?: number;
  /** How the seed bootstrap makes each point's interval (see SEED_BOOTSTRAPS) ['studentized']. */
  seedBootstrap?: SeedBootstrap;
}

/** One time point of a trajectory. */
export interface TrajectoryPoint {
  /** Epoch, or the aligned bin's midpoint. */
  time: number;
  /** Aligned bins: the bin's edges. */
  binLow?: number;
  binHigh?: number;
  D: number;
  ciLow: number;
  ciHigh: number;
  intercept: number;
  rSquared: number;
  nScales: number;
  nRows: number;
}

/** Result of {@link dimensionTrajectory}. */
export interface DimensionTrajectory {
  time: 'epoch' | 'aligned';
  valueField: string;
  points: TrajectoryPoint[];
  bootstrap: number;
  seed: number;
  confidence: number;
  seedBootstrap: SeedBootstrap;
  /** replicates[b][i]: D at point i in bootstrap replicate b (same resampled seeds at every time). */
  replicates: Float64Array[];
  /** Runs (scaleN|seed) left out of an aligned trajectory for lack of an onset. */
  excludedRuns: string[];
  /** Times (epochs or bin midpoints) with fewer than minScales scales, left out. */
  skippedTimes: number[];
}

// Retained (non-enumerable) so that crossingTime can redraw replicates with another seed/count.
const TABLE = Symbol('clusterTable');
type WithTable = DimensionTrajectory & { [TABLE]?: { table: ClusterTable; timeIndex: number[]; minScales: number } };

/**
 * D(t): the finite-size-scaling slope (see fitScalingExponent) at every snapshot epoch or
 * aligned-time bin, each with a bootstrap CI (studentized by default: see SEED_BOOTSTRAPS). A
 * replicate resamples seeds within each scale once and reuses that draw at every time, so
 * replicate trajectories are coherent (used by {@link crossingTime}). Rows: objects or an arquero table with scaleN, seed, epoch and the value
 * column (and onsetEpoch for aligned time unless `onsets` is given).
 */
export function dimensionTrajectory(rows: FssRows, options: TrajectoryOptions): DimensionTrajectory {
  const time = checkChoice('time', options?.time, ['epoch', 'aligned'] as const);
  const valueField = options.valueField ?? 'totalTopplings';
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? BOOTSTRAP_REPLICATES, 0);
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  const minScales = checkInteger('minScales', options.minScales ?? 2, 2);
  const alignment = checkChoice('alignment', options.alignment ?? 'difference', ['difference', 'ratio'] as const);
  const seedBootstrap = checkChoice('seedBootstrap', options.seedBootstrap ?? 'studentized', SEED_BOOTSTRAPS);
  const objects = rowsToObjects(rows);
  if (objects.length === 0) throw new InvalidOptionError('rows', 'is empty');
  const raw = objects.map((row, i) => ({
    scale: numberField(row, 'scaleN', i),
    seed: seedKey(row, i),
    epoch: numberField(row, 'epoch', i),
    logValue: logPositiveField(row, valueField, i),
    row,
    index: i,
  }));
  const excluded = new Set<string>();
  let timeValues: number[];
  let binEdges: number[] | null = null;
  let assign: (r: (typeof raw)[number]) => number; // time index or −1
  if (time === 'epoch') {
    timeValues = Array.from(new Set(raw.map((r) => r.epoch))).sort((a, b) => a - b);
    const index = new Map(timeValues.map((t, i) => [t, i]));
    assign = (r) => index.get(r.epoch)!;
  } else {
    const onsetField = options.onsetField ?? 'onsetEpoch';
    const onsetMap = options.onsets instanceof Map ? options.onsets : options.onsets ? new Map(Object.entries(options.onsets)) : null;
    const aligned = raw.map((r) => {
      const key = `${r.scale}|${r.seed}`;
      const onset = onsetMap ? onsetMap.get(key) : r.row[onsetField];
      if (typeof onset !== 'number' || !Number.isFinite(onset)) {
        excluded.add(key);
        return NaN;
      }
      if (alignment === 'ratio' && !(onset > 0)) throw new InvalidOptionError('onsets', `run ${key} has onset ${onset}; alignment 'ratio' needs onsets > 0`);
      return alignment === 'difference' ? r.epoch - onset : r.epoch / onset;
    });
    const finite = aligned.filter(Number.isFinite);
    if (finite.length === 0)
      throw new InvalidOptionError('onsets', `no run has an onset (give options.onsets keyed "scaleN|seed" or a "${onsetField}" column)`);
    const bins = options.bins;
    if (Array.isArray(bins)) {
      if (bins.length < 2 || bins.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bins[i - 1])))
        throw new InvalidOptionError('bins', 'edges must be ≥ 2 finite, strictly increasing numbers');
      binEdges = bins.slice();
    } else {
      const count = checkInteger('bins', bins ?? 20, 1);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of finite) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi === lo) hi = lo + 1;
      binEdges = Array.from({ length: count + 1 }, (_, i) => lo + ((hi - lo) * i) / count);
    }
    const edges = binEdges;
    timeValues = edges.slice(0, -1).map((e, i) => 0.5 * (e + edges[i + 1]));
    const alignedByIndex = aligned;
    assign = (r) => {
      const v = alignedByIndex[r.index];
      if (!Number.isFinite(v) || v < edges[0] || v > edges[edges.length - 1]) return -1;
      // Last bin is closed on the right.
      let lo = 0;
      let hi = edges.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (edges[mid] <= v) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
  }
  const entries: Array<{ time: number; scale: number; seed: string; logValue: number }> = [];
  for (const r of raw) {
    const t = assign(r);
    if (t >= 0) entries.push({ time: t, scale: r.scale, seed: r.seed, logValue: r.logValue });
  }
  const table = new ClusterTable(entries, timeValues.length);
  const points: TrajectoryPoint[] = [];
  const timeIndex: number[] = [];
  const skipped: number[] = [];
  for (let t = 0; t < timeValues.length; t++) {
    const info = { intercept: NaN, rSquared: NaN, nScales: 0, meanLog: [] as number[], scales: [] as number[] };
    const D = table.fit(t, null, minScales, info);
    if (!Number.isFinite(D)) {
      if (table.counts[t].some((c) => c > 0)) skipped.push(timeValues[t]);
      continue;
    }
    timeIndex.push(t);
    points.push({
      time: timeValues[t],
      ...(binEdges ? { binLow: binEdges[t], binHigh: binEdges[t + 1] } : {}),
      D,
      ciLow: NaN,
      ciHigh: NaN,
      intercept: info.intercept,
      rSquared: info.rSquared,
      nScales: info.nScales,
      nRows: table.counts[t].reduce((a, b) => a + b, 0),
    });
  }
  const draws = drawTrajectory(table, timeIndex, points, minScales, bootstrap, seed, seedBootstrap);
  const replicates = draws.replicates;
  const band = pointwiseBand(table, timeIndex, points, minScales, draws, confidence);
  points.forEach((p, i) => {
    p.ciLow = band.low[i];
    p.ciHigh = band.high[i];
  });
  const result: WithTable = {
    time,
    valueField,
    points,
    bootstrap,
    seed,
    confidence,
    seedBootstrap,
    replicates,
    excludedRuns: Array.from(excluded).sort(),
    skippedTimes: skipped,
  };
  Object.defineProperty(result, TABLE, { value: { table, timeIndex, minScales }, enumerable: false });
  return result;
}

/** The coherent seed-bootstrap draws of a trajectory (see drawSeedBootstrap), from the stream of (seed, 'dimensionTrajectory'). */
function drawTrajectory(
  table: ClusterTable,
  timeIndex: number[],
  points: ReadonlyArray<{ D: number }>,
  minScales: number,
  bootstrap: number,
  seed: number,
  kind: SeedBootstrap,
): SeedDraws {
  const estimates = points.map((p) => p.D);
  return drawSeedBootstrap(table, timeIndex, estimates, minScales, bootstrap, new Random(deriveSeed(seed, 'dimensionTrajectory')), kind);
}

/** The pointwise interval of every point of a trajectory from its draws (seedBootstrapInterval). */
function pointwiseBand(
  table: ClusterTable,
  timeIndex: number[],
  points: ReadonlyArray<{ D: number }>,
  minScales: number,
  draws: SeedDraws,
  confidence: number,
): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(points.length);
  const high = new Float64Array(points.length);
  points.forEach((p, i) => {
    const ci = seedBootstrapInterval(table, timeIndex[i], i, p.D, minScales, draws, confidence);
    low[i] = ci.low;
    high[i] = ci.high;
  });
  return { low, high };
}

/** Result of {@link crossingTime}. */
export interface CrossingTime {
  level: number;
  /** Interpolated time of the first crossing (NaN when D(t) never crosses). */
  time: number;
  direction: 'up' | 'down' | 'none';
  /** Index of the point just before the crossing. */
  index: number;
  /**
   * The interval of the crossing time, made as `interval` says. With 'band' / 'pointwise-band',
   * ciHigh is Infinity when the band does not rule out a crossing after the last point (or none
   * at all), and both are NaN when no D(t) inside the band crosses that way; with 'percentile',
   * the percentiles of the crossing times of the replicates that cross in the same direction.
   */
  ciLow: number;
  ciHigh: number;
  confidence: number;
  interval: CrossingInterval;
  /** Fraction of replicates with such a crossing. */
  crossedFraction: number;
  replicateTimes: Float64Array;
}

/**
 * First crossing of `level` in a series (linear interpolation between neighbouring points) after
 * which the series stays on the new side for `lastingPoints` finite points (1 = the first sign change).
 */
function firstCrossing(
  times: ArrayLike<number>,
  D: ArrayLike<number>,
  level: number,
  want: 'up' | 'down' | 'any',
  lastingPoints = 1,
): { time: number; direction: 'up' | 'down' | 'none'; index: number } {
  let prev = -1;
  for (let i = 0; i < D.length; i++) {
    if (!Number.isFinite(D[i])) continue;
    if (prev >= 0) {
      const a = D[prev] - level;
      const b = D[i] - level;
      const dir = a < 0 && b >= 0 ? 'up' : a > 0 && b <= 0 ? 'down' : null;
      if (dir && (want === 'any' || want === dir) && staysOnSide(D, i, level, dir, lastingPoints)) {
        const time = times[prev] + ((level - D[prev]) * (times[i] - times[prev])) / (D[i] - D[prev]);
        return { time, direction: dir, index: prev };
      }
    }
    prev = i;
  }
  return { time: NaN, direction: 'none', index: -1 };
}

/** Whether the `lastingPoints` finite points from index `start` on are all on the `direction` side of `level`. */
function staysOnSide(D: ArrayLike<number>, start: number, level: number, direction: 'up' | 'down', lastingPoints: number): boolean {
  let seen = 0;
  for (let j = start; j < D.length && seen < lastingPoints; j++) {
    if (!Number.isFinite(D[j])) continue;
    if (direction === 'up' ? D[j] < level : D[j] > level) return false;
    seen++;
  }
  return lastingPoints === Infinity || seen === lastingPoints;
}

/** Options of {@link crossingTime}. */
export interface CrossingTimeOptions {
  /** Which crossings count: 'up' (D rises through the level), 'down', or either ['any']. */
  direction?: 'up' | 'down' | 'any';
  /**
   * A *lasting* crossing: D must stay on the new side for this many points, the crossing point
   * included (an integer ≥ 1, or Infinity: to the last point) [1: the first sign change].
   */
  lastingPoints?: number;
  /** Replicates and seed: different from the trajectory's, replicates are redrawn [the trajectory's]. */
  bootstrap?: number;
  seed?: number;
  /** Confidence level of the interval [the trajectory's, 0.95]. */
  confidence?: number;
  /**
   * How the interval is made: 'pointwise-band' — every crossing time of a D(t) inside the
   * trajectory's pointwise band (its points' ciLow … ciHigh; bandCrossingInterval); 'band' — the
   * same inside the simultaneous band (simultaneousBand); 'percentile' — percentiles of the
   * replicates' crossing times ['pointwise-band'].
   */
  interval?: CrossingInterval;
}

/** The ways {@link crossingTime} makes the interval of a crossing time (see CrossingTimeOptions.interval). */
export const CROSSING_INTERVALS = ['band', 'pointwise-band', 'percentile'] as const;
export type CrossingInterval = (typeof CROSSING_INTERVALS)[number];

/**
 * When D(t) crosses `level` [1]:
 *  1. the first pair of neighbouring points that straddle the level in an allowed direction and
 *     after which D stays on the new side for `lastingPoints` points is found (a crossing too
 *     close to the end to be confirmed is not counted; Infinity asks for the crossing after which
 *     D stays on the new side to the last point, the analogue of an accuracy onset that holds to
 *     the end of training, so that noise while D(t) hovers near the level is not taken for the
 *     transition);
 *  2. its time is interpolated linearly between the two points;
 *  3. the same rule, in the same direction, is applied to every coherent bootstrap replicate of
 *     the trajectory, and the fraction of replicates that cross is reported;
 *  4. the interval: 'pointwise-band' (default) — bandCrossingInterval over the trajectory's
 *     pointwise band, i.e. every crossing time of a D(t) that stays inside the band (its upper end is Infinity when the band does not rule out a later crossing or
 *     none); 'band' — the same over the simultaneous band (simultaneousBand); 'percentile' —
 *     percentiles of the replicate crossing times of step 3. The lasting crossing jumps by
 *     hundreds of epochs while D(t) hovers near the level, and its percentile interval then
 *     covers the truth far less often than its nominal level (measured in notebook 11).
 */
export function crossingTime(trajectory: DimensionTrajectory, level = 1, options: CrossingTimeOptions = {}): CrossingTime {
  if (trajectory == null || !Array.isArray(trajectory.points)) throw new InvalidOptionError('trajectory', 'must be the result of dimensionTrajectory');
  if (!Number.isFinite(level)) throw new InvalidOptionError('level', `must be a finite number, got ${level}`);
  const want = checkChoice('direction', options.direction ?? 'any', ['up', 'down', 'any'] as const);
  // Infinity = the crossing after which D stays on the new side up to the last point.
  const lastingPoints = options.lastingPoints === Infinity ? Infinity : checkInteger('lastingPoints', options.lastingPoints ?? 1, 1);
  const confidence = options.confidence ?? trajectory.confidence ?? 0.95;
  const interval = checkChoice('interval', options.interval ?? 'pointwise-band', CROSSING_INTERVALS);
  const times = trajectory.points.map((p) => p.time);
  const main = firstCrossing(
    times,
    trajectory.points.map((p) => p.D),
    level,
    want,
    lastingPoints,
  );
  let replicates = trajectory.replicates;
  // The pointwise band: the trajectory's own, or that of the redrawn replicates.
  let pointwise: { low: ArrayLike<number>; high: ArrayLike<number> } = {
    low: trajectory.points.map((p) => p.ciLow),
    high: trajectory.points.map((p) => p.ciHigh),
  };
  const bootstrap = options.bootstrap ?? trajectory.bootstrap;
  const seed = options.seed ?? trajectory.seed;
  if (bootstrap !== trajectory.bootstrap || seed !== trajectory.seed) {
    const retained = (trajectory as WithTable)[TABLE];
    if (!retained)
      throw new InvalidOptionError('bootstrap', 'this trajectory carries no data to redraw replicates; pass bootstrap/seed to dimensionTrajectory instead');
    const { table, timeIndex, minScales } = retained;
    const draws = drawTrajectory(table, timeIndex, trajectory.points, minScales, checkInteger('bootstrap', bootstrap, 0), seed, trajectory.seedBootstrap);
    replicates = draws.replicates;
    pointwise = pointwiseBand(table, timeIndex, trajectory.points, minScales, draws, confidence);
  }
  const replicateTimes = new Float64Array(replicates.length);
  let crossed = 0;
  replicates.forEach((r, b) => {
    const c = firstCrossing(times, r, level, main.direction === 'none' ? want : main.direction, lastingPoints);
    replicateTimes[b] = c.time;
    if (Number.isFinite(c.time)) crossed++;
  });
  let ci = { low: NaN, high: NaN };
  if (replicates.length > 0 && interval === 'percentile') ci = percentileInterval(replicateTimes, confidence);
  else if (replicates.length > 0 && main.direction !== 'none') {
    const band =
      interval === 'band'
        ? simultaneousBand(
            trajectory.points.map((p) => p.D),
            replicates,
            confidence,
          )
        : pointwise;
    ci = bandCrossingInterval(times, band.low, band.high, level, main.direction, lastingPoints);
  }
  return {
    level,
    ...main,
    ciLow: ci.low,
    ciHigh: ci.high,
    confidence,
    interval,
    crossedFraction: replicates.length > 0 ? crossed / replicates.length : NaN,
    replicateTimes,
  };
}

/** One sign change of D − level between neighbouring points of a trajectory. */
export interface LevelCrossing {
  /** Interpolated time of the crossing. */
  time: number;
  direction: 'up' | 'down';
}

/** Every sign change of D − `level` [1] along the finite points of a trajectory (linear interpolation). */
export function levelCrossings(trajectory: DimensionTrajectory, level = 1): LevelCrossing[] {
  const out: LevelCrossing[] = [];
  const p = trajectory.points.filter((q) => Number.isFinite(q.D));
  for (let i = 1; i < p.length; i++) {
    const a = p[i - 1].D - level;
    const b = p[i].D - level;
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0))
      out.push({ time: p[i - 1].time + ((level - p[i - 1].D) * (p[i].time - p[i - 1].time)) / (p[i].D - p[i - 1].D), direction: a < 0 ? 'up' : 'down' });
  }
  return out;
}
