/**
 * Figures of notebook 07 (crackling noise): the size, duration and area distributions with their
 * fitted power laws, and ⟨s⟩(T) with the fitted and the predicted slope — drawn from the curves
 * of cracklingAnalysis.
 */
import type { CracklingAnalysis } from '../analysis/crackling';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { AVALANCHE_QUANTITY_LABELS } from '../plot/names';
import { OKABE_ITO } from '../plot/palette';
import { axisKey, axisName, panelDomains } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

const QUANTITIES = [
  { key: 'sizes', label: AVALANCHE_QUANTITY_LABELS.size, symbol: 'τ' },
  { key: 'durations', label: AVALANCHE_QUANTITY_LABELS.duration, symbol: 'α_T' },
  { key: 'areas', label: AVALANCHE_QUANTITY_LABELS.area, symbol: 'α_A' },
] as const;

function curvesOf(analysis: Pick<CracklingAnalysis, 'curves'>): CracklingAnalysis['curves'] {
  if (!analysis || !Array.isArray(analysis.curves)) throw new InvalidOptionError('analysis', 'must be the result of cracklingAnalysis');
  return analysis.curves;
}

/**
 * The size, duration and area distributions (three log–log panels): log-binned probability mass
 * per integer (markers, one colour per sample) and the fitted discrete power law from its xmin
 * to the largest value, scaled by the tail's share so it overlays the data (dashed lines).
 * Samples without a fit show data without a line.
 */
export function cracklingDistributionFigure(analysis: Pick<CracklingAnalysis, 'curves'>, options: { style?: 'single' | 'double' } = {}): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  const curves = curvesOf(analysis);
  QUANTITIES.forEach((q, p) => {
    curves.forEach((c, i) => {
      const { density, fit } = c.distributions[q.key];
      if (density.x.length === 0) return;
      const colour = OKABE_ITO[i % OKABE_ITO.length];
      const axes = { xaxis: axisName('x', p), yaxis: axisName('y', p) };
      traces.push({ type: 'scatter', mode: 'markers', name: c.sample, legendgroup: c.sample, showlegend: p === 0, marker: { color: colour, size: 4 }, x: density.x, y: density.y, ...axes });
      if (fit) traces.push({ type: 'scatter', mode: 'lines', name: `${c.sample}: ${q.symbol} = ${fit.exponent.toFixed(2)}`, legendgroup: c.sample, showlegend: false, line: { color: colour, width: 1.5, dash: 'dash' }, x: fit.x, y: fit.y, ...axes });
    });
  });
  // Legend key for the dashed lines (no data).
  traces.push({ type: 'scatter', mode: 'lines', name: 'power-law fit from x_min', x: [null], y: [null], line: { color: '#000000', width: 1.5, dash: 'dash' }, hoverinfo: 'skip' });
  const base = paperLayout(options.style ?? 'double');
  const domains = panelDomains(3, 0.08);
  const layout: PlotlyLayout = mergeLayout(base, { legend: { orientation: 'h', x: 0, y: -0.3, yanchor: 'top' }, margin: { t: 10, b: 10 } });
  QUANTITIES.forEach((q, p) => {
    layout[axisKey('x', p)] = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', title: { text: q.label.replace(/ \(.*\)$/, '') }, domain: domains[p], anchor: axisName('y', p) });
    layout[axisKey('y', p)] = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', title: { text: p === 0 ? 'P(x) (mass per integer)' : '' }, anchor: axisName('x', p), exponentformat: 'power' });
  });
  return { data: traces, layout };
}

/**
 * ⟨s⟩ against T (log–log): the binned means from each sample's duration xmin (markers), the
 * fitted γ line (solid) and a line of the predicted slope (α_T − 1)/(τ − 1) through the same
 * centroid (dotted). Samples without a γ show markers only.
 */
export function cracklingScalingFigure(analysis: Pick<CracklingAnalysis, 'curves'>, options: { style?: 'single' | 'double' } = {}): PlotlyFigure {
  const traces: PlotlyTrace[] = [];
  curvesOf(analysis).forEach((c, i) => {
    if (c.meanSize.x.length === 0) return;
    const colour = OKABE_ITO[i % OKABE_ITO.length];
    traces.push({ type: 'scatter', mode: 'markers', name: `${c.sample} (T ≥ ${c.meanSize.tmin})`, legendgroup: c.sample, marker: { color: colour, size: 5 }, x: c.meanSize.x, y: c.meanSize.y });
    if (c.gammaLine) traces.push({ type: 'scatter', mode: 'lines', name: `γ fitted = ${c.gammaLine.gamma.toFixed(2)}`, legendgroup: c.sample, line: { color: colour, width: 1.5 }, x: c.gammaLine.x, y: c.gammaLine.y });
    if (c.predictedLine) traces.push({ type: 'scatter', mode: 'lines', name: `(α_T−1)/(τ−1) = ${c.predictedLine.predicted.toFixed(2)}`, legendgroup: c.sample, line: { color: colour, width: 1.5, dash: 'dot' }, x: c.predictedLine.x, y: c.predictedLine.y });
  });
  const layout = paperLayout(options.style ?? 'double', {
    xaxis: { type: 'log', title: { text: 'avalanche duration T (generations)' } },
    yaxis: { type: 'log', title: { text: '⟨s⟩(T), mean size (topplings)' } },
    legend: { x: 1.02, y: 1, xanchor: 'left' },
    margin: { t: 10 },
  });
  return { data: traces, layout };
}
