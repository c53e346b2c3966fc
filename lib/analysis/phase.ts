/**
 * The phase rule, defined once for every notebook: a probed snapshot is *before* its run's onset
 * ('pre', epoch < onset) or *after* it ('post', epoch ≥ onset). A run that never reached its onset
 * has no transition to be before or after, so its snapshots are in phase 'none': they enter
 * neither the pre nor the post fits, samples or curves, and every result counts them
 * (snapshots and runs) so that a notebook can say how many were left out. Fits over 'all'
 * snapshots (the nulls that carry no time) use them.
 */
import * as aq from 'arquero';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { Observable, OBSERVABLES } from './observables';
import { OnsetField, OnsetMap, runKey, runOnsets, RunsInput } from './runs';

/** The two phases of a run that reached its onset. */
export const PHASES = ['pre', 'post'] as const;
export type Phase = (typeof PHASES)[number];
/** A snapshot's phase: 'none' when its run never reached the onset. */
export type SnapshotPhase = Phase | 'none';

/** The phase rule: 'pre' when epoch < onset, 'post' when epoch ≥ onset, 'none' when the onset is NaN (never reached). */
export function phaseOf(epoch: number, onset: number): SnapshotPhase {
  if (!Number.isFinite(onset)) return 'none';
  return epoch < onset ? 'pre' : 'post';
}

/** Snapshots (or avalanches) per phase, and the runs without an onset behind the 'none' ones. */
export interface PhaseCounts {
  pre: number;
  post: number;
  none: number;
  /** Distinct runs whose rows are in phase 'none'. */
  runsWithoutOnset: number;
}

/** Counts rows per phase (rows carry `phase`, `scaleN` and `seed`). */
export function phaseCounts(rows: ReadonlyArray<{ phase: SnapshotPhase; scaleN: number; seed: number }>): PhaseCounts {
  const counts: PhaseCounts = { pre: 0, post: 0, none: 0, runsWithoutOnset: 0 };
  const runs = new Set<string>();
  for (const row of rows) {
    counts[row.phase]++;
    if (row.phase === 'none') runs.add(runKey(row.scaleN, row.seed));
  }
  counts.runsWithoutOnset = runs.size;
  return counts;
}

/** One probed snapshot (one graph seed) with its run's onset and phase. */
export interface ProbeRow {
  scaleN: number;
  seed: number;
  snapshot: number;
  epoch: number;
  graphSeed: number;
  totalTopplings: number;
  sMax: number;
  truncated: boolean;
  /** The run's onset epoch; NaN when the run never reached it. */
  onset: number;
  phase: SnapshotPhase;
}

/** Options of {@link probeRows} and {@link splitByOnset}. */
export interface PhaseOptions {
  /** Which onset splits the phases (when runs are given) ['trainOnset']. */
  onsetField?: OnsetField;
}

/** The onsets of `runs`, or `runs` itself when it already is an onset map. */
export function onsetMapOf(runs: RunsInput | OnsetMap, options: PhaseOptions = {}): OnsetMap {
  return runs instanceof Map ? runs : runOnsets(runs, { field: options.onsetField });
}

/** Throws unless `table` is an arquero table with the named columns. */
export function requireColumns(table: aq.ColumnTable, field: string, names: readonly string[]): void {
  if (table == null || typeof (table as aq.ColumnTable).columnNames !== 'function')
    throw new InvalidOptionError(field, 'must be an arquero table (the summary or avalanches table of probeSnapshots / probeSweep)');
  const have = table.columnNames();
  const missing = names.filter((n) => !have.includes(n));
  if (missing.length) throw new InvalidOptionError(field, `lacks column(s) ${missing.join(', ')}; it has ${have.join(', ')}`);
}

function onsetOf(onsets: OnsetMap, scaleN: number, seed: number, row: number): number {
  const onset = onsets.get(runKey(scaleN, seed));
  if (onset === undefined) throw new InvalidOptionError('runs', `has no completed run with N = ${scaleN}, seed = ${seed} (row ${row} of the table)`);
  return onset;
}

