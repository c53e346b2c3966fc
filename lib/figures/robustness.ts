/**
 * Figure of notebook 06 (robustness): small multiples of D before / after onset and of the
 * lasting crossing of D = 1 against each varied choice — drawn from robustnessSweep's table.
 */
import type * as aq from 'arquero';
import type { Observable } from '../analysis/observables';
import type { RobustnessChoice } from '../analysis/robustness';
import type { PlotlyFigure, PlotlyLayout, PlotlyTrace } from '../plot/figure';
import { OBSERVABLE_SYMBOLS, ROBUSTNESS_CHOICE_LABELS } from '../plot/names';
import { OKABE_ITO_NAMED } from '../plot/palette';
import { axisKey, axisName, panelDomains } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

/**
 * Small multiples of a robustness table for one observable: one column per choice; top row D
 * before (blue) and after (vermillion) onset with 95 % CIs against the choice's value, with the
 * D = 1 line and the number of truncated probes written above values that had any; bottom row
 * the lasting crossing of D = 1 relative to the median onset (0 = onset), with its CI.
 */
export function robustnessFigure(table: aq.ColumnTable, observable: Observable, options: { style?: string } = {}): PlotlyFigure {
  const objects = (table.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  if (objects.length === 0) throw new InvalidOptionError('observable', `no rows for observable ${observable} in the robustness table`);
  // Panel order: the order of the choices' names (that of ROBUSTNESS_CHOICES).
  const choices = (Object.keys(ROBUSTNESS_CHOICE_LABELS) as RobustnessChoice[]).filter((c) => objects.some((r) => r.choice === c));
  const k = choices.length;
  const domains = panelDomains(k, 0.05);
  const base = paperLayout(options.style ?? 'double');
  // Every panel's axes get the style's axis look (ticks, fonts), as the first panel's do.
  const styled = (letter: 'x' | 'y', axis: PlotlyLayout) => mergeLayout(base[`${letter}axis`] as PlotlyLayout, axis);
  const layoutAxes: Record<string, unknown> = {};
  const data: PlotlyTrace[] = [];
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const err = (rows: Array<Record<string, any>>, v: string, lo: string, hi: string) => ({
    type: 'data',
    symmetric: false,
    array: rows.map((r) => (Number.isFinite(r[hi]) && Number.isFinite(r[v]) ? r[hi] - r[v] : null)),
    arrayminus: rows.map((r) => (Number.isFinite(r[lo]) && Number.isFinite(r[v]) ? r[v] - r[lo] : null)),
    thickness: 1,
    width: 2,
  });
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  choices.forEach((choice, j) => {
    const rows = objects.filter((r) => r.choice === choice);
    const numeric = rows.every((r) => Number.isFinite(r.parameter));
    const x = rows.map((r) => (numeric ? r.parameter : r.value));
    // Panel j of the top row (D) and panel k + j of the bottom row (crossing) share the column.
    const top = j;
    const bottom = k + j;
    const domain = domains[j];
    layoutAxes[axisKey('x', top)] = styled('x', { domain, anchor: axisName('y', top), type: numeric ? 'linear' : 'category', showticklabels: true });
    layoutAxes[axisKey('y', top)] = styled('y', { domain: [0.55, 1], anchor: axisName('x', top), title: { text: j === 0 ? `D (${OBSERVABLE_SYMBOLS[observable]})` : '' }, ...(j > 0 ? { matches: 'y' } : {}) });
    layoutAxes[axisKey('x', bottom)] = styled('x', { domain, anchor: axisName('y', bottom), type: numeric ? 'linear' : 'category', title: { text: ROBUSTNESS_CHOICE_LABELS[choice] } });
    layoutAxes[axisKey('y', bottom)] = styled('y', { domain: [0, 0.4], anchor: axisName('x', bottom), title: { text: j === 0 ? 'lasting crossing − onset (epochs)' : '' }, ...(j > 0 ? { matches: axisName('y', k) } : {}) });
    const common = { xaxis: axisName('x', top), yaxis: axisName('y', top), type: 'scatter', mode: 'markers+lines' };
    data.push({ ...common, name: 'D before onset', legendgroup: 'pre', showlegend: j === 0, x, y: rows.map((r) => num(r.dPre)), error_y: { ...err(rows, 'dPre', 'dPreLow', 'dPreHigh'), color: OKABE_ITO_NAMED.blue }, marker: { color: OKABE_ITO_NAMED.blue, size: 5 }, line: { color: OKABE_ITO_NAMED.blue, width: 1 } });
    data.push({ ...common, name: 'D after onset', legendgroup: 'post', showlegend: j === 0, x, y: rows.map((r) => num(r.dPost)), error_y: { ...err(rows, 'dPost', 'dPostLow', 'dPostHigh'), color: OKABE_ITO_NAMED.vermillion }, marker: { color: OKABE_ITO_NAMED.vermillion, size: 5, symbol: 'square' }, line: { color: OKABE_ITO_NAMED.vermillion, width: 1 } });
    data.push({
      type: 'scatter',
      mode: 'markers',
      xaxis: axisName('x', bottom),
      yaxis: axisName('y', bottom),
      name: 'lasting crossing of D = 1 − onset',
      legendgroup: 'crossing',
      showlegend: j === 0,
      x,
      y: rows.map((r) => num(r.crossingSinceOnset)),
      error_y: { ...err(rows, 'crossingSinceOnset', 'crossingSinceOnsetLow', 'crossingSinceOnsetHigh'), color: OKABE_ITO_NAMED.black },
      marker: { color: OKABE_ITO_NAMED.black, size: 5, symbol: 'diamond' },
    });
    shapes.push({ type: 'line', xref: `${axisName('x', top)} domain`, x0: 0, x1: 1, yref: axisName('y', top), y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dash' } });
    shapes.push({ type: 'line', xref: `${axisName('x', bottom)} domain`, x0: 0, x1: 1, yref: axisName('y', bottom), y0: 0, y1: 0, line: { color: '#888888', width: 1, dash: 'dot' } });
    rows.forEach((r, i) => {
      if (r.truncatedCount > 0) annotations.push({ xref: axisName('x', top), yref: `${axisName('y', top)} domain`, x: x[i], y: 1, yanchor: 'bottom', text: `${r.truncatedCount} trunc.`, showarrow: false, font: { color: OKABE_ITO_NAMED.vermillion } });
    });
  });
  return {
    data,
    layout: mergeLayout(base, {
      ...layoutAxes,
      title: { text: `Robustness of D and of the lasting crossing of D = 1 (${OBSERVABLE_SYMBOLS[observable]}; one choice varied at a time)` },
      shapes,
      annotations,
      height: 420,
      legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top' },
      margin: { l: 50, r: 10, t: 40, b: 80 },
    }),
  };
}
