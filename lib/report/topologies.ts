/**
 * Tables, headline and closing paragraph of notebook 04 (real gradients against nulls on every
 * topology), from the tidy table of topologyComparison.
 */
import * as path from 'node:path';
import * as aq from 'arquero';
import { FIT_PHASES, FitPhase } from '../analysis/dimension';
import { Observable, OBSERVABLES } from '../analysis/observables';
import { InputKind, topologyLabel } from '../analysis/topologies';
import { GraphSpec } from '../graphs/makeGraph';
import { resultsDir } from '../notebook/results';
import { INPUT_KIND_LABELS, OBSERVABLE_SYMBOLS } from '../plot/names';
import { atomicWriteFile } from '../store/index';
import { span, withInterval } from '../util/format';

type TidyRow = Record<string, any>;

function tidyRows(tidy: aq.ColumnTable): TidyRow[] {
  return tidy.objects() as TidyRow[];
}

/**
 * The referee's table in wide form: one row per (topology, kind); for each observable (S_total
 * first) the columns `<obs> D_pre`, `<obs> D_pre low`, `<obs> D_pre high`, the same for D_post
 * and `<obs> D_all` (every snapshot). Phases a kind does not have are null. Numeric, for CSV.
 */
export function topologyTableWide(tidy: aq.ColumnTable): aq.ColumnTable {
  const objects = tidyRows(tidy);
  const observables = OBSERVABLES.filter((o) => objects.some((r) => r.observable === o));
  const byRow = new Map<string, Record<string, unknown>>();
  for (const r of objects) {
    const key = `${r.topology}|${r.kind}`;
    let row = byRow.get(key);
    if (!row) {
      row = { topology: r.topologyLabel ?? r.topology, input: r.kind };
      for (const o of observables) {
        for (const phase of FIT_PHASES) {
          const name = `${OBSERVABLE_SYMBOLS[o]} D_${phase}`;
          row[name] = null;
          row[`${name} low`] = null;
          row[`${name} high`] = null;
        }
      }
      byRow.set(key, row);
    }
    const name = `${OBSERVABLE_SYMBOLS[r.observable as Observable]} D_${r.phase}`;
    row[name] = r.D;
    row[`${name} low`] = r.ciLow;
    row[`${name} high`] = r.ciHigh;
  }
  return aq.from(Array.from(byRow.values()));
}

/**
 * The wide table for reading: each cell "D [low, high]" (95 % CI), '' where a kind has no such
 * phase, 'n/a' where the fit had not enough data. Columns: topology, input, then per observable
 * D_pre, D_post, D (all snapshots).
 */
export function topologyTableDisplay(tidy: aq.ColumnTable, digits = 2): Array<Record<string, string>> {
  const wide = topologyTableWide(tidy).objects() as Array<Record<string, unknown>>;
  const observables = OBSERVABLES.filter((o) => wide.length > 0 && `${OBSERVABLE_SYMBOLS[o]} D_all` in wide[0]);
  return wide.map((r) => {
    const out: Record<string, string> = { topology: String(r.topology), input: INPUT_KIND_LABELS[r.input as InputKind] ?? String(r.input) };
    for (const o of observables) {
      for (const phase of FIT_PHASES) {
        const name = `${OBSERVABLE_SYMBOLS[o]} D_${phase}`;
        const value = r[name];
        out[`${OBSERVABLE_SYMBOLS[o]}: ${phase === 'all' ? 'D (all)' : `D_${phase}`}`] =
          typeof value !== 'number' ? '' : withInterval(value, r[`${name} low`] as number, r[`${name} high`] as number, digits);
      }
    }
    return out;
  });
}

/** Writes the wide table as CSV to `file` [`<resultsDir>/04-topology-table.csv`]; returns the path. */
export function writeTopologyCsv(tidy: aq.ColumnTable, file = path.join(resultsDir(), '04-topology-table.csv')): string {
  atomicWriteFile(file, topologyTableWide(tidy).toCSV() + '\n');
  return file;
}

/** D and CI of one (topology, kind, observable, phase) of the tidy table (NaN when absent). */
function lookupD(
  tidy: aq.ColumnTable,
  topology: string,
  kind: InputKind,
  observable: Observable,
  phase: FitPhase,
): { D: number; ciLow: number; ciHigh: number } {
  const row = tidyRows(tidy).find((r) => r.topology === topology && r.kind === kind && r.observable === observable && r.phase === phase);
  return row ? { D: row.D, ciLow: row.ciLow, ciHigh: row.ciHigh } : { D: NaN, ciLow: NaN, ciHigh: NaN };
}

/** `{ topologyKey: D }` of one kind / observable / phase, in table order (for recordResults). */
export function dByTopology(tidy: aq.ColumnTable, kind: InputKind, observable: Observable, phase: FitPhase): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of tidyRows(tidy)) if (r.kind === kind && r.observable === observable && r.phase === phase) out[r.topology] = r.D;
  return out;
}

/** `{ topologyKey: [low, high] }` of one kind / observable / phase (for recordResults). */
function ciByTopology(tidy: aq.ColumnTable, kind: InputKind, observable: Observable, phase: FitPhase): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const r of tidyRows(tidy)) if (r.kind === kind && r.observable === observable && r.phase === phase) out[r.topology] = [r.ciLow, r.ciHigh];
  return out;
}

/** The paper's Gaussian-input value, D = 0.99 ± 0.01 on five topologies (arXiv 2604.04655). */
export const PAPER_GAUSSIAN_D = { D: 0.99, uncertainty: 0.01, source: 'arXiv 2604.04655 (the paper under test), Gaussian input, five topologies' } as const;

