/**
 * Pipeline steps and figures of notebook 07 (crackling noise): the avalanche samples (real
 * avalanches before / after the onset of each run, and a null model's), their size, duration and
 * area exponents with bootstrap CIs, the mean size per duration ⟨s⟩(T) ∝ T^γ, and the check of the
 * crackling-noise scaling relation γ = (α_T − 1)/(τ − 1) (Sethna, Dahmen & Myers 2001), computed
 * by `cracklingNoise` of lib/stats.
 */
import * as aq from 'arquero';
import { RunsInput } from '../analysis/index';
import { mergeLayout, paperLayout, PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/index';
import { OKABE_ITO } from '../plot/palette';
import { logBinnedDensity } from '../stats/ccdf';
import { cracklingNoise, meanSizeByDuration } from '../stats/crackling';
import { ordinaryLeastSquares } from '../stats/ols';
import { powerLawLogPdf } from '../stats/powerLaw';
import { cached } from '../store/index';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { hashBytes } from '../util/hash';
import { AVALANCHE_QUANTITY_LABELS, splitByOnset } from './avalanches';

/** One pooled set of avalanches: sizes s, durations T and areas A, entry i = avalanche i. */
export interface AvalancheSample {
  /** Row label, e.g. 'real, before onset'. */
  label: string;
  sizes: Float64Array;
  durations: Float64Array;
  areas: Float64Array;
}

function column(table: aq.ColumnTable, name: string): Float64Array {
  if (!table.columnNames().includes(name)) throw new InvalidOptionError('avalanches', `lacks column ${name}; it has ${table.columnNames().join(', ')}`);
  return Float64Array.from(table.array(name) as ArrayLike<number>);
}

function sampleOf(label: string, table: aq.ColumnTable): AvalancheSample {
  return { label, sizes: column(table, 'size'), durations: column(table, 'duration'), areas: column(table, 'area') };
}

/**
 * The samples of the crackling-noise analysis: real avalanches pooled over scales, seeds and
 * graph seeds, split at each run's train onset ('real, before onset' / 'real, after onset', see
 * splitByOnset), then, when given, a null model's avalanches pooled over all snapshots (a
 * Gaussian null does not depend on training time, so it is not split).
 * @param avalanches probeSnapshots' avalanches table of the real snapshots
 * @param runs the sweep's runs table (onsets)
 * @param options.nullAvalanches avalanches table of null snapshots; options.nullLabel its label ['Gaussian null']
 */
export function avalancheSamples(avalanches: aq.ColumnTable, runs: RunsInput, options: { nullAvalanches?: aq.ColumnTable | null; nullLabel?: string } = {}): AvalancheSample[] {
  const split = splitByOnset(avalanches, runs);
  const phase = split.array('phase') as ArrayLike<string>;
  const pick = (want: string) => {
    const rows: number[] = [];
    for (let i = 0; i < phase.length; i++) if (phase[i] === want) rows.push(i);
    return rows;
  };
  const subset = (rows: number[], name: string) => {
    const all = column(split, name);
    return Float64Array.from(rows, (i) => all[i]);
  };
  const samples: AvalancheSample[] = (['pre', 'post'] as const).map((ph) => {
    const rows = pick(ph);
    return { label: ph === 'pre' ? 'real, before onset' : 'real, after onset', sizes: subset(rows, 'size'), durations: subset(rows, 'duration'), areas: subset(rows, 'area') };
  });
  if (options.nullAvalanches) samples.push(sampleOf(options.nullLabel ?? 'Gaussian null', options.nullAvalanches));
  return samples;
}

/** One row per sample: its label, number of avalanches and the largest s, T and A (0 when empty). */
export function avalancheSampleTable(samples: AvalancheSample[]): Array<{ sample: string; avalanches: number; maxSize: number; maxDuration: number; maxArea: number }> {
  const max = (values: Float64Array) => values.reduce((m, v) => (v > m ? v : m), 0);
  return samples.map((s) => ({ sample: s.label, avalanches: s.sizes.length, maxSize: max(s.sizes), maxDuration: max(s.durations), maxArea: max(s.areas) }));
}

/** One row of {@link cracklingTable}: estimates with 95 % percentile bootstrap CIs; null where not computed. */
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
  /** P(T) ∝ T^(−α_T) for T ≥ alphaTXmin; durationMax is the longest avalanche. */
  alphaT: number | null;
  alphaTLow: number | null;
  alphaTHigh: number | null;
  alphaTXmin: number | null;
  alphaTTail: number | null;
  durationMax: number | null;
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
  /** True when the CI of the difference covers 0; null when not computed. */
  holds: boolean | null;
  /** 'holds …', 'violated …' or 'not enough data: …'. */
  verdict: string;
  /** Warnings about the fits behind the numbers (few bins, short tails), '' when none. */
  caveats: string;
}

