/**
 * Figures 1–3 of a paper (notebook 08), built from the results of notebooks 01–04 and laid out
 * for a journal column (paperLayout: 8 pt ticks, 9 pt titles, Okabe–Ito colours):
 *   1. training accuracy, D(t) of S_total and the Gini coefficient of |θ|, stacked on one time axis;
 *   2. finite-size scaling of S_total and s_max against N, the avalanche-size CCDFs per scale, and
 *      the data collapse;
 *   3. D per topology for real gradients and the four nulls.
 * Single-column versions stack their panels vertically; double-column versions put them side by side.
 */
import type * as aq from 'arquero';
import type { CcdfCurve } from '../analysis/avalanches';
import type { CollapseAnalysis } from '../analysis/collapse';
import type { PhaseFit } from '../analysis/dimension';
import type { Observable } from '../analysis/observables';
import type { OnsetSummary } from '../analysis/runs';
import type { SweepCurves } from '../analysis/training';
import type { TrajectoryAnalysis } from '../analysis/trajectory';
import type { ExportItem } from '../plot/export';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { OBSERVABLE_HTML } from '../plot/names';
import { OKABE_ITO_NAMED, scaleColour } from '../plot/palette';
import { axisKey, axisName as axisRef, panelLetter, stackedDomains, thinIndices } from '../plot/panels';
import { wrapPlotlyText } from '../plot/finish';
import { inchesToPx, mergeLayout, paperLayout, paperStyle, PaperStyleName, pointsToPx } from '../plot/styles';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { interval } from '../util/format';
import { collapseTraces, dimensionTrajectoryTraces, scalingFitTraces } from './scaling';

function curveScales(curves: SweepCurves, metric: string): SweepCurves['scales'][string] {
  if (!curves?.scales?.[metric]) throw new InvalidOptionError('curves', `has no curves of ${metric} (pass sweepCurves(runs))`);
  return curves.scales[metric];
}

/** Default heights (inches) of the three figures per style. */
export const PAPER_FIGURE_HEIGHTS: Record<'figure1' | 'figure2' | 'figure3', Record<PaperStyleName, number>> = {
  figure1: { single: 5.2, double: 4.6 },
  figure2: { single: 7.2, double: 3.6 },
  figure3: { single: 3.8, double: 3.2 },
};

// ---------------------------------------------------------------- Figure 1

/** Inputs of Figure 1. */
export interface Figure1Inputs {
  /** sweepCurves(runs): per-epoch trainAccuracy and gini of every scale. */
  curves: SweepCurves;
  /** D(t) of the primary observable (trajectoryAnalysis(rows, 'totalTopplings', plan)). */
  trajectory: TrajectoryAnalysis;
  /** Train onsets of the sweep (onsetSummary). */
  onset: OnsetSummary;
}

/**
 * Figure 1: three panels stacked on one shared epoch axis — (a) training accuracy, mean over
 * seeds per scale; (b) D(t) of S_total with its bootstrap band, the D = 1 line and the lasting
 * crossing with CI; (c) Gini coefficient of |θ|, mean over seeds per scale. The median train
 * onset is a dotted line through all panels and its interquartile range a grey band.
 * @param options.maxPoints points per curve after thinning [300]
 */
