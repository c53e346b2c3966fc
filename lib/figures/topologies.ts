/**
 * Figures of notebook 04 (real gradients against nulls on every topology): a grouped bar chart of
 * D per topology and the bootstrap distributions of D — drawn from topologyComparison.
 */
import type * as aq from 'arquero';
import type { FitPhase } from '../analysis/dimension';
import type { Observable } from '../analysis/observables';
import type { InputKind, TopologyComparison } from '../analysis/topologies';
import type { PlotlyFigure, PlotlyTrace } from '../plot/figure';
import { INPUT_KIND_LABELS, OBSERVABLE_SYMBOLS, PHASE_LABELS } from '../plot/names';
import { OKABE_ITO_NAMED, withAlpha } from '../plot/palette';
import { paperLayout } from '../plot/styles';
import { InvalidOptionError } from '../util/errors';

/** Colour per input kind (Okabe–Ito). */
const INPUT_KIND_COLOURS: Readonly<Record<InputKind, string>> = {
  real: OKABE_ITO_NAMED.vermillion,
  gaussian: OKABE_ITO_NAMED.blue,
  permuted: OKABE_ITO_NAMED.orange,
  'student-t': OKABE_ITO_NAMED.bluishGreen,
  matched: OKABE_ITO_NAMED.reddishPurple,
};

/** Bar series in legend order: before / after onset for the kinds with time, all snapshots for the others. */
const SERIES: ReadonlyArray<{ kind: InputKind; phase: FitPhase }> = [
  { kind: 'real', phase: 'pre' },
  { kind: 'real', phase: 'post' },
  { kind: 'gaussian', phase: 'all' },
  { kind: 'permuted', phase: 'pre' },
  { kind: 'permuted', phase: 'post' },
  { kind: 'student-t', phase: 'all' },
  { kind: 'matched', phase: 'pre' },
  { kind: 'matched', phase: 'post' },
];

/**
 * Grouped bar chart of D per topology for one observable: one bar series per (kind, phase) —
 * pre/post for real/permuted/matched (pre light), 'all' for the Gaussian and Student-t nulls —
 * with 95 % bootstrap CI error bars and a dashed D = 1 line.
 * @param tidy topologyComparison(...).table
 * @param options.style paper style of the layout ['double']
 */
export function topologyBarChart(tidy: aq.ColumnTable, observable: Observable, options: { style?: string; title?: string } = {}): PlotlyFigure {
  const objects = (tidy.objects() as Array<Record<string, any>>).filter((r) => r.observable === observable);
  if (objects.length === 0) throw new InvalidOptionError('observable', `no rows for observable ${observable} in the comparison table`);
  const topologies = Array.from(new Set(objects.map((r) => r.topologyLabel as string)));
  // Tick labels on two lines so that seven topologies fit side by side without rotation.
  const ticks = topologies.map((t) => t.replace(/ \((.*)\)$/, '<br>$1').replace(/^random /, 'random<br>').replace(/^2D /, '2D<br>'));
  const series = SERIES.filter(({ kind, phase }) => objects.some((r) => r.kind === kind && r.phase === phase));
  const data: PlotlyTrace[] = series.map(({ kind, phase }) => {
    const values = topologies.map((t) => objects.find((r) => r.topologyLabel === t && r.kind === kind && r.phase === phase));
    return {
      type: 'bar',
      name: `${INPUT_KIND_LABELS[kind]}${phase === 'all' ? '' : `, ${PHASE_LABELS[phase]}`}`,
      x: ticks,
      y: values.map((r) => (r && Number.isFinite(r.D) ? r.D : null)),
      // Before onset: the kind's colour at 40 % opacity (light), after onset / all: solid.
      marker: { color: phase === 'pre' ? withAlpha(INPUT_KIND_COLOURS[kind], 0.4) : INPUT_KIND_COLOURS[kind], line: { color: INPUT_KIND_COLOURS[kind], width: 1 } },
      error_y: {
        type: 'data',
        symmetric: false,
        array: values.map((r) => (r && Number.isFinite(r.ciHigh) ? r.ciHigh - r.D : null)),
        arrayminus: values.map((r) => (r && Number.isFinite(r.ciLow) ? r.D - r.ciLow : null)),
        thickness: 1,
        width: 1.5,
        color: '#000000',
      },
    };
  });
  const finite = objects.flatMap((r) => [r.D, r.ciLow, r.ciHigh]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const low = Math.min(0.8, ...finite) - 0.05;
  const high = Math.max(1.2, ...finite) + 0.05;
  const symbol = OBSERVABLE_SYMBOLS[observable];
  return {
    data,
    layout: paperLayout(options.style ?? 'double', {
      title: { text: options.title ?? `Scaling exponent D of ${symbol} per topology (95 % bootstrap CI)` },
      barmode: 'group',
      bargap: 0.2,
      xaxis: { title: { text: 'topology (mean degree ≈ 6)' }, type: 'category', tickangle: 0 },
      yaxis: { title: { text: `D  (${symbol} ∝ N<sup>D</sup>)` }, range: [low, high] },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 1, y1: 1, line: { color: '#000000', width: 1, dash: 'dash' } }],
      legend: { orientation: 'h', x: 0, y: -0.32, yanchor: 'top' },
      margin: { l: 50, r: 10, t: 30, b: 120 },
    }),
  };
}

