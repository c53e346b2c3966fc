/**
 * Figures of notebook 03 (finite-size scaling), reused by the paper figures: D(t) with its
 * bootstrap band, the onset and the lasting crossing of D = 1; the scaling fits value ∝ N^D
 * before and after the onset; the data collapse. Drawn from trajectoryAnalysis, phaseFits,
 * onsetSummary and collapseAnalysis (the collapse itself: figures/dataCollapse).
 */
import type { CollapseAnalysis } from '../analysis/collapse';
import type { PhaseFit } from '../analysis/dimension';
import type { OnsetSummary } from '../analysis/runs';
import type { TrajectoryAnalysis } from '../analysis/trajectory';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { OBSERVABLE_HTML, OBSERVABLE_LABELS, OBSERVABLE_SYMBOLS, PHASE_LABELS } from '../plot/names';
import { fixed as fixedOr } from '../util/format';

const fixed = (x: number | null | undefined, digits = 2) => fixedOr(x, digits, '—');
import { OKABE_ITO_NAMED, scaleColour, withAlpha } from '../plot/palette';
import { axisKey, axisName, panelDomains, panelTitle } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

/** Options of {@link dimensionTrajectoryTraces}. */
export interface TrajectoryTraceOptions {
  /** Axes of the panel ['x', 'y']. */
  xaxis?: string;
  yaxis?: string;
  /** Onsets of the sweep (epoch time): a dotted line at the median and a grey quartile band [none]. */
  onset?: OnsetSummary | null;
  /** The panel's y range (the onset line spans it). */
  yRange: [number, number];
  /** Show legend entries [true]. */
  showLegend?: boolean;
  /** Colour of D(t) [blue for S_total, vermillion for s_max]. */
  colour?: string;
}

/**
 * The traces of one D(t) panel, each named: '95 % bootstrap band' (upper edge + lower edge
 * filled to it), 'D(t), <obs>' (line + markers), 'D = 1' (dashed line over the time range),
 * 'median train onset' (dotted vertical line; epoch time only) with 'onset quartiles' (grey
 * band), and 'D = 1 crossing' (marker at the lasting crossing with its CI as a horizontal bar).
 */
export function dimensionTrajectoryTraces(analysis: TrajectoryAnalysis, options: TrajectoryTraceOptions): PlotlyTrace[] {
  const t = analysis.trajectory;
  if (!t) return [];
  const xaxis = options.xaxis ?? 'x';
  const yaxis = options.yaxis ?? 'y';
  const show = options.showLegend ?? true;
  const colour = options.colour ?? (analysis.observable === 'totalTopplings' ? OKABE_ITO_NAMED.blue : OKABE_ITO_NAMED.vermillion);
  const x = t.points.map((p) => p.time);
  const common = { xaxis, yaxis, type: 'scatter' };
  const traces: PlotlyTrace[] = [];
  const [y0, y1] = options.yRange;
  const onset = analysis.time === 'epoch' ? options.onset : { median: 0, q25: NaN, q75: NaN, field: 'trainOnset' };
  const onsetWord = onset && 'field' in onset && onset.field === 'testOnset' ? 'test onset' : 'train onset';
  if (onset && Number.isFinite(onset.q25) && Number.isFinite(onset.q75)) {
    traces.push({ ...common, mode: 'lines', name: 'onset quartiles', legendgroup: 'onsetband', showlegend: show, x: [onset.q25, onset.q25, onset.q75, onset.q75, onset.q25], y: [y0, y1, y1, y0, y0], fill: 'toself', fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, hoverinfo: 'skip' });
  }
  if (t.bootstrap > 0) {
    traces.push({ ...common, mode: 'lines', name: '95 % bootstrap band (upper)', legendgroup: `band${analysis.observable}`, showlegend: false, x, y: t.points.map((p) => p.ciHigh), line: { width: 0, color: colour }, hoverinfo: 'skip' });
    traces.push({ ...common, mode: 'lines', name: `${Math.round(t.confidence * 100)} % bootstrap band`, legendgroup: `band${analysis.observable}`, showlegend: show, x, y: t.points.map((p) => p.ciLow), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: withAlpha(colour, 0.25), hoverinfo: 'skip' });
  }
  traces.push({ ...common, mode: 'lines+markers', name: `D(t), ${OBSERVABLE_SYMBOLS[analysis.observable]}`, showlegend: show, x, y: t.points.map((p) => p.D), line: { color: colour, width: 1.5 }, marker: { color: colour, size: 3 } });
  traces.push({ ...common, mode: 'lines', name: `D = ${analysis.level}`, legendgroup: 'level', showlegend: show, x: [x[0], x[x.length - 1]], y: [analysis.level, analysis.level], line: { color: '#000000', width: 1, dash: 'dash' }, hoverinfo: 'skip' });
  if (onset && Number.isFinite(onset.median)) {
    traces.push({ ...common, mode: 'lines', name: analysis.time === 'epoch' ? `median ${onsetWord}` : 'onset (t − onset = 0)', legendgroup: 'onset', showlegend: show, x: [onset.median, onset.median], y: [y0, y1], line: { color: '#000000', width: 1, dash: 'dot' } });
  }
  const c = analysis.crossings?.lasting;
  if (c && Number.isFinite(c.time)) {
    traces.push({
      ...common,
      mode: 'markers',
      name: `D = ${c.level} crossing (lasting, ${c.direction}, 95 % CI)`,
      legendgroup: 'crossing',
      showlegend: show,
      x: [c.time],
      y: [c.level],
      marker: { symbol: 'diamond', size: 7, color: '#ffffff', line: { color: '#000000', width: 1.2 } },
      // An open upper end (Infinity: no crossing is ruled out after the last snapshot) runs to the last snapshot.
      error_x: {
        type: 'data',
        symmetric: false,
        array: [Number.isFinite(c.ciHigh) ? c.ciHigh - c.time : c.ciHigh === Infinity ? (t.points.at(-1)?.time ?? c.time) - c.time : 0],
        arrayminus: [Number.isFinite(c.ciLow) ? c.time - c.ciLow : 0],
        color: '#000000',
        thickness: 1,
        width: 3,
      },
    });
  }
  return traces;
}

