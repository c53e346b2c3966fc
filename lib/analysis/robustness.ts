/**
 * Notebook 06's computation: how much D before / after onset and the crossing of D = 1 move when
 * one choice of the analysis changes — the threshold quantile q, the transfer fraction α, the BA
 * attachment m, the mapping of gradient values to nodes and the time axis of D(t). Every number
 * comes from the rules every notebook uses: fitPhase for D, trajectoryAnalysis for D(t) and its
 * lasting crossing (plan.lastingPoints).
 */
import * as aq from 'arquero';
import { GraphSpec } from '../graphs/makeGraph';
import { ProbeMapping, ProbeOptions } from '../probe/options';
import { SnapshotInput } from '../probe/probeSnapshots';
import { median } from '../stats/bootstrap';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { activeProfile } from '../util/profile';
import { fitPhase } from './dimension';
import { Observable, OBSERVABLES } from './observables';
import { PhaseOptions, ProbeRow, probeRows } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { probeSweep } from './probeSweep';
import { OnsetMap, runOnsets, RunsInput, sweepSnapshots } from './runs';
import { trajectoryAnalysis } from './trajectory';

/** The analysis choices varied by {@link robustnessSweep}. */
export const ROBUSTNESS_CHOICES = ['thresholdQuantile', 'alpha', 'baM', 'mapping', 'timeBinning'] as const;
export type RobustnessChoice = (typeof ROBUSTNESS_CHOICES)[number];

/** Time axis of D(t): one point per snapshot epoch, or epochs since each run's onset in bins. */
export type TimeBinning = 'epoch' | 'aligned';

/** The values tried for each choice (a choice left out is not varied). */
export interface RobustnessChoices {
  thresholdQuantile?: number[];
  alpha?: number[];
  baM?: number[];
  mapping?: ProbeMapping[];
  timeBinning?: TimeBinning[];
}

/**
 * Values per choice for a profile: smoke tries two per choice (the baseline and the most
 * telling alternative), quick and paper four — q ∈ {0.8, 0.85, 0.9, 0.95}, α ∈ {0.9, 0.95,
 * 0.99, 1}, m ∈ {2, 3, 4, 5} — and both mappings and both binnings.
 */
export function robustnessChoices(profile?: string): Required<RobustnessChoices> {
  const name = activeProfile(profile);
  if (name === 'smoke')
    return { thresholdQuantile: [0.9, 0.95], alpha: [0.95, 1], baM: [3, 4], mapping: ['identity', 'shuffled'], timeBinning: ['epoch', 'aligned'] };
  return {
    thresholdQuantile: [0.8, 0.85, 0.9, 0.95],
    alpha: [0.9, 0.95, 0.99, 1],
    baM: [2, 3, 4, 5],
    mapping: ['identity', 'shuffled'],
    timeBinning: ['epoch', 'aligned'],
  };
}

/** Options of {@link robustnessSweep}. */
export interface RobustnessOptions extends PhaseOptions {
  /** Values per choice [robustnessChoices(plan.profile)]. */
  choices?: RobustnessChoices;
  /** Observables [['totalTopplings', 'sMax']] (S_total primary). */
  observables?: Observable[];
  /** Aligned binning: number of equal-width bins of epoch − onset [number of distinct snapshot epochs]. */
  alignedBins?: number;
  /** Called after every evaluated (choice, value). */
  onProgress?: (progress: { fraction: number; elapsedSeconds: number }) => void;
}

/** Output of {@link robustnessSweep}. */
export interface RobustnessResult {
  /**
   * One row per (choice, value, observable): choice, value (label), parameter (number, NaN for
   * categorical choices), observable, isBaseline, dPre, dPreLow, dPreHigh, dPost, dPostLow,
   * dPostHigh, crossing, crossingLow, crossingHigh (the lasting crossing of D = 1, in
   * crossingUnit), crossingUnit, crossingSinceOnset (+ Low/High: epochs relative to onset, see
   * robustnessSweep), direction, crossedFraction, truncatedCount (probes stopped by the guard,
   * left out of every fit), noOnset (probes of runs without an onset, left out of pre/post),
   * probes (probed snapshots × graph seeds), oneSeedPerScale, dPreReason, dPostReason,
   * crossingReason ('' when there is a number).
   */
  table: aq.ColumnTable;
  /** Probe batches read from the store, and distinct batches in all. */
  cacheHits: number;
  batches: number;
  /** Median onset over runs with one (epochs): epoch-binned crossings are shifted by it. */
  medianOnset: number;
}