/**
 * Histograms of the bootstrap replicates of D_pre and D_post (real snapshots) and D_synth
 * (Gaussian null, all snapshots) on one topology, for one observable, with the D = 1 line.
 * Replicates that are NaN (a resample without two scales) are left out.
 */
export function bootstrapHistograms(comparison: Pick<TopologyComparison, 'replicates'>, topology: string, observable: Observable, options: { style?: string; synthKind?: InputKind } = {}): PlotlyFigure {
  const synthKind = options.synthKind ?? 'gaussian';
  const pick = (kind: InputKind, phase: FitPhase) => comparison.replicates.find((r) => r.topology === topology && r.kind === kind && r.observable === observable && r.phase === phase)?.replicates;
  const sets: Array<{ name: string; values: Float64Array | undefined; colour: string }> = [
    { name: 'D_pre (real, before onset)', values: pick('real', 'pre'), colour: OKABE_ITO_NAMED.skyBlue },
    { name: 'D_post (real, after onset)', values: pick('real', 'post'), colour: OKABE_ITO_NAMED.vermillion },
    { name: `D_synth (${INPUT_KIND_LABELS[synthKind]})`, values: pick(synthKind, 'all'), colour: OKABE_ITO_NAMED.blue },
  ];
  const present = sets.filter((s) => s.values && s.values.length > 0);
  if (present.length === 0) throw new InvalidOptionError('topology', `no bootstrap replicates for topology ${topology} and observable ${observable} (was bootstrap 0?)`);
  return {
    data: present.map((s) => ({ type: 'histogram', name: s.name, x: Array.from(s.values!).filter(Number.isFinite), histnorm: 'probability density', opacity: 0.6, nbinsx: 40, marker: { color: s.colour } })),
    layout: paperLayout(options.style ?? 'single', {
      title: { text: `Bootstrap distributions of D (${OBSERVABLE_SYMBOLS[observable]}, ${topology})` },
      barmode: 'overlay',
      xaxis: { title: { text: 'D (bootstrap replicate)' } },
      yaxis: { title: { text: 'density' } },
      shapes: [{ type: 'line', yref: 'paper', y0: 0, y1: 1, xref: 'x', x0: 1, x1: 1, line: { color: '#000000', width: 1, dash: 'dash' } }],
      legend: { orientation: 'h', x: 0, y: -0.35, yanchor: 'top' },
      margin: { l: 45, r: 10, t: 30, b: 90 },
    }),
  };
}
