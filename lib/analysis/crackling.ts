/**
 * Notebook 07's computation: the avalanche samples (real avalanches before / after each run's
 * onset, by the phase rule of phase.ts, and a null model's), their size, duration and area
 * exponents with bootstrap CIs, the mean size per duration ⟨s⟩(T) ∝ T^γ, and the check of the
 * crackling-noise relation γ = (α_T − 1)/(τ − 1) (Sethna, Dahmen & Myers 2001) by cracklingNoise.
 * The curves the figures draw (binned densities, fitted lines) are computed here too.
 */
import * as aq from 'arquero';
import { logBinnedDensity } from '../stats/ccdf';
import { cracklingNoise, meanSizeByDuration } from '../stats/crackling';
import { ordinaryLeastSquares } from '../stats/ols';
import { powerLawLogPdf } from '../stats/powerLaw';
import { cached } from '../store/index';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { hashBytes } from '../util/hash';
import { PhaseCounts, PhaseOptions, SnapshotPhase, splitByOnset, tablePhaseCounts } from './phase';
import { AnalysisPlan, checkAnalysisPlan } from './plan';
import { OnsetMap, RunsInput } from './runs';

/** One pooled set of avalanches: sizes s, durations T and areas A, entry i = avalanche i. */
export interface AvalancheSample {
  /** Row label, e.g. 'real, before onset'. */
  label: string;
  sizes: Float64Array;
  durations: Float64Array;
  areas: Float64Array;
}

/** The samples of the crackling analysis and what the phase split left out. */
export interface AvalancheSamples {
  samples: AvalancheSample[];
  /** Real avalanches per phase ('none': of runs that never reached their onset, in no sample). */
  realCounts: PhaseCounts;
}

function column(table: aq.ColumnTable, name: string): Float64Array {
  if (!table.columnNames().includes(name)) throw new InvalidOptionError('avalanches', `lacks column ${name}; it has ${table.columnNames().join(', ')}`);
  return Float64Array.from(table.array(name) as ArrayLike<number>);
}

/**
 * The samples of the crackling-noise analysis: real avalanches pooled over scales, seeds and
 * graph seeds, split at each run's onset ('real, before onset' / 'real, after onset'; runs
 * without an onset are in neither and counted), then, when given, a null model's avalanches
 * pooled over all snapshots (a Gaussian null does not depend on training time, so it is not split).
 * @param avalanches probeSnapshots' avalanches table of the real snapshots
 * @param runs the sweep's runs table (onsets), or an onset map
 * @param options.nullAvalanches avalanches table of null snapshots; options.nullLabel its label ['Gaussian null']
 */
export function avalancheSamples(
  avalanches: aq.ColumnTable,
  runs: RunsInput | OnsetMap,
  options: PhaseOptions & { nullAvalanches?: aq.ColumnTable | null; nullLabel?: string } = {},
): AvalancheSamples {
  const split = splitByOnset(avalanches, runs, options);
  const phase = split.array('phase') as ArrayLike<SnapshotPhase>;
  const [sizes, durations, areas] = ['size', 'duration', 'area'].map((name) => column(split, name));
  const samples: AvalancheSample[] = (['pre', 'post'] as const).map((ph) => {
    const rows: number[] = [];
    for (let i = 0; i < phase.length; i++) if (phase[i] === ph) rows.push(i);
    const pick = (all: Float64Array) => Float64Array.from(rows, (i) => all[i]);
    return { label: ph === 'pre' ? 'real, before onset' : 'real, after onset', sizes: pick(sizes), durations: pick(durations), areas: pick(areas) };
  });
  const nulls = options.nullAvalanches;
  if (nulls)
    samples.push({
      label: options.nullLabel ?? 'Gaussian null',
      sizes: column(nulls, 'size'),
      durations: column(nulls, 'duration'),
      areas: column(nulls, 'area'),
    });
  return { samples, realCounts: tablePhaseCounts(split) };
}