/** Options of {@link cracklingTable}. */
export interface CracklingTableOptions {
  /** Bootstrap resamples of whole avalanches for the CIs [200]. */
  bootstrap?: number;
  /** Seed of the bootstrap [0]. */
  seed?: number;
  /** Smallest tail of the xmin scans; several values give one row per sample and value [10]. */
  minTail?: number | number[];
  /** Samples with fewer avalanches get a "not enough data" row [50]. */
  minAvalanches?: number;
  /** Log bins per decade of the ⟨s⟩(T) fit [10]; bins need ≥ minCount avalanches [10]. */
  binsPerDecade?: number;
  minCount?: number;
  /** Read/write the rows in the store (stage 'report-crackling', keyed by data and options) [false]. */
  cache?: boolean;
  root?: string;
}

const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

function emptyRow(sample: AvalancheSample, minTail: number, verdict: string): CracklingRow {
  const row = { sample: sample.label, minTail, avalanches: sample.sizes.length } as Record<string, unknown>;
  for (const key of ['tau', 'tauLow', 'tauHigh', 'tauXmin', 'tauTail', 'alphaT', 'alphaTLow', 'alphaTHigh', 'alphaTXmin', 'alphaTTail', 'durationMax', 'areaExponent', 'areaLow', 'areaHigh', 'areaXmin', 'areaTail', 'gamma', 'gammaLow', 'gammaHigh', 'gammaBins', 'gammaR2', 'predicted', 'predictedLow', 'predictedHigh', 'difference', 'differenceLow', 'differenceHigh']) row[key] = null;
  return { ...(row as object), holds: null, verdict, caveats: '' } as CracklingRow;
}

function cracklingRow(sample: AvalancheSample, minTail: number, options: { bootstrap: number; seed: number; minAvalanches: number; binsPerDecade: number; minCount: number }): CracklingRow {
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
  const holds = low === null || high === null ? null : low <= 0 && 0 <= high;
  const ci = `${c.difference.value.toFixed(3)} [${low?.toFixed(3) ?? '—'}, ${high?.toFixed(3) ?? '—'}]`;
  const verdict = holds === null ? `no CI (bootstrap ${options.bootstrap}): γ − predicted = ${c.difference.value.toFixed(3)}` : holds ? `holds: γ − predicted = ${ci} covers 0` : `violated: γ − predicted = ${ci} excludes 0`;
  const caveats: string[] = [];
  if (c.gamma.bins < 4) caveats.push(`γ from only ${c.gamma.bins} duration bins`);
  const decades = Math.log10(durationMax / c.alphaT.fit.xmin);
  if (decades < 1) caveats.push(`duration tail spans ${decades.toFixed(2)} decades (T ${c.alphaT.fit.xmin}–${durationMax})`);
  for (const [name, fit] of [['τ', c.tau.fit], ['α_T', c.alphaT.fit], ['area', area.fit]] as const) {
    if (fit.nTail < 0.1 * n) caveats.push(`${name} fit uses ${fit.nTail} of ${n} avalanches (xmin ${fit.xmin})`);
  }
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
    holds,
    verdict,
    caveats: caveats.join('; '),
  };
}

/**
 * Crackling-noise exponents of each sample (one row per sample and minTail, in that order):
 * τ, α_T and the area exponent by CSN discrete power-law fits, γ from ⟨s⟩(T), the prediction
 * (α_T − 1)/(τ − 1), and whether the 95 % bootstrap CI of γ − prediction covers 0 ('holds').
 * Rows of samples with fewer than `minAvalanches` avalanches, or on which a fit is impossible
 * (too few distinct values, fewer than two duration bins), say "not enough data: …" instead of
 * numbers. `caveats` flags fits resting on few bins, a duration tail shorter than a decade, or
 * a tail holding < 10 % of the sample. Same inputs and seed → identical rows.
 */