export function paperFigure1(inputs: Figure1Inputs, options: { style?: PaperStyleName; maxPoints?: number } = {}): PlotlyFigure {
  const style = checkChoice('style', options.style ?? 'double', ['single', 'double'] as const);
  if (!inputs.trajectory?.trajectory) throw new InvalidOptionError('trajectory', `has no D(t) to draw (${inputs.trajectory?.reason ?? 'missing'})`);
  const maxPoints = options.maxPoints ?? 300;
  const base = paperLayout(style, { height: inchesToPx(PAPER_FIGURE_HEIGHTS.figure1[style]) });
  const domains = stackedDomains(3, 0.06);
  const traces: PlotlyTrace[] = [];
  const curves = (metric: string, k: number, showLegend: boolean) =>
    curveScales(inputs.curves, metric).map((curve, index): PlotlyTrace => {
      const keep = thinIndices(curve.epochs, maxPoints);
      return {
        type: 'scatter',
        mode: 'lines',
        xaxis: 'x',
        yaxis: axisRef('y', k),
        name: `N = ${curve.N}`,
        legendgroup: `N${curve.N}`,
        showlegend: showLegend,
        x: keep.map((i) => curve.epochs[i]),
        y: keep.map((i) => curve.mean[i]),
        line: { color: scaleColour(index), width: 1.1 },
      };
    });
  traces.push(...curves('trainAccuracy', 0, true));
  const t = inputs.trajectory.trajectory;
  const values = t.points.flatMap((p) => [p.D, p.ciLow, p.ciHigh]).filter(Number.isFinite);
  const yRange: [number, number] = [Math.min(0.8, ...values) - 0.05, Math.max(1.2, ...values) + 0.05];
  traces.push(...dimensionTrajectoryTraces(inputs.trajectory, { xaxis: 'x', yaxis: 'y2', onset: null, yRange, colour: OKABE_ITO_NAMED.black }).map((tr) => ({ ...tr, showlegend: false })));
  traces.push(...curves('gini', 2, false));
  const o = inputs.onset;
  const shapes: PlotlyLayout[] = [];
  if (Number.isFinite(o.q25) && Number.isFinite(o.q75)) shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: o.q25, x1: o.q75, y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, layer: 'below' });
  if (Number.isFinite(o.median)) shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: o.median, x1: o.median, y0: 0, y1: 1, line: { color: '#000000', width: 1, dash: 'dot' } });
  const c = inputs.trajectory.crossings?.lasting;
  const crossingText = c && Number.isFinite(c.time) ? `D = 1 (lasting, ${c.direction}) at t = ${c.time.toFixed(0)}${Number.isFinite(c.ciLow) ? ` ${interval(c.ciLow, c.ciHigh, 0)}` : ''}` : 'no lasting crossing of D = 1';
  const layout: PlotlyLayout = mergeLayout(base, {
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: -0.09, yanchor: 'top' },
    margin: { l: 52, r: 8, t: 20, b: 8 },
    shapes,
    annotations: [
      ...domains.map((d, k) => panelLetter(k, [0, 1], d)),
      // Above panel (b), right-aligned in the gap between the panels (the letter is on the left).
      { text: `${crossingText}; onset ${Number.isFinite(o.median) ? o.median.toFixed(0) : '—'}`, showarrow: false, xref: 'paper', yref: 'paper', x: 1, y: domains[1][1], xanchor: 'right', yanchor: 'bottom' },
    ],
  });
  const yTitles = ['training accuracy', 'D(t) of S<sub>total</sub>', 'Gini of |θ|'];
  // One x axis, drawn under the bottom panel: all three y axes share it.
  layout.xaxis = mergeLayout(base.xaxis as PlotlyLayout, { anchor: 'y3', title: { text: 'epoch t' } });
  domains.forEach((d, k) => {
    layout[axisKey('y', k)] = mergeLayout(base.yaxis as PlotlyLayout, { domain: d, anchor: 'x', title: { text: yTitles[k] }, ...(k === 1 ? { range: yRange } : {}) });
  });
  return { data: traces, layout };
}

// ---------------------------------------------------------------- Figure 2

/** Inputs of Figure 2. */
export interface Figure2Inputs {
  /** phaseFits(rows, plan): S_total and s_max before and after onset. */
  fits: PhaseFit[];
  /** CCDFs of the post-onset avalanche sizes per scale (sizeCcdfsByScale). */
  ccdf: CcdfCurve[];
  /** collapseAnalysis(probe, runs, plan) (post onset); the reason is shown when it has no result. */
  collapse: CollapseAnalysis;
}