/**
 * Sensitivity of D_pre, D_post and the crossing time to one choice at a time, all others at the
 * plan's baseline (q, α from plan.probeOptions; BA m from plan.topology; identity mapping;
 * epoch binning):
 *  1. for every (choice, value) the real snapshots are probed through the store (the baseline
 *     batch is shared);
 *  2. D_pre / D_post: fitPhase with the plan's bootstrap size and seed;
 *  3. D(t): trajectoryAnalysis with every scale required at each time, and its lasting crossing
 *     of D = 1 (plan.lastingPoints);
 *  4. epoch binning gives the crossing as an epoch, aligned binning as epochs since onset;
 *     `crossingSinceOnset` puts both on the aligned axis by subtracting the median onset from
 *     epoch crossings.
 */
export async function robustnessSweep(runs: RunsInput, plan: AnalysisPlan, options: RobustnessOptions = {}): Promise<RobustnessResult> {
  return robustnessSweepFromSnapshots(sweepSnapshots(runs), runOnsets(runs, { field: options.onsetField }), plan, options);
}

/** {@link robustnessSweep} on given snapshots and onsets (keyed `${N}|${seed}`, NaN for no onset). */
export async function robustnessSweepFromSnapshots(
  real: SnapshotInput[],
  onsets: OnsetMap,
  plan: AnalysisPlan,
  options: RobustnessOptions = {},
): Promise<RobustnessResult> {
  checkAnalysisPlan(plan);
  const choices = options.choices ?? robustnessChoices(plan.profile);
  if (!choices || typeof choices !== 'object') throw new InvalidOptionError('choices', `must be an object with arrays under ${ROBUSTNESS_CHOICES.join(', ')}`);
  for (const key of Object.keys(choices)) checkChoice('choices', key, ROBUSTNESS_CHOICES);
  const list: Array<{ choice: RobustnessChoice; value: number | string }> = [];
  for (const choice of ROBUSTNESS_CHOICES) {
    const values = (choices as Record<string, unknown>)[choice];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.length === 0) throw new InvalidOptionError(`choices.${choice}`, 'must be a non-empty array of values');
    for (const value of values as Array<number | string>) {
      validateValue(choice, value);
      list.push({ choice, value });
    }
  }
  if (list.length === 0) throw new InvalidOptionError('choices', 'no choice to vary');
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  if (!Array.isArray(real) || real.length === 0) throw new InvalidOptionError('snapshots', 'no real snapshots: train the sweep first');
  const alignedBins = checkInteger('alignedBins', options.alignedBins ?? new Set(real.map((s) => s.epoch)).size, 1);
  const medianOnset = median(Array.from(onsets.values()));
  const baseTopology = plan.topology;
  const baseM = typeof baseTopology === 'object' && baseTopology.kind === 'ba' ? (baseTopology.m ?? 3) : NaN;

  const probes = new Map<string, Promise<{ rows: ProbeRow[]; hit: boolean }>>();
  const probeOnce = (topology: GraphSpec, probeOptions: ProbeOptions) => {
    const key = JSON.stringify([topology, probeOptions]);
    let p = probes.get(key);
    if (!p) {
      p = probeSweep(real, plan, { topology, probeOptions, keepAvalanches: false }).then((r) => ({ rows: probeRows(r.summary, onsets), hit: r.hit }));
      probes.set(key, p);
    }
    return p;
  };

  const started = Date.now();
  const scaleCount = new Set(real.map((s) => s.scaleN ?? s.values.length)).size;
  const fitOptions = { bootstrap: plan.bootstrap, seed: plan.seed, seedBootstrap: plan.seedBootstrap };
  const rows: Array<Record<string, unknown>> = [];
  let done = 0;
  for (const { choice, value } of list) {
    let topology: GraphSpec = baseTopology;
    const probeOptions: ProbeOptions = { ...plan.probeOptions };
    let time: TimeBinning = 'epoch';
    if (choice === 'thresholdQuantile') probeOptions.thresholdQuantile = value as number;
    else if (choice === 'alpha') probeOptions.alpha = value as number;
    else if (choice === 'baM') topology = { kind: 'ba', m: value as number };
    else if (choice === 'mapping') {
      probeOptions.mapping = value as ProbeMapping;
      if (value === 'shuffled') probeOptions.mappingSeed = plan.seed;
    } else time = value as TimeBinning;
    const { rows: observations } = await probeOnce(topology, probeOptions);
    const truncatedCount = observations.reduce((c, r) => c + (r.truncated ? 1 : 0), 0);
    for (const observable of observables) {
      const pre = fitPhase(observations, observable, 'pre', fitOptions);
      const post = fitPhase(observations, observable, 'post', fitOptions);
      const trajectory = trajectoryAnalysis(observations, observable, plan, { time, bins: alignedBins, minScales: scaleCount });
      const lasting = trajectory.crossings?.lasting ?? null;
      const crossing = lasting ?? { time: NaN, ciLow: NaN, ciHigh: NaN, direction: 'none', crossedFraction: NaN };
      const shift = time === 'epoch' ? medianOnset : 0;
      rows.push({
        choice,
        value: String(value),
        parameter: typeof value === 'number' ? value : NaN,
        observable,
        isBaseline: isBaselineValue(choice, value, plan, baseM),
        dPre: pre.fit?.D ?? NaN,
        dPreLow: pre.fit?.ciLow ?? NaN,
        dPreHigh: pre.fit?.ciHigh ?? NaN,
        dPost: post.fit?.D ?? NaN,
        dPostLow: post.fit?.ciLow ?? NaN,
        dPostHigh: post.fit?.ciHigh ?? NaN,
        crossing: crossing.time,
        crossingLow: crossing.ciLow,
        crossingHigh: crossing.ciHigh,
        crossingUnit: time === 'epoch' ? 'epoch' : 'epochs since onset',
        crossingSinceOnset: crossing.time - shift,
        crossingSinceOnsetLow: crossing.ciLow - shift,
        crossingSinceOnsetHigh: crossing.ciHigh - shift,
        direction: crossing.direction,
        crossedFraction: crossing.crossedFraction,
        truncatedCount,
        noOnset: pre.leftOut.noOnset,
        probes: observations.length,
        oneSeedPerScale: pre.oneSeedPerScale || post.oneSeedPerScale,
        dPreReason: pre.reason ?? '',
        dPostReason: post.reason ?? '',
        crossingReason: trajectory.reason ?? (lasting && lasting.direction === 'none' ? 'D(t) has no lasting crossing of 1' : ''),
      });
    }
    done++;
    options.onProgress?.({ fraction: done / list.length, elapsedSeconds: (Date.now() - started) / 1000 });
  }
  let cacheHits = 0;
  for (const p of probes.values()) if ((await p).hit) cacheHits++;
  return { table: aq.from(rows), cacheHits, batches: probes.size, medianOnset };
}

