/**
 * Figures of notebook 02 (gradient avalanches): avalanche-size CCDFs per scale before and after
 * the onset, and the trajectories S_total(t) and s_max(t) — drawn from avalancheAnalysis.
 */
import type { AvalancheAnalysis, AvalancheQuantity, CcdfCurve } from '../analysis/avalanches';
import type { Observable } from '../analysis/observables';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { OKABE_ITO } from '../plot/palette';
import { panelDomains, panelTitle } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { AVALANCHE_QUANTITY_LABELS, AVALANCHE_QUANTITY_SYMBOLS, OBSERVABLE_LABELS, PHASE_LABELS } from '../plot/names';
import { checkChoice, InvalidOptionError } from '../util/errors';

/** Options of {@link ccdfFigure}. */
export interface CcdfFigureOptions {
  /** Which avalanche quantity ['size']. */
  quantity?: AvalancheQuantity;
  /** 'both': two panels, before onset (left) and after (right), same axes ranges; 'pre' or 'post': one panel; 'all': one panel of every snapshot ['both']. */
  phase?: 'pre' | 'post' | 'both' | 'all';
  /** Paper style of the layout ['double']. */
  style?: 'single' | 'double';
  /** Figure title [none]. */
  title?: string;
}

/**
 * Log–log plot of the empirical CCDF P(X ≥ x) of avalanche sizes (or areas, durations), one
 * curve per scale (legend "N = …", Okabe–Ito colours in ascending N) and phase; runs without an
 * onset appear only in 'all'. Groups with no avalanche are left out.
 */
export function ccdfFigure(analysis: Pick<AvalancheAnalysis, 'ccdf'>, options: CcdfFigureOptions = {}): PlotlyFigure {
  const quantity = checkChoice('quantity', options.quantity ?? 'size', ['size', 'area', 'duration'] as const);
  const phaseChoice = checkChoice('phase', options.phase ?? 'both', ['pre', 'post', 'both', 'all'] as const);
  const curves: CcdfCurve[] | undefined = analysis?.ccdf?.[quantity];
  if (!curves) throw new InvalidOptionError('analysis', 'must be the result of avalancheAnalysis');
  const panels: Array<'pre' | 'post' | 'all'> = phaseChoice === 'both' ? ['pre', 'post'] : [phaseChoice];
  const scales = [...new Set(curves.map((c) => c.scaleN))].sort((a, b) => a - b);
  const traces: PlotlyTrace[] = [];
  const legendShown = new Set<number>();
  panels.forEach((panel, p) => {
    scales.forEach((n, s) => {
      const curve = curves.find((c) => c.scaleN === n && c.phase === panel);
      if (!curve) return;
      const name = `N = ${n}`;
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
        hovertemplate: `${name}, ${panel === 'all' ? '' : panel + ' onset, '}n = ${curve.n}<br>x = %{x}<br>P(X ≥ x) = %{y:.3g}<extra></extra>`,
      });
      legendShown.add(s);
    });
  });
  const base = paperLayout(options.style ?? 'double');
  const axisTitle = AVALANCHE_QUANTITY_LABELS[quantity];
  const words = { pre: `${PHASE_LABELS.pre} (epoch < onset)`, post: `${PHASE_LABELS.post} (epoch ≥ onset)`, all: PHASE_LABELS.all };
  const domains = panels.length === 2 ? panelDomains(2, 0.08) : [[0, 1] as [number, number]];
  const layout: PlotlyLayout = mergeLayout(base, {
    title: options.title ? { text: options.title } : undefined,
    xaxis: { type: 'log', title: { text: axisTitle }, domain: domains[0] },
    yaxis: { type: 'log', title: { text: `P(${AVALANCHE_QUANTITY_SYMBOLS[quantity]} ≥ x)` } },
    legend: { x: 1.02, y: 1, xanchor: 'left' },
    margin: { t: 28 },
    annotations: panels.map((panel, p) => panelTitle(words[panel], domains[p])),
  });
  if (panels.length === 2) {
    layout.xaxis2 = mergeLayout(base.xaxis as PlotlyLayout, { type: 'log', title: { text: axisTitle }, domain: domains[1], anchor: 'y2', matches: 'x' });
    layout.yaxis2 = mergeLayout(base.yaxis as PlotlyLayout, { type: 'log', anchor: 'x2', matches: 'y' });
  }
  return { data: traces, layout };
}

/** Options of {@link sTrajectoryFigure}. */
export interface TrajectoryFigureOptions {
  /** Mark the median train onset (line) and its range over runs (band) [true]. */
  showOnset?: boolean;
  /** Paper style of the layout ['double']. */
  style?: 'single' | 'double';
  /** Figure title [none]. */
  title?: string;
}

/**
 * S_total(t) or s_max(t): the mean over seeds (and graph seeds) of the observable at each
 * snapshot epoch, one line per scale N (log y axis); the median onset over the runs that reached
 * one is a dotted vertical line, and their range a grey band.
 */
export function sTrajectoryFigure(analysis: Pick<AvalancheAnalysis, 'trajectories' | 'onset'>, observable: Observable, options: TrajectoryFigureOptions = {}): PlotlyFigure {
  checkChoice('observable', observable, ['totalTopplings', 'sMax'] as const);
  const points = analysis?.trajectories?.[observable];
  if (!points) throw new InvalidOptionError('analysis', 'must be the result of avalancheAnalysis');
  const scales = [...new Set(points.map((p) => p.scaleN))].sort((a, b) => a - b);
  const traces: PlotlyTrace[] = scales.map((n, s) => {
    const own = points.filter((p) => p.scaleN === n);
    return { type: 'scatter', mode: 'lines+markers', marker: { size: 3 }, line: { width: 1.2, color: OKABE_ITO[s % OKABE_ITO.length] }, x: own.map((p) => p.epoch), y: own.map((p) => p.mean), name: `N = ${n}` };
  });
  const shapes: PlotlyLayout[] = [];
  const annotations: PlotlyLayout[] = [];
  const o = analysis.onset;
  if ((options.showOnset ?? true) && o.reached > 0) {
    shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: o.min, x1: o.max, y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, layer: 'below' });
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: o.median, x1: o.median, y0: 0, y1: 1, line: { color: '#000000', width: 1, dash: 'dot' } });
    const which = o.field === 'trainOnset' ? 'train onset' : 'test onset';
    annotations.push({ text: `${which} (median ${o.median}, range ${o.min}–${o.max})`, x: o.median, xref: 'x', y: 1, yref: 'paper', showarrow: false, xanchor: 'left', yanchor: 'bottom' });
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