const FIT_COLOURS: Record<Observable, Record<'pre' | 'post', string>> = {
  totalTopplings: { pre: OKABE_ITO_NAMED.skyBlue, post: OKABE_ITO_NAMED.blue },
  sMax: { pre: OKABE_ITO_NAMED.orange, post: OKABE_ITO_NAMED.vermillion },
};

/**
 * Figure 2: (a) exp⟨ln value⟩_N against N for S_total and s_max before (open, dashed) and after
 * (filled, solid) onset with the fitted lines (legend: D and 95 % CI); (b) CCDF P(s' ≥ s) of
 * post-onset avalanche sizes per scale; (c) the collapse s^τ P_N(s) against s / N^D. Double
 * column: panels side by side; single column: stacked.
 */
export function paperFigure2(inputs: Figure2Inputs, options: { style?: PaperStyleName } = {}): PlotlyFigure {
  const style = checkChoice('style', options.style ?? 'double', ['single', 'double'] as const);
  if (!inputs.fits.some((f) => f.fit)) throw new InvalidOptionError('fits', `no scaling fit to draw (${inputs.fits.map((f) => f.reason).join(' | ')})`);
  const base = paperLayout(style, { height: inchesToPx(PAPER_FIGURE_HEIGHTS.figure2[style]) });
  const traces: PlotlyTrace[] = [];
  traces.push(...scalingFitTraces(inputs.fits, { xaxis: 'x', yaxis: 'y', colourOf: (f) => FIT_COLOURS[f.observable][f.phase === 'pre' ? 'pre' : 'post'] }));
  inputs.ccdf.forEach((c, k) => {
    traces.push({ type: 'scatter', mode: 'lines', xaxis: 'x2', yaxis: 'y2', name: `N = ${c.scaleN}`, legendgroup: `N${c.scaleN}`, showlegend: true, x: Array.from(c.x), y: Array.from(c.p), line: { shape: 'hv', color: scaleColour(k), width: 1.1 } });
  });
  const r = inputs.collapse.result;
  if (r) traces.push(...collapseTraces(inputs.collapse, 'collapsed', { xaxis: 'x3', yaxis: 'y3', showLegend: false }).map((tr) => ({ ...tr, mode: 'lines', error_y: undefined })));
  // Panel geometry: a row (double) or a column (single).
  const gap = style === 'double' ? 0.1 : 0.12;
  const xDomains: Array<[number, number]> = style === 'double' ? [0, 1, 2].map((k) => [k * ((1 - 2 * gap) / 3 + gap), k * ((1 - 2 * gap) / 3 + gap) + (1 - 2 * gap) / 3] as [number, number]) : [[0, 1], [0, 1], [0, 1]];
  const yDomains: Array<[number, number]> = style === 'double' ? [[0, 1], [0, 1], [0, 1]] : stackedDomains(3, gap);
  const titles = [
    { x: 'N (parameters)', y: 'exp⟨ln S⟩<sub>N</sub>' },
    { x: 'avalanche size s (after onset)', y: 'P(s′ ≥ s)' },
    { x: 's / N<sup>D</sup>', y: 's<sup>τ</sup> P<sub>N</sub>(s)' },
  ];
  const layout: PlotlyLayout = mergeLayout(base, {
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: style === 'double' ? -0.2 : -0.06, yanchor: 'top' },
    margin: { l: 50, r: 8, t: 22, b: 8 },
    annotations: [
      ...[0, 1, 2].map((k) => panelLetter(k, xDomains[k], yDomains[k])),
      // With a collapse: its numbers above panel (c), right-aligned (the letter is on the left),
      // clear of the curves; one that does not hold has no exponents worth quoting, only S (kept
      // short so it clears the letter). Without one: the reason, wrapped, in the middle of the empty panel.
      r
        ? { text: r.holds ? `τ = ${r.tau.toFixed(2)}, D = ${r.D.toFixed(2)}, S = ${r.S.toFixed(1)}` : `no collapse (S = ${r.S.toFixed(1)})`, showarrow: false, xref: 'paper', yref: 'paper', x: xDomains[2][1], y: yDomains[2][1], xanchor: 'right', yanchor: 'bottom' }
        : {
            text: wrapPlotlyText(`no collapse: ${inputs.collapse.reason ?? 'no result'}`, Math.max(16, Math.floor((0.8 * inchesToPx(paperStyle(style).widthIn) * (xDomains[2][1] - xDomains[2][0])) / (0.56 * pointsToPx(paperStyle(style).fontSizePt))))),
            showarrow: false,
            xref: 'paper',
            yref: 'paper',
            x: (xDomains[2][0] + xDomains[2][1]) / 2,
            y: (yDomains[2][0] + yDomains[2][1]) / 2,
            xanchor: 'center',
            yanchor: 'middle',
          },
    ],
  });
  [0, 1, 2].forEach((k) => {
    // dtick 1: decades only, so that minor labels do not collide at 7 in / 3.4 in.
    layout[axisKey('x', k)] = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', dtick: 1, domain: xDomains[k], anchor: axisRef('y', k), title: { text: titles[k].x } });
    layout[axisKey('y', k)] = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', dtick: 1, domain: yDomains[k], anchor: axisRef('x', k), title: { text: titles[k].y } });
  });
  return { data: traces, layout };
}