function validateValue(choice: RobustnessChoice, value: unknown): void {
  const field = `choices.${choice}`;
  if (choice === 'thresholdQuantile' && !(typeof value === 'number' && value > 0 && value < 1))
    throw new InvalidOptionError(field, `values must be numbers in (0, 1), got ${String(value)}`);
  if (choice === 'alpha' && !(typeof value === 'number' && value > 0 && value <= 1))
    throw new InvalidOptionError(field, `values must be numbers in (0, 1], got ${String(value)}`);
  if (choice === 'baM') checkInteger(field, value as number, 1);
  if (choice === 'mapping') checkChoice(field, value, ['identity', 'shuffled'] as const);
  if (choice === 'timeBinning') checkChoice(field, value, ['epoch', 'aligned'] as const);
}

function isBaselineValue(choice: RobustnessChoice, value: number | string, plan: AnalysisPlan, baseM: number): boolean {
  if (choice === 'thresholdQuantile') return value === (plan.probeOptions.thresholdQuantile ?? 0.9);
  if (choice === 'alpha') return value === (plan.probeOptions.alpha ?? 0.95);
  if (choice === 'baM') return value === baseM;
  if (choice === 'mapping') return value === (plan.probeOptions.mapping ?? 'identity');
  return value === 'epoch';
}
