/**
 * Notebook 04's computation: real gradient snapshots against synthetic nulls on every topology.
 * One call probes every (input kind × topology) batch through the store (probeSweep) and fits D
 * (S ∝ N^D) before onset, after onset and over all snapshots with fitPhase, the one fit every
 * notebook uses.
 */
import * as aq from 'arquero';
import { GraphSpec, normaliseGraphSpec } from '../graphs/makeGraph';
import { SnapshotInput } from '../probe/probeSnapshots';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { FitPhase, fitPhase } from './dimension';
import { nullSnapshots } from './nulls';
import { Observable, OBSERVABLES } from './observables';
import { PhaseOptions, probeRows } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { probeSweep } from './probeSweep';
import { OnsetMap, runOnsets, RunsInput, sweepSnapshots } from './runs';

/** Inputs of the comparison: the real snapshots and the four nulls of nullSnapshots. */
export const INPUT_KINDS = ['real', 'gaussian', 'permuted', 'student-t', 'matched'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/**
 * Phases fitted per kind. Gaussian and Student-t nulls ignore the real values, so they carry
 * no "before / after onset": only 'all'. Real, permuted and matched inputs inherit the
 * snapshot's time, so they get all three.
 */
export function phasesOf(kind: InputKind): FitPhase[] {
  return kind === 'gaussian' || kind === 'student-t' ? ['all'] : ['pre', 'post', 'all'];
}

/** Short, stable name of a topology spec (used as a record key), e.g. 'ba', 'ring'. */
export function topologyKey(spec: GraphSpec): string {
  return normaliseGraphSpec(spec).kind;
}

/** Readable label of a topology spec with its parameters, e.g. 'BA (m = 3)'. */
export function topologyLabel(spec: GraphSpec): string {
  const s = normaliseGraphSpec(spec) as { kind: string; [k: string]: unknown };
  switch (s.kind) {
    case 'ba':
      return `BA (m = ${s.m ?? 3})`;
    case 'erdos-renyi':
      return `Erdős–Rényi (⟨k⟩ = ${s.meanDegree ?? 6})`;
    case 'watts-strogatz':
      return `Watts–Strogatz (k = ${s.k ?? 6}, β = ${s.beta ?? 0.1})`;
    case 'ring':
      return `ring (k = ${s.k ?? 6})`;
    case 'regular':
      return `random ${s.k ?? 6}-regular`;
    case 'lattice2d':
      return '2D lattice';
    default:
      return 'network (model wiring)';
  }
}

/** Options of {@link topologyComparison}. */
export interface TopologyComparisonOptions extends PhaseOptions {
  /** Input kinds [all five of INPUT_KINDS]. */
  kinds?: InputKind[];
  /** Topologies [plan.topologies, the seven]. */
  topologies?: GraphSpec[];
  /** Observables fitted [['totalTopplings', 'sMax']] (S_total primary). */
  observables?: Observable[];
  /** Student-t degrees of freedom of the 'student-t' null [1.5]. */
  df?: number;
  /** Called after every probed batch with the fraction done. */
  onProgress?: (progress: { fraction: number; elapsedSeconds: number }) => void;
}

/** Bootstrap replicates of one fit, for histograms. */
export interface ReplicateSet {
  topology: string;
  kind: InputKind;
  observable: Observable;
  phase: FitPhase;
  replicates: Float64Array;
}

/** Output of {@link topologyComparison}. */
export interface TopologyComparison {
  /**
   * Tidy: one row per (topology, kind, observable, phase) — columns topology (key),
   * topologyLabel, kind, observable, phase, D, ciLow, ciHigh, rSquared, nScales, nSeeds, nRows,
   * truncated (probes left out), noOnset (rows of runs without an onset left out of pre/post),
   * oneSeedPerScale, reason (why there is no fit, '' when there is one).
   */
  table: aq.ColumnTable;
  /** D of every bootstrap replicate of every fit. */
  replicates: ReplicateSet[];
  /** Probe batches read from the store, and batches in all. */
  cacheHits: number;
  batches: number;
  /** The plan's bootstrap size and seed actually used. */
  bootstrap: number;
  seed: number;
}

/**
 * Real snapshots of a sweep against the nulls on every topology (see
 * {@link topologyComparisonFromSnapshots}); snapshots and onsets are read from the runs table.
 */
export async function topologyComparison(runs: RunsInput, plan: AnalysisPlan, options: TopologyComparisonOptions = {}): Promise<TopologyComparison> {
  return topologyComparisonFromSnapshots(sweepSnapshots(runs), runOnsets(runs, { field: options.onsetField }), plan, options);
}

/**
 * For every input kind (real, and nulls from nullSnapshots with seed plan.seed — the
 * 'network' topology of a null uses the layout of the real snapshot it replaces) and every
 * topology:
 *  1. probe all snapshots with the plan's probe options and graph seeds (store-cached,
 *     avalanches not kept; nulls are drawn once per kind and probed on every topology);
 *  2. fit D of each observable in each phase of the kind (phasesOf) with fitPhase and the
 *     plan's bootstrap size and seed.
 * Batches run one after another; a rerun reads every probe from the store.
 * @param real the real snapshots (scaleN, seed, epoch, values, layout)
 * @param onsets onset epoch per run keyed `${N}|${seed}`, NaN for runs without one (runOnsets)
 */
export async function topologyComparisonFromSnapshots(
  real: SnapshotInput[],
  onsets: OnsetMap,
  plan: AnalysisPlan,
  options: TopologyComparisonOptions = {},
): Promise<TopologyComparison> {
  checkAnalysisPlan(plan);
  const kinds = options.kinds ?? [...INPUT_KINDS];
  kinds.forEach((k, i) => checkChoice(`kinds[${i}]`, k, INPUT_KINDS));
  const topologies = options.topologies ?? plan.topologies;
  if (!Array.isArray(topologies) || topologies.length === 0) throw new InvalidOptionError('topologies', 'must be a non-empty array of topology specs');
  topologies.forEach((t) => normaliseGraphSpec(t));
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  if (!Array.isArray(real) || real.length === 0) throw new InvalidOptionError('snapshots', 'no real snapshots: train the sweep first');
  const bootstrap = checkInteger('plan.bootstrap', plan.bootstrap, 0);
  const df = options.df ?? 1.5;

  const started = Date.now();
  const rows: Array<Record<string, unknown>> = [];
  const replicates: ReplicateSet[] = [];
  let cacheHits = 0;
  let batches = 0;
  const total = kinds.length * topologies.length;
  for (const kind of kinds) {
    const inputs = kind === 'real' ? real : nullSnapshots(real, kind, { seed: plan.seed, df });
    for (const topology of topologies) {
      const probe = await probeSweep(inputs, plan, { topology, keepAvalanches: false });
      batches++;
      if (probe.hit) cacheHits++;
      const observations = probeRows(probe.summary, onsets);
      for (const observable of observables) {
        for (const phase of phasesOf(kind)) {
          const f = fitPhase(observations, observable, phase, { bootstrap, seed: plan.seed, seedBootstrap: plan.seedBootstrap });
          rows.push({
            topology: topologyKey(topology),
            topologyLabel: topologyLabel(topology),
            kind,
            observable,
            phase,
            D: f.fit?.D ?? NaN,
            ciLow: f.fit?.ciLow ?? NaN,
            ciHigh: f.fit?.ciHigh ?? NaN,
            rSquared: f.fit?.rSquared ?? NaN,
            nScales: f.scales,
            nSeeds: f.fit ? f.fit.seedCounts.reduce((a, b) => a + b, 0) : 0,
            nRows: f.rows,
            truncated: f.leftOut.truncated,
            noOnset: f.leftOut.noOnset,
            oneSeedPerScale: f.oneSeedPerScale,
            reason: f.reason ?? '',
          });
          replicates.push({ topology: topologyKey(topology), kind, observable, phase, replicates: f.fit?.replicates ?? new Float64Array(0) });
        }
      }
      options.onProgress?.({ fraction: batches / total, elapsedSeconds: (Date.now() - started) / 1000 });
    }
  }
  return { table: aq.from(rows), replicates, cacheHits, batches, bootstrap, seed: plan.seed };
}