// ---------------------------------------------------------------- Figure 3

/** Series of Figure 3: which (kind, phase) rows of the topology table, and how they look. */
const FIGURE3_SERIES = [
  { kind: 'real', phase: 'pre', name: 'real, before onset', colour: OKABE_ITO_NAMED.skyBlue, symbol: 'circle-open' },
  { kind: 'real', phase: 'post', name: 'real, after onset', colour: OKABE_ITO_NAMED.vermillion, symbol: 'circle' },
  { kind: 'permuted', phase: 'post', name: 'permuted real, after onset', colour: OKABE_ITO_NAMED.orange, symbol: 'diamond' },
  { kind: 'matched', phase: 'post', name: 'matched marginal, after onset', colour: OKABE_ITO_NAMED.reddishPurple, symbol: 'triangle-down' },
  { kind: 'gaussian', phase: 'all', name: 'Gaussian', colour: OKABE_ITO_NAMED.blue, symbol: 'square' },
  { kind: 'student-t', phase: 'all', name: 'Student-t (df 1.5)', colour: OKABE_ITO_NAMED.bluishGreen, symbol: 'triangle-up' },
] as const;

/**
 * Figure 3: D of one observable per topology (x, categories) for real gradients before and after
 * onset and for the nulls (permuted and matched after onset, Gaussian and Student-t over all
 * snapshots), as markers with 95 % bootstrap CI bars, dodged within each topology, and the
 * dashed D = 1 line.
 * @param table the tidy table of topologyComparison (topology, topologyLabel, kind, observable, phase, D, ciLow, ciHigh)
 */
