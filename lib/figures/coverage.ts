/**
 * Figures of notebook 11 (coverage of the intervals): the measured coverage of each kind of
 * interval before and after the change of rule, and the lasting-crossing intervals of every XOR
 * replication against its truth — drawn from the typed results of the coverage study.
 */
import type { CoverageRow } from '../analysis/coverage';
import type { CoverageComparison, CoverageExperiment } from '../analysis/coverageResults';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { OKABE_ITO_NAMED } from '../plot/palette';
import { axisKey, axisName, panelDomains, panelTitle } from '../plot/panels';
import { mergeLayout, paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

/**
 * Coverage (%) of each kind of 95 % interval, one panel per experiment, one marker per rule
 * (hollow: the rule before the study, filled: the rule now) with its Wilson 95 % interval;
 * dashed line at the nominal 95 %, dotted at the 90 % asked of the crossing.
 * @param comparison coverageComparison(readCoverageResults()) (lib/analysis)
 * @param options.names legend names of the two rules [before: 'before: plain percentiles', now: 'now']
 */
export function coverageFigure(
  comparison: CoverageComparison[],
  options: { style?: string; names?: { before: string; now: string } } = {},
): PlotlyFigure {
  if (!comparison.length) throw new InvalidOptionError('comparison', 'is empty: pass coverageComparison(readCoverageResults())');
  const style = options.style ?? 'double';
  const names = options.names ?? { before: 'before: plain percentiles', now: 'now' };
  const axis = paperLayout(style).xaxis as Record<string, unknown>;
  const experiments = [...new Set(comparison.map((c) => c.experiment))];
  const kinds = [...new Set(comparison.map((c) => c.interval))];
  const domains = panelDomains(experiments.length, 0.04);
  const data: PlotlyTrace[] = [];
  const layoutAxes: Record<string, unknown> = {};
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  const lowest = Math.min(...comparison.flatMap((c) => [c.before?.coverageLow, c.now?.coverageLow, c.before?.coverage, c.now?.coverage]).filter((x): x is number => Number.isFinite(x)));
  const left = Math.min(40, 10 * Math.floor((100 * lowest - 2) / 10));
  experiments.forEach((name, k) => {
    const items = comparison.filter((c) => c.experiment === name);
    (['before', 'now'] as const).forEach((rule, j) => {
      const rows: Array<CoverageRow | undefined> = items.map((c) => c[rule]);
      const colour = rule === 'before' ? OKABE_ITO_NAMED.vermillion : OKABE_ITO_NAMED.blue;
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: names[rule],
        legendgroup: rule,
        showlegend: k === 0,
        xaxis: axisName('x', k),
        yaxis: axisName('y', k),
        x: rows.map((r) => (r ? 100 * r.coverage : null)),
        y: items.map((c) => c.interval),
        marker: { color: colour, size: 6, symbol: j === 0 ? 'circle-open' : 'circle' },
        error_x: {
          type: 'data',
          symmetric: false,
          array: rows.map((r) => (r && Number.isFinite(r.coverageHigh) ? 100 * (r.coverageHigh - r.coverage) : null)),
          arrayminus: rows.map((r) => (r && Number.isFinite(r.coverageLow) ? 100 * (r.coverage - r.coverageLow) : null)),
          thickness: 1,
          width: 2,
          color: colour,
        },
        hovertemplate: `${name}, ${names[rule]}<br>%{y}: %{x:.1f} %<extra></extra>`,
      });
    });
    // mergeLayout keeps the paper style's axis-title font (a spread would replace the whole title object).
    layoutAxes[axisKey('x', k)] = mergeLayout(axis, { domain: domains[k], anchor: axisName('y', k), range: [left, 102], title: { text: 'coverage (%)' } });
    layoutAxes[axisKey('y', k)] = {
      ...axis,
      anchor: axisName('x', k),
      type: 'category',
      categoryorder: 'array',
      categoryarray: [...kinds].reverse(),
      showticklabels: k === 0,
      ...(k > 0 ? { matches: 'y' } : {}),
    };
    for (const [x, dash] of [
      [95, 'dash'],
      [90, 'dot'],
    ] as const)
      shapes.push({ type: 'line', xref: axisName('x', k), yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: '#555555', width: 1, dash } });
    annotations.push(panelTitle(`${name}<br>${items[0].replications} replications`, domains[k]));
  });
  return {
    data,
    layout: paperLayout(style, {
      ...layoutAxes,
      shapes,
      annotations,
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
      margin: { l: 150, r: 10, t: 40, b: 60 },
    }),
  };
}

/**
 * The lasting-crossing interval of every replication of one experiment under each rule of its
 * summaries (one panel per rule), sorted by the estimate: blue when it contains the truth (the
 * crossing of the pool of all other replications, black tick), vermillion when not; an
 * interval open to the right runs to `lastEpoch` and ends in an arrow.
 */
