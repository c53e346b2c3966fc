/**
 * Figures of the data collapse (dataCollapse, notebook 10; notebook 03 can use them for the real
 * avalanches): the curves with the chosen size window and the collapse, the estimates against
 * the candidate s_min, the quality S around the optimum, and recovered against true exponents.
 */
import type { CollapseQualityProfile } from '../fss/collapseProfile';
import type { CollapseEstimate, DataCollapseResult } from '../fss/dataCollapse';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { OKABE_ITO_NAMED, scaleColour } from '../plot/palette';
import { panelDomains, panelTitle } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';
import { fixed, interval } from '../util/format';

const fmt = (x: number, digits = 2) => fixed(x, digits, '—');

/** Two side-by-side panels: layout with x/y and x2/y2 axes. */
function twoPanels(options: { style?: 'single' | 'double'; title?: string }, axes: [PlotlyLayout, PlotlyLayout, PlotlyLayout, PlotlyLayout], titles: [string, string]): PlotlyLayout {
  const base = paperLayout(options.style ?? 'double');
  const [d0, d1] = panelDomains(2, 0.14);
  return mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    margin: { t: 28 },
    legend: { x: 1.02, xanchor: 'left', y: 1 },
    xaxis: mergeLayout(axes[0], { domain: d0, anchor: 'y' }),
    yaxis: mergeLayout(axes[1], { anchor: 'x' }),
    xaxis2: mergeLayout(base.xaxis as PlotlyLayout, mergeLayout(axes[2], { domain: d1, anchor: 'y2' })),
    yaxis2: mergeLayout(base.yaxis as PlotlyLayout, mergeLayout(axes[3], { anchor: 'x2' })),
    annotations: titles.map((text, k) => panelTitle(text, k === 0 ? d0 : d1)),
  });
}

/**
 * Left: P_N(s) against s for every scale, every bin with at least `minCount` avalanches; bins
 * inside the chosen window filled, outside it open and faint, s_min as a dotted line. Right:
 * the collapse A_N s^τ P_N(s) against s/N^D of the window's bins at the estimated τ, D, β, with
 * Poisson error bars; the panel title gives τ, D with their bootstrap intervals and S.
 */
export function dataCollapseFigure(result: DataCollapseResult, options: { style?: 'single' | 'double'; title?: string } = {}): PlotlyFigure {
  if (!result || !Number.isFinite(result.tau) || result.curves.length === 0) throw new InvalidOptionError('result', `has no collapse to draw (${result?.note || 'no fit'})`);
  const h = result.histogram;
  const minCount = result.options.minCount;
  const traces: PlotlyTrace[] = [];
  let yMin = Infinity;
  let yMax = 0;
  h.scales.forEach((N, i) => {
    const colour = scaleColour(i);
    const inside: number[] = [];
    const outside: number[] = [];
    for (let k = 0; k < h.centres.length; k++) {
      if (h.counts[i][k] < minCount) continue;
      const largest = h.discrete ? h.edges[k + 1] - 1 : h.edges[k + 1];
      (h.edges[k] >= result.sMin && largest <= result.sMax ? inside : outside).push(k);
    }
    const density = (k: number) => h.counts[i][k] / (h.totals[i] * h.widths[k]);
    for (const k of [...inside, ...outside]) {
      yMin = Math.min(yMin, density(k));
      yMax = Math.max(yMax, density(k));
    }
    const common = { type: 'scatter', xaxis: 'x', yaxis: 'y', legendgroup: `N${N}` };
    traces.push({ ...common, mode: 'markers', name: `N = ${N}, outside window`, showlegend: false, x: outside.map((k) => h.centres[k]), y: outside.map(density), marker: { color: colour, size: 3, symbol: 'circle-open', opacity: 0.5 } });
    traces.push({ ...common, mode: 'lines+markers', name: `N = ${N}`, x: inside.map((k) => h.centres[k]), y: inside.map(density), line: { color: colour, width: 1 }, marker: { color: colour, size: 3 } });
  });
  traces.push({ type: 'scatter', mode: 'lines', xaxis: 'x', yaxis: 'y', name: `s_min = ${result.sMin}`, x: [result.sMin, result.sMin], y: [yMin, yMax], line: { color: '#000000', width: 1, dash: 'dot' } });
  result.collapsed.forEach((c) => {
    const colour = scaleColour(Array.from(h.scales).indexOf(c.scaleN));
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      xaxis: 'x2',
      yaxis: 'y2',
      name: `N = ${c.scaleN}`,
      legendgroup: `N${c.scaleN}`,
      showlegend: false,
      x: Array.from(c.x),
      y: Array.from(c.y),
      error_y: { type: 'data', array: Array.from(c.dy), thickness: 0.8, width: 0, color: colour },
      line: { color: colour, width: 1 },
      marker: { color: colour, size: 3 },
    });
  });
  const amplitude = result.amplitude === 'normalization' ? 'A<sub>N</sub> ' : '';
  const layout = twoPanels(
    options,
    [
      { type: 'log', title: { text: 'avalanche size s' } },
      { type: 'log', title: { text: 'P<sub>N</sub>(s)' } },
      { type: 'log', title: { text: 's / N<sup>D</sup>' } },
      { type: 'log', title: { text: `${amplitude}s<sup>τ</sup> P<sub>N</sub>(s)` } },
    ],
    [`as measured; window s ≥ ${result.sMin} (S = ${fmt(result.uncollapsedS, 1)})`, `τ = ${fmt(result.tau)} ${interval(result.tauLow, result.tauHigh, 2, '')}, D = ${fmt(result.D)} ${interval(result.DLow, result.DHigh, 2, '')}, S = ${fmt(result.S)}`],
  );
  return { data: traces, layout };
}