export function paperFigure3(table: aq.ColumnTable | Array<Record<string, unknown>>, observable: Observable = 'totalTopplings', options: { style?: PaperStyleName } = {}): PlotlyFigure {
  const style = checkChoice('style', options.style ?? 'double', ['single', 'double'] as const);
  const rows = (Array.isArray(table) ? table : table.objects()) as Array<Record<string, any>>;
  const mine = rows.filter((r) => r.observable === observable);
  if (mine.length === 0) throw new InvalidOptionError('observable', `no rows for ${observable} in the topology table`);
  const topologies: string[] = [];
  const labels = new Map<string, string>();
  for (const r of mine) {
    if (!topologies.includes(r.topology)) topologies.push(r.topology);
    labels.set(r.topology, String(r.topologyLabel ?? r.topology));
  }
  const series = FIGURE3_SERIES.filter((s) => mine.some((r) => r.kind === s.kind && r.phase === s.phase));
  const width = 0.7;
  const traces: PlotlyTrace[] = series.map((s, j) => {
    const offset = series.length > 1 ? -width / 2 + (width * j) / (series.length - 1) : 0;
    const picked = topologies.map((t) => mine.find((r) => r.topology === t && r.kind === s.kind && r.phase === s.phase));
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    return {
      type: 'scatter',
      mode: 'markers',
      name: s.name,
      x: topologies.map((_, i) => i + offset),
      y: picked.map((r) => (r && finite(r.D) ? r.D : null)),
      customdata: topologies.map((t) => labels.get(t)),
      marker: { color: s.colour, symbol: s.symbol, size: 6, line: { color: s.colour, width: 1.2 } },
      error_y: {
        type: 'data',
        symmetric: false,
        array: picked.map((r) => (r && finite(r.ciHigh) && finite(r.D) ? r.ciHigh - r.D : null)),
        arrayminus: picked.map((r) => (r && finite(r.ciLow) && finite(r.D) ? r.D - r.ciLow : null)),
        color: s.colour,
        thickness: 1,
        width: 0,
      },
      hovertemplate: `${s.name}<br>%{customdata}<br>D = %{y:.3f}<extra></extra>`,
    };
  });
  traces.push({ type: 'scatter', mode: 'lines', name: 'D = 1', x: [-0.6, topologies.length - 0.4], y: [1, 1], line: { color: '#000000', width: 1, dash: 'dash' }, hoverinfo: 'skip' });
  const symbol = OBSERVABLE_HTML[observable];
  const short = (label: string) => label.replace(/ \(.*\)$/, '');
  return {
    data: traces,
    layout: paperLayout(style, {
      height: inchesToPx(PAPER_FIGURE_HEIGHTS.figure3[style]),
      showlegend: true,
      xaxis: { tickmode: 'array', tickvals: topologies.map((_, i) => i), ticktext: topologies.map((t) => (style === 'single' ? short(labels.get(t)!) : labels.get(t)!.replace(/ \(/, '<br>('))), range: [-0.6, topologies.length - 0.4], tickangle: style === 'single' ? -35 : 0, title: { text: style === 'single' ? '' : 'topology (mean degree ≈ 6)' } },
      yaxis: { title: { text: `D  (${symbol} ∝ N<sup>D</sup>)` } },
      legend: { orientation: 'h', x: 0, y: style === 'single' ? -0.5 : -0.3, yanchor: 'top' },
      margin: { l: 50, r: 8, t: 8, b: 8 },
    }),
  };
}

// ---------------------------------------------------------------- export set

/** Everything the three figures need. */
export interface PaperFigureInputs {
  figure1: Figure1Inputs;
  figure2: Figure2Inputs;
  /** The topology table (topologyComparison(...).table), or null to skip Figure 3. */
  topologyTable: aq.ColumnTable | null;
  /** Observable of Figure 3 ['totalTopplings']. */
  figure3Observable?: Observable;
}

/**
 * Export items for exportFigures: every figure in the single- and double-column styles, named
 * `<dir>/figure-<n>-<style>` with the heights of PAPER_FIGURE_HEIGHTS. Figure 3 is left out when
 * no topology table is given.
 */
export function paperFigureItems(inputs: PaperFigureInputs, dir: string, styles: PaperStyleName[] = ['single', 'double']): ExportItem[] {
  const items: ExportItem[] = [];
  for (const style of styles) {
    items.push({ figure: paperFigure1(inputs.figure1, { style }), basePath: `${dir}/figure-1-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure1[style] });
    items.push({ figure: paperFigure2(inputs.figure2, { style }), basePath: `${dir}/figure-2-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure2[style] });
    if (inputs.topologyTable) items.push({ figure: paperFigure3(inputs.topologyTable, inputs.figure3Observable ?? 'totalTopplings', { style }), basePath: `${dir}/figure-3-${style}`, style, heightIn: PAPER_FIGURE_HEIGHTS.figure3[style] });
  }
  return items;
}
