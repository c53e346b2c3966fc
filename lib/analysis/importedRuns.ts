/**
 * Runs trained elsewhere (PyTorch, JAX), read from a directory in the exchange format
 * (lib/exchange), through the same analysis as runs trained here: probeSweep with the plan's
 * probe options and graph seeds and the store cache, the phase split (probeRows), fitPhase for
 * D over all snapshots and before / after the onset, trajectoryAnalysis for D(t) and its
 * crossings of D = 1, and the permuted and Gaussian nulls of nullSnapshots. Snapshots are read
 * batch by batch, so a directory larger than memory is analysed without loading every run.
 */
import * as aq from 'arquero';
import { GraphSpec, normaliseGraphSpec } from '../graphs/makeGraph';
import type { NetworkLayout } from '../graphs/network';
import { resolveProbeOptions } from '../probe/options';
import { SYNTHETIC_KINDS, SyntheticKind } from '../probe/syntheticGradients';
import { ExchangeFileError } from '../exchange/arrays';
import type { ExchangeSweep } from '../exchange/directory';
import { networkLayoutOf } from '../exchange/layout';
import { ExchangeRun, runSnapshotInputs } from '../exchange/runFile';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { FitPhase, PhaseFit, phaseFits } from './dimension';
import { nullSnapshots } from './nulls';
import { Observable, OBSERVABLES } from './observables';
import { probeRows, ProbeRow } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { probeSweep } from './probeSweep';
import { OnsetMap, onsetSummary, OnsetSummary, runKey, runOnsets, RunsInput } from './runs';
import { phasesOf } from './topologies';
import { trajectoryAnalysis, TrajectoryAnalysis } from './trajectory';

/** Options of {@link importedRunsAnalysis}. */
export interface ImportedRunsOptions {
  /** Graph of the probe [plan.topology]; 'network' needs a `layout` in every run. */
  topology?: GraphSpec;
  /** Observables fitted, primary first [['totalTopplings', 'sMax']]. */
  observables?: Observable[];
  /** Null models probed and fitted like the real snapshots [['permuted', 'gaussian']]; [] for none. */
  nulls?: SyntheticKind[];
  /** Bins of aligned time t − t_on (when there is an onset) [20]. */
  alignedBins?: number;
  /** Snapshot values (Σ P over the snapshots) read and probed per batch, ≥ 1; bounds memory (8 bytes each) [2^25 ≈ 3.4·10^7]. */
  batchValues?: number;
  /** Keep the per-avalanche table of the real snapshots (it can be large) [false]. */
  keepAvalanches?: boolean;
  /** Called after each probed batch with the fraction of snapshot values done. */
  onProgress?: (progress: { fraction: number; batches: number; elapsedSeconds: number }) => void;
}

const OPTION_KEYS = ['topology', 'observables', 'nulls', 'alignedBins', 'batchValues', 'keepAvalanches', 'onProgress'];

/** D of one null model: its fits, and how many of its probe batches came from the store. */
export interface ImportedNull {
  kind: SyntheticKind;
  fits: PhaseFit[];
  cacheHits: number;
}

/** Result of {@link importedRunsAnalysis}. */
export interface ImportedRunsAnalysis {
  dir: string;
  /** The runs table (task 'imported'; see ExchangeSweep.rows), scales N and the files. */
  runs: ExchangeSweep['rows'];
  scales: number[];
  files: string[];
  topology: GraphSpec;
  quantity: ExchangeSweep['quantity'];
  /** Onset of the phase split, or null (no accuracies: no pre / post). */
  onsetField: 'trainOnset' | 'testOnset' | null;
  onset: OnsetSummary | null;
  /** The probe of the real snapshots (batches concatenated in order), and its store bookkeeping. */
  probe: { summary: aq.ColumnTable; avalanches: aq.ColumnTable | null; batches: number; cacheHits: number };
  /** Probed snapshots with onset and phase. */
  rows: ProbeRow[];
  /** Per observable: D over all snapshots, then (with an onset) before and after it. */
  fits: PhaseFit[];
  /** D(t) per observable on the epoch axis, and (with an onset) against epochs since each run's onset. */
  trajectories: TrajectoryAnalysis[];
  aligned: TrajectoryAnalysis[] | null;
  nulls: ImportedNull[];
  /** The plan's bootstrap size and seed used in every fit. */
  bootstrap: number;
  seed: number;
}

/** Snapshots [from, to) of one run: a piece of a batch. */
interface Slice {
  run: ExchangeRun;
  from: number;
  to: number;
}

