import { checkChoice } from '../util/errors';
import { OKABE_ITO } from './palette';
import type { PlotlyLayout } from './figure';

/** CSS pixels per inch: plotly sizes are CSS pixels, and Chromium prints 96 of them per inch. */
export const CSS_PX_PER_INCH = 96;
/** Points per inch (typographic point). */
export const POINTS_PER_INCH = 72;
/** Resolution of exported PNG files, in dots per inch. */
export const PNG_DPI = 300;

/** Inches to CSS pixels, rounded to 0.01 px (3.4 in → 326.4, not 326.40000000000003). */
export function inchesToPx(inches: number): number {
  return Math.round(inches * CSS_PX_PER_INCH * 100) / 100;
}

/** Converts a font size in points to plotly's CSS pixels. */
export function pointsToPx(points: number): number {
  return Math.round(((points * CSS_PX_PER_INCH) / POINTS_PER_INCH) * 100) / 100;
}

export const PAPER_STYLE_NAMES = ['single', 'double'] as const;
export type PaperStyleName = (typeof PAPER_STYLE_NAMES)[number];

/** Physical size and type sizes of a journal figure. */
export interface PaperStyle {
  name: PaperStyleName;
  /** Figure width in inches (single column 3.4 in, double column 7 in: APS/Elsevier sizes). */
  widthIn: number;
  /** Default figure height in inches. */
  heightIn: number;
  /** Tick labels and legend, in points. */
  fontSizePt: number;
  /** Axis and figure titles, in points. */
  titleFontSizePt: number;
  /** Axis lines and ticks, in points. */
  lineWidthPt: number;
  /** Font stack: DejaVu Sans ships with Debian (fonts-dejavu-core), so every machine lays out the same. */
  fontFamily: string;
}

export const PAPER_STYLES: Readonly<Record<PaperStyleName, Readonly<PaperStyle>>> = {
  single: { name: 'single', widthIn: 3.4, heightIn: 2.4, fontSizePt: 8, titleFontSizePt: 9, lineWidthPt: 0.6, fontFamily: 'DejaVu Sans, Arial, sans-serif' },
  double: { name: 'double', widthIn: 7, heightIn: 3.2, fontSizePt: 8, titleFontSizePt: 9, lineWidthPt: 0.6, fontFamily: 'DejaVu Sans, Arial, sans-serif' },
};

/** Returns the style object for a name; throws InvalidOptionError listing the allowed names. */
export function paperStyle(style: string): Readonly<PaperStyle> {
  return PAPER_STYLES[checkChoice('style', style, PAPER_STYLE_NAMES)];
}

/**
 * Whether a layout is in one of the paper styles (its font family is a paper style's, as
 * paperLayout sets it): such figures are held to the printed type sizes (LAYOUT_FONT_RANGE_PT).
 */
export function isPaperLayout(layout: PlotlyLayout | undefined): boolean {
  const family = (layout?.font as { family?: unknown } | undefined)?.family;
  return Object.values(PAPER_STYLES).some((style) => style.fontFamily === family);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Deep merge for plotly layouts: plain objects merge key by key, everything else (arrays
 * included) is replaced; `undefined` in `overrides` leaves the base value. Inputs are not modified.
 */
export function mergeLayout(base: PlotlyLayout, overrides: PlotlyLayout | undefined): PlotlyLayout {
  const result: Record<string, unknown> = { ...base };
  if (!overrides) return result;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeLayout(current, value) : value;
  }
  return result;
}

function axisStyle(style: PaperStyle): PlotlyLayout {
  const linePx = pointsToPx(style.lineWidthPt);
  return {
    showline: true,
    linecolor: '#000000',
    linewidth: linePx,
    mirror: false,
    ticks: 'outside',
    ticklen: 3,
    tickwidth: linePx,
    tickcolor: '#000000',
    tickfont: { size: pointsToPx(style.fontSizePt) },
    title: { font: { size: pointsToPx(style.titleFontSizePt) }, standoff: 4 },
    showgrid: false,
    zeroline: false,
    automargin: true,
    exponentformat: 'power',
  };
}

/**
 * A plotly layout for a paper figure: physical width of the column (in CSS px, 96 per inch),
 * 8 pt tick labels, 9 pt titles, thin black axes, white background, Okabe–Ito colours, tight
 * margins. `overrides` are deep-merged on top (see {@link mergeLayout}), e.g.
 * `paperLayout('single', { xaxis: { title: { text: 'N' }, type: 'log' } })`.
 *
 * @param style  'single' (3.4 in wide) or 'double' (7 in wide).
 */
export function paperLayout(style: PaperStyleName | string = 'single', overrides?: PlotlyLayout): PlotlyLayout {
  const s = paperStyle(style);
  const base: PlotlyLayout = {
    width: inchesToPx(s.widthIn),
    height: inchesToPx(s.heightIn),
    font: { family: s.fontFamily, size: pointsToPx(s.fontSizePt), color: '#000000' },
    title: { font: { size: pointsToPx(s.titleFontSizePt) }, x: 0.5, xanchor: 'center', y: 0.98, yanchor: 'top' },
    margin: { l: 8, r: 8, t: 10, b: 8, pad: 0 },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    colorway: [...OKABE_ITO],
    xaxis: axisStyle(s),
    yaxis: axisStyle(s),
    legend: { font: { size: pointsToPx(s.fontSizePt) }, bgcolor: 'rgba(255,255,255,0)', borderwidth: 0, tracegroupgap: 2 },
    hovermode: 'closest',
  };
  return mergeLayout(base, overrides);
}
