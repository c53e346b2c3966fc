/**
 * Pipeline steps and figures of notebook 02 (gradient avalanches): the probe's summary and
 * avalanche tables split at each run's onset, avalanche-size CCDFs per scale and phase, the
 * trajectories S_total(t) and s_max(t), and the table of power-law fits (Clauset–Shalizi–Newman)
 * with bootstrap p-values and likelihood-ratio comparisons against alternative distributions.
 */
import * as aq from 'arquero';
import { completedRuns, RunsInput, runOnsets } from '../analysis/index';
import { mergeLayout, paperLayout, PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/index';
import { OKABE_ITO } from '../plot/palette';
import { compareDistributions, AlternativeDistribution, ALTERNATIVE_DISTRIBUTIONS } from '../stats/compareDistributions';
import { ccdf } from '../stats/ccdf';
import { fitPowerLaw, PowerLawFit } from '../stats/powerLaw';
import { powerLawPValue } from '../stats/powerLawPValue';
import { cached } from '../store/index';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { hashBytes } from '../util/hash';
import { Observable, OBSERVABLE_LABELS, OBSERVABLES } from './plan';

/** The two phases of a run: snapshots before its training-accuracy onset, and from it on. */
export const ONSET_PHASES = ['pre', 'post'] as const;
export type OnsetPhase = (typeof ONSET_PHASES)[number];

/** Per-avalanche quantities of the probe's avalanche table. */
export const AVALANCHE_QUANTITIES = ['size', 'area', 'duration'] as const;
export type AvalancheQuantity = (typeof AVALANCHE_QUANTITIES)[number];

/** Axis titles of the avalanche quantities (all dimensionless counts). */
export const AVALANCHE_QUANTITY_LABELS: Record<AvalancheQuantity, string> = {
  size: 'avalanche size s (topplings)',
  area: 'avalanche area A (distinct nodes toppled)',
  duration: 'avalanche duration T (generations)',
};

function requireColumns(table: aq.ColumnTable, field: string, names: readonly string[]): void {
  if (table == null || typeof (table as aq.ColumnTable).columnNames !== 'function') {
    throw new InvalidOptionError(field, 'must be an arquero table (the summary or avalanches table of probeSnapshots)');
  }
  const have = table.columnNames();
  const missing = names.filter((n) => !have.includes(n));
  if (missing.length) throw new InvalidOptionError(field, `lacks column(s) ${missing.join(', ')}; it has ${have.join(', ')}`);
}

function numbers(table: aq.ColumnTable, column: string): ArrayLike<number> {
  return table.array(column) as ArrayLike<number>;
}

/**
 * Adds the columns `onset` (the run's train onset epoch: first epoch from which training accuracy
 * stays ≥ 0.99; NaN when it never did) and `phase` ('pre' when epoch < onset, else 'post'; a run
 * that never reached its onset is 'pre' throughout) to a probe summary or avalanches table.
 * Rows are matched to runs by (scaleN = N, seed); null snapshots (nullSnapshots) keep the epoch,
 * scale and seed of their real snapshot, so they split at the same onsets.
 * @param table probeSnapshots' summary or avalanches table (columns scaleN, seed, epoch)
 * @param runs the sweep's runs table (trainScales) or its rows
 * @throws InvalidOptionError when a row has no completed run
 */
export function splitByOnset(table: aq.ColumnTable, runs: RunsInput): aq.ColumnTable {
  requireColumns(table, 'table', ['scaleN', 'seed', 'epoch']);
  const onsets = runOnsets(runs, { includeMissing: true });
  const scale = numbers(table, 'scaleN');
  const seed = numbers(table, 'seed');
  const epoch = numbers(table, 'epoch');
  const count = table.numRows();
  const onset = new Float64Array(count);
  const phase: OnsetPhase[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const value = onsets.get(`${scale[i]}|${seed[i]}`);
    if (value === undefined) throw new InvalidOptionError('runs', `has no completed run with N = ${scale[i]}, seed = ${seed[i]} (row ${i} of the table)`);
    onset[i] = value;
    // NaN onset: the comparison is false, so the whole run counts as before the transition.
    phase[i] = epoch[i] >= value ? 'post' : 'pre';
  }
  return table.assign({ onset, phase });
}

/** Distinct values of a numeric column, ascending. */
function distinctSorted(values: ArrayLike<number>): number[] {
  return [...new Set(Array.from(values))].sort((a, b) => a - b);
}

/** Options of {@link ccdfFigure}. */
export interface CcdfFigureOptions {
  /** Which avalanche quantity ['size']. */
  quantity?: AvalancheQuantity;
  /** One curve per scale N (true) or all scales pooled (false) [true]. */
  byScale?: boolean;
  /**
   * 'both': two panels, before onset (left) and after (right), same axes ranges; 'pre' or
   * 'post': one panel of that phase; 'all': one panel ignoring the phase ['both'].
   * Anything but 'all' needs the `phase` column of {@link splitByOnset}.
   */
  phase?: OnsetPhase | 'both' | 'all';
  /** Paper style of the layout ['double']. */
  style?: 'single' | 'double';
  /** Figure title [none]. */
  title?: string;
}

/**
 * Log–log plot of the empirical CCDF P(X ≥ x) of avalanche sizes (or areas, durations), one
 * curve per scale (legend "N = …", Okabe–Ito colours in ascending N) and phase. Groups with no
 * avalanche are left out. Returns a plotly figure; nothing is displayed.
 * @param avalanches probeSnapshots' avalanches table, after {@link splitByOnset} unless phase 'all'
 */
export function ccdfFigure(avalanches: aq.ColumnTable, options: CcdfFigureOptions = {}): PlotlyFigure {
  const quantity = checkChoice('quantity', options.quantity ?? 'size', AVALANCHE_QUANTITIES);
  const phaseChoice = checkChoice('phase', options.phase ?? 'both', ['pre', 'post', 'both', 'all'] as const);
  const byScale = options.byScale ?? true;
  requireColumns(avalanches, 'avalanches', phaseChoice === 'all' ? ['scaleN', quantity] : ['scaleN', quantity, 'phase']);
  const values = numbers(avalanches, quantity);
  const scale = numbers(avalanches, 'scaleN');
  const phase = phaseChoice === 'all' ? null : (avalanches.array('phase') as ArrayLike<string>);
  const panels: Array<OnsetPhase | 'all'> = phaseChoice === 'both' ? ['pre', 'post'] : [phaseChoice];
  const scales = byScale ? distinctSorted(scale) : [NaN];
  const traces: PlotlyTrace[] = [];
  const legendShown = new Set<number>();
  panels.forEach((panel, p) => {
    scales.forEach((n, s) => {
      const picked: number[] = [];
      for (let i = 0; i < values.length; i++) {
        if (byScale && scale[i] !== n) continue;
        if (panel !== 'all' && phase![i] !== panel) continue;
        if (values[i] > 0) picked.push(values[i]);
      }
      if (picked.length === 0) return;
      const curve = ccdf(picked);
      const name = byScale ? `N = ${n}` : 'all scales';
      traces.push({
        type: 'scatter',
        mode: 'lines',
        line: { shape: 'hv', width: 1.5, color: OKABE_ITO[s % OKABE_ITO.length] },
        x: Array.from(curve.x),
        y: Array.from(curve.p),
        name,
        legendgroup: name,
        showlegend: !legendShown.has(s),
        xaxis: p === 0 ? 'x' : 'x2',
        yaxis: p === 0 ? 'y' : 'y2',
        hovertemplate: `${name}, ${panel === 'all' ? '' : panel + ' onset, '}n = ${picked.length}<br>x = %{x}<br>P(X ≥ x) = %{y:.3g}<extra></extra>`,
      });
      legendShown.add(s);
    });
  });
  const base = paperLayout(options.style ?? 'double');
  const axisTitle = AVALANCHE_QUANTITY_LABELS[quantity];
  const panelTitle = (panel: OnsetPhase | 'all') => (panel === 'pre' ? 'before onset (epoch < onset)' : panel === 'post' ? 'after onset (epoch ≥ onset)' : 'all snapshots');
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    xaxis: { type: 'log', title: { text: axisTitle }, domain: panels.length === 2 ? [0, 0.46] : [0, 1] },
    yaxis: { type: 'log', title: { text: `P(${quantity === 'size' ? 's' : quantity === 'area' ? 'A' : 'T'} ≥ x)` } },
    legend: { x: 1.02, y: 1, xanchor: 'left' },
    margin: { t: 28 },
    annotations: panels.map((panel, p) => ({
      text: panelTitle(panel),
      showarrow: false,
      xref: 'paper',
      yref: 'paper',
      x: panels.length === 2 ? (p === 0 ? 0.23 : 0.77) : 0.5,
      y: 1.04,
      xanchor: 'center',
      yanchor: 'bottom',
    })),
  });
  if (panels.length === 2) {
    layout.xaxis2 = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', title: { text: axisTitle }, domain: [0.54, 1], anchor: 'y2', matches: 'x' });
    layout.yaxis2 = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', anchor: 'x2', matches: 'y' });
  }
  return { data: traces, layout };
}