export async function cracklingTable(samples: AvalancheSample[], options: CracklingTableOptions = {}): Promise<aq.ColumnTable> {
  const resolved = {
    bootstrap: checkInteger('bootstrap', options.bootstrap ?? 200, 0),
    seed: checkInteger('seed', options.seed ?? 0, 0, 2 ** 31 - 1),
    minAvalanches: checkInteger('minAvalanches', options.minAvalanches ?? 50, 2),
    binsPerDecade: options.binsPerDecade ?? 10,
    minCount: checkInteger('minCount', options.minCount ?? 10, 1),
  };
  if (!(resolved.binsPerDecade > 0) || !Number.isFinite(resolved.binsPerDecade)) throw new InvalidOptionError('binsPerDecade', `must be a finite number > 0, got ${resolved.binsPerDecade}`);
  const minTails = (Array.isArray(options.minTail) ? options.minTail : [options.minTail ?? 10]).map((m) => checkInteger('minTail', m, 2));
  if (minTails.length === 0) throw new InvalidOptionError('minTail', 'must hold at least one value');
  if (!Array.isArray(samples) || samples.length === 0) throw new InvalidOptionError('samples', 'must be a non-empty list (see avalancheSamples)');
  const compute = () => samples.flatMap((sample) => minTails.map((minTail) => cracklingRow(sample, minTail, resolved)));
  let rows: CracklingRow[];
  if (options.cache) {
    const data = samples.map((s) => ({ label: s.label, n: s.sizes.length, s: hashBytes(s.sizes), T: hashBytes(s.durations), A: hashBytes(s.areas) }));
    const { entry } = await cached('report-crackling', { version: 1, ...resolved, minTails, data }, () => ({ 'rows.json': JSON.stringify(compute()) }), { root: options.root });
    rows = entry.json('rows.json') as CracklingRow[];
  } else {
    rows = compute();
  }
  return aq.from(rows);
}

const estimateText = (value: unknown, low: unknown, high: unknown, digits: number) =>
  typeof value !== 'number' ? '—' : `${value.toFixed(digits)} [${typeof low === 'number' ? low.toFixed(digits) : '—'}, ${typeof high === 'number' ? high.toFixed(digits) : '—'}]`;

/** The crackling table for reading: each estimate as "value [CI low, CI high]" with its xmin. */
export function cracklingDisplayTable(table: aq.ColumnTable, digits = 3): Array<Record<string, string | number>> {
  return (table.objects() as unknown as CracklingRow[]).map((r) => ({
    sample: r.sample,
    minTail: r.minTail,
    avalanches: r.avalanches,
    'τ [95% CI]': estimateText(r.tau, r.tauLow, r.tauHigh, digits),
    's_min': r.tauXmin ?? '—',
    'α_T [95% CI]': estimateText(r.alphaT, r.alphaTLow, r.alphaTHigh, digits),
    'T_min': r.alphaTXmin ?? '—',
    'area exp. [95% CI]': estimateText(r.areaExponent, r.areaLow, r.areaHigh, digits),
    'γ fitted [95% CI]': estimateText(r.gamma, r.gammaLow, r.gammaHigh, digits),
    '(α_T−1)/(τ−1) [95% CI]': estimateText(r.predicted, r.predictedLow, r.predictedHigh, digits),
    verdict: r.verdict,
    caveats: r.caveats,
  }));
}

/** The row of `sample` at the table's first minTail (the one the figures show). */
function primaryRows(samples: AvalancheSample[], table: aq.ColumnTable): Array<{ sample: AvalancheSample; row: CracklingRow; colour: string }> {
  const rows = table.objects() as unknown as CracklingRow[];
  const out: Array<{ sample: AvalancheSample; row: CracklingRow; colour: string }> = [];
  samples.forEach((sample, i) => {
    const row = rows.find((r) => r.sample === sample.label);
    if (row) out.push({ sample, row, colour: OKABE_ITO[i % OKABE_ITO.length] });
  });
  return out;
}

/** Integer points from xmin to xmax, about 20 per decade (for drawing a discrete power law). */
function logIntegers(xmin: number, xmax: number): number[] {
  const points = new Set<number>();
  const steps = Math.max(1, Math.ceil(20 * Math.log10(Math.max(xmax / xmin, 1))));
  for (let k = 0; k <= steps; k++) points.add(Math.round(xmin * Math.pow(xmax / xmin, k / steps)));
  return [...points].sort((a, b) => a - b);
}

/**
 * The size, duration and area distributions (three log–log panels): log-binned probability mass
 * per integer (markers, one colour per sample) and the fitted discrete power law from its xmin
 * to the largest value, scaled by the tail's share nTail/n so it overlays the data (lines).
 * Uses each sample's row at the first minTail of the table; "not enough data" rows show data
 * without a line.
 */