/** Whole runs, in order, while their values fit in `budget`; a run larger than the budget is cut into pieces of whole snapshots. */
function batchesOf(runs: ExchangeRun[], budget: number): Slice[][] {
  const batches: Slice[][] = [];
  let current: Slice[] = [];
  let values = 0;
  for (const run of runs) {
    const size = run.T * run.P;
    if (values + size > budget && current.length) {
      batches.push(current);
      current = [];
      values = 0;
    }
    if (size <= budget) {
      current.push({ run, from: 0, to: run.T });
      values += size;
      continue;
    }
    const step = Math.max(1, Math.floor(budget / run.P));
    for (let from = 0; from < run.T; from += step) batches.push([{ run, from, to: Math.min(run.T, from + step) }]);
  }
  if (current.length) batches.push(current);
  return batches;
}

/** phaseFits of the observables and phases asked for: the plan's bootstrap size, seed and seed resampling. */
function fitsOf(rows: ProbeRow[], observables: Observable[], phases: FitPhase[], plan: AnalysisPlan): PhaseFit[] {
  return phaseFits(rows, plan, { observables, phases });
}

function concat(tables: aq.ColumnTable[]): aq.ColumnTable {
  return tables.slice(1).reduce((all, t) => all.concat(t), tables[0]);
}

/**
 * The analysis of a directory of runs trained elsewhere (read and checked by readRunDirectory):
 *  1. options and plan are checked, and for topology 'network' every run's layout is turned into
 *     the probe's NetworkLayout, and the probe options are checked for every P — all before any work;
 *  2. the runs (sorted by N, seed) are cut into batches of at most `batchValues` values; each
 *     batch is read from its files and probed with probeSweep (plan's options and graph seeds,
 *     store-cached), and so are its nulls (nullSnapshots, seed plan.seed) — the batches of a
 *     directory that fits in one batch are exactly those of the same runs trained here;
 *  3. the probed snapshots get their run's onset and phase (probeRows; phase 'none' for all
 *     when there is no onset);
 *  4. fitPhase over all snapshots and, with an onset, before and after it; trajectoryAnalysis on
 *     the epoch axis and, with an onset, against epochs since each run's onset (`alignedBins`);
 *     the nulls' fits over their phases (Gaussian: all; permuted: all, pre, post).
 */
