/**
 * Notebook 04: real gradient snapshots against synthetic nulls on every topology. One call
 * probes every (input kind × topology) batch through the store (probeSweep) and fits the
 * finite-size-scaling exponent D (S ∝ N^D) before onset, after onset and over all snapshots,
 * with seed-bootstrap CIs; the builders below turn that tidy table into the referee's table, a
 * grouped bar chart and bootstrap histograms.
 */
import * as path from 'node:path';
import * as aq from 'arquero';
import { RunsInput, nullSnapshots, runOnsets, sweepSnapshots } from '../analysis/index';
import { fitScalingExponent } from '../fss/index';
import { GraphSpec, normaliseGraphSpec } from '../graphs/index';
import { SnapshotInput } from '../probe/index';
import { OKABE_ITO_NAMED, paperLayout, PlotlyFigure, PlotlyTrace } from '../plot/index';
import { atomicWriteFile } from '../store/index';
import { resultsDir } from '../notebook/index';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { AnalysisPlan, Observable, OBSERVABLES, probeSweep } from './plan';

/** Inputs of the comparison: the real snapshots and the four nulls of nullSnapshots. */
export const INPUT_KINDS = ['real', 'gaussian', 'permuted', 'student-t', 'matched'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Human-readable names of the input kinds. */
export const INPUT_KIND_LABELS: Record<InputKind, string> = {
  real: 'real gradients',
  gaussian: 'Gaussian (i.i.d.)',
  permuted: 'permuted real',
  'student-t': 'Student-t (df 1.5)',
  matched: 'matched marginal',
};

/** Time windows of a fit: before the run's train-accuracy onset, from it on, or every snapshot. */
export const PHASES = ['pre', 'post', 'all'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Phases reported per kind. Gaussian and Student-t nulls ignore the real values, so they carry
 * no "before / after onset": only 'all'. Real, permuted and matched inputs inherit the
 * snapshot's time, so they get all three.
 */
export function phasesOf(kind: InputKind): Phase[] {
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

/** Per-run onset epoch keyed `${N}|${seed}` (runs without an onset are absent). */
export type OnsetMap = Map<string, number>;


/** One probed snapshot reduced to what the fits need. */
export interface ObservationRow {
  scaleN: number;
  seed: number;
  epoch: number;
  totalTopplings: number;
  sMax: number;
  truncated: boolean;
}

/** The rows of a probe summary table (scaleN, seed, epoch, S_total, s_max, truncated). */
export function observationRows(summary: aq.ColumnTable): ObservationRow[] {
  const col = (name: string) => summary.array(name) as ArrayLike<unknown>;
  const scaleN = col('scaleN') as ArrayLike<number>;
  const seed = col('seed') as ArrayLike<number>;
  const epoch = col('epoch') as ArrayLike<number>;
  const total = col('totalTopplings') as ArrayLike<number>;
  const sMax = col('sMax') as ArrayLike<number>;
  const truncated = col('truncated');
  return Array.from({ length: summary.numRows() }, (_, i) => ({ scaleN: scaleN[i], seed: seed[i], epoch: epoch[i], totalTopplings: total[i], sMax: sMax[i], truncated: truncated[i] === true }));
}

/**
 * The rows of one phase: 'pre' = epoch < the run's onset, 'post' = epoch ≥ onset (runs without
 * an onset belong to neither), 'all' = every row.
 */
export function phaseRows(rows: ObservationRow[], phase: Phase, onsets: OnsetMap): ObservationRow[] {
  if (phase === 'all') return rows;
  return rows.filter((r) => {
    const onset = onsets.get(`${r.scaleN}|${r.seed}`);
    if (onset === undefined) return false;
    return phase === 'pre' ? r.epoch < onset : r.epoch >= onset;
  });
}

/** Note of a fit where some scale has a single training seed. */
export const ONE_SEED_NOTE = 'one seed at some scale: the CI cannot show seed-to-seed spread';

/** Result of {@link fitPhase}: D with its CI, or NaN with the reason in `note`. */
export interface PhaseFit {
  D: number;
  ciLow: number;
  ciHigh: number;
  rSquared: number;
  nScales: number;
  nSeeds: number;
  nRows: number;
  truncatedLeftOut: number;
  /** Caveats, e.g. "not enough data: …", one seed per scale, truncated probes left out. */
  notes: string[];
  /** The notes joined with '; '. */
  note: string;
  replicates: Float64Array;
}

/**
 * D = OLS slope of the per-scale mean ln(observable) against ln N (fitScalingExponent), with its
 * percentile CI from resampling training seeds within each scale. Truncated probes (the guard
 * stopped a runaway avalanche, so the value is censored) are left out and counted. When the
 * rows cannot support a fit (fewer than two scales, no positive values) the result is NaN with
 * a "not enough data: …" note instead of an exception, so smoke-profile notebooks still run.
 */
export function fitPhase(rows: ObservationRow[], observable: Observable, options: { bootstrap: number; seed: number }): PhaseFit {
  const usable = rows.filter((r) => !r.truncated && r[observable] > 0 && Number.isFinite(r[observable]));
  const truncatedLeftOut = rows.reduce((c, r) => c + (r.truncated ? 1 : 0), 0);
  const scales = new Set(usable.map((r) => r.scaleN));
  const empty = (note: string): PhaseFit => ({ D: NaN, ciLow: NaN, ciHigh: NaN, rSquared: NaN, nScales: scales.size, nSeeds: 0, nRows: usable.length, truncatedLeftOut, notes: [note], note, replicates: new Float64Array(0) });
  if (scales.size < 2) return empty(`not enough data: ${scales.size} scale(s) with usable rows (${usable.length} rows), a slope needs 2`);
  const fit = fitScalingExponent(usable as unknown as Array<Record<string, unknown>>, { bootstrap: options.bootstrap, seed: options.seed, valueField: observable });
  const notes: string[] = [];
  if (Math.min(...fit.seedCounts) < 2) notes.push(ONE_SEED_NOTE);
  if (truncatedLeftOut > 0) notes.push(`${truncatedLeftOut} truncated probe(s) left out`);
  return {
    D: fit.D,
    ciLow: fit.ciLow,
    ciHigh: fit.ciHigh,
    rSquared: fit.rSquared,
    nScales: fit.scales.length,
    nSeeds: fit.seedCounts.reduce((a, b) => a + b, 0),
    nRows: usable.length,
    truncatedLeftOut,
    notes,
    note: notes.join('; '),
    replicates: fit.replicates,
  };
}

/** Options of {@link topologyComparison}. */
export interface TopologyComparisonOptions {
  /** Input kinds [all five of INPUT_KINDS]. */
  kinds?: InputKind[];
  /** Topologies [plan.topologies, the seven]. */
  topologies?: GraphSpec[];
  /** Observables fitted [['totalTopplings', 'sMax']] (S_total primary). */
  observables?: Observable[];
  /** Student-t degrees of freedom of the 'student-t' null [1.5]. */
  df?: number;
  /** Bootstrap replicates per fit [plan.bootstrap]. */
  bootstrap?: number;
  /** Called after every probed batch with the fraction done. */
  onProgress?: (progress: { fraction: number; elapsedSeconds: number }) => void;
}

/** Bootstrap replicates of one fit, for histograms. */
export interface ReplicateSet {
  topology: string;
  kind: InputKind;
  observable: Observable;
  phase: Phase;
  replicates: Float64Array;
}

/** Output of {@link topologyComparison}. */
export interface TopologyComparison {
  /**
   * Tidy: one row per (topology, kind, observable, phase) — columns topology (key), topologyLabel,
   * kind, observable, phase, D, ciLow, ciHigh, rSquared, nScales, nSeeds, nRows, truncated, note.
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
  return topologyComparisonFromSnapshots(sweepSnapshots(runs), runOnsets(runs), plan, options);
}

/**
 * For every input kind (real, and nulls from nullSnapshots with seed plan.seed — the
 * 'network' topology of a null uses the layout of the real snapshot it replaces) and every
 * topology: probe all snapshots with the plan's probe options and graph seeds (store-cached,
 * avalanches not kept), then fit D of each observable in each phase of the kind (phasesOf).
 * Batches run one after another; a rerun reads every probe from the store.
 * @param real the real snapshots (scaleN, seed, epoch, values, layout)
 * @param onsets onset epoch per run keyed `${N}|${seed}` (defines pre / post)
 */
export async function topologyComparisonFromSnapshots(real: SnapshotInput[], onsets: OnsetMap, plan: AnalysisPlan, options: TopologyComparisonOptions = {}): Promise<TopologyComparison> {
  const kinds = options.kinds ?? [...INPUT_KINDS];
  kinds.forEach((k, i) => checkChoice(`kinds[${i}]`, k, INPUT_KINDS));
  const topologies = options.topologies ?? plan.topologies;
  if (!Array.isArray(topologies) || topologies.length === 0) throw new InvalidOptionError('topologies', 'must be a non-empty array of topology specs');
  topologies.forEach((t) => normaliseGraphSpec(t));
  const observables = options.observables ?? [...OBSERVABLES];
  observables.forEach((o, i) => checkChoice(`observables[${i}]`, o, OBSERVABLES));
  const bootstrap = checkInteger('bootstrap', options.bootstrap ?? plan.bootstrap, 0);
  if (!Array.isArray(real) || real.length === 0) throw new InvalidOptionError('snapshots', 'no real snapshots: train the sweep first');
  const df = options.df ?? 1.5;

  const started = Date.now();
  const rows: Array<Record<string, unknown>> = [];
  const replicates: ReplicateSet[] = [];
  let cacheHits = 0;
  let batches = 0;
  const total = kinds.length * topologies.length;
  for (const kind of kinds) {
    // Nulls are generated once per kind and probed on every topology.
    const inputs = kind === 'real' ? real : nullSnapshots(real, kind, { seed: plan.seed, df });
    for (const topology of topologies) {
      const probe = await probeSweep(inputs, plan, { topology, keepAvalanches: false });
      batches++;
      if (probe.hit) cacheHits++;
      const observations = observationRows(probe.summary);
      for (const observable of observables) {
        for (const phase of phasesOf(kind)) {
          const fit = fitPhase(phaseRows(observations, phase, onsets), observable, { bootstrap, seed: plan.seed });
          rows.push({
            topology: topologyKey(topology),
            topologyLabel: topologyLabel(topology),
            kind,
            observable,
            phase,
            D: fit.D,
            ciLow: fit.ciLow,
            ciHigh: fit.ciHigh,
            rSquared: fit.rSquared,
            nScales: fit.nScales,
            nSeeds: fit.nSeeds,
            nRows: fit.nRows,
            truncated: fit.truncatedLeftOut,
            note: fit.note,
          });
          replicates.push({ topology: topologyKey(topology), kind, observable, phase, replicates: fit.replicates });
        }
      }
      options.onProgress?.({ fraction: batches / total, elapsedSeconds: (Date.now() - started) / 1000 });
    }
  }
  return { table: aq.from(rows), replicates, cacheHits, batches, bootstrap, seed: plan.seed };
}

/** Column-name prefix of an observable in the wide table: 'S_total' or 's_max'. */
export function observableShortName(observable: Observable): string {
  return observable === 'totalTopplings' ? 'S_total' : 's_max';
}

/**
 * The referee's table in wide form: one row per (topology, kind); for each observable (S_total
 * first) the columns `<obs> D_pre`, `<obs> D_pre low`, `<obs> D_pre high`, the same for D_post
 * and `<obs> D_all` (every snapshot). Phases a kind does not have are null. Numeric, for CSV.
 */
export function topologyTableWide(tidy: aq.ColumnTable): aq.ColumnTable {
  const objects = tidy.objects() as Array<Record<string, any>>;
  const observables = OBSERVABLES.filter((o) => objects.some((r) => r.observable === o));
  const byRow = new Map<string, Record<string, unknown>>();
  for (const r of objects) {
    const key = `${r.topology}|${r.kind}`;
    let row = byRow.get(key);
    if (!row) {
      row = { topology: r.topologyLabel ?? r.topology, input: r.kind };
      for (const o of observables) {
        for (const phase of PHASES) {
          const name = `${observableShortName(o)} D_${phase}`;
          row[name] = null;
          row[`${name} low`] = null;
          row[`${name} high`] = null;
        }
      }
      byRow.set(key, row);
    }
    const name = `${observableShortName(r.observable)} D_${r.phase}`;
    row[name] = r.D;
    row[`${name} low`] = r.ciLow;
    row[`${name} high`] = r.ciHigh;
  }
  return aq.from(Array.from(byRow.values()));
}

function formatWithInterval(D: unknown, low: unknown, high: unknown, digits: number): string {
  if (typeof D !== 'number') return '';
  if (!Number.isFinite(D)) return 'n/a';
  const f = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');
  return `${D.toFixed(digits)} [${f(low)}, ${f(high)}]`;
}

/**
 * The wide table for reading: each cell "D [low, high]" (95 % CI), '' where a kind has no such
 * phase, 'n/a' where the fit had not enough data. Columns: topology, input, then per observable
 * D_pre, D_post, D (all snapshots).
 */
export function topologyTableDisplay(tidy: aq.ColumnTable, digits = 2): Array<Record<string, string>> {
  const wide = topologyTableWide(tidy).objects() as Array<Record<string, unknown>>;
  const observables = OBSERVABLES.filter((o) => wide.length > 0 && `${observableShortName(o)} D_all` in wide[0]);
  return wide.map((r) => {
    const out: Record<string, string> = { topology: String(r.topology), input: INPUT_KIND_LABELS[r.input as InputKind] ?? String(r.input) };
    for (const o of observables) {
      for (const phase of PHASES) {
        const name = `${observableShortName(o)} D_${phase}`;
        out[`${observableShortName(o)}: ${phase === 'all' ? 'D (all)' : `D_${phase}`}`] = r[name] === null ? '' : formatWithInterval(r[name], r[`${name} low`], r[`${name} high`], digits);
      }
    }
    return out;
  });
}

/** Writes the wide table as CSV (default `<resultsDir>/04-topology-table.csv`); returns the path. */
export function writeTopologyCsv(tidy: aq.ColumnTable, file = path.join(resultsDir(), '04-topology-table.csv')): string {
  atomicWriteFile(file, topologyTableWide(tidy).toCSV() + '\n');
  return file;
}

/** D of one (topology, kind, observable, phase) from the tidy table (NaN when absent). */
export function lookupD(tidy: aq.ColumnTable, topology: string, kind: InputKind, observable: Observable, phase: Phase): { D: number; ciLow: number; ciHigh: number } {
  const row = (tidy.objects() as Array<Record<string, any>>).find((r) => r.topology === topology && r.kind === kind && r.observable === observable && r.phase === phase);
  return row ? { D: row.D, ciLow: row.ciLow, ciHigh: row.ciHigh } : { D: NaN, ciLow: NaN, ciHigh: NaN };
}

/** `{ topologyKey: D }` of one kind / observable / phase, in table order (for recordResults). */
export function dByTopology(tidy: aq.ColumnTable, kind: InputKind, observable: Observable, phase: Phase): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of tidy.objects() as Array<Record<string, any>>) if (r.kind === kind && r.observable === observable && r.phase === phase) out[r.topology] = r.D;
  return out;
}

/** `{ topologyKey: [low, high] }` of one kind / observable / phase (for recordResults). */
export function ciByTopology(tidy: aq.ColumnTable, kind: InputKind, observable: Observable, phase: Phase): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const r of tidy.objects() as Array<Record<string, any>>) if (r.kind === kind && r.observable === observable && r.phase === phase) out[r.topology] = [r.ciLow, r.ciHigh];
  return out;
}