export function cracklingDistributionFigure(samples: AvalancheSample[], table: aq.ColumnTable, options: { style?: 'single' | 'double'; binsPerDecade?: number } = {}): PlotlyFigure {
  const quantities = [
    { key: 'sizes', label: AVALANCHE_QUANTITY_LABELS.size, symbol: 'τ', alpha: 'tau', xmin: 'tauXmin', tail: 'tauTail' },
    { key: 'durations', label: AVALANCHE_QUANTITY_LABELS.duration, symbol: 'α_T', alpha: 'alphaT', xmin: 'alphaTXmin', tail: 'alphaTTail' },
    { key: 'areas', label: AVALANCHE_QUANTITY_LABELS.area, symbol: 'α_A', alpha: 'areaExponent', xmin: 'areaXmin', tail: 'areaTail' },
  ] as const;
  const traces: PlotlyTrace[] = [];
  const entries = primaryRows(samples, table);
  quantities.forEach((q, p) => {
    const axis = p === 0 ? '' : String(p + 1);
    for (const { sample, row, colour } of entries) {
      const values = sample[q.key];
      if (values.length === 0) continue;
      const density = logBinnedDensity(values, { discrete: true, binsPerDecade: options.binsPerDecade ?? 10 });
      traces.push({
        type: 'scatter', mode: 'markers', name: sample.label, legendgroup: sample.label, showlegend: p === 0,
        marker: { color: colour, size: 4 }, x: Array.from(density.centers), y: Array.from(density.density), xaxis: `x${axis}`, yaxis: `y${axis}`,
      });
      const alpha = row[q.alpha] as number | null;
      const xmin = row[q.xmin] as number | null;
      if (alpha === null || xmin === null) continue;
      let max = 0;
      for (const v of values) max = Math.max(max, v);
      const xs = logIntegers(xmin, max);
      const share = (row[q.tail] as number) / values.length;
      const logPmf = powerLawLogPdf({ alpha, xmin, xmax: Infinity, discrete: true }, xs);
      traces.push({
        type: 'scatter', mode: 'lines', name: `${sample.label}: ${q.symbol} = ${alpha.toFixed(2)}`, legendgroup: sample.label, showlegend: false,
        line: { color: colour, width: 1.5, dash: 'dash' }, x: xs, y: Array.from(logPmf, (l) => share * Math.exp(l)), xaxis: `x${axis}`, yaxis: `y${axis}`,
      });
    }
  });
  // Legend key for the dashed lines (no data).
  traces.push({ type: 'scatter', mode: 'lines', name: 'power-law fit from x_min', x: [null], y: [null], line: { color: '#000000', width: 1.5, dash: 'dash' }, hoverinfo: 'skip' });
  const base = paperLayout(options.style ?? 'double');
  const domains = [[0, 0.28], [0.36, 0.64], [0.72, 1]];
  const layout: PlotlyLayout = mergeLayout(base, { legend: { orientation: 'h', x: 0, y: -0.3, yanchor: 'top' }, margin: { t: 10, b: 10 } });
  quantities.forEach((q, p) => {
    const axis = p === 0 ? '' : String(p + 1);
    layout[`xaxis${axis}`] = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', title: { text: q.label.replace(/ \(.*\)$/, '') }, domain: domains[p], anchor: `y${axis}` });
    layout[`yaxis${axis}`] = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', title: { text: p === 0 ? 'P(x) (mass per integer)' : '' }, anchor: `x${axis}`, exponentformat: 'power' });
  });
  return { data: traces, layout };
}

/**
 * ⟨s⟩ against T (log–log): the binned means of {@link meanSizeByDuration} from each sample's
 * duration xmin (markers), the fitted γ line (solid) and a line of the predicted slope
 * (α_T − 1)/(τ − 1) through the same centroid (dotted). Rows without a γ show markers only.
 */
