/**
 * Tables, the JSON summary and prose of the analysis of imported runs (importedRunsAnalysis):
 * what `grokking-fss analyze` prints and writes, and what notebook 09 shows.
 */
import * as path from 'node:path';
import * as aq from 'arquero';
import type { PhaseFit } from '../analysis/dimension';
import type { ImportedRunsAnalysis, RoundTripCheck } from '../analysis/importedRuns';
import type { Observable } from '../analysis/observables';
import type { TrajectoryAnalysis } from '../analysis/trajectory';
import type { ExchangeSweep } from '../exchange/directory';
import { INPUT_KIND_LABELS, OBSERVABLE_SYMBOLS, PHASE_LABELS } from '../plot/names';
import { finiteOrNull, withInterval } from '../util/format';
import { caveats } from './format';

/** One fit in the JSON summary: the estimate and its 95 % CI (null when missing), and why there is no fit. */
export interface FitJson {
  estimate: number | null;
  ci: [number | null, number | null] | null;
  rSquared: number | null;
  scales: number;
  rows: number;
  notes: string[];
}

/** A crossing of D = 1 in the JSON summary. */
export interface CrossingJson {
  time: number | null;
  direction: 'up' | 'down' | 'none';
  ci: [number | null, number | null];
  /** Fraction of bootstrap replicates that cross the same way. */
  crossedFraction: number | null;
}

/** The JSON summary of `grokking-fss analyze --json` (see docs/exchange-format.md). */
export interface ImportedAnalysisJson {
  dir: string;
  runs: number;
  scales: number[];
  files: string[];
  topology: unknown;
  quantity: string;
  /** The onset of the phase split ('trainOnset' / 'testOnset'), null without accuracies. */
  onset: string | null;
  onsetMedian: number | null;
  plan: {
    profile: string;
    probeOptions: unknown;
    graphSeeds: number[];
    bootstrap: number;
    seed: number;
    lastingPoints: number | null;
    /** How the intervals were made (analysisPlan: seed bootstrap of D, interval of a crossing). */
    seedBootstrap: string;
    crossingInterval: string;
  };
  /** Per observable ('S_total', 's_max'): D over all snapshots, and before / after the onset (null without one). */
  D: Record<string, { all: FitJson | null; pre: FitJson | null; post: FitJson | null }>;
  /** Per observable: the first and the lasting crossing of D = 1 on the epoch axis (null without a D(t)). */
  crossing: Record<string, { first: CrossingJson; lasting: CrossingJson } | null>;
  /** Per observable: D(t) on the epoch axis. */
  trajectory: Record<string, Array<{ epoch: number; D: number | null; ci: [number | null, number | null]; scales: number }>>;
  /** Per null model, per observable: D over all snapshots, before and after the onset (Gaussian: all only). */
  nulls: Record<string, Record<string, { all: FitJson | null; pre: FitJson | null; post: FitJson | null }>>;
  probe: { snapshots: number; rows: number; batches: number; cacheHits: number };
}

function fitJson(f: PhaseFit | undefined): FitJson | null {
  if (!f) return null;
  return {
    estimate: finiteOrNull(f.fit?.D),
    ci: f.fit ? [finiteOrNull(f.fit.ciLow), finiteOrNull(f.fit.ciHigh)] : null,
    rSquared: finiteOrNull(f.fit?.rSquared),
    scales: f.scales,
    rows: f.rows,
    notes: caveats(f),
  };
}

function byPhase(fits: PhaseFit[], observable: Observable): { all: FitJson | null; pre: FitJson | null; post: FitJson | null } {
  const pick = (phase: string) => fitJson(fits.find((f) => f.observable === observable && f.phase === phase));
  return { all: pick('all'), pre: pick('pre'), post: pick('post') };
}

function crossingJson(c: NonNullable<TrajectoryAnalysis['crossings']>['first']): CrossingJson {
  return {
    time: finiteOrNull(c.time),
    direction: c.direction,
    ci: [finiteOrNull(c.ciLow), finiteOrNull(c.ciHigh)],
    crossedFraction: finiteOrNull(c.crossedFraction),
  };
}

/** The JSON summary of an analysis of imported runs (numbers that are not finite become null). */
export function importedAnalysisJson(
  a: ImportedRunsAnalysis,
  plan: { profile: string; probeOptions: unknown; graphSeeds: number[]; lastingPoints: number; seedBootstrap: string; crossingInterval: string },
): ImportedAnalysisJson {
  const observables = [...new Set(a.fits.map((f) => f.observable))];
  const symbol = (o: Observable) => OBSERVABLE_SYMBOLS[o];
  return {
    dir: a.dir,
    runs: a.runs.length,
    scales: a.scales,
    files: a.files,
    topology: a.topology,
    quantity: a.quantity,
    onset: a.onsetField,
    onsetMedian: finiteOrNull(a.onset?.median),
    plan: {
      profile: plan.profile,
      probeOptions: plan.probeOptions,
      graphSeeds: plan.graphSeeds,
      bootstrap: a.bootstrap,
      seed: a.seed,
      lastingPoints: Number.isFinite(plan.lastingPoints) ? plan.lastingPoints : null,
      seedBootstrap: plan.seedBootstrap,
      crossingInterval: plan.crossingInterval,
    },
    D: Object.fromEntries(observables.map((o) => [symbol(o), byPhase(a.fits, o)])),
    crossing: Object.fromEntries(
      a.trajectories.map((t) => [
        symbol(t.observable),
        t.crossings ? { first: crossingJson(t.crossings.first), lasting: crossingJson(t.crossings.lasting) } : null,
      ]),
    ),
    trajectory: Object.fromEntries(
      a.trajectories.map((t) => [
        symbol(t.observable),
        (t.trajectory?.points ?? []).map((p) => ({
          epoch: p.time,
          D: finiteOrNull(p.D),
          ci: [finiteOrNull(p.ciLow), finiteOrNull(p.ciHigh)] as [number | null, number | null],
          scales: p.nScales,
        })),
      ]),
    ),
    nulls: Object.fromEntries(a.nulls.map((n) => [n.kind, Object.fromEntries(observables.map((o) => [symbol(o), byPhase(n.fits, o)]))])),
    probe: { snapshots: a.rows.length / plan.graphSeeds.length, rows: a.rows.length, batches: a.probe.batches, cacheHits: a.probe.cacheHits },
  };
}