/** '#rrggbb' → 'rgba(r, g, b, alpha)'. */
function withAlpha(hex: string, alpha: number): string {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/** Colour per input kind (Okabe–Ito). */
export const INPUT_KIND_COLOURS: Record<InputKind, string> = {
  real: OKABE_ITO_NAMED.vermillion,
  gaussian: OKABE_ITO_NAMED.blue,
  permuted: OKABE_ITO_NAMED.orange,
  'student-t': OKABE_ITO_NAMED.bluishGreen,
  matched: OKABE_ITO_NAMED.reddishPurple,
};

const PHASE_WORDS: Record<Phase, string> = { pre: 'before onset', post: 'after onset', all: 'all snapshots' };

/**
 * Grouped bar chart of D per topology for one observable: one bar series per (kind, phase) —
 * pre/post for real/permuted/matched (pre light), 'all' for the Gaussian and Student-t nulls —
 * with 95 % bootstrap CI error bars and a dashed D = 1 line.
 * @param options.style paper style of the layout ['double']
 */
export function topologyBarChart(tidy: aq.ColumnTable, observable: Observable, options: { style?: string; title?: string } = {}): PlotlyFigure {
  const objects = (tidy.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  if (objects.length === 0) throw new InvalidOptionError('observable', `no rows for observable ${observable} in the comparison table`);
  const topologies = Array.from(new Set(objects.map((r) => r.topologyLabel as string)));
  // Tick labels on two lines so that seven topologies fit side by side without rotation.
  const ticks = topologies.map((t) => t.replace(/ \((.*)\)$/, '<br>$1').replace(/^random /, 'random<br>').replace(/^2D /, '2D<br>'));
  const series: Array<{ kind: InputKind; phase: Phase }> = [];
  for (const kind of INPUT_KINDS) for (const phase of phasesOf(kind)) if (phase !== 'all' || !phasesOf(kind).includes('pre')) if (objects.some((r) => r.kind === kind && r.phase === phase)) series.push({ kind, phase });
  const data: PlotlyTrace[] = series.map(({ kind, phase }) => {
    const values = topologies.map((t) => objects.find((r) => r.topologyLabel === t && r.kind === kind && r.phase === phase));
    const D = values.map((r) => (r && Number.isFinite(r.D) ? r.D : null));
    return {
      type: 'bar',
      name: `${INPUT_KIND_LABELS[kind]}${phase === 'all' ? '' : `, ${PHASE_WORDS[phase]}`}`,
      x: ticks,
      y: D,
      // Before onset: the kind's colour at 40 % opacity (light), after onset / all: solid.
      marker: { color: phase === 'pre' ? withAlpha(INPUT_KIND_COLOURS[kind], 0.4) : INPUT_KIND_COLOURS[kind], line: { color: INPUT_KIND_COLOURS[kind], width: 1 } },
      error_y: {
        type: 'data',
        symmetric: false,
        array: values.map((r) => (r && Number.isFinite(r.ciHigh) ? r.ciHigh - r.D : null)),
        arrayminus: values.map((r) => (r && Number.isFinite(r.ciLow) ? r.D - r.ciLow : null)),
        thickness: 1,
        width: 1.5,
        color: '#000000',
      },
    };
  });
  const finite = objects.flatMap((r) => [r.D, r.ciLow, r.ciHigh]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const low = Math.min(0.8, ...finite) - 0.05;
  const high = Math.max(1.2, ...finite) + 0.05;
  return {
    data,
    layout: paperLayout(options.style ?? 'double', {
      title: { text: options.title ?? `Scaling exponent D of ${observableShortName(observable)} per topology (95 % bootstrap CI)` },
      barmode: 'group',
      bargap: 0.2,
      xaxis: { title: { text: 'topology (mean degree ≈ 6)' }, type: 'category', tickangle: 0 },
      yaxis: { title: { text: `D  (${observableShortName(observable)} ∝ N<sup>D</sup>)` }, range: [low, high] },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dash' } }],
      legend: { orientation: 'h', x: 0, y: -0.32, yanchor: 'top' },
      margin: { l: 50, r: 10, t: 30, b: 120 },
    }),
  };
}

/**
 * Histograms of the bootstrap replicates of D_pre and D_post (real snapshots) and D_synth
 * (Gaussian null, all snapshots) on one topology, for one observable, with the D = 1 line.
 * Replicates that are NaN (a resample without two scales) are left out.
 */
export function bootstrapHistograms(comparison: Pick<TopologyComparison, 'replicates'>, topology: string, observable: Observable, options: { style?: string; synthKind?: InputKind } = {}): PlotlyFigure {
  const synthKind = options.synthKind ?? 'gaussian';
  const pick = (kind: InputKind, phase: Phase) => comparison.replicates.find((r) => r.topology === topology && r.kind === kind && r.observable === observable && r.phase === phase)?.replicates;
  const sets: Array<{ name: string; values: Float64Array | undefined; colour: string }> = [
    { name: 'D_pre (real, before onset)', values: pick('real', 'pre'), colour: OKABE_ITO_NAMED.skyBlue },
    { name: 'D_post (real, after onset)', values: pick('real', 'post'), colour: OKABE_ITO_NAMED.vermillion },
    { name: `D_synth (${INPUT_KIND_LABELS[synthKind]})`, values: pick(synthKind, 'all'), colour: OKABE_ITO_NAMED.blue },
  ];
  const present = sets.filter((s) => s.values && s.values.length > 0);
  if (present.length === 0) throw new InvalidOptionError('topology', `no bootstrap replicates for topology ${topology} and observable ${observable} (was bootstrap 0?)`);
  return {
    data: present.map((s) => ({
      type: 'histogram',
      name: s.name,
      x: Array.from(s.values!).filter(Number.isFinite),
      histnorm: 'probability density',
      opacity: 0.6,
      nbinsx: 40,
      marker: { color: s.colour },
    })),
    layout: paperLayout(options.style ?? 'single', {
      title: { text: `Bootstrap distributions of D (${observableShortName(observable)}, ${topology})` },
      barmode: 'overlay',
      xaxis: { title: { text: 'D (bootstrap replicate)' } },
      yaxis: { title: { text: 'density' } },
      shapes: [{ type: 'line', yref: 'paper', y0: 0, y1: 1, xref: 'x', x0: 1, x1: 1, line: { color: '#000000', width: 1, dash: 'dash' } }],
      legend: { orientation: 'h', x: 0, y: -0.35, yanchor: 'top' },
      margin: { l: 45, r: 10, t: 30, b: 90 },
    }),
  };
}

/** The paper's Gaussian-input value, D = 0.99 ± 0.01 on five topologies (arXiv 2604.04655). */
export const PAPER_GAUSSIAN_D = { D: 0.99, uncertainty: 0.01, source: 'arXiv 2604.04655 (the paper under test), Gaussian input, five topologies' } as const;

/** The reference values of science-notes.md (independent implementation, S_total, 10–20 seeds per size). */
export const SCIENCE_NOTES_GAUSSIAN_D: Record<string, number> = { ba: 1.0, 'erdos-renyi': 0.97, 'watts-strogatz': 0.98, ring: 0.99, regular: 0.97, lattice2d: 0.99 };

function meanSd(values: number[]): { mean: number; sd: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, sd: NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = finite.length > 1 ? Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1)) : NaN;
  return { mean, sd };
}

/** Headline numbers of the topology comparison (for recordResults and the closing cell). */
export interface TopologyHeadline {
  observable: 'totalTopplings';
  /** Gaussian-null D (S_total, all snapshots) per topology key, and its CI. */
  gaussianD: Record<string, number>;
  gaussianDCI: Record<string, [number, number]>;
  /** Mean, sample SD and coefficient of variation of the Gaussian D over the graph topologies (all but 'network'). */
  gaussianGraphMean: number;
  gaussianGraphSd: number;
  gaussianGraphCv: number;
  gaussianGraphTopologies: string[];
  /** Gaussian-null D from s_max per topology. */
  gaussianSMaxD: Record<string, number>;
  studentTD: Record<string, number>;
  realDPre: Record<string, number>;
  realDPost: Record<string, number>;
  permutedDPre: Record<string, number>;
  permutedDPost: Record<string, number>;
  matchedDPre: Record<string, number>;
  matchedDPost: Record<string, number>;
}

/** The headline numbers of a comparison table (S_total unless said otherwise). */
export function topologyHeadline(tidy: aq.ColumnTable): TopologyHeadline {
  const gaussianD = dByTopology(tidy, 'gaussian', 'totalTopplings', 'all');
  const graphKeys = Object.keys(gaussianD).filter((k) => k !== 'network');
  const { mean, sd } = meanSd(graphKeys.map((k) => gaussianD[k]));
  return {
    observable: 'totalTopplings',
    gaussianD,
    gaussianDCI: ciByTopology(tidy, 'gaussian', 'totalTopplings', 'all'),
    gaussianGraphMean: mean,
    gaussianGraphSd: sd,
    gaussianGraphCv: sd / mean,
    gaussianGraphTopologies: graphKeys,
    gaussianSMaxD: dByTopology(tidy, 'gaussian', 'sMax', 'all'),
    studentTD: dByTopology(tidy, 'student-t', 'totalTopplings', 'all'),
    realDPre: dByTopology(tidy, 'real', 'totalTopplings', 'pre'),
    realDPost: dByTopology(tidy, 'real', 'totalTopplings', 'post'),
    permutedDPre: dByTopology(tidy, 'permuted', 'totalTopplings', 'pre'),
    permutedDPost: dByTopology(tidy, 'permuted', 'totalTopplings', 'post'),
    matchedDPre: dByTopology(tidy, 'matched', 'totalTopplings', 'pre'),
    matchedDPost: dByTopology(tidy, 'matched', 'totalTopplings', 'post'),
  };
}

function range(values: Record<string, number>): string {
  const finite = Object.values(values).filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  return `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}`;
}

function withCi(d: { D: number; ciLow: number; ciHigh: number }): string {
  return Number.isFinite(d.D) ? `${d.D.toFixed(2)} [${d.ciLow.toFixed(2)}, ${d.ciHigh.toFixed(2)}]` : 'n/a (not enough data)';
}

/**
 * The closing "what this shows" paragraph of notebook 04, every number taken from the table:
 * the Gaussian baseline against the paper's 0.99 ± 0.01 and the science notes, s_max's topology
 * dependence, heavy tails, and real vs permuted / matched before and after onset.
 * @param topology the topology whose real-vs-null numbers are spelled out ['ba']
 */
export function topologySummaryMarkdown(tidy: aq.ColumnTable, topology = 'ba'): string {
  const h = topologyHeadline(tidy);
  const pick = (kind: InputKind, phase: Phase) => lookupD(tidy, topology, kind, 'totalTopplings', phase);
  const notesLine = h.gaussianGraphTopologies
    .filter((k) => k in SCIENCE_NOTES_GAUSSIAN_D)
    .map((k) => `${k} ${h.gaussianD[k].toFixed(2)} (notes ${SCIENCE_NOTES_GAUSSIAN_D[k].toFixed(2)})`)
    .join(', ');
  const diffs = Object.keys(h.realDPost).map((k) => h.realDPost[k] - (h.permutedDPost[k] ?? NaN));
  const diffRange = range(Object.fromEntries(diffs.map((d, i) => [String(i), d])));
  const realPost = pick('real', 'post');
  const permutedPost = pick('permuted', 'post');
  const oneSeed = (tidy.objects() as Array<Record<string, any>>).some((r) => typeof r.note === 'string' && r.note.includes(ONE_SEED_NOTE));
  const overlap = oneSeed ? null : Number.isFinite(realPost.D) && Number.isFinite(permutedPost.D) ? realPost.ciLow <= permutedPost.ciHigh && permutedPost.ciLow <= realPost.ciHigh : null;
  const studentRows = (tidy.objects() as Array<Record<string, any>>).filter((r) => r.kind === 'student-t' && r.observable === 'totalTopplings' && r.phase === 'all' && Number.isFinite(r.D));
  const studentAbove = studentRows.filter((r) => r.ciLow > 1).length;
  return [
    `**Gaussian baseline (S_total).** Over the ${h.gaussianGraphTopologies.length} graph topologies the Gaussian null gives D = ${h.gaussianGraphMean.toFixed(3)} ± ${h.gaussianGraphSd.toFixed(3)} (mean ± SD, CV ${(100 * h.gaussianGraphCv).toFixed(1)} %), range ${range(Object.fromEntries(h.gaussianGraphTopologies.map((k) => [k, h.gaussianD[k]])))}; the model's own wiring ('network') gives ${Number.isFinite(h.gaussianD.network) ? h.gaussianD.network.toFixed(2) : 'n/a'}. The paper reports ${PAPER_GAUSSIAN_D.D} ± ${PAPER_GAUSSIAN_D.uncertainty} on five topologies; the independent reference of the science notes: ${notesLine}.`,
    `**s_max is not topology-free.** The same Gaussian input gives D from s_max in ${range(h.gaussianSMaxD)} across topologies (science notes: 0.40–1.04), so only S_total supports a topology-independent baseline.`,
    `**Heavy tails.** Student-t (df 1.5) input without any correlation gives D (S_total) in ${range(h.studentTD)}; its CI lies above 1 on ${studentAbove} of ${studentRows.length} topologies (science notes: 1.11–1.22).`,
    `**Real gradients on ${topologyLabel(topology as GraphSpec)} (S_total).** D_pre = ${withCi(pick('real', 'pre'))}, D_post = ${withCi(realPost)}; permuted real values (same numbers, no correlation with the node order): D_pre = ${withCi(pick('permuted', 'pre'))}, D_post = ${withCi(permutedPost)}; matched marginal: D_pre = ${withCi(pick('matched', 'pre'))}, D_post = ${withCi(pick('matched', 'post'))}.` +
      (overlap === null ? '' : overlap ? ' The real and permuted post-onset CIs overlap: on this topology the rise of D is carried by the distribution of gradient values, not by where they sit.' : ' The real and permuted post-onset CIs do not overlap: the placement of gradient values on the nodes matters here.'),
    `Across topologies, real − permuted D_post ranges over ${diffRange}. Every D above is the OLS slope of the per-scale mean ln S_total on ln N; CIs resample training seeds within each scale.` +
      (oneSeed ? ' **This run has one training seed per scale, so every CI has zero width and no difference above can be called significant.**' : ''),
  ].join('\n\n');
}