export async function importedRunsAnalysis(sweep: ExchangeSweep, plan: AnalysisPlan, options: ImportedRunsOptions = {}): Promise<ImportedRunsAnalysis> {
  checkAnalysisPlan(plan);
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object');
  for (const key of Object.keys(options)) checkChoice('importedRunsAnalysis option', key, OPTION_KEYS);
  if (!sweep || !Array.isArray(sweep.runs) || sweep.runs.length === 0) throw new InvalidOptionError('sweep', 'must be a directory read by readRunDirectory');
  const topology = normaliseGraphSpec(options.topology ?? plan.topology);
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  const nullKinds = options.nulls ?? (['permuted', 'gaussian'] as SyntheticKind[]);
  nullKinds.forEach((k, i) => checkChoice(`nulls[${i}]`, k, SYNTHETIC_KINDS));
  const alignedBins = checkInteger('alignedBins', options.alignedBins ?? 20, 1, 10_000);
  const batchValues = checkInteger('batchValues', options.batchValues ?? 2 ** 25, 1);
  for (const P of new Set(sweep.runs.map((r) => r.P))) resolveProbeOptions(plan.probeOptions, P);
  const layouts = new Map<ExchangeRun, NetworkLayout>();
  if (typeof topology !== 'string' && topology.kind === 'network' && !topology.layout) {
    const byText = new Map<string, NetworkLayout>();
    for (const run of sweep.runs) {
      if (!run.layout) throw new ExchangeFileError(run.file, null, "has no 'layout', which topology 'network' needs in every run (or choose another topology)");
      const text = JSON.stringify(run.layout);
      if (!byText.has(text)) {
        try {
          byText.set(text, networkLayoutOf(run.layout));
        } catch (error) {
          throw new ExchangeFileError(run.file, 'layout', (error as Error).message);
        }
      }
      layouts.set(run, byText.get(text)!);
    }
  }

  // 2. batches of real snapshots and their nulls
  const started = Date.now();
  const total = sweep.runs.reduce((s, r) => s + r.T * r.P, 0);
  let done = 0;
  const summaries: aq.ColumnTable[] = [];
  const avalanches: aq.ColumnTable[] = [];
  const nullSummaries = new Map<SyntheticKind, aq.ColumnTable[]>(nullKinds.map((k) => [k, []]));
  const nullHits = new Map<SyntheticKind, number>(nullKinds.map((k) => [k, 0]));
  let cacheHits = 0;
  const batches = batchesOf(sweep.runs, batchValues);
  for (const batch of batches) {
    const real = batch.flatMap((s) => runSnapshotInputs(s.run, { quantity: sweep.quantity, from: s.from, to: s.to, layout: layouts.get(s.run) }));
    const probe = await probeSweep(real, plan, { topology, keepAvalanches: options.keepAvalanches ?? false });
    summaries.push(probe.summary);
    if (probe.avalanches) avalanches.push(probe.avalanches);
    if (probe.hit) cacheHits++;
    for (const kind of nullKinds) {
      const result = await probeSweep(nullSnapshots(real, kind, { seed: plan.seed }), plan, { topology, keepAvalanches: false });
      nullSummaries.get(kind)!.push(result.summary);
      if (result.hit) nullHits.set(kind, nullHits.get(kind)! + 1);
    }
    done += batch.reduce((s, slice) => s + (slice.to - slice.from) * slice.run.P, 0);
    options.onProgress?.({ fraction: done / total, batches: summaries.length, elapsedSeconds: (Date.now() - started) / 1000 });
  }

  // 3. phases
  const onsetField = sweep.onsetField;
  const onsets: OnsetMap = onsetField ? runOnsets(sweep.rows, { field: onsetField }) : new Map(sweep.rows.map((r) => [runKey(r.N, r.seed), NaN]));
  const summary = concat(summaries);
  const rows = probeRows(summary, onsets);
  const phases: FitPhase[] = onsetField ? ['all', 'pre', 'post'] : ['all'];

  // 4. fits, D(t), nulls
  const nulls = nullKinds.map((kind) => ({
    kind,
    fits: fitsOf(
      probeRows(concat(nullSummaries.get(kind)!), onsets),
      observables,
      phases.filter((p) => phasesOf(kind).includes(p)),
      plan,
    ),
    cacheHits: nullHits.get(kind)!,
  }));
  return {
    dir: sweep.dir,
    runs: sweep.rows,
    scales: sweep.scales,
    files: sweep.runs.map((r) => r.file),
    topology,
    quantity: sweep.quantity,
    onsetField,
    onset: onsetField ? onsetSummary(sweep.rows, { field: onsetField }) : null,
    probe: { summary, avalanches: avalanches.length ? concat(avalanches) : null, batches: batches.length, cacheHits },
    rows,
    fits: fitsOf(rows, observables, phases, plan),
    trajectories: observables.map((o) => trajectoryAnalysis(rows, o, plan)),
    aligned: onsetField ? observables.map((o) => trajectoryAnalysis(rows, o, plan, { time: 'aligned', bins: alignedBins })) : null,
    nulls,
    bootstrap: plan.bootstrap,
    seed: plan.seed,
  };
}

/** The probe and finite-size-scaling results of a sweep trained here, as notebook 03 computes them. */
export interface SweepScalingResults {
  /** probeSweep(runs, plan) (avalanches kept, as notebook 03 keeps them). */
  summary: aq.ColumnTable;
  probeHit: boolean;
  /** phaseFits: (S_total, s_max) × (pre, post) at each run's train onset. */
  fits: PhaseFit[];
  /** trajectoryAnalysis per observable on the epoch axis, then against epochs since onset. */
  trajectories: TrajectoryAnalysis[];
}

/**
 * Notebook 03's steps on a runs table, in one call (the reference of {@link roundTripCheck}):
 * probeSweep with the plan (on `topology` [plan.topology]), probeRows at the train onset,
 * phaseFits, and trajectoryAnalysis on the epoch axis and in `alignedBins` [20] bins of epochs since onset.
 */
export async function sweepScalingResults(
  runs: RunsInput,
  plan: AnalysisPlan,
  options: { alignedBins?: number; topology?: GraphSpec } = {},
): Promise<SweepScalingResults> {
  checkAnalysisPlan(plan);
  const bins = checkInteger('alignedBins', options.alignedBins ?? 20, 1, 10_000);
  const probe = await probeSweep(runs, plan, { topology: options.topology });
  const rows = probeRows(probe.summary, runs);
  return {
    summary: probe.summary,
    probeHit: probe.hit,
    fits: phaseFits(rows, plan),
    trajectories: [
      ...OBSERVABLES.map((o) => trajectoryAnalysis(rows, o, plan)),
      ...OBSERVABLES.map((o) => trajectoryAnalysis(rows, o, plan, { time: 'aligned', bins })),
    ],
  };
}