/** One row of a crackling table: estimates with 95 % percentile bootstrap CIs; null where not computed. */
export interface CracklingRow {
  sample: string;
  /** Smallest tail (observations ≥ xmin) the CSN xmin scan may leave. */
  minTail: number;
  avalanches: number;
  /** P(s) ∝ s^(−τ) for s ≥ tauXmin (tauTail avalanches). */
  tau: number | null;
  tauLow: number | null;
  tauHigh: number | null;
  tauXmin: number | null;
  tauTail: number | null;
  /** P(T) ∝ T^(−α_T) for T ≥ alphaTXmin; durationMax is the longest avalanche, durationDecades = log10(durationMax / alphaTXmin). */
  alphaT: number | null;
  alphaTLow: number | null;
  alphaTHigh: number | null;
  alphaTXmin: number | null;
  alphaTTail: number | null;
  durationMax: number | null;
  durationDecades: number | null;
  /** P(A) ∝ A^(−α_A) for A ≥ areaXmin. */
  areaExponent: number | null;
  areaLow: number | null;
  areaHigh: number | null;
  areaXmin: number | null;
  areaTail: number | null;
  /** ⟨s⟩(T) ∝ T^γ: OLS slope over `gammaBins` log bins of T ≥ alphaTXmin. */
  gamma: number | null;
  gammaLow: number | null;
  gammaHigh: number | null;
  gammaBins: number | null;
  gammaR2: number | null;
  /** (α_T − 1)/(τ − 1). */
  predicted: number | null;
  predictedLow: number | null;
  predictedHigh: number | null;
  /** γ − (α_T − 1)/(τ − 1). */
  difference: number | null;
  differenceLow: number | null;
  differenceHigh: number | null;
  /** True when the CI of the difference covers 0; null when not computed or without a CI. */
  holds: boolean | null;
  /** Why there are no numbers ("not enough data: …"), null when there are. */
  reason: string | null;
}

/** Options of {@link cracklingAnalysis}. */
export interface CracklingOptions {
  /** Smallest tail of the xmin scans; several values give one row per sample and value; the first is the one the figures show [10]. */
  minTail?: number | number[];
  /** Samples with fewer avalanches get a "not enough data" row [50]. */
  minAvalanches?: number;
  /** Log bins per decade of the ⟨s⟩(T) fit and of the figures' densities [10]; ⟨s⟩(T) bins need ≥ minCount avalanches [10]. */
  binsPerDecade?: number;
  minCount?: number;
  /** Read/write the rows in the store (stage 'report-crackling', keyed by data and options) [false]. */
  cache?: boolean;
  root?: string;
}

/** A curve of a crackling figure. */
export interface XY {
  x: number[];
  y: number[];
}

/** What the crackling figures draw for one sample (at the table's first minTail). */
export interface CracklingCurves {
  sample: string;
  /** Per quantity: log-binned mass per integer, and the fitted discrete power law from xmin scaled by the tail's share (null without a fit). */
  distributions: Record<'sizes' | 'durations' | 'areas', { density: XY; fit: (XY & { exponent: number }) | null }>;
  /** ⟨s⟩ per duration bin from the duration xmin `tmin`, the fitted γ line and the line of the predicted slope through the same centroid. */
  meanSize: XY & { tmin: number };
  gammaLine: (XY & { gamma: number }) | null;
  predictedLine: (XY & { predicted: number }) | null;
}

/** Output of {@link cracklingAnalysis}. */
export interface CracklingAnalysis {
  /** One row per sample and minTail (CracklingRow). */
  table: aq.ColumnTable;
  curves: CracklingCurves[];
  /** Resamples per CI (plan.avalancheBootstrap). */
  bootstrap: number;
  /** Real avalanches per phase, as avalancheSamples counted them. */
  realCounts: PhaseCounts | null;
}

type Resolved = { bootstrap: number; seed: number; minAvalanches: number; binsPerDecade: number; minCount: number };

const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

const NUMBER_FIELDS = [
  'tau',
  'tauLow',
  'tauHigh',
  'tauXmin',
  'tauTail',
  'alphaT',
  'alphaTLow',
  'alphaTHigh',
  'alphaTXmin',
  'alphaTTail',
  'durationMax',
  'durationDecades',
  'areaExponent',
  'areaLow',
  'areaHigh',
  'areaXmin',
  'areaTail',
  'gamma',
  'gammaLow',
  'gammaHigh',
  'gammaBins',
  'gammaR2',
  'predicted',
  'predictedLow',
  'predictedHigh',
  'difference',
  'differenceLow',
  'differenceHigh',
];

function emptyRow(sample: AvalancheSample, minTail: number, reason: string): CracklingRow {
  const row: Record<string, unknown> = { sample: sample.label, minTail, avalanches: sample.sizes.length };
  for (const key of NUMBER_FIELDS) row[key] = null;
  return { ...row, holds: null, reason } as unknown as CracklingRow;
}