/**
 * The probe summary (probeSweep(…).summary) as rows with each run's onset and phase (see
 * {@link phaseOf}). Rows are matched to completed runs by (scaleN = N, seed); null snapshots
 * (nullSnapshots) keep the scale, seed and epoch of their real snapshot, so they split alike.
 * @param runs the sweep's runs table, or an onset map (runOnsets) for runs described otherwise
 * @throws InvalidOptionError when a summary row has no completed run
 */
export function probeRows(summary: aq.ColumnTable, runs: RunsInput | OnsetMap, options: PhaseOptions = {}): ProbeRow[] {
  requireColumns(summary, 'summary', ['scaleN', 'seed', 'snapshot', 'epoch', 'graphSeed', 'totalTopplings', 'sMax', 'truncated']);
  const onsets = onsetMapOf(runs, options);
  const col = (name: string) => summary.array(name) as ArrayLike<number>;
  const [scaleN, seed, snapshot, epoch, graphSeed, total, sMax] = ['scaleN', 'seed', 'snapshot', 'epoch', 'graphSeed', 'totalTopplings', 'sMax'].map(col);
  const truncated = summary.array('truncated') as ArrayLike<unknown>;
  const rows: ProbeRow[] = [];
  for (let i = 0; i < summary.numRows(); i++) {
    const onset = onsetOf(onsets, scaleN[i], seed[i], i);
    rows.push({
      scaleN: scaleN[i],
      seed: seed[i],
      snapshot: snapshot[i],
      epoch: epoch[i],
      graphSeed: graphSeed[i],
      totalTopplings: total[i],
      sMax: sMax[i],
      truncated: truncated[i] === true,
      onset,
      phase: phaseOf(epoch[i], onset),
    });
  }
  return rows;
}

/**
 * Adds the columns `onset` (the run's onset epoch, NaN when never reached) and `phase`
 * ('pre' | 'post' | 'none', see {@link phaseOf}) to a probe summary or avalanches table.
 * @param table probeSnapshots' summary or avalanches table (columns scaleN, seed, epoch)
 * @throws InvalidOptionError when a row has no completed run
 */
export function splitByOnset(table: aq.ColumnTable, runs: RunsInput | OnsetMap, options: PhaseOptions = {}): aq.ColumnTable {
  requireColumns(table, 'table', ['scaleN', 'seed', 'epoch']);
  const onsets = onsetMapOf(runs, options);
  const scale = table.array('scaleN') as ArrayLike<number>;
  const seed = table.array('seed') as ArrayLike<number>;
  const epoch = table.array('epoch') as ArrayLike<number>;
  const count = table.numRows();
  const onset = new Float64Array(count);
  const phase: SnapshotPhase[] = new Array(count);
  for (let i = 0; i < count; i++) {
    onset[i] = onsetOf(onsets, scale[i], seed[i], i);
    phase[i] = phaseOf(epoch[i], onset[i]);
  }
  return table.assign({ onset, phase });
}

/** Counts of the phase column of a table split by {@link splitByOnset}. */
export function tablePhaseCounts(table: aq.ColumnTable): PhaseCounts {
  requireColumns(table, 'table', ['scaleN', 'seed', 'phase']);
  const scale = table.array('scaleN') as ArrayLike<number>;
  const seed = table.array('seed') as ArrayLike<number>;
  const phase = table.array('phase') as ArrayLike<SnapshotPhase>;
  return phaseCounts(Array.from({ length: phase.length }, (_, i) => ({ phase: phase[i], scaleN: scale[i], seed: seed[i] })));
}

/** Rows usable for a fit of `observable`, and how many were left out for each reason. */
export interface UsableRows {
  rows: ProbeRow[];
  /** The guard stopped a runaway avalanche: the value is censored. */
  truncated: number;
  /** The value is 0 (or not finite): its logarithm cannot be taken. */
  nonPositive: number;
}

/** Rows not truncated and with a finite value > 0 of `observable`, with counts of those left out. */
export function usableRows(rows: ProbeRow[], observable: Observable): UsableRows {
  checkChoice('observable', observable, OBSERVABLES);
  let truncated = 0;
  let nonPositive = 0;
  const kept: ProbeRow[] = [];
  for (const r of rows) {
    if (r.truncated) truncated++;
    else if (!(r[observable] > 0) || !Number.isFinite(r[observable])) nonPositive++;
    else kept.push(r);
  }
  return { rows: kept, truncated, nonPositive };
}
