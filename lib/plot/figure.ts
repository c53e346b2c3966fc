/**
 * The plotly figure shape used throughout lib/plot: plain JSON, exactly what
 * `Plotly.newPlot(div, data, layout, config)` takes, so figures can be saved and reopened.
 */
export type PlotlyTrace = Record<string, unknown>;
export type PlotlyLayout = Record<string, unknown>;
export type PlotlyConfig = Record<string, unknown>;

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: PlotlyLayout;
  config?: PlotlyConfig;
}

/** Throws a clear error when `figure` is not a {data: [...]} object. */
export function checkFigure(figure: unknown, field = 'figure'): asserts figure is PlotlyFigure {
  if (figure === null || typeof figure !== 'object' || !Array.isArray((figure as PlotlyFigure).data)) {
    throw new TypeError(`${field}: expected a plotly figure {data: [...], layout?, config?}, got ${figure === null ? 'null' : typeof figure}`);
  }
}

/** The figure's title text, whether `layout.title` is a string or {text}. */
export function figureTitle(figure: PlotlyFigure): string | undefined {
  const title = figure.layout?.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') return (title as { text: string }).text;
  return undefined;
}

/** One-line plain-text description, used as the text/plain fallback of `show`. */
export function describeFigure(figure: PlotlyFigure): string {
  checkFigure(figure);
  const counts = new Map<string, number>();
  for (const trace of figure.data) {
    const type = typeof trace.type === 'string' ? trace.type : 'scatter';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const types = [...counts].map(([type, n]) => (n === 1 ? type : `${type} ×${n}`)).join(', ');
  const title = figureTitle(figure);
  const n = figure.data.length;
  return `Plotly figure${title ? ` "${title}"` : ''}: ${n} trace${n === 1 ? '' : 's'}${n ? ` (${types})` : ''}`;
}
