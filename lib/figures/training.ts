/**
 * Figures of the training stage (notebooks 01 and 05): learning curves per scale, train and test
 * accuracy, and the Gini coefficient of |θ| with its peak — drawn from the curves of
 * metricCurves / sweepCurves and the peaks table of giniPeaksByScale.
 */
import type * as aq from 'arquero';
import type { ScaleCurve, SweepCurves } from '../analysis/training';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { scaleColour, withAlpha } from '../plot/palette';
import { thinIndices } from '../plot/panels';
import { paperLayout } from '../plot/styles';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { METRIC_TITLES, scaleLabel } from '../plot/names';

function curvesOf(curves: SweepCurves, metric: string): SweepCurves['runs'][string] {
  if (!curves || !curves.runs || !(metric in curves.runs)) throw new InvalidOptionError('metric', `no curves of ${JSON.stringify(metric)}; metrics: ${curves?.metrics?.join(', ') ?? 'none (pass metricCurves / sweepCurves)'}`);
  return curves.runs[metric];
}

function scaleCurvesOf(curves: SweepCurves, metric: string): ScaleCurve[] {
  curvesOf(curves, metric);
  return curves.scales[metric];
}

function pick(values: Float64Array, indices: number[]): number[] {
  return indices.map((i) => values[i]);
}

function axisTitles(options: { logX?: boolean; logY?: boolean }, yTitle: string, xTitle = 'epoch'): Record<string, unknown> {
  return {
    xaxis: { title: { text: options.logX ? `${xTitle} (log scale)` : xTitle }, type: options.logX ? 'log' : 'linear' },
    yaxis: { title: { text: yTitle }, type: options.logY ? 'log' : 'linear' },
  };
}

/** Options of {@link trainingCurvesFigure}. */
export interface TrainingCurvesOptions {
  /** Metric to plot ['trainAccuracy']. */
  metric?: string;
  /** 'lines': every seed as a thin line; 'band': mean across seeds with a ±1 s.d. band ['lines']. */
  seeds?: 'lines' | 'band';
  /** Log epoch axis (epoch 0 is then left out) [false]. */
  logX?: boolean;
  /** Log value axis (losses) [false]. */
  logY?: boolean;
  /** Most points drawn per curve (thinned with thinIndices) [400]. */
  maxPoints?: number;
  /** y-axis title [from the metric]. */
  yTitle?: string;
  /** Figure title [none]. */
  title?: string;
  /** Layout style of paperLayout ['double']. */
  style?: 'single' | 'double';
}

/**
 * Learning curves of one metric, one colour per scale (ascending N, cold → warm), legend
 * `N = … (h = …)`. Seeds are thin lines in the scale's colour (one legend entry per scale) or the
 * mean across seeds with a shaded ±1 standard-deviation band.
 */
export function trainingCurvesFigure(curves: SweepCurves, options: TrainingCurvesOptions = {}): PlotlyFigure {
  const metric = options.metric ?? 'trainAccuracy';
  const mode = checkChoice('seeds', options.seeds ?? 'lines', ['lines', 'band'] as const);
  const maxPoints = options.maxPoints ?? 400;
  const logX = options.logX ?? false;
  const traces: PlotlyTrace[] = [];
  if (mode === 'lines') {
    const runs = curvesOf(curves, metric);
    const scales = [...new Set(runs.map((c) => c.h))].sort((a, b) => a - b);
    for (const curve of runs) {
      const keep = thinIndices(curve.epochs, maxPoints, logX);
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: scaleLabel(curve.N, curve.h),
        legendgroup: `h${curve.h}`,
        showlegend: runs.find((c) => c.h === curve.h) === curve,
        x: pick(curve.epochs, keep),
        y: pick(curve.values, keep),
        line: { color: scaleColour(scales.indexOf(curve.h)), width: 1 },
        opacity: 0.6,
        hovertemplate: `N = ${curve.N}, seed ${curve.seed}<br>epoch %{x}<br>%{y}<extra></extra>`,
      });
    }
  } else {
    scaleCurvesOf(curves, metric).forEach((curve, index) => {
      const keep = thinIndices(curve.epochs, maxPoints, logX);
      const x = pick(curve.epochs, keep);
      const mean = pick(curve.mean, keep);
      const sd = pick(curve.sd, keep);
      const colour = scaleColour(index);
      const group = `h${curve.h}`;
      traces.push({ type: 'scatter', mode: 'lines', x, y: mean.map((m, i) => m + sd[i]), line: { width: 0, color: colour }, legendgroup: group, showlegend: false, hoverinfo: 'skip' });
      traces.push({ type: 'scatter', mode: 'lines', x, y: mean.map((m, i) => m - sd[i]), line: { width: 0, color: colour }, fill: 'tonexty', fillcolor: withAlpha(colour, 0.2), legendgroup: group, showlegend: false, hoverinfo: 'skip' });
      traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(curve.N, curve.h)}, ${curve.runs} seeds`, x, y: mean, line: { color: colour, width: 1.5 }, legendgroup: group });
    });
  }
  const yTitle = options.yTitle ?? METRIC_TITLES[metric] ?? metric;
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX, logY: options.logY }, mode === 'band' ? `${yTitle} (mean ± s.d. over seeds)` : yTitle),
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 150 },
    }),
  };
}

/** Options of {@link trainTestAccuracyFigure}. */
export interface TrainTestAccuracyOptions {
  /** Log epoch axis [true]. */
  logX?: boolean;
  /** Most points drawn per curve [400]. */
  maxPoints?: number;
  title?: string;
  /** Layout style ['double']. */
  style?: 'single' | 'double';
}

/**
 * Train (dashed) and test (solid) accuracy per scale, each the mean across seeds, one colour per
 * scale, on a log epoch axis by default: the grokking gap is the horizontal distance between the
 * dashed and the solid curve of one colour.
 */
export function trainTestAccuracyFigure(curves: SweepCurves, options: TrainTestAccuracyOptions = {}): PlotlyFigure {
  const logX = options.logX ?? true;
  const maxPoints = options.maxPoints ?? 400;
  const train = scaleCurvesOf(curves, 'trainAccuracy');
  const test = scaleCurvesOf(curves, 'testAccuracy');
  const traces: PlotlyTrace[] = [];
  train.forEach((curve, index) => {
    const colour = scaleColour(index);
    const group = `h${curve.h}`;
    const keep = thinIndices(curve.epochs, maxPoints, logX);
    traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(curve.N, curve.h)} train`, legendgroup: group, x: pick(curve.epochs, keep), y: pick(curve.mean, keep), line: { color: colour, width: 1, dash: 'dash' } });
    const t = test[index];
    if (t && t.mean.some((v) => Number.isFinite(v))) {
      const keepTest = thinIndices(t.epochs, maxPoints, logX);
      traces.push({ type: 'scatter', mode: 'lines', name: `${scaleLabel(t.N, t.h)} test`, legendgroup: group, x: pick(t.epochs, keepTest), y: pick(t.mean, keepTest), line: { color: colour, width: 1.6 } });
    }
  });
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX }, 'accuracy (mean over seeds)'),
      yaxis: { range: [0, 1.02] },
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 170 },
    }),
  };
}

