/**
 * The last layout pass before a figure is drawn, shared by `show` (notebook display and its static
 * image) and `exportFigures` (paper files): room at the top for the modebar, the title and the
 * panel titles, so that none of them overlaps another; long titles wrapped; decade-only labels
 * on log axes. Figure builders state what to draw; this pass decides where the titles go.
 */
import type { PlotlyFigure, PlotlyLayout } from './figure';

/** Height of the band kept free for plotly's modebar at the top of an interactive figure, CSS px. */
export const MODEBAR_BAND_PX = 28;
/** Space between stacked blocks at the top (modebar band, title, panel titles, plot), CSS px. */
const GAP_PX = 4;
/** Line height of plotly text, in font sizes. */
const LINE_HEIGHT = 1.3;
/** Average advance of a character of DejaVu Sans / Arial, in font sizes (for wrapping titles). */
const CHAR_WIDTH = 0.56;
/** Plotly's default figure size, CSS px. */
const PLOTLY_DEFAULT_SIZE = { width: 700, height: 450 };

/** Options of {@link finishLayout}. */
export interface FinishLayoutOptions {
  /** Keep a band of MODEBAR_BAND_PX at the top for the modebar (interactive display) [false]. */
  modebar?: boolean;
  /**
   * Add the extra top space to the figure's height (notebook display: the plot area keeps its
   * size) instead of taking it from the plot area (paper export: the height is the journal's) [false].
   */
  growHeight?: boolean;
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function titleText(title: unknown): string {
  if (typeof title === 'string') return title;
  return isObject(title) && typeof title.text === 'string' ? title.text : '';
}

/** Number of lines of a plotly text (lines are separated by <br>). */
function lineCount(text: string): number {
  return text === '' ? 0 : text.split(/<br\s*\/?>/i).length;
}

/** Visible length of plotly text: tags removed, entities counted as one character. */
function visibleLength(text: string): number {
  return text.replace(/<[^>]*>/g, '').replace(/&[#\w]+;/g, '_').length;
}

/**
 * Breaks `text` with <br> at spaces (never inside a tag) so that no line is longer than
 * `maxChars` visible characters; existing line breaks are kept; a single word longer than the
 * limit stays on its own line.
 */
export function wrapPlotlyText(text: string, maxChars: number): string {
  if (!(maxChars >= 1)) return text;
  return text
    .split(/<br\s*\/?>/i)
    .map((line) => {
      if (visibleLength(line) <= maxChars) return line;
      // Words are separated by spaces outside tags and outside elements such as <sub>…</sub>
      // (a line break inside one would split the element).
      const words: string[] = [];
      let current = '';
      let tag = '';
      let depth = 0;
      for (const ch of line) {
        if (tag !== '' || ch === '<') {
          tag += ch;
          if (ch === '>') {
            if (tag.startsWith('</')) depth = Math.max(0, depth - 1);
            else if (!/^<br\b/i.test(tag) && !tag.endsWith('/>')) depth++;
            current += tag;
            tag = '';
          }
        } else if (ch === ' ' && depth === 0) {
          words.push(current);
          current = '';
        } else current += ch;
      }
      words.push(current + tag);
      const lines: string[] = [];
      let open = '';
      for (const word of words) {
        const candidate = open === '' ? word : `${open} ${word}`;
        if (open !== '' && visibleLength(candidate) > maxChars) {
          lines.push(open);
          open = word;
        } else open = candidate;
      }
      lines.push(open);
      return lines.join('<br>');
    })
    .join('<br>');
}

/** The y-axis domain a `yref` refers to ('paper' → [0, 1]; 'y2 domain' → yaxis2.domain). */
function yDomainOf(layout: PlotlyLayout, yref: unknown): [number, number] | null {
  if (yref === undefined || yref === 'paper') return [0, 1];
  const match = typeof yref === 'string' ? /^y(\d*) domain$/.exec(yref) : null;
  if (!match) return null;
  const axis = layout[`yaxis${match[1]}`];
  const domain = isObject(axis) && Array.isArray(axis.domain) ? (axis.domain as number[]) : [0, 1];
  return [domain[0], domain[1]];
}

/**
 * Height, CSS px, that annotations sitting on top of the plot area (panel titles, panel letters,
 * notes anchored at the top edge of a top panel) take above it; 0 when there are none.
 */
function topAnnotationsHeight(layout: PlotlyLayout, fontPx: number): number {
  const annotations = Array.isArray(layout.annotations) ? (layout.annotations as unknown[]) : [];
  let height = 0;
  for (const a of annotations) {
    if (!isObject(a) || a.yanchor !== 'bottom' || typeof a.y !== 'number') continue;
    const domain = yDomainOf(layout, a.yref);
    if (!domain) continue;
    // Position on the paper: 'paper' y directly, 'yN domain' y through that axis' domain.
    const paperY = a.yref === undefined || a.yref === 'paper' ? a.y : domain[0] + a.y * (domain[1] - domain[0]);
    if (paperY < 0.999) continue;
    const size = isObject(a.font) && typeof a.font.size === 'number' ? a.font.size : fontPx;
    const shift = typeof a.yshift === 'number' ? Math.max(0, a.yshift) : 0;
    height = Math.max(height, lineCount(String(a.text ?? '')) * size * LINE_HEIGHT + shift);
  }
  return height;
}

/** The positive finite values a trace draws along one axis letter. */
function traceValues(trace: Record<string, unknown>, letter: 'x' | 'y'): number[] {
  const values = trace[letter];
  if (!Array.isArray(values)) return [];
  return (values as unknown[]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
}

/** Plotly draws power-of-ten labels ("10²") at this multiple of the tick font size. */
const PLOTLY_POWER_LABEL_SCALE = 1.25;

/**
 * A log axis whose labels are all powers of ten drawn as powers (exponentformat 'power', a
 * whole-number dtick, no tickformat) gets the tick font `fontPx / 1.25`: plotly draws such labels
 * 1.25 times larger than the tick font, so they come out at the figure's font size like every
 * other label. Idempotent (the size is derived from the figure's font, not the axis').
 */
function powerLabelFont(layout: PlotlyLayout, key: string, fontPx: number): void {
  const axis = layout[key] as Record<string, any>;
  if (axis.exponentformat !== 'power' || 'tickformat' in axis || !(typeof axis.dtick === 'number' && Number.isInteger(axis.dtick) && axis.dtick >= 1)) return;
  const tickfont = isObject(axis.tickfont) ? axis.tickfont : {};
  layout[key] = { ...axis, tickfont: { ...tickfont, size: Math.round((fontPx / PLOTLY_POWER_LABEL_SCALE) * 100) / 100 } };
}

/** A tick value m × 10^k as plain text (0.05, 2, 300), with a power of ten for very large or small k. */
function logTickLabel(mantissa: number, exponent: number): string {
  const power = `10<sup>${exponent < 0 ? '−' : ''}${Math.abs(exponent)}</sup>`;
  if (exponent >= 6 || exponent <= -4) return mantissa === 1 ? power : `${mantissa}×${power}`;
  return exponent >= 0 ? String(mantissa * 10 ** exponent) : (mantissa * 10 ** exponent).toFixed(-exponent);
}

/**
 * Labelled ticks for a log axis whose data spans less than two decades: 1, 2 and 5 × 10^k
 * (or every digit when that gives fewer than two) inside the data range widened by plotly's
 * 5 % autorange padding; null when even every digit gives fewer than two ticks.
 */
export function shortLogTicks(lo: number, hi: number): { values: number[]; labels: string[] } | null {
  const span = Math.max(Math.log10(hi / lo), 0.1);
  const from = Math.log10(lo) - 0.05 * span;
  const to = Math.log10(hi) + 0.05 * span;
  for (const mantissas of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const values: number[] = [];
    const labels: string[] = [];
    for (let k = Math.floor(from); k <= Math.ceil(to); k++) {
      for (const m of mantissas) {
        const value = m * 10 ** k;
        if (Math.log10(value) < from || Math.log10(value) > to) continue;
        values.push(Number(value.toPrecision(12)));
        labels.push(logTickLabel(m, k));
      }
    }
    if (values.length >= 2) return { values, labels };
  }
  return null;
}

/**
 * Tick labels of log axes at one size and not crowded. An axis of type 'log' that sets none of
 * dtick, tickvals, tickmode 'array', nticks or tickformat is changed as follows:
 *   - its data (or range) holds at least two powers of ten: a label at every power of ten only
 *     (dtick 1) with unlabelled minor ticks at 2…9 × 10^k, power labels at the font size
 *     (powerLabelFont; also applied to log axes that chose dtick themselves);
 *   - otherwise (less than two decades, where decades alone would leave one label or none):
 *     labels at 1, 2, 5 × 10^k in plain numbers (shortLogTicks), all at the tick font size —
 *     plotly would draw the decade at 1.25 and the "2" and "5" between at 0.75 times the font;
 *     when even those give fewer than two labels, plotly's positions in plain format ('~g').
 */
function logAxisTicks(figure: PlotlyFigure, layout: PlotlyLayout): void {
  const font = isObject(layout.font) ? layout.font : {};
  const fontPx = typeof font.size === 'number' ? font.size : 12;
  for (const key of Object.keys(layout)) {
    const match = /^([xy])axis(\d*)$/.exec(key);
    const axis = layout[key];
    if (!match || !isObject(axis) || axis.type !== 'log') continue;
    if ('dtick' in axis || 'tickvals' in axis || axis.tickmode === 'array' || 'nticks' in axis || 'tickformat' in axis) {
      powerLabelFont(layout, key, fontPx);
      continue;
    }
    const letter = match[1] as 'x' | 'y';
    const id = `${letter}${match[2]}`;
    let lo = Infinity;
    let hi = -Infinity;
    if (Array.isArray(axis.range) && axis.range.length === 2 && axis.range.every((v: unknown) => typeof v === 'number' && Number.isFinite(v))) {
      lo = 10 ** Math.min(axis.range[0], axis.range[1]);
      hi = 10 ** Math.max(axis.range[0], axis.range[1]);
    } else {
      for (const trace of figure.data) {
        if ((trace[`${letter}axis`] ?? letter) !== id) continue;
        for (const v of traceValues(trace, letter)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (!(hi >= lo)) continue;
    const powersOfTen = Math.floor(Math.log10(hi) + 1e-9) - Math.ceil(Math.log10(lo) - 1e-9) + 1;
    if (powersOfTen < 2) {
      const ticks = shortLogTicks(lo, hi);
      layout[key] = ticks ? { ...axis, tickmode: 'array', tickvals: ticks.values, ticktext: ticks.labels } : { ...axis, tickformat: '~g' };
    } else {
      const minor = isObject(axis.minor) ? axis.minor : {};
      layout[key] = { ...axis, dtick: 1, minor: { ticks: axis.ticks === 'inside' ? 'inside' : 'outside', ticklen: 2, dtick: 'D1', showgrid: false, ...minor } };
      powerLabelFont(layout, key, fontPx);
    }
  }
}

/**
 * Returns a copy of `figure` laid out for drawing (the input is not modified):
 *   1. the title is wrapped to the figure's width and placed in container coordinates just
 *      below the modebar band (with `modebar`) or the top edge;
 *   2. the top margin is the sum of the modebar band, the title's lines and the tallest
 *      annotation standing on the top edge of the plot area (panel titles, panel letters), each
 *      GAP_PX apart, so the title clears both the modebar and the panel titles; without a title
 *      and such annotations the figure's own top margin is kept (at least the band);
 *   3. with `growHeight`, the figure grows by the added top margin;
 *   4. log axes get decade-only labels at one font size, or plain labels on short ranges (see logAxisTicks).
 */
export function finishLayout(figure: PlotlyFigure, options: FinishLayoutOptions = {}): PlotlyFigure {
  const layout: PlotlyLayout = { ...(figure.layout ?? {}) };
  const width = typeof layout.width === 'number' ? layout.width : PLOTLY_DEFAULT_SIZE.width;
  const height = typeof layout.height === 'number' ? layout.height : PLOTLY_DEFAULT_SIZE.height;
  const font = isObject(layout.font) ? layout.font : {};
  const fontPx = typeof font.size === 'number' ? font.size : 12;
  const title: Record<string, any> = isObject(layout.title) ? { ...layout.title } : typeof layout.title === 'string' ? { text: layout.title } : {};
  const titlePx = isObject(title.font) && typeof title.font.size === 'number' ? title.font.size : fontPx * 1.4;
  const margin = isObject(layout.margin) ? { ...layout.margin } : {};
  const oldTop = typeof margin.t === 'number' ? margin.t : 100;
  const band = options.modebar ? MODEBAR_BAND_PX : 0;

  let text = titleText(layout.title);
  if (text !== '') {
    const sidePx = 2 * 8;
    text = wrapPlotlyText(text, Math.floor((width - sidePx) / (titlePx * CHAR_WIDTH)));
  }
  const titleHeight = lineCount(text) * titlePx * LINE_HEIGHT;
  const annotationsHeight = topAnnotationsHeight(layout, fontPx);
  let top: number;
  if (titleHeight === 0 && annotationsHeight === 0) top = Math.max(oldTop, band + GAP_PX);
  else top = Math.ceil(band + GAP_PX + (titleHeight > 0 ? titleHeight + GAP_PX : 0) + (annotationsHeight > 0 ? annotationsHeight + GAP_PX : 0));
  const newHeight = options.growHeight ? height + Math.max(0, top - oldTop) : height;
  margin.t = top;
  layout.margin = margin;
  if (options.growHeight) layout.height = newHeight;
  if (text !== '') {
    layout.title = { ...title, text, yref: 'container', y: 1 - (band + GAP_PX) / newHeight, yanchor: 'top', automargin: false };
  }
  const finished: PlotlyFigure = { ...figure, layout };
  logAxisTicks(figure, layout);
  return finished;
}
