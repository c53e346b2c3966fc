/**
 * Figure of notebook 05: D(t) around the grokking transition on the aligned axis t / t_on or on
 * the epoch axis, with the onsets marked — drawn from grokkingDimension.
 */
import type { GrokkingDimension } from '../analysis/grokkingDimension';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { OBSERVABLE_SYMBOLS } from '../plot/names';
import { OKABE_ITO_NAMED, withAlpha } from '../plot/palette';
import { paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

/** Options of {@link grokkingDimensionFigure}. */
export interface GrokkingDimensionFigureOptions {
  /** 'epoch' (linear epoch axis, onset range shaded) or 'aligned' (t / t_on, log axis, onset at 1) ['aligned']. */
  time?: 'epoch' | 'aligned';
  title?: string;
  /** Layout style ['double']. */
  style?: 'single' | 'double';
}

const OBSERVABLE_COLOURS = [OKABE_ITO_NAMED.blue, OKABE_ITO_NAMED.vermillion, OKABE_ITO_NAMED.bluishGreen, OKABE_ITO_NAMED.reddishPurple];

/**
 * D(t) with its bootstrap band for each observable (the first, S_total, solid; others dashed),
 * the line D = 1, and the onset: a vertical line at t / t_on = 1 on the aligned axis, or the
 * shaded range of onsets (min … max over runs) with the median as a line on the epoch axis.
 * Observables without a D(t) on that axis are left out.
 */
export function grokkingDimensionFigure(analysis: GrokkingDimension, options: GrokkingDimensionFigureOptions = {}): PlotlyFigure {
  if (!analysis.ok) throw new InvalidOptionError('analysis', analysis.reason);
  const time = options.time ?? 'aligned';
  const traces: PlotlyTrace[] = [];
  analysis.observables.forEach((o, index) => {
    const trajectory = (time === 'epoch' ? o.epoch : o.aligned).trajectory;
    if (!trajectory) return;
    const colour = OBSERVABLE_COLOURS[index % OBSERVABLE_COLOURS.length];
    const x = trajectory.points.map((p) => p.time);
    const group = o.observable;
    traces.push({ type: 'scatter', mode: 'lines', x, y: trajectory.points.map((p) => p.ciHigh), line: { width: 0, color: colour }, legendgroup: group, showlegend: false, hoverinfo: 'skip' });
    traces.push({ type: 'scatter', mode: 'lines', x, y: trajectory.points.map((p) => p.ciLow), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: withAlpha(colour, 0.18), legendgroup: group, name: `${Math.round(trajectory.confidence * 100)} % bootstrap CI`, showlegend: false, hoverinfo: 'skip' });
    traces.push({ type: 'scatter', mode: 'lines+markers', name: `D from ${OBSERVABLE_SYMBOLS[o.observable]}`, legendgroup: group, x, y: trajectory.points.map((p) => p.D), line: { color: colour, width: 1.6, dash: index === 0 ? 'solid' : 'dash' }, marker: { size: 4, color: colour } });
  });
  if (traces.length === 0) throw new InvalidOptionError('analysis', `has no D(t) on the ${time} axis (${analysis.observables.map((o) => (time === 'epoch' ? o.epoch : o.aligned).reason).join(' | ')})`);
  const shapes: Array<Record<string, unknown>> = [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dot' } }];
  const onsetName = analysis.onsetField === 'testOnset' ? 'test onset' : 'train onset';
  if (time === 'aligned') {
    shapes.push({ type: 'line', xref: 'x', x0: 1, x1: 1, yref: 'paper', y0: 0, y1: 1, line: { color: '#555555', width: 1, dash: 'dash' } });
    if (analysis.trainOnsetAligned !== null) shapes.push({ type: 'line', xref: 'x', x0: analysis.trainOnsetAligned, x1: analysis.trainOnsetAligned, yref: 'paper', y0: 0, y1: 1, line: { color: '#999999', width: 1, dash: 'dot' } });
  } else {
    shapes.push({ type: 'rect', xref: 'x', x0: analysis.onsetMin, x1: analysis.onsetMax, yref: 'paper', y0: 0, y1: 1, fillcolor: 'rgba(0,0,0,0.08)', line: { width: 0 }, layer: 'below' });
    shapes.push({ type: 'line', xref: 'x', x0: analysis.onsetMedian, x1: analysis.onsetMedian, yref: 'paper', y0: 0, y1: 1, line: { color: '#555555', width: 1, dash: 'dash' } });
  }
  // Labels of the onset lines stand on the top edge of the plot, clear of the data.
  const annotations = [
    { xref: 'paper', x: 0.01, yref: 'y', y: 1, text: 'D = 1', showarrow: false, xanchor: 'left', yanchor: 'bottom' },
    time === 'aligned'
      ? { xref: 'x', x: 0, yref: 'paper', y: 1, text: ` ${onsetName}`, showarrow: false, xanchor: 'left', yanchor: 'bottom' }
      : { xref: 'x', x: analysis.onsetMedian, yref: 'paper', y: 1, text: ` ${onsetName} (median; range shaded)`, showarrow: false, xanchor: 'left', yanchor: 'bottom' },
    ...(time === 'aligned' && analysis.trainOnsetAligned !== null
      ? [{ xref: 'x', x: Math.log10(analysis.trainOnsetAligned), yref: 'paper', y: 1, text: 'train onset (median) ', showarrow: false, xanchor: 'right', yanchor: 'bottom', font: { color: '#777777' } }]
      : []),
  ];
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      xaxis: time === 'aligned' ? { title: { text: `aligned time t / t_on (t_on = each run's ${onsetName}; log scale)` }, type: 'log' } : { title: { text: 'epoch' }, type: 'linear' },
      yaxis: { title: { text: `D (S ∝ N^D across ${analysis.scales.length} scales)` } },
      shapes,
      annotations,
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 130 },
    }),
  };
}
