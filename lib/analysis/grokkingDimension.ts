/**
 * D(t) around a grokking transition (notebook 05): D at every snapshot epoch and against
 * grokking-aligned time t / t_on (each run's own onset, the test-accuracy onset by default),
 * D before and after the onset, and where D(t) crosses 1 relative to the onset. Every number
 * comes from the rules every notebook uses: the phase split, fitPhase and trajectoryAnalysis
 * with the plan's bootstrap and lasting-crossing settings; this file only selects the runs and
 * chooses the aligned bins. When D is undefined (fewer than two scales, or no run with an
 * onset) the result says why instead of throwing.
 */
import * as aq from 'arquero';
import { median } from '../stats/bootstrap';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { fitPhase, PhaseFit } from './dimension';
import { Observable, OBSERVABLES } from './observables';
import { probeRows } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { completedRuns, ONSET_FIELDS, OnsetField, runKey, runOnsets, RunsInput } from './runs';
import { trajectoryAnalysis, TrajectoryAnalysis } from './trajectory';

/**
 * Bin edges for grokking-aligned time r = t / t_on: 0, then powers of 2^(1/binsPerOctave)
 * covering the positive ratios, so that r = 1 (the onset) is always an edge and bins are equally
 * wide on a log axis. Ratios ≤ 0 (epoch 0) fall in the first bin [0, smallest power].
 */
export function alignedBinEdges(ratios: ArrayLike<number>, binsPerOctave = 2): number[] {
  checkInteger('binsPerOctave', binsPerOctave, 1, 64);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ratios.length; i++) {
    const r = ratios[i];
    if (r > 0 && Number.isFinite(r)) {
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
  }
  if (!Number.isFinite(lo)) throw new InvalidOptionError('ratios', 'no positive aligned time: every snapshot is at or before epoch 0');
  const kMin = Math.floor(Math.log2(lo) * binsPerOctave + 1e-9);
  let kMax = Math.ceil(Math.log2(hi) * binsPerOctave - 1e-9);
  if (kMax <= kMin) kMax = kMin + 1;
  // Keep the onset an edge even when every ratio lies on one side of it.
  const from = Math.min(kMin, 0);
  const to = Math.max(kMax, 0);
  const edges = [0];
  for (let k = from; k <= to; k++) edges.push(2 ** (k / binsPerOctave));
  return edges;
}

/** D(t) of one observable around the onset. */
export interface ObservableDimension {
  observable: Observable;
  /** D at every snapshot epoch, with its first and lasting crossings of 1. */
  epoch: TrajectoryAnalysis;
  /** D against t / t_on in `binsPerOctave` bins per octave, with its crossings. */
  aligned: TrajectoryAnalysis;
  /** D over every snapshot before the onset and from the onset on (fitPhase). */
  pre: PhaseFit;
  post: PhaseFit;
}

/** Result of {@link grokkingDimension}. */
export type GrokkingDimension =
  | {
      ok: true;
      onsetField: OnsetField;
      /** Scales N (ascending) that entered the fits and their runs. */
      scales: number[];
      runs: number;
      /** Median onset over the included runs (epochs) and its range. */
      onsetMedian: number;
      onsetMin: number;
      onsetMax: number;
      /** Median over the included runs of train onset / test onset: where the train onset sits on the aligned axis (null without a test-onset alignment). */
      trainOnsetAligned: number | null;
      observables: ObservableDimension[];
    }
  | { ok: false; reason: string; scales: number[]; runs: number };

/** Options of {@link grokkingDimension}. */
export interface GrokkingDimensionOptions {
  /** Onset that defines the phases and aligned time ['testOnset']. */
  onsetField?: OnsetField;
  /** Observables to analyse, primary first [['totalTopplings', 'sMax']]. */
  observables?: Observable[];
  /** Aligned-time bins per octave of t / t_on [2]. */
  binsPerOctave?: number;
  /** Fewest scales for a D at one time point [min(3, number of scales)]. */
  minScales?: number;
}