/** One compared quantity of {@link roundTripCheck}. */
export interface RoundTripItem {
  quantity: string;
  /** Numbers compared. */
  values: number;
  /** Every number has the same bits (NaN matches NaN; 0 and −0 differ). */
  identical: boolean;
  /** Largest |difference| over the compared numbers (0 when identical; NaN when a NaN faces a number). */
  maxAbsDifference: number;
}

/** Result of {@link roundTripCheck}. */
export interface RoundTripCheck {
  items: RoundTripItem[];
  identical: boolean;
}

function compareNumbers(quantity: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): RoundTripItem {
  if (a.length !== b.length)
    return { quantity: `${quantity} (lengths ${a.length} vs ${b.length})`, values: Math.max(a.length, b.length), identical: false, maxAbsDifference: NaN };
  let identical = true;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (Object.is(x, y)) continue;
    identical = false;
    max = typeof x === 'number' && typeof y === 'number' ? Math.max(max, Math.abs(x - y)) : NaN;
  }
  return { quantity, values: a.length, identical, maxAbsDifference: max };
}

const FIT_FIELDS = ['D', 'intercept', 'rSquared', 'ciLow', 'ciHigh', 'bootstrapStandardError', 'olsStandardError'] as const;

/**
 * Whether the analysis of imported runs reproduces the analysis of the same runs trained here,
 * bit for bit: every column of the probe summary, then every fit (D, intercept, R², CI, standard
 * errors, every bootstrap replicate) and every D(t) (times, D, CI) of `reference` against the
 * imported result's fit of the same observable and phase, and D(t) of the same observable and time axis.
 * @param reference what notebook 03 computes for the sweep (sweepScalingResults)
 */
export function roundTripCheck(
  reference: { summary: aq.ColumnTable; fits: PhaseFit[]; trajectories: TrajectoryAnalysis[] },
  imported: ImportedRunsAnalysis,
): RoundTripCheck {
  const items: RoundTripItem[] = [];
  const ours = reference.summary;
  const theirs = imported.probe.summary;
  const columns = ours.columnNames();
  const missing = columns.filter((c) => !theirs.columnNames().includes(c));
  if (missing.length) items.push({ quantity: `probe summary columns ${missing.join(', ')}`, values: 0, identical: false, maxAbsDifference: NaN });
  const both = columns.filter((c) => !missing.includes(c));
  const summaryItems = both.map((c) => compareNumbers(c, ours.array(c) as ArrayLike<unknown>, theirs.array(c) as ArrayLike<unknown>));
  items.push({
    quantity: `probe summary (${both.length} columns × ${ours.numRows()} rows)`,
    values: summaryItems.reduce((s, i) => s + i.values, 0),
    identical: summaryItems.every((i) => i.identical) && ours.numRows() === theirs.numRows(),
    maxAbsDifference: Math.max(0, ...summaryItems.map((i) => i.maxAbsDifference)),
  });
  for (const f of reference.fits) {
    const g = imported.fits.find((x) => x.observable === f.observable && x.phase === f.phase);
    const name = `D of ${f.observable}, ${f.phase}`;
    if (!f.fit || !g?.fit) {
      items.push({ quantity: `${name} (no fit: ${f.reason ?? g?.reason ?? 'missing'})`, values: 0, identical: !f.fit && !!g && !g.fit, maxAbsDifference: 0 });
      continue;
    }
    const a = [...FIT_FIELDS.map((k) => f.fit![k]), ...f.fit.replicates];
    const b = [...FIT_FIELDS.map((k) => g.fit![k]), ...g.fit.replicates];
    items.push(compareNumbers(`${name} (D, CI, R², s.e., ${f.fit.replicates.length} bootstrap replicates)`, a, b));
  }
  for (const t of reference.trajectories) {
    const pool = t.time === 'epoch' ? imported.trajectories : (imported.aligned ?? []);
    const u = pool.find((x) => x.observable === t.observable);
    const name = `D(t) of ${t.observable}, ${t.time} axis`;
    if (!t.trajectory || !u?.trajectory) {
      items.push({
        quantity: `${name} (none: ${t.reason ?? u?.reason ?? 'missing'})`,
        values: 0,
        identical: !t.trajectory && !!u && !u.trajectory,
        maxAbsDifference: 0,
      });
      continue;
    }
    const flat = (x: TrajectoryAnalysis) => x.trajectory!.points.flatMap((p) => [p.time, p.D, p.ciLow, p.ciHigh]);
    items.push(compareNumbers(`${name} (${t.trajectory.points.length} points: t, D, CI)`, flat(t), flat(u)));
  }
  return { items, identical: items.every((i) => i.identical) };
}