/** A y range holding every D and CI of the trajectories and [0.8, 1.2], padded by 5 %. */
function trajectoryYRange(analyses: TrajectoryAnalysis[]): [number, number] {
  const values = analyses.flatMap((a) => (a.trajectory?.points ?? []).flatMap((p) => [p.D, p.ciLow, p.ciHigh])).filter(Number.isFinite);
  const lo = Math.min(0.8, ...values);
  const hi = Math.max(1.2, ...values);
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/**
 * D(t) panels side by side, one per analysis (S_total first, then s_max), sharing the y range:
 * the bootstrap band, D(t), the D = 1 line, the onset (median line and quartile band; at 0 in
 * aligned time) and the lasting crossing with its CI. Analyses without a trajectory are left
 * out (their reason is in the analysis).
 */
export function dimensionTrajectoryFigure(analyses: TrajectoryAnalysis[], onset: OnsetSummary | null, options: { style?: 'single' | 'double'; title?: string; heightPx?: number } = {}): PlotlyFigure {
  const shown = analyses.filter((a) => a.trajectory);
  if (shown.length === 0) throw new InvalidOptionError('analyses', `no trajectory to draw (${analyses.map((a) => a.reason).join(' | ') || 'empty list'})`);
  const yRange = trajectoryYRange(shown);
  const domains = panelDomains(shown.length);
  const base = paperLayout(options.style ?? 'double');
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    height: options.heightPx,
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    margin: { t: 28, b: 8 },
    annotations: shown.map((a, k) => panelTitle(OBSERVABLE_LABELS[a.observable], domains[k])),
  });
  const traces: PlotlyTrace[] = [];
  shown.forEach((a, k) => {
    const xa = axisName('x', k);
    const ya = axisName('y', k);
    traces.push(...dimensionTrajectoryTraces(a, { xaxis: xa, yaxis: ya, onset, yRange, showLegend: true }));
    layout[axisKey('x', k)] = mergeLayout(base.xaxis as PlotlyLayout, { domain: domains[k], anchor: ya, title: { text: a.time === 'epoch' ? 'epoch t' : 'epoch − run onset' } });
    layout[axisKey('y', k)] = mergeLayout(base.yaxis as PlotlyLayout, { anchor: xa, range: yRange, title: { text: k === 0 ? `D(t)  (${OBSERVABLE_HTML[a.observable]} ∝ N<sup>D</sup>)` : `D(t)  (${OBSERVABLE_HTML[a.observable]})` } });
  });
  // One legend entry per kind of trace: later panels repeat names, drop their duplicates.
  const seen = new Set<string>();
  for (const tr of traces) {
    if (tr.showlegend === false) continue;
    const key = String(tr.name).replace(/, (S_total|s_max)$/, '');
    if (seen.has(key) && !/^D\(t\)/.test(String(tr.name))) tr.showlegend = false;
    seen.add(key);
  }
  return { data: traces, layout };
}

/** Colours and symbols of the phases in scaling figures. */
const PHASE_STYLE = {
  pre: { colour: OKABE_ITO_NAMED.skyBlue, symbol: 'circle-open', dash: 'dash' },
  post: { colour: OKABE_ITO_NAMED.vermillion, symbol: 'circle', dash: 'solid' },
  all: { colour: OKABE_ITO_NAMED.black, symbol: 'square', dash: 'dot' },
} as const;