function cracklingRow(sample: AvalancheSample, minTail: number, options: Resolved): CracklingRow {
  const n = sample.sizes.length;
  if (n < options.minAvalanches) return emptyRow(sample, minTail, `not enough data: ${n} avalanches (need ≥ ${options.minAvalanches})`);
  let c;
  try {
    c = cracklingNoise(
      { sizes: sample.sizes, durations: sample.durations, areas: sample.areas },
      { discrete: true, bootstrap: options.bootstrap, seed: options.seed, binsPerDecade: options.binsPerDecade, minCount: options.minCount, minTail },
    );
  } catch (error) {
    // Degenerate samples (no xmin candidate, < 2 duration bins) are "not enough data"; bugs are not.
    if (error instanceof InvalidOptionError) return emptyRow(sample, minTail, `not enough data: ${error.message}`);
    throw error;
  }
  let durationMax = 0;
  for (const t of sample.durations) durationMax = Math.max(durationMax, t);
  const area = c.areaExponent!;
  const low = finiteOrNull(c.difference.ciLow);
  const high = finiteOrNull(c.difference.ciHigh);
  return {
    sample: sample.label,
    minTail,
    avalanches: n,
    tau: c.tau.value,
    tauLow: finiteOrNull(c.tau.ciLow),
    tauHigh: finiteOrNull(c.tau.ciHigh),
    tauXmin: c.tau.fit.xmin,
    tauTail: c.tau.fit.nTail,
    alphaT: c.alphaT.value,
    alphaTLow: finiteOrNull(c.alphaT.ciLow),
    alphaTHigh: finiteOrNull(c.alphaT.ciHigh),
    alphaTXmin: c.alphaT.fit.xmin,
    alphaTTail: c.alphaT.fit.nTail,
    durationMax,
    durationDecades: Math.log10(durationMax / c.alphaT.fit.xmin),
    areaExponent: area.value,
    areaLow: finiteOrNull(area.ciLow),
    areaHigh: finiteOrNull(area.ciHigh),
    areaXmin: area.fit.xmin,
    areaTail: area.fit.nTail,
    gamma: c.gamma.value,
    gammaLow: finiteOrNull(c.gamma.ciLow),
    gammaHigh: finiteOrNull(c.gamma.ciHigh),
    gammaBins: c.gamma.bins,
    gammaR2: finiteOrNull(c.gamma.rSquared),
    predicted: c.gammaPredicted.value,
    predictedLow: finiteOrNull(c.gammaPredicted.ciLow),
    predictedHigh: finiteOrNull(c.gammaPredicted.ciHigh),
    difference: c.difference.value,
    differenceLow: low,
    differenceHigh: high,
    holds: low === null || high === null ? null : low <= 0 && 0 <= high,
    reason: null,
  };
}

/** Integer points from xmin to xmax, about 20 per decade (for drawing a discrete power law). */
function logIntegers(xmin: number, xmax: number): number[] {
  const points = new Set<number>();
  const steps = Math.max(1, Math.ceil(20 * Math.log10(Math.max(xmax / xmin, 1))));
  for (let k = 0; k <= steps; k++) points.add(Math.round(xmin * Math.pow(xmax / xmin, k / steps)));
  return [...points].sort((a, b) => a - b);
}