/**
 * One row per fit of `observable` — the real snapshots (all, before, after onset), then each
 * null — with D, its 95 % CI, R², scales, rows and notes: the table `grokking-fss analyze` prints.
 */
export function importedSummaryTable(a: ImportedRunsAnalysis, observable: Observable): aq.ColumnTable {
  const row = (input: string, f: PhaseFit) => ({
    input,
    observable: OBSERVABLE_SYMBOLS[f.observable],
    phase: PHASE_LABELS[f.phase],
    D: f.fit?.D ?? NaN,
    ciLow: f.fit?.ciLow ?? NaN,
    ciHigh: f.fit?.ciHigh ?? NaN,
    rSquared: f.fit?.rSquared ?? NaN,
    scales: f.scales,
    rows: f.rows,
    note: caveats(f).join('; '),
  });
  return aq.from([
    ...a.fits.filter((f) => f.observable === observable).map((f) => row('real', f)),
    ...a.nulls.flatMap((n) => n.fits.filter((f) => f.observable === observable).map((f) => row(INPUT_KIND_LABELS[n.kind], f))),
  ]);
}

/** A few sentences: runs, scales, onset, D (primary observable) with CIs and the nulls', and the lasting crossing of D = 1. */
export function importedSummaryMarkdown(a: ImportedRunsAnalysis, observable: Observable = 'totalTopplings'): string {
  const fit = (fits: PhaseFit[], phase: string) => fits.find((f) => f.observable === observable && f.phase === phase);
  const d = (f: PhaseFit | undefined) => (f?.fit ? withInterval(f.fit.D, f.fit.ciLow, f.fit.ciHigh) : `n/a (${f?.reason ?? 'not fitted'})`);
  const symbol = OBSERVABLE_SYMBOLS[observable];
  const parts = [
    `**${a.runs.length} runs in ${a.scales.length} scales** (N = ${a.scales.join(', ')}) from \`${a.dir}\`, probed on ${JSON.stringify(a.topology)}.`,
    `D of ${symbol} over all snapshots: ${d(fit(a.fits, 'all'))}.`,
  ];
  if (a.onsetField)
    parts.push(
      `Split at each run's ${a.onsetField === 'testOnset' ? 'test' : 'train'}-accuracy onset (median ${a.onset?.median ?? 'n/a'}): D before ${d(fit(a.fits, 'pre'))}, after ${d(fit(a.fits, 'post'))}.`,
    );
  else parts.push('No accuracies in the files: no onset, so no D before / after it.');
  for (const n of a.nulls) parts.push(`${INPUT_KIND_LABELS[n.kind]} null: D = ${d(fit(n.fits, 'all'))}.`);
  const t = a.trajectories.find((x) => x.observable === observable);
  const lasting = t?.crossings?.lasting;
  parts.push(
    lasting && lasting.direction !== 'none'
      ? `D(t) crosses 1 for good (${lasting.direction}) at epoch ${withInterval(lasting.time, lasting.ciLow, lasting.ciHigh, 0)}.`
      : `D(t) has no lasting crossing of 1${t?.reason ? ` (${t.reason})` : ''}.`,
  );
  return parts.join(' ');
}

/**
 * One row per run of a directory read by readRunDirectory: file, format, N, P, seed (and whether
 * the file gave it), snapshots, first and last snapshot epoch, train and test onset, layout.
 */
export function exchangeRunsTable(sweep: ExchangeSweep): aq.ColumnTable {
  return aq.from(
    sweep.runs.map((r) => ({
      file: path.basename(r.file),
      format: r.format,
      N: r.N,
      P: r.P,
      seed: r.seed,
      seedFromFile: r.seedGiven,
      snapshots: r.T,
      firstEpoch: r.epochs[0],
      lastEpoch: r.epochs[r.T - 1],
      trainOnset: r.hasTrainAccuracy ? r.trainOnset : null,
      testOnset: r.hasTestAccuracy ? r.testOnset : null,
      layout: r.layout ? `${r.layout.tensors.length} tensors (${r.layout.orientation})` : '',
    })),
  );
}

/** The round-trip check as a table: quantity, numbers compared, identical, largest |difference|. */
export function roundTripTable(check: RoundTripCheck): aq.ColumnTable {
  return aq.from(check.items.map((i) => ({ quantity: i.quantity, values: i.values, identical: i.identical, maxAbsDifference: i.maxAbsDifference })));
}