export function crossingIntervalsFigure(experiment: CoverageExperiment, options: { style?: string; lastEpoch?: number } = {}): PlotlyFigure {
  const summaries = experiment.replicationSummaries;
  if (!summaries.length) throw new InvalidOptionError('experiment', `${experiment.name} has no per-replication summaries (they are kept for 'xor')`);
  const ruleNames = [...new Set(summaries.flatMap((s) => s.rules.map((r) => r.rule)))];
  const domains = panelDomains(ruleNames.length, 0.08);
  const style = options.style ?? 'double';
  const axis = paperLayout(style).xaxis as Record<string, unknown>;
  const lastEpoch = options.lastEpoch ?? 2000;
  const data: PlotlyTrace[] = [];
  const layoutAxes: Record<string, unknown> = {};
  const annotations: Array<Record<string, unknown>> = [];
  ruleNames.forEach((name, k) => {
    const items = summaries
      .map((s) => ({ s, rule: s.rules.find((r) => r.rule === name), crossing: s.rules.find((r) => r.rule === name)?.crossings.find((c) => c.rule === 'lasting') }))
      .filter((i) => i.crossing && Number.isFinite(i.crossing.estimate))
      .sort((a, b) => a.crossing!.estimate - b.crossing!.estimate);
    const segments = (covered: boolean): PlotlyTrace => {
      const x: Array<number | null> = [];
      const y: Array<number | null> = [];
      items.forEach((i, row) => {
        if (i.crossing!.covered !== covered || !Number.isFinite(i.crossing!.low)) return;
        x.push(i.crossing!.low, Math.min(i.crossing!.high, lastEpoch), null);
        y.push(row, row, null);
      });
      return {
        type: 'scatter',
        mode: 'lines',
        name: covered ? 'contains the truth' : 'misses the truth',
        legendgroup: covered ? 'in' : 'out',
        showlegend: k === 0,
        xaxis: axisName('x', k),
        yaxis: axisName('y', k),
        x,
        y,
        line: { color: covered ? OKABE_ITO_NAMED.blue : OKABE_ITO_NAMED.vermillion, width: 1.5 },
        hoverinfo: 'skip',
      };
    };
    data.push(segments(true), segments(false));
    const open = items.map((i, row) => ({ i, row })).filter(({ i }) => i.crossing!.high === Infinity);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'open to the right (no later crossing ruled out)',
      legendgroup: 'open',
      showlegend: k === 0 && open.length > 0,
      xaxis: axisName('x', k),
      yaxis: axisName('y', k),
      x: open.map(() => lastEpoch),
      y: open.map(({ row }) => row),
      marker: { symbol: 'triangle-right', size: 6, color: open.map(({ i }) => (i.crossing!.covered ? OKABE_ITO_NAMED.blue : OKABE_ITO_NAMED.vermillion)) },
      hoverinfo: 'skip',
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'estimate',
      legendgroup: 'estimate',
      showlegend: k === 0,
      xaxis: axisName('x', k),
      yaxis: axisName('y', k),
      x: items.map((i) => i.crossing!.estimate),
      y: items.map((_, row) => row),
      marker: { symbol: 'circle', size: 3, color: '#555555' },
      hovertemplate: 'estimate %{x:.0f}<extra></extra>',
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'truth (pool of the other replications)',
      legendgroup: 'truth',
      showlegend: k === 0,
      xaxis: axisName('x', k),
      yaxis: axisName('y', k),
      x: items.map((i) => i.s.truth.lasting.time),
      y: items.map((_, row) => row),
      marker: { symbol: 'line-ns-open', size: 7, color: OKABE_ITO_NAMED.black, line: { width: 1.5 } },
      hovertemplate: 'truth %{x:.0f}<extra></extra>',
    });
    const covered = items.filter((i) => i.crossing!.covered).length;
    const method = items[0]?.rule?.crossingInterval ?? '';
    annotations.push(panelTitle(`${name === 'before' ? 'before' : 'now'}: ${method}, ${covered} of ${items.length} contain the truth`, domains[k]));
    layoutAxes[axisKey('x', k)] = mergeLayout(axis, { domain: domains[k], anchor: axisName('y', k), range: [0, lastEpoch * 1.02], title: { text: 'lasting crossing of D = 1 (epoch)' } });
    layoutAxes[axisKey('y', k)] = {
      ...axis,
      anchor: axisName('x', k),
      showticklabels: false,
      title: k === 0 ? { text: 'replications, by estimate' } : undefined,
      ...(k > 0 ? { matches: 'y' } : {}),
    };
  });
  return {
    data,
    layout: paperLayout(style, {
      ...layoutAxes,
      annotations,
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: -0.2, yanchor: 'top' },
      margin: { l: 40, r: 10, t: 24, b: 60 },
    }),
  };
}