function curvesOf(sample: AvalancheSample, row: CracklingRow, options: Resolved): CracklingCurves {
  const quantity = (values: Float64Array, exponent: number | null, xmin: number | null, tail: number | null) => {
    if (values.length === 0) return { density: { x: [], y: [] }, fit: null };
    const d = logBinnedDensity(values, { discrete: true, binsPerDecade: options.binsPerDecade });
    const density = { x: Array.from(d.centers), y: Array.from(d.density) };
    if (exponent === null || xmin === null || tail === null) return { density, fit: null };
    let max = 0;
    for (const v of values) max = Math.max(max, v);
    const x = logIntegers(xmin, max);
    const logPmf = powerLawLogPdf({ alpha: exponent, xmin, xmax: Infinity, discrete: true }, x);
    return { density, fit: { x, y: Array.from(logPmf, (l) => (tail / values.length) * Math.exp(l)), exponent } };
  };
  const tmin = row.alphaTXmin ?? 1;
  const points = sample.sizes.length
    ? meanSizeByDuration(sample.sizes, sample.durations, tmin, options)
    : { meanT: new Float64Array(0), meanS: new Float64Array(0) };
  let gammaLine: CracklingCurves['gammaLine'] = null;
  let predictedLine: CracklingCurves['predictedLine'] = null;
  if (row.gamma !== null && row.predicted !== null && points.meanT.length >= 2) {
    const lx = Array.from(points.meanT, Math.log);
    const ly = Array.from(points.meanS, Math.log);
    const fit = ordinaryLeastSquares(lx, ly);
    const cx = lx.reduce((a, b) => a + b, 0) / lx.length;
    const cy = ly.reduce((a, b) => a + b, 0) / ly.length;
    const ends = [points.meanT[0], points.meanT[points.meanT.length - 1]];
    gammaLine = { x: ends, y: ends.map((t) => Math.exp(fit.intercept + fit.slope * Math.log(t))), gamma: row.gamma };
    predictedLine = { x: ends, y: ends.map((t) => Math.exp(cy + row.predicted! * (Math.log(t) - cx))), predicted: row.predicted };
  }
  return {
    sample: sample.label,
    distributions: {
      sizes: quantity(sample.sizes, row.tau, row.tauXmin, row.tauTail),
      durations: quantity(sample.durations, row.alphaT, row.alphaTXmin, row.alphaTTail),
      areas: quantity(sample.areas, row.areaExponent, row.areaXmin, row.areaTail),
    },
    meanSize: { x: Array.from(points.meanT), y: Array.from(points.meanS), tmin },
    gammaLine,
    predictedLine,
  };
}

/**
 * Crackling-noise exponents of each sample (one row per sample and minTail, in that order):
 *  1. τ, α_T and the area exponent by CSN discrete power-law fits, γ from ⟨s⟩(T) and the
 *     prediction (α_T − 1)/(τ − 1), with percentile CIs from plan.avalancheBootstrap resamples of
 *     whole avalanches (seed plan.seed);
 *  2. `holds`: the 95 % CI of γ − prediction covers 0;
 *  3. samples with fewer than `minAvalanches` avalanches, or on which a fit is impossible (too
 *     few distinct values, fewer than two duration bins), get a row whose `reason` says "not
 *     enough data: …" instead of numbers;
 *  4. the curves of the figures at the first minTail.
 * Same inputs and plan → identical rows.
 */
export async function cracklingAnalysis(
  samples: AvalancheSamples | AvalancheSample[],
  plan: AnalysisPlan,
  options: CracklingOptions = {},
): Promise<CracklingAnalysis> {
  checkAnalysisPlan(plan);
  const list = Array.isArray(samples) ? samples : samples?.samples;
  const resolved: Resolved = {
    bootstrap: plan.avalancheBootstrap,
    seed: plan.seed,
    minAvalanches: checkInteger('minAvalanches', options.minAvalanches ?? 50, 2),
    binsPerDecade: options.binsPerDecade ?? 10,
    minCount: checkInteger('minCount', options.minCount ?? 10, 1),
  };
  if (!(resolved.binsPerDecade > 0) || !Number.isFinite(resolved.binsPerDecade))
    throw new InvalidOptionError('binsPerDecade', `must be a finite number > 0, got ${resolved.binsPerDecade}`);
  const minTails = (Array.isArray(options.minTail) ? options.minTail : [options.minTail ?? 10]).map((m) => checkInteger('minTail', m, 2));
  if (minTails.length === 0) throw new InvalidOptionError('minTail', 'must hold at least one value');
  if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError('samples', 'must be a non-empty list (see avalancheSamples)');
  const compute = () => list.flatMap((sample) => minTails.map((minTail) => cracklingRow(sample, minTail, resolved)));
  let rows: CracklingRow[];
  if (options.cache) {
    const data = list.map((s) => ({ label: s.label, n: s.sizes.length, s: hashBytes(s.sizes), T: hashBytes(s.durations), A: hashBytes(s.areas) }));
    const { entry } = await cached('report-crackling', { version: 2, ...resolved, minTails, data }, () => ({ 'rows.json': JSON.stringify(compute()) }), {
      root: options.root,
    });
    rows = entry.json('rows.json') as CracklingRow[];
  } else {
    rows = compute();
  }
  const curves = list.map((sample) =>
    curvesOf(
      sample,
      rows.find((r) => r.sample === sample.label && r.minTail === minTails[0])!,
      resolved,
    ),
  );
  return { table: aq.from(rows), curves, bootstrap: resolved.bootstrap, realCounts: Array.isArray(samples) ? null : samples.realCounts };
}