/** The reference values of science-notes.md (independent implementation, S_total, 10–20 seeds per size). */
const SCIENCE_NOTES_GAUSSIAN_D: Readonly<Record<string, number>> = {
  ba: 1.0,
  'erdos-renyi': 0.97,
  'watts-strogatz': 0.98,
  ring: 0.99,
  regular: 0.97,
  lattice2d: 0.99,
};

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
  /** Snapshots of runs without an onset, left out of every pre/post fit (per fit). */
  noOnsetLeftOut: number;
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
    noOnsetLeftOut: Math.max(0, ...tidyRows(tidy).map((r) => (typeof r.noOnset === 'number' ? r.noOnset : 0))),
  };
}

function withCi(d: { D: number; ciLow: number; ciHigh: number }): string {
  return Number.isFinite(d.D) ? withInterval(d.D, d.ciLow, d.ciHigh) : 'n/a (not enough data)';
}

/**
 * The closing "what this shows" paragraph of notebook 04, every number taken from the table:
 * the Gaussian baseline against the paper's 0.99 ± 0.01 and the science notes, s_max's topology
 * dependence, heavy tails, and real vs permuted / matched before and after onset.
 * @param topology the topology whose real-vs-null numbers are spelled out ['ba']
 */
export function topologySummaryMarkdown(tidy: aq.ColumnTable, topology = 'ba'): string {
  const h = topologyHeadline(tidy);
  const rows = tidyRows(tidy);
  const pick = (kind: InputKind, phase: FitPhase) => lookupD(tidy, topology, kind, 'totalTopplings', phase);
  const notesLine = h.gaussianGraphTopologies
    .filter((k) => k in SCIENCE_NOTES_GAUSSIAN_D)
    .map((k) => `${k} ${h.gaussianD[k].toFixed(2)} (notes ${SCIENCE_NOTES_GAUSSIAN_D[k].toFixed(2)})`)
    .join(', ');
  const diffs = Object.keys(h.realDPost).map((k) => h.realDPost[k] - (h.permutedDPost[k] ?? NaN));
  const realPost = pick('real', 'post');
  const permutedPost = pick('permuted', 'post');
  const oneSeed = rows.some((r) => r.oneSeedPerScale === true);
  const overlap = oneSeed
    ? null
    : Number.isFinite(realPost.D) && Number.isFinite(permutedPost.D)
      ? realPost.ciLow <= permutedPost.ciHigh && permutedPost.ciLow <= realPost.ciHigh
      : null;
  const studentRows = rows.filter((r) => r.kind === 'student-t' && r.observable === 'totalTopplings' && r.phase === 'all' && Number.isFinite(r.D));
  const studentAbove = studentRows.filter((r) => r.ciLow > 1).length;
  const network = Number.isFinite(h.gaussianD.network) ? h.gaussianD.network.toFixed(2) : 'n/a';
  return [
    `**Gaussian baseline (S_total).** Over the ${h.gaussianGraphTopologies.length} graph topologies the Gaussian null gives D = ${h.gaussianGraphMean.toFixed(3)} ± ${h.gaussianGraphSd.toFixed(3)} (mean ± SD, CV ${(100 * h.gaussianGraphCv).toFixed(1)} %), range ${span(h.gaussianGraphTopologies.map((k) => h.gaussianD[k]))}; the model's own wiring ('network') gives ${network}. The paper reports ${PAPER_GAUSSIAN_D.D} ± ${PAPER_GAUSSIAN_D.uncertainty} on five topologies; the independent reference of the science notes: ${notesLine}.`,
    `**s_max is not topology-free.** The same Gaussian input gives D from s_max in ${span(Object.values(h.gaussianSMaxD))} across topologies (science notes: 0.40–1.04), so only S_total supports a topology-independent baseline.`,
    `**Heavy tails.** Student-t (df 1.5) input without any correlation gives D (S_total) in ${span(Object.values(h.studentTD))}; its CI lies above 1 on ${studentAbove} of ${studentRows.length} topologies (science notes: 1.11–1.22).`,
    `**Real gradients on ${topologyLabel(topology as GraphSpec)} (S_total).** D_pre = ${withCi(pick('real', 'pre'))}, D_post = ${withCi(realPost)}; permuted real values (same numbers, no correlation with the node order): D_pre = ${withCi(pick('permuted', 'pre'))}, D_post = ${withCi(permutedPost)}; matched marginal: D_pre = ${withCi(pick('matched', 'pre'))}, D_post = ${withCi(pick('matched', 'post'))}.` +
      (overlap === null
        ? ''
        : overlap
          ? ' The real and permuted post-onset CIs overlap: on this topology the rise of D is carried by the distribution of gradient values, not by where they sit.'
          : ' The real and permuted post-onset CIs do not overlap: the placement of gradient values on the nodes matters here.'),
    `Across topologies, real − permuted D_post ranges over ${span(diffs)}. Every D above is the OLS slope of the per-scale mean ln S_total on ln N; CIs resample training seeds within each scale.` +
      (h.noOnsetLeftOut > 0
        ? ` ${h.noOnsetLeftOut} probed snapshot(s) of runs that never reached their onset are in neither phase (they enter only the fits over all snapshots).`
        : '') +
      (oneSeed ? ' **This run has one training seed per scale, so every CI has zero width and no difference above can be called significant.**' : ''),
  ].join('\n\n');
}