/**
 * The traces of one log–log scaling panel: for each fit, the per-scale geometric means
 * exp⟨ln value⟩_N (markers, named '<obs>, <phase>') and the fitted line exp(c) N^D over the
 * fitted scales (named '<obs>, <phase>: D = … [CI]'), whose slope in log–log is exactly D.
 */
export function scalingFitTraces(fits: PhaseFit[], options: { xaxis?: string; yaxis?: string; showLegend?: boolean; colourOf?: (f: PhaseFit) => string } = {}): PlotlyTrace[] {
  const traces: PlotlyTrace[] = [];
  for (const f of fits) {
    const fit = f.fit;
    if (!fit) continue;
    const style = PHASE_STYLE[f.phase];
    const colour = options.colourOf ? options.colourOf(f) : style.colour;
    const common = { type: 'scatter', xaxis: options.xaxis ?? 'x', yaxis: options.yaxis ?? 'y', legendgroup: `${f.observable}${f.phase}`, showlegend: options.showLegend ?? true };
    const name = `${OBSERVABLE_SYMBOLS[f.observable]}, ${PHASE_LABELS[f.phase]}`;
    traces.push({ ...common, mode: 'markers', name, showlegend: false, x: fit.scales, y: fit.meanLog.map(Math.exp), marker: { color: colour, symbol: style.symbol, size: 6, line: { color: colour, width: 1.2 } }, hovertemplate: `${name}<br>N = %{x}<br>exp⟨ln value⟩ = %{y:.4g}<extra></extra>` });
    const lo = fit.scales[0];
    const hi = fit.scales[fit.scales.length - 1];
    const line = (N: number) => Math.exp(fit.intercept + fit.D * Math.log(N));
    const ci = Number.isFinite(fit.ciLow) ? ` [${fixed(fit.ciLow)}, ${fixed(fit.ciHigh)}]` : '';
    traces.push({ ...common, mode: 'lines+markers', name: `${name}: D = ${fixed(fit.D)}${ci}`, x: [lo, hi], y: [line(lo), line(hi)], line: { color: colour, width: 1.2, dash: style.dash }, marker: { size: 0.1, color: colour, symbol: style.symbol } });
  }
  return traces;
}

/**
 * log value against log N, one panel per observable (S_total first): the per-scale geometric
 * means before and after onset with the fitted lines value ∝ N^D (legend: D with its 95 % CI).
 */
export function scalingFitFigure(fits: PhaseFit[], options: { style?: 'single' | 'double'; title?: string } = {}): PlotlyFigure {
  const observables = (['totalTopplings', 'sMax'] as const).filter((o) => fits.some((f) => f.observable === o && f.fit));
  if (observables.length === 0) throw new InvalidOptionError('fits', `no fit to draw (${fits.map((f) => f.reason).join(' | ') || 'empty list'})`);
  const domains = panelDomains(observables.length, 0.14);
  const base = paperLayout(options.style ?? 'double');
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    legend: { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' },
    margin: { t: 24, b: 8 },
  });
  const traces: PlotlyTrace[] = [];
  observables.forEach((o, k) => {
    const xa = axisName('x', k);
    const ya = axisName('y', k);
    traces.push(...scalingFitTraces(fits.filter((f) => f.observable === o), { xaxis: xa, yaxis: ya }));
    layout[axisKey('x', k)] = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', domain: domains[k], anchor: ya, title: { text: 'N (parameters)' } });
    layout[axisKey('y', k)] = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', anchor: xa, title: { text: `exp⟨ln ${OBSERVABLE_HTML[o]}⟩<sub>N</sub>` } });
  });
  return { data: traces, layout };
}

/**
 * The traces of a collapse panel: one curve per scale (colour by scale, legend 'N = …'),
 * either as measured (P_N(s) against s) or collapsed (s^τ P_N(s) against s / N^D at the
 * optimum), with Poisson error bars.
 */
export function collapseTraces(collapse: Pick<CollapseAnalysis, 'curves' | 'scaled'>, which: 'measured' | 'collapsed', options: { xaxis?: string; yaxis?: string; showLegend?: boolean } = {}): PlotlyTrace[] {
  const data = which === 'collapsed' ? collapse.scaled : collapse.curves.map((c) => ({ scaleN: c.scaleN, x: c.s, y: c.p, dy: c.dp }));
  return data.map((c, k) => ({
    type: 'scatter',
    mode: 'lines+markers',
    xaxis: options.xaxis ?? 'x',
    yaxis: options.yaxis ?? 'y',
    name: `N = ${c.scaleN}`,
    legendgroup: `N${c.scaleN}`,
    showlegend: options.showLegend ?? true,
    x: Array.from(c.x),
    y: Array.from(c.y),
    error_y: { type: 'data', array: Array.from(c.dy), thickness: 0.8, width: 0, color: scaleColour(k) },
    line: { color: scaleColour(k), width: 1 },
    marker: { color: scaleColour(k), size: 3 },
  }));
}