export function cracklingScalingFigure(samples: AvalancheSample[], table: aq.ColumnTable, options: { style?: 'single' | 'double'; binsPerDecade?: number; minCount?: number } = {}): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  for (const { sample, row, colour } of primaryRows(samples, table)) {
    if (sample.sizes.length === 0) continue;
    const tmin = row.alphaTXmin ?? 1;
    const points = meanSizeByDuration(sample.sizes, sample.durations, tmin, options);
    traces.push({ type: 'scatter', mode: 'markers', name: `${sample.label} (T ≥ ${tmin})`, legendgroup: sample.label, marker: { color: colour, size: 5 }, x: Array.from(points.meanT), y: Array.from(points.meanS) });
    if (row.gamma === null || row.predicted === null || points.meanT.length < 2) continue;
    const lx = Array.from(points.meanT, Math.log);
    const ly = Array.from(points.meanS, Math.log);
    const fit = ordinaryLeastSquares(lx, ly);
    const cx = lx.reduce((a, b) => a + b, 0) / lx.length;
    const cy = ly.reduce((a, b) => a + b, 0) / ly.length;
    const ends = [points.meanT[0], points.meanT[points.meanT.length - 1]];
    traces.push({ type: 'scatter', mode: 'lines', name: `γ fitted = ${row.gamma.toFixed(2)}`, legendgroup: sample.label, line: { color: colour, width: 1.5 }, x: ends, y: ends.map((t) => Math.exp(fit.intercept + fit.slope * Math.log(t))) });
    traces.push({ type: 'scatter', mode: 'lines', name: `(α_T−1)/(τ−1) = ${row.predicted.toFixed(2)}`, legendgroup: sample.label, line: { color: colour, width: 1.5, dash: 'dot' }, x: ends, y: ends.map((t) => Math.exp(cy + row.predicted! * (Math.log(t) - cx))) });
  }
  const layout = paperLayout(options.style ?? 'double', {
    xaxis: { type: 'log', title: { text: 'avalanche duration T (generations)' } },
    yaxis: { type: 'log', title: { text: '⟨s⟩(T), mean size (topplings)' } },
    legend: { x: 1.02, y: 1, xanchor: 'left' },
    margin: { t: 10 },
  });
  return { data: traces, layout };
}

/** Headline of a crackling table per sample (first minTail): for the notebook's closing summary. */
export function cracklingFindings(table: aq.ColumnTable): Array<Pick<CracklingRow, 'sample' | 'minTail' | 'tau' | 'alphaT' | 'areaExponent' | 'gamma' | 'predicted' | 'difference' | 'differenceLow' | 'differenceHigh' | 'holds' | 'verdict' | 'caveats'>> {
  const rows = table.objects() as unknown as CracklingRow[];
  const seen = new Set<string>();
  return rows
    .filter((r) => (seen.has(r.sample) ? false : (seen.add(r.sample), true)))
    .map(({ sample, minTail, tau, alphaT, areaExponent, gamma, predicted, difference, differenceLow, differenceHigh, holds, verdict, caveats }) => ({ sample, minTail, tau, alphaT, areaExponent, gamma, predicted, difference, differenceLow, differenceHigh, holds, verdict, caveats }));
}

const est = (value: number | null, low: number | null, high: number | null) =>
  value === null ? '—' : `${value.toFixed(2)} [${low === null ? '—' : low.toFixed(2)}, ${high === null ? '—' : high.toFixed(2)}]`;

/**
 * Notebook 07's closing paragraph: per sample, the exponents with 95 % CIs and whether the
 * scaling relation holds within the CI at the first minTail, the caveats, and for every other
 * minTail whether the verdict changes. Every number comes from the table.
 */
export function cracklingSummaryMarkdown(table: aq.ColumnTable): string {
  const rows = table.objects() as unknown as CracklingRow[];
  const labels = [...new Set(rows.map((r) => r.sample))];
  return labels
    .map((label) => {
      const own = rows.filter((r) => r.sample === label);
      const r = own[0];
      if (r.tau === null) return `**${label}** (${r.avalanches} avalanches): ${r.verdict}.`;
      const weak = r.holds === true && r.caveats !== '';
      let text =
        `**${label}** (${r.avalanches} avalanches, minTail ${r.minTail}): τ = ${est(r.tau, r.tauLow, r.tauHigh)}, α_T = ${est(r.alphaT, r.alphaTLow, r.alphaTHigh)}, ` +
        `area exponent ${est(r.areaExponent, r.areaLow, r.areaHigh)}; γ fitted ${est(r.gamma, r.gammaLow, r.gammaHigh)} vs (α_T − 1)/(τ − 1) = ${est(r.predicted, r.predictedLow, r.predictedHigh)}. ` +
        `The relation **${r.holds === null ? 'could not be checked' : r.holds ? 'holds within the 95 % CI' : 'does not hold'}** (${r.verdict})` +
        (weak ? ', but this is a weak check: the interval is wide because the fits rest on the short tails listed below.' : '.');
      if (r.caveats) text += ` Caveats: ${r.caveats}.`;
      const others = own.slice(1).map((o) => `minTail ${o.minTail}: ${o.holds === null ? o.verdict : o.holds ? 'holds' : 'violated'}${o.gamma !== null ? ` (γ ${o.gamma.toFixed(2)} vs ${o.predicted!.toFixed(2)})` : ''}`);
      if (others.length) text += ` Sensitivity to the fit range — ${others.join('; ')}.`;
      return text;
    })
    .join('\n\n');
}