/**
 * Mean of an observable of the probe summary over training seeds and graph seeds, per scale and
 * snapshot epoch: columns scaleN, epoch, mean, geometricMean (exp of the mean log; NaN if a
 * value is ≤ 0), count. Sorted by scaleN, then epoch.
 * @param summary probeSnapshots' summary table
 * @param observable 'totalTopplings' (S_total) or 'sMax' (s_max)
 */
export function meanTrajectory(summary: aq.ColumnTable, observable: Observable): aq.ColumnTable {
  checkChoice('observable', observable, OBSERVABLES);
  requireColumns(summary, 'summary', ['scaleN', 'epoch', observable]);
  const scale = numbers(summary, 'scaleN');
  const epoch = numbers(summary, 'epoch');
  const value = numbers(summary, observable);
  const groups = new Map<string, { scaleN: number; epoch: number; sum: number; sumLog: number; count: number }>();
  for (let i = 0; i < value.length; i++) {
    const key = `${scale[i]}:${epoch[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { scaleN: scale[i], epoch: epoch[i], sum: 0, sumLog: 0, count: 0 }));
    g.sum += value[i];
    g.sumLog += value[i] > 0 ? Math.log(value[i]) : NaN;
    g.count++;
  }
  const rows = [...groups.values()].sort((a, b) => a.scaleN - b.scaleN || a.epoch - b.epoch);
  return aq.table({
    scaleN: Int32Array.from(rows, (r) => r.scaleN),
    epoch: Float64Array.from(rows, (r) => r.epoch),
    mean: Float64Array.from(rows, (r) => r.sum / r.count),
    geometricMean: Float64Array.from(rows, (r) => Math.exp(r.sumLog / r.count)),
    count: Int32Array.from(rows, (r) => r.count),
  });
}

/** Options of {@link sTrajectoryFigure}. */
export interface TrajectoryFigureOptions {
  /** The sweep's runs: marks the median train onset (line) and its range over runs (band). */
  runs?: RunsInput;
  /** Paper style of the layout ['double']. */
  style?: 'single' | 'double';
  /** Figure title [none]. */
  title?: string;
}

/**
 * S_total(t) or s_max(t): the mean over seeds (and graph seeds) of the observable at each
 * snapshot epoch, one line per scale N (log y axis). With `runs`, the median train onset over
 * completed runs that reached one is a dotted vertical line, and their range a grey band.
 */
export function sTrajectoryFigure(summary: aq.ColumnTable, observable: Observable, options: TrajectoryFigureOptions = {}): PlotlyFigure {
  const trajectory = meanTrajectory(summary, observable);
  const scale = numbers(trajectory, 'scaleN');
  const traces: PlotlyTrace[] = distinctSorted(scale).map((n, s) => {
    const rows = trajectory.filter(aq.escape((d: { scaleN: number }) => d.scaleN === n));
    return {
      type: 'scatter',
      mode: 'lines+markers',
      marker: { size: 3 },
      line: { width: 1.2, color: OKABE_ITO[s % OKABE_ITO.length] },
      x: Array.from(numbers(rows, 'epoch')),
      y: Array.from(numbers(rows, 'mean')),
      name: `N = ${n}`,
    };
  });
  const shapes: PlotlyLayout[] = [];
  const annotations: PlotlyLayout[] = [];
  if (options.runs) {
    const onsets = completedRuns(options.runs)
      .map((r) => r.trainOnset)
      .filter((o): o is number => typeof o === 'number' && Number.isFinite(o))
      .sort((a, b) => a - b);
    if (onsets.length) {
      const median = onsets.length % 2 ? onsets[(onsets.length - 1) / 2] : (onsets[onsets.length / 2 - 1] + onsets[onsets.length / 2]) / 2;
      shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: onsets[0], x1: onsets[onsets.length - 1], y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, layer: 'below' });
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: median, x1: median, y0: 0, y1: 1, line: { color: '#000000', width: 1, dash: 'dot' } });
      annotations.push({ text: `train onset (median ${median}, range ${onsets[0]}–${onsets[onsets.length - 1]})`, x: median, xref: 'x', y: 1, yref: 'paper', showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { size: 10 } });
    }
  }
  const layout = paperLayout(options.style ?? 'double', {
    title: options.title ? { text: options.title } : undefined,
    xaxis: { title: { text: 'epoch t' } },
    yaxis: { type: 'log', title: { text: `${OBSERVABLE_LABELS[observable]}, mean over seeds` } },
    legend: { x: 1.02, y: 1, xanchor: 'left' },
    margin: { t: 24 },
    shapes,
    annotations,
  });
  return { data: traces, layout };
}

/** Alternatives compared with the power law in {@link powerLawTable}, by default. */
export const POWER_LAW_TABLE_ALTERNATIVES: readonly AlternativeDistribution[] = ['lognormal', 'exponential', 'truncated_power_law'];

/** Options of {@link powerLawTable}. */
export interface PowerLawTableOptions {
  /** Which avalanche quantity is fitted ['size']. */
  quantity?: AvalancheQuantity;
  /** Synthetic data sets of the goodness-of-fit p-value (CSN semi-parametric bootstrap) [100]. */
  bootstrap?: number;
  /** Seed of the bootstrap [0]. */
  seed?: number;
  /** Groups with fewer avalanches than this get a "not enough data" row instead of a fit [50]. */
  minAvalanches?: number;
  /** Smallest tail a candidate xmin may leave (fitPowerLaw's minTail) [10]. */
  minTail?: number;
  /** Alternatives of the likelihood-ratio comparisons [lognormal, exponential, truncated_power_law]. */
  alternatives?: readonly AlternativeDistribution[];
  /** Read/write the table in the store (stage 'report-powerlaw', keyed by the data and options) [false]. */
  cache?: boolean;
  /** With cache: store root [storeRoot()]. */
  root?: string;
}

/** Short column suffix of an alternative. */
const ALTERNATIVE_SHORT: Record<AlternativeDistribution, string> = {
  exponential: 'exponential',
  lognormal: 'lognormal',
  stretched_exponential: 'stretched',
  truncated_power_law: 'truncated',
};

/** One row of {@link powerLawTable}. Numbers are null where no fit was made. */
export interface PowerLawRow {
  N: number;
  phase: OnsetPhase;
  /** Avalanches pooled over seeds, snapshots and graph seeds of this scale and phase. */
  avalanches: number;
  xmin: number | null;
  alpha: number | null;
  alphaSE: number | null;
  nTail: number | null;
  ks: number | null;
  /** Bootstrap goodness-of-fit p-value (p ≤ 0.1 rules the power law out). */
  p: number | null;
  /** 'power law plausible' / 'power law rejected' plus favoured alternatives, or 'not enough data: …'. */
  verdict: string;
  /** R_<alt> (log-likelihood ratio, > 0 favours the power law) and p_<alt>, per alternative. */
  [comparison: string]: number | string | null;
}

/** Fits one pooled sample; returns the numeric part of a row, or the reason no fit was made. */
function fitGroup(values: Float64Array, options: Required<Omit<PowerLawTableOptions, 'cache' | 'root' | 'quantity'>>, streamSeed: number): Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'> {
  const empty: Record<string, null> = { xmin: null, alpha: null, alphaSE: null, nTail: null, ks: null, p: null };
  for (const alt of options.alternatives) {
    empty[`R_${ALTERNATIVE_SHORT[alt]}`] = null;
    empty[`p_${ALTERNATIVE_SHORT[alt]}`] = null;
  }
  const notEnough = (why: string) => ({ ...empty, verdict: `not enough data: ${why}` }) as Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'>;
  if (values.length < options.minAvalanches) return notEnough(`${values.length} avalanches (need ≥ ${options.minAvalanches})`);
  let fit: PowerLawFit;
  try {
    fit = fitPowerLaw(values, { discrete: true, minTail: options.minTail });
  } catch (error) {
    // Only a degenerate sample (e.g. too few distinct sizes for any xmin) is "not enough data".
    if (error instanceof InvalidOptionError) return notEnough(error.message);
    throw error;
  }
  const p = powerLawPValue(values, fit, { bootstrap: options.bootstrap, seed: streamSeed });
  const row: Record<string, number | string | null> = {
    xmin: fit.xmin,
    alpha: fit.alpha,
    alphaSE: fit.alphaStandardError,
    nTail: fit.nTail,
    ks: fit.ks,
    p: p.pValue,
  };
  const favoured: string[] = [];
  for (const alt of options.alternatives) {
    const c = compareDistributions(values, fit, alt);
    row[`R_${ALTERNATIVE_SHORT[alt]}`] = c.logLikelihoodRatio;
    row[`p_${ALTERNATIVE_SHORT[alt]}`] = c.pValue;
    if (c.favoured === alt) favoured.push(alt.replace(/_/g, ' '));
  }
  const plausible = p.pValue > 0.1;
  row.verdict = `power law ${plausible ? 'plausible' : 'rejected'} (p ${plausible ? '>' : '≤'} 0.1)${favoured.length ? `; favoured over it: ${favoured.join(', ')}` : ''}`;
  return row as Omit<PowerLawRow, 'N' | 'phase' | 'avalanches'>;
}

/**
 * Power-law fits of the avalanche sizes pooled per scale N and phase (before / after the train
 * onset of each run), after Clauset, Shalizi & Newman (2009): discrete MLE of α with xmin chosen
 * by the KS distance, its standard error, the KS distance, the semi-parametric bootstrap p-value
 * (`bootstrap` synthetic sets; p ≤ 0.1 rules the power law out), and the log-likelihood ratio R
 * with its p-value against each alternative (Vuong's test; χ²₁ for the nested truncated power
 * law; R > 0 favours the power law). A group with fewer than `minAvalanches` avalanches, or one
 * in which no xmin leaves `minTail` observations with two distinct values, gets a row whose
 * numbers are null and whose verdict says "not enough data: …". Group g (in row order) bootstraps
 * with seed `seed + g`, so rows are independent and the table is reproducible byte for byte.
 * Rows: ascending N, 'pre' before 'post'; both phases are listed for every scale.
 * @param avalanches probeSnapshots' avalanches table (with or without the phase column)
 * @param runs the sweep's runs table (onsets)
 */
export async function powerLawTable(avalanches: aq.ColumnTable, runs: RunsInput, options: PowerLawTableOptions = {}): Promise<aq.ColumnTable> {
  const quantity = checkChoice('quantity', options.quantity ?? 'size', AVALANCHE_QUANTITIES);
  const resolved = {
    bootstrap: checkInteger('bootstrap', options.bootstrap ?? 100, 1),
    seed: checkInteger('seed', options.seed ?? 0, 0, 2 ** 31 - 1),
    minAvalanches: checkInteger('minAvalanches', options.minAvalanches ?? 50, 2),
    minTail: checkInteger('minTail', options.minTail ?? 10, 2),
    alternatives: (options.alternatives ?? POWER_LAW_TABLE_ALTERNATIVES).map((a) => checkChoice('alternatives', a, ALTERNATIVE_DISTRIBUTIONS)),
  };
  requireColumns(avalanches, 'avalanches', ['scaleN', 'seed', 'epoch', quantity]);
  const split = splitByOnset(avalanches.select('scaleN', 'seed', 'epoch', quantity), runs);
  const scale = numbers(split, 'scaleN');
  const value = numbers(split, quantity);
  const phase = split.array('phase') as ArrayLike<string>;
  const scales = distinctSorted(scale);
  const groups = scales.flatMap((n) => ONSET_PHASES.map((ph) => ({ N: n, phase: ph, values: [] as number[] })));
  const index = new Map(groups.map((g, i) => [`${g.N}:${g.phase}`, i]));
  for (let i = 0; i < value.length; i++) groups[index.get(`${scale[i]}:${phase[i]}`)!].values.push(value[i]);
  const compute = (): PowerLawRow[] =>
    groups.map((g, i) => {
      const values = Float64Array.from(g.values);
      return { N: g.N, phase: g.phase, avalanches: values.length, ...fitGroup(values, resolved, resolved.seed + i) } as PowerLawRow;
    });
  let rows: PowerLawRow[];
  if (options.cache) {
    // Key: the exact data of every group plus every option that changes a number.
    const data = groups.map((g) => ({ N: g.N, phase: g.phase, n: g.values.length, hash: hashBytes(Float64Array.from(g.values)) }));
    const config = { version: 1, quantity, ...resolved, data };
    const { entry } = await cached('report-powerlaw', config, () => ({ 'rows.json': JSON.stringify(compute()) }), { root: options.root });
    rows = entry.json('rows.json') as PowerLawRow[];
  } else {
    rows = compute();
  }
  return aq.from(rows);
}

/** Headline numbers of a {@link powerLawTable}, for a notebook's closing summary. */
export interface PowerLawFindings {
  /** Rows with a fit / rows with "not enough data". */
  fitted: number;
  notEnoughData: number;
  /** Fitted rows with bootstrap p > 0.1 (power law plausible). */
  plausible: number;
  /** Per phase: the range of α over fitted scales, and α at the largest fitted scale. */
  alphaRange: Record<OnsetPhase, [number, number] | null>;
  alphaLargest: Record<OnsetPhase, { N: number; alpha: number; alphaSE: number } | null>;
  /** Per phase: median over fitted scales of the share of avalanches in the fitted tail (nTail / avalanches), and the largest xmin. */
  tailShareMedian: Record<OnsetPhase, number | null>;
  xminMax: Record<OnsetPhase, number | null>;
  /** Per alternative: fitted rows in which it is significantly favoured over the power law (p < 0.1, R < 0). */
  favouredCounts: Record<string, number>;
}

/** Counts and ranges of a power-law table (see {@link PowerLawFindings}). */
export function powerLawFindings(table: aq.ColumnTable): PowerLawFindings {
  const rows = table.objects() as PowerLawRow[];
  const fittedRows = rows.filter((r) => r.alpha !== null && r.alpha !== undefined);
  const alphaRange = {} as PowerLawFindings['alphaRange'];
  const alphaLargest = {} as PowerLawFindings['alphaLargest'];
  const tailShareMedian = {} as PowerLawFindings['tailShareMedian'];
  const xminMax = {} as PowerLawFindings['xminMax'];
  for (const ph of ONSET_PHASES) {
    const own = fittedRows.filter((r) => r.phase === ph);
    const shares = own.map((r) => r.nTail! / r.avalanches).sort((a, b) => a - b);
    const m = shares.length;
    tailShareMedian[ph] = m === 0 ? null : m % 2 ? shares[(m - 1) / 2] : (shares[m / 2 - 1] + shares[m / 2]) / 2;
    xminMax[ph] = m === 0 ? null : Math.max(...own.map((r) => r.xmin!));
    alphaRange[ph] = own.length ? [Math.min(...own.map((r) => r.alpha!)), Math.max(...own.map((r) => r.alpha!))] : null;
    const last = own.reduce<PowerLawRow | null>((best, r) => (best === null || r.N > best.N ? r : best), null);
    alphaLargest[ph] = last ? { N: last.N, alpha: last.alpha!, alphaSE: last.alphaSE! } : null;
  }
  const favouredCounts: Record<string, number> = {};
  const columns = table.columnNames().filter((c) => c.startsWith('R_'));
  for (const column of columns) {
    const alt = column.slice(2);
    favouredCounts[alt] = fittedRows.filter((r) => (r[column] as number) < 0 && (r[`p_${alt}`] as number) < 0.1).length;
  }
  return {
    fitted: fittedRows.length,
    notEnoughData: rows.length - fittedRows.length,
    plausible: fittedRows.filter((r) => (r.p as number) > 0.1).length,
    alphaRange,
    alphaLargest,
    tailShareMedian,
    xminMax,
    favouredCounts,
  };
}

/** Headline numbers of notebook 02 (see {@link avalanchesHeadline}). */
export interface AvalanchesHeadline {
  /** Avalanches pooled over scales, seeds and snapshots, per phase. */
  avalanches: Record<OnsetPhase, number>;
  /** Snapshots probed per phase (summary rows). */
  snapshots: Record<OnsetPhase, number>;
  /** The largest scale, and the mean of S_total and s_max over its snapshots per phase (NaN when none). */
  largestN: number;
  sTotalMean: Record<OnsetPhase, number>;
  sMaxMean: Record<OnsetPhase, number>;
  /** Counts and exponent ranges of the power-law table. */
  fits: PowerLawFindings;
}

/**
 * The numbers notebook 02's closing paragraph states, from the split summary and avalanches
 * tables (see {@link splitByOnset}) and the power-law table.
 */
export function avalanchesHeadline(summary: aq.ColumnTable, avalanches: aq.ColumnTable, fits: aq.ColumnTable): AvalanchesHeadline {
  requireColumns(summary, 'summary', ['scaleN', 'phase', 'totalTopplings', 'sMax']);
  requireColumns(avalanches, 'avalanches', ['phase']);
  const count = (values: ArrayLike<string>) => {
    const out = { pre: 0, post: 0 };
    for (let i = 0; i < values.length; i++) out[values[i] as OnsetPhase]++;
    return out;
  };
  const scale = numbers(summary, 'scaleN');
  const phase = summary.array('phase') as ArrayLike<string>;
  const largestN = Math.max(...distinctSorted(scale));
  const meanAt = (column: string) => {
    const v = numbers(summary, column);
    const out = {} as Record<OnsetPhase, number>;
    for (const ph of ONSET_PHASES) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < v.length; i++) if (scale[i] === largestN && phase[i] === ph) (sum += v[i]), n++;
      out[ph] = n ? sum / n : NaN;
    }
    return out;
  };
  return {
    avalanches: count(avalanches.array('phase') as ArrayLike<string>),
    snapshots: count(phase),
    largestN,
    sTotalMean: meanAt('totalTopplings'),
    sMaxMean: meanAt('sMax'),
    fits: powerLawFindings(fits),
  };
}

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : Number(x.toPrecision(digits)).toString());

/** A short markdown paragraph of notebook 02's results; every number comes from `headline`. */
export function avalanchesSummaryMarkdown(headline: AvalanchesHeadline): string {
  const h = headline;
  const f = h.fits;
  const lines: string[] = [];
  lines.push(
    `**Avalanches.** ${h.avalanches.pre + h.avalanches.post} avalanches from ${h.snapshots.pre + h.snapshots.post} probed snapshots: ` +
      `${h.avalanches.pre} before onset (${h.snapshots.pre} snapshots), ${h.avalanches.post} after (${h.snapshots.post}).`,
  );
  lines.push(
    `**Cascade size at the largest scale (N = ${h.largestN}).** Mean S_total ${fmt(h.sTotalMean.pre)} before onset vs ${fmt(h.sTotalMean.post)} after` +
      ` (ratio ${fmt(h.sTotalMean.post / h.sTotalMean.pre)}); mean s_max ${fmt(h.sMaxMean.pre)} vs ${fmt(h.sMaxMean.post)}.`,
  );
  const range = (ph: OnsetPhase) => {
    const r = f.alphaRange[ph];
    if (!r) return 'no fit';
    return r[0] === r[1] ? `a single fit` : `α from ${fmt(r[0])} to ${fmt(r[1])} over scales`;
  };
  const largest = (ph: OnsetPhase) => (f.alphaLargest[ph] ? `α = ${fmt(f.alphaLargest[ph]!.alpha)} ± ${fmt(f.alphaLargest[ph]!.alphaSE, 2)} at N = ${f.alphaLargest[ph]!.N}` : 'no fit');
  lines.push(
    `**Power-law fits of the avalanche sizes.** ${f.fitted} of ${f.fitted + f.notEnoughData} (scale, phase) groups could be fitted` +
      (f.notEnoughData ? ` (${f.notEnoughData} had not enough data)` : '') +
      `; the power law is plausible (bootstrap p > 0.1) in ${f.plausible} of ${f.fitted}. ` +
      `Before onset: ${range('pre')} (${largest('pre')}); after onset: ${range('post')} (${largest('post')}).`,
  );
  const tails = ONSET_PHASES.filter((ph) => f.tailShareMedian[ph] !== null).map(
    (ph) => `${ph === 'pre' ? 'before' : 'after'} onset a median ${fmt(100 * f.tailShareMedian[ph]!, 2)} % of the avalanches (largest s_min ${f.xminMax[ph]})`,
  );
  if (tails.length) lines.push(`**How much of each sample the fits describe.** The fitted tails (s ≥ s_min) hold ${tails.join('; ')}: a fit on a small far tail describes the cutoff region rather than a scale-free range.`);
  const names: Record<string, string> = { truncated: 'truncated power law', stretched: 'stretched exponential' };
  const favoured = Object.entries(f.favouredCounts).map(([alt, n]) => `${names[alt] ?? alt} in ${n}`);
  if (favoured.length && f.fitted) lines.push(`**Alternatives favoured over the power law** (R < 0, p < 0.1), out of ${f.fitted} fits: ${favoured.join('; ')}.`);
  return lines.join('\n\n');
}