/** Options of {@link giniFigure}. */
export interface GiniFigureOptions {
  /** Log epoch axis [false]. */
  logX?: boolean;
  /** Most points drawn per curve [400]. */
  maxPoints?: number;
  title?: string;
  /** Layout style ['double']. */
  style?: 'single' | 'double';
}

/**
 * The Gini coefficient of |θ| over time, mean across seeds per scale (one colour per scale); on
 * each curve a filled circle marks the median transition-peak epoch of the scale's runs and an
 * open diamond the median onset epoch (both from `peaksByScale`, the table of giniPeaksByScale),
 * placed at the curve's value at that epoch.
 */
export function giniFigure(curves: SweepCurves, peaksByScale: aq.ColumnTable, options: GiniFigureOptions = {}): PlotlyFigure {
  const logX = options.logX ?? false;
  const maxPoints = options.maxPoints ?? 400;
  const peaks = new Map((peaksByScale.objects() as Array<{ h: number; peakEpochMedian: number | null; onsetMedian: number | null }>).map((r) => [r.h, r]));
  const traces: PlotlyTrace[] = [];
  const valueAt = (curve: ScaleCurve, epoch: number) => {
    let j = 0;
    while (j < curve.epochs.length - 1 && curve.epochs[j] < epoch) j++;
    return curve.mean[j];
  };
  scaleCurvesOf(curves, 'gini').forEach((curve, index) => {
    const colour = scaleColour(index);
    const group = `h${curve.h}`;
    const keep = thinIndices(curve.epochs, maxPoints, logX);
    traces.push({ type: 'scatter', mode: 'lines', name: scaleLabel(curve.N, curve.h), legendgroup: group, x: pick(curve.epochs, keep), y: pick(curve.mean, keep), line: { color: colour, width: 1.4 } });
    const p = peaks.get(curve.h);
    if (p && p.peakEpochMedian !== null) {
      traces.push({ type: 'scatter', mode: 'markers', name: `peak (N = ${curve.N})`, legendgroup: group, showlegend: false, x: [p.peakEpochMedian], y: [valueAt(curve, p.peakEpochMedian)], marker: { color: colour, size: 8, symbol: 'circle', line: { color: '#000000', width: 0.5 } }, hovertemplate: `N = ${curve.N}: median Gini peak at epoch %{x}<extra></extra>` });
    }
    if (p && p.onsetMedian !== null) {
      traces.push({ type: 'scatter', mode: 'markers', name: `onset (N = ${curve.N})`, legendgroup: group, showlegend: false, x: [p.onsetMedian], y: [valueAt(curve, p.onsetMedian)], marker: { color: colour, size: 8, symbol: 'diamond-open', line: { width: 1.5 } }, hovertemplate: `N = ${curve.N}: median onset at epoch %{x}<extra></extra>` });
    }
  });
  // Two legend-only entries explain the markers.
  traces.push({ type: 'scatter', mode: 'markers', name: 'median Gini peak', x: [null], y: [null], marker: { color: '#888888', size: 8, symbol: 'circle' } });
  traces.push({ type: 'scatter', mode: 'markers', name: 'median onset', x: [null], y: [null], marker: { color: '#888888', size: 8, symbol: 'diamond-open', line: { width: 1.5 } } });
  return {
    data: traces,
    layout: paperLayout(options.style ?? 'double', {
      ...(options.title ? { title: { text: options.title } } : {}),
      ...axisTitles({ logX }, 'Gini coefficient of |θ| (mean over seeds)'),
      legend: { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' },
      margin: { r: 150 },
    }),
  };
}