/**
 * τ (left) and D (right) fitted at each candidate s_min, with ± one bootstrap SD, the chosen
 * s_min as a filled diamond; `truth` (when known) as dashed lines.
 */
export function collapseCandidatesFigure(result: DataCollapseResult, options: { style?: 'single' | 'double'; title?: string; truth?: { tau: number; D: number } } = {}): PlotlyFigure {
  const c = result?.candidates?.filter((k) => Number.isFinite(k.tau)) ?? [];
  if (c.length === 0) throw new InvalidOptionError('result', `has no fitted s_min candidate (${result?.note || 'no fit'})`);
  const traces: PlotlyTrace[] = [];
  const x = c.map((k) => k.sMin);
  (['tau', 'D'] as const).forEach((p, panel) => {
    const axes = { xaxis: panel === 0 ? 'x' : 'x2', yaxis: panel === 0 ? 'y' : 'y2' };
    const colour = panel === 0 ? OKABE_ITO_NAMED.blue : OKABE_ITO_NAMED.vermillion;
    const sd = c.map((k) => (p === 'tau' ? k.tauBootstrapError : k.DBootstrapError));
    traces.push({ type: 'scatter', mode: 'lines+markers', ...axes, name: p === 'tau' ? 'τ at s_min (± bootstrap SD)' : 'D at s_min (± bootstrap SD)', x, y: c.map((k) => k[p]), error_y: { type: 'data', array: sd.map((v) => (Number.isFinite(v) ? v : 0)), thickness: 0.8, width: 2, color: colour }, line: { color: colour, width: 1 }, marker: { color: colour, size: 5 } });
    const chosen = c.find((k) => k.chosen);
    if (chosen) traces.push({ type: 'scatter', mode: 'markers', ...axes, name: 'chosen s_min', showlegend: panel === 0, x: [chosen.sMin], y: [chosen[p]], marker: { symbol: 'diamond', size: 9, color: '#000000' } });
    const truth = options.truth?.[p];
    if (Number.isFinite(truth)) traces.push({ type: 'scatter', mode: 'lines', ...axes, name: 'true value', showlegend: panel === 0, x: [x[0], x[x.length - 1]], y: [truth, truth], line: { color: '#000000', width: 1, dash: 'dash' } });
  });
  const layout = twoPanels(options, [{ type: 'log', title: { text: 'lower cutoff s_min' } }, { title: { text: 'τ' } }, { type: 'log', title: { text: 'lower cutoff s_min' } }, { title: { text: 'D' } }], ['τ against s_min', 'D against s_min']);
  layout.legend = { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' };
  return { data: traces, layout };
}

/**
 * The quality S along τ (left) and D (right) through the optimum (collapseQualityProfile), the
 * optimum as a marker, the bootstrap interval as a grey band and S_min + 1 (the
 * Houdayer–Hartmann error convention) as a dotted line.
 */
export function collapseProfileFigure(result: DataCollapseResult, profiles: CollapseQualityProfile[], options: { style?: 'single' | 'double'; title?: string } = {}): PlotlyFigure {
  const tau = profiles.find((p) => p.parameter === 'tau');
  const D = profiles.find((p) => p.parameter === 'D');
  if (!tau || !D) throw new InvalidOptionError('profiles', "needs one profile of 'tau' and one of 'D' (collapseQualityProfile)");
  const traces: PlotlyTrace[] = [];
  [tau, D].forEach((p, panel) => {
    const axes = { xaxis: panel === 0 ? 'x' : 'x2', yaxis: panel === 0 ? 'y' : 'y2' };
    const S = Array.from(p.S).filter(Number.isFinite);
    const top = Math.max(...S);
    const bottom = Math.min(...S);
    const low = p.parameter === 'tau' ? result.tauLow : result.DLow;
    const high = p.parameter === 'tau' ? result.tauHigh : result.DHigh;
    if (Number.isFinite(low)) traces.push({ type: 'scatter', mode: 'lines', ...axes, name: `${Math.round(result.confidence * 100)} % bootstrap interval`, showlegend: panel === 0, x: [low, low, high, high, low], y: [bottom, top, top, bottom, bottom], fill: 'toself', fillcolor: 'rgba(0,0,0,0.1)', line: { width: 0 }, hoverinfo: 'skip' });
    traces.push({ type: 'scatter', mode: 'lines', ...axes, name: 'S', showlegend: panel === 0, x: Array.from(p.values), y: Array.from(p.S), line: { color: OKABE_ITO_NAMED.blue, width: 1.2 } });
    traces.push({ type: 'scatter', mode: 'lines', ...axes, name: 'S at optimum + 1', showlegend: panel === 0, x: [p.values[0], p.values[p.values.length - 1]], y: [p.optimumS + 1, p.optimumS + 1], line: { color: '#000000', width: 1, dash: 'dot' } });
    traces.push({ type: 'scatter', mode: 'markers', ...axes, name: 'optimum', showlegend: panel === 0, x: [p.optimum], y: [p.optimumS], marker: { symbol: 'diamond', size: 8, color: OKABE_ITO_NAMED.vermillion } });
  });
  const layout = twoPanels(options, [{ title: { text: 'τ' } }, { title: { text: 'quality S' } }, { title: { text: 'D' } }, { title: { text: 'quality S' } }], ['S along τ (D, β at optimum)', 'S along D (τ, β at optimum)']);
  layout.legend = { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' };
  return { data: traces, layout };
}

/** One recovered collapse for {@link collapseRecoveryFigure}. */
export interface RecoveryPoint extends CollapseEstimate {
  label: string;
  truthTau: number;
  truthD: number;
}

/**
 * Recovered minus true τ (left) and D (right) for each case, with the bootstrap intervals as
 * error bars (also shifted by the truth), and the ±`tolerance` band the tests demand.
 */
export function collapseRecoveryFigure(points: RecoveryPoint[], options: { style?: 'single' | 'double'; title?: string; tolerance?: number } = {}): PlotlyFigure {
  if (!Array.isArray(points) || points.length === 0) throw new InvalidOptionError('points', 'must be a non-empty array of recovered collapses');
  const tolerance = options.tolerance ?? 0.1;
  const labels = points.map((p) => p.label);
  const traces: PlotlyTrace[] = [];
  (['tau', 'D'] as const).forEach((q, panel) => {
    const axes = { xaxis: panel === 0 ? 'x' : 'x2', yaxis: panel === 0 ? 'y' : 'y2' };
    const truth = (p: RecoveryPoint) => (q === 'tau' ? p.truthTau : p.truthD);
    const est = (p: RecoveryPoint) => (q === 'tau' ? p.tau : p.D);
    const lo = (p: RecoveryPoint) => (q === 'tau' ? p.tauLow : p.DLow);
    const hi = (p: RecoveryPoint) => (q === 'tau' ? p.tauHigh : p.DHigh);
    traces.push({ type: 'scatter', mode: 'lines', ...axes, name: `± ${tolerance}`, showlegend: panel === 0, x: [labels[0], labels[labels.length - 1], labels[labels.length - 1], labels[0], labels[0]], y: [-tolerance, -tolerance, tolerance, tolerance, -tolerance], fill: 'toself', fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, hoverinfo: 'skip' });
    traces.push({
      type: 'scatter',
      mode: 'markers',
      ...axes,
      name: 'estimate − truth (95 % bootstrap interval)',
      showlegend: panel === 0,
      x: labels,
      y: points.map((p) => est(p) - truth(p)),
      error_y: { type: 'data', symmetric: false, array: points.map((p) => hi(p) - est(p)), arrayminus: points.map((p) => est(p) - lo(p)), thickness: 1, width: 3, color: OKABE_ITO_NAMED.blue },
      marker: { color: OKABE_ITO_NAMED.blue, size: 6 },
    });
  });
  const layout = twoPanels(options, [{ type: 'category', tickangle: -30 }, { title: { text: 'τ̂ − τ' }, zeroline: true }, { type: 'category', tickangle: -30 }, { title: { text: 'D̂ − D' }, zeroline: true }], ['τ', 'D']);
  layout.legend = { orientation: 'h', x: 0, y: -0.45, yanchor: 'top' };
  return { data: traces, layout };
}