/**
 * D(t) around the grokking transition:
 *  1. probe rows of the runs given (pass the runs of the scales that grok: see
 *     nonGrokkingScales / excludeScales) are kept, others ignored; each gets its run's onset;
 *  2. with fewer than two scales, or fewer than two scales with an onset, the result is
 *     `{ ok: false, reason }` ("not enough data: …");
 *  3. per observable: trajectoryAnalysis on the epoch axis and on t / t_on (alignedBinEdges),
 *     both with the plan's bootstrap, seed and lasting-crossing rule; fitPhase before and after.
 * @param summary the probe summary (probeSweep(...).summary) or its rows
 */
export function grokkingDimension(
  summary: aq.ColumnTable | Array<Record<string, unknown>>,
  runs: RunsInput,
  plan: AnalysisPlan,
  options: GrokkingDimensionOptions = {},
): GrokkingDimension {
  checkAnalysisPlan(plan);
  const onsetField = checkChoice('onsetField', options.onsetField ?? 'testOnset', ONSET_FIELDS);
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  const included = completedRuns(runs);
  const onsets = runOnsets(included, { field: onsetField });
  const ofIncluded = (Array.isArray(summary) ? summary : (summary.objects() as Array<Record<string, unknown>>)).filter((r) =>
    onsets.has(runKey(r.scaleN as number, r.seed as number)),
  );
  const rows = ofIncluded.length ? probeRows(aq.from(ofIncluded), onsets) : [];
  const scales = [...new Set(rows.map((r) => r.scaleN))].sort((a, b) => a - b);
  const onsetName = onsetField === 'testOnset' ? 'test-accuracy onset' : 'train-accuracy onset';
  if (scales.length < 2) {
    const which = scales.length ? ` (N = ${scales.join(', ')})` : '';
    return {
      ok: false,
      reason: `not enough data: D is the slope of ln S against ln N and needs at least two scales with probed snapshots; ${scales.length} scale${scales.length === 1 ? '' : 's'} entered${which}`,
      scales,
      runs: included.length,
    };
  }
  const withOnset = rows.filter((r) => Number.isFinite(r.onset));
  const onsetScales = new Set(withOnset.map((r) => r.scaleN)).size;
  if (onsetScales < 2) {
    return {
      ok: false,
      reason: `not enough data: aligned time t / t_on needs runs with a ${onsetName} at two or more scales; ${onsetScales} scale${onsetScales === 1 ? ' has' : 's have'} one`,
      scales,
      runs: included.length,
    };
  }
  const minScales = options.minScales ?? Math.min(3, scales.length);
  const edges = alignedBinEdges(
    withOnset.map((r) => r.epoch / r.onset),
    options.binsPerOctave ?? 2,
  );
  const results: ObservableDimension[] = observables.map((observable) => ({
    observable,
    epoch: trajectoryAnalysis(rows, observable, plan, { time: 'epoch', minScales }),
    aligned: trajectoryAnalysis(rows, observable, plan, { time: 'aligned', alignment: 'ratio', bins: edges, minScales }),
    pre: fitPhase(rows, observable, 'pre', plan),
    post: fitPhase(rows, observable, 'post', plan),
  }));
  const onsetValues = [...onsets.values()].filter(Number.isFinite);
  const trainRatios =
    onsetField === 'testOnset'
      ? included.filter((r) => r.trainOnset != null && r.testOnset != null && r.testOnset > 0).map((r) => r.trainOnset! / r.testOnset!)
      : [];
  return {
    ok: true,
    onsetField,
    scales,
    runs: included.length,
    onsetMedian: median(onsetValues),
    onsetMin: Math.min(...onsetValues),
    onsetMax: Math.max(...onsetValues),
    trainOnsetAligned: trainRatios.length ? median(trainRatios) : null,
    observables: results,
  };
}
