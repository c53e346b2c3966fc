import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { InvalidOptionError, checkChoice } from '../util/errors';
import { atomicWriteFile } from '../store/index';
import { checkFigure, type PlotlyFigure } from './figure';
import { finishLayout } from './finish';
import { LAYOUT_FONT_RANGE_PT } from './layoutCheck';
import { drawInPlotPage, openPlotPage } from './plotPage';
import { exportInRenderer, staticRendererRunning } from './staticImage';
import { setPngDpi } from './png';
import { finalizePlotlySvg } from './svg';
import { CSS_PX_PER_INCH, PNG_DPI, inchesToPx, PAPER_STYLE_NAMES, mergeLayout, paperLayout, paperStyle, type PaperStyleName } from './styles';

export const EXPORT_FORMATS = ['svg', 'pdf', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Default Chromium binary (Debian package `chromium`); `CHROME_PATH` overrides it. */
export const DEFAULT_CHROME_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface ExportOptions {
  /** Which files to write. Default ['svg', 'pdf', 'png']. */
  formats?: readonly ExportFormat[];
  /** 'single' column (3.4 in wide, default) or 'double' column (7 in). */
  style?: PaperStyleName;
  /** Figure height in inches. Default: the style's (2.4 in single, 3.2 in double). */
  heightIn?: number;
  /** Chromium binary [`CHROME_PATH`, else /usr/bin/chromium]. */
  chromePath?: string;
}

export interface ExportItem {
  figure: PlotlyFigure;
  /** Output path without extension; relative paths are resolved against the current directory. */
  basePath: string;
  /** Per-figure overrides of the batch options. */
  style?: PaperStyleName;
  heightIn?: number;
  formats?: readonly ExportFormat[];
}

export interface ExportResult {
  /** Absolute paths of the written files, by format. */
  files: Partial<Record<ExportFormat, string>>;
  widthIn: number;
  heightIn: number;
  /** Size of the PNG in pixels (inches × 300), when a PNG was written. */
  pngPixels?: { width: number; height: number };
  /**
   * What the layout check found in the drawn figure (overlapping titles, a legend over data,
   * text cut off, fonts outside 7–9 pt or in several families; see layoutProblemsInPage); [] when nothing.
   */
  layoutProblems: string[];
}

/** The Chromium binary to use; throws with the install command when it is missing. */
export function chromiumPath(explicit?: string): string {
  const candidate = explicit || process.env.CHROME_PATH || DEFAULT_CHROME_PATH;
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}. Install it with \`sudo apt-get install -y chromium\` ` + '(Debian), or set CHROME_PATH to a Chrome/Chromium binary.',
    );
  }
  return candidate;
}

/** Launches headless Chromium (no network use, no sandbox: works as root in containers). */
export async function launchChromium(explicitPath?: string): Promise<Browser> {
  const executablePath = chromiumPath(explicitPath);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** An export item after checking and the last layout pass (plain data: it crosses to the worker thread). */
export interface ResolvedExportItem {
  figure: PlotlyFigure;
  base: string;
  formats: ExportFormat[];
  widthIn: number;
  heightIn: number;
}

function resolveItem(item: ExportItem, options: ExportOptions, index: number): ResolvedExportItem {
  const field = `figures[${index}]`;
  checkFigure(item.figure, `${field}.figure`);
  if (typeof item.basePath !== 'string' || item.basePath === '')
    throw new InvalidOptionError(`${field}.basePath`, 'must be a non-empty path without extension');
  if (/\.(svg|pdf|png)$/i.test(item.basePath))
    throw new InvalidOptionError(`${field}.basePath`, `must not end in an extension (got ${item.basePath}); one file per format is written`);
  const formats = [...(item.formats ?? options.formats ?? EXPORT_FORMATS)];
  if (formats.length === 0) throw new InvalidOptionError(`${field}.formats`, 'must list at least one format');
  for (const format of formats) checkChoice(`${field}.formats`, format, EXPORT_FORMATS);
  const style = paperStyle(checkChoice(`${field}.style`, item.style ?? options.style ?? 'single', PAPER_STYLE_NAMES));
  const heightIn = item.heightIn ?? options.heightIn ?? style.heightIn;
  if (!(Number.isFinite(heightIn) && heightIn > 0 && heightIn <= 20))
    throw new InvalidOptionError(`${field}.heightIn`, `must be in (0, 20] inches, got ${heightIn}`);
  const widthPx = inchesToPx(style.widthIn);
  const heightPx = inchesToPx(heightIn);
  // The paper style sets fonts and axes; the figure's own layout wins, except for its size.
  const layout = mergeLayout(paperLayout(style.name, { ...(item.figure.layout ?? {}), width: undefined, height: undefined }), {
    width: widthPx,
    height: heightPx,
  });
  // Fixed trace uids: plotly otherwise names trace groups randomly, and the SVG would differ per run.
  const data = item.figure.data.map((trace, i) => ({ uid: `trace${i}`, ...trace }));
  return {
    figure: finishLayout({ data, layout, config: { staticPlot: true } }),
    base: path.resolve(item.basePath),
    formats: [...new Set(formats)],
    widthIn: style.widthIn,
    heightIn,
  };
}

function svgPage(svg: string, widthPx: number, heightPx: number): string {
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>' +
    `@page { size: ${widthPx / CSS_PX_PER_INCH}in ${heightPx / CSS_PX_PER_INCH}in; margin: 0 }` +
    'html, body { margin: 0; padding: 0; background: #ffffff; }' +
    `svg { display: block; width: ${widthPx}px; height: ${heightPx}px; }` +
    `</style></head><body>${svg}</body></html>`
  );
}

/**
 * Exports several figures as paper figures with ONE headless Chromium (plotly.js is loaded into
 * the page once). Each figure gets the paper style (paperLayout) under its own layout and the
 * last layout pass (finishLayout: titles, top margin, decade-only log labels; fitLegendInPage:
 * a legend below the plots clear of the axis titles), is checked for
 * layout problems (returned, see ExportResult.layoutProblems), and is written as
 * `<basePath>.svg` (plotly's SVG, sized in inches), `<basePath>.pdf` (vector, fonts embedded,
 * page = figure size) and `<basePath>.png` (300 dpi, i.e. width 3.4 in → 1020 px, with the dpi
 * recorded in the file). Files are written to a temporary name and renamed, so a crash never
 * leaves a half-written figure. In a notebook kernel, where `show` keeps a Chromium for static
 * images, that browser is used (no second launch, no second plotly load); elsewhere, or with
 * `chromePath`, a browser is started for the batch and closed after it.
 *
 * @throws InvalidOptionError for bad items/options (before Chromium starts); Error when Chromium is missing.
 */
export async function exportFigures(items: readonly ExportItem[], options: ExportOptions = {}): Promise<ExportResult[]> {
  if (!Array.isArray(items)) throw new InvalidOptionError('figures', 'must be an array of {figure, basePath}');
  const resolved = items.map((item, index) => resolveItem(item, options, index));
  if (resolved.length === 0) return [];
  // In a notebook kernel the static-image renderer's Chromium is already running: reuse it.
  if (!options.chromePath && staticRendererRunning()) return exportInRenderer(resolved);
  const browser = await launchChromium(options.chromePath);
  try {
    const context: BrowserContext = await browser.newContext({ deviceScaleFactor: 1, offline: true });
    return await writeExports(context, await openPlotPage(context), resolved);
  } finally {
    await browser.close();
  }
}

/**
 * The export loop of {@link exportFigures}, in a browser context whose `plotPage` has plotly
 * loaded (openPlotPage): used with a browser of its own, and by the static-image worker with the
 * kernel's browser. Items come from resolveItem (checked, finished layouts).
 */
export async function writeExports(context: BrowserContext, plotPage: Page, resolved: readonly ResolvedExportItem[]): Promise<ExportResult[]> {
  const pdfPage = await context.newPage();
  const pngPage = await context.newPage();
  try {
    const results: ExportResult[] = [];
    for (const item of resolved) {
      const widthPx = inchesToPx(item.widthIn);
      const heightPx = inchesToPx(item.heightIn);
      const [minFontPt, maxFontPt] = LAYOUT_FONT_RANGE_PT;
      const drawn = await drawInPlotPage(plotPage, { figure: item.figure, widthPx, heightPx, svg: true, check: { minFontPt, maxFontPt }, fitLegend: 'fixed' });
      const svg = finalizePlotlySvg(drawn.svg!, path.basename(item.base), item.widthIn, item.heightIn);
      const result: ExportResult = { files: {}, widthIn: item.widthIn, heightIn: item.heightIn, layoutProblems: drawn.problems };
      fs.mkdirSync(path.dirname(item.base), { recursive: true });
      if (item.formats.includes('pdf')) {
        await pdfPage.setContent(svgPage(svg, widthPx, heightPx));
        const pdf = await pdfPage.pdf({
          width: `${item.widthIn}in`,
          height: `${item.heightIn}in`,
          printBackground: true,
          pageRanges: '1',
          margin: { top: '0', right: '0', bottom: '0', left: '0' },
        });
        result.files.pdf = `${item.base}.pdf`;
        atomicWriteFile(result.files.pdf, pdf);
      }
      if (item.formats.includes('png')) {
        // The SVG is drawn (as vector) at the final pixel size, so the PNG is exactly inches × 300.
        const width = Math.round(item.widthIn * PNG_DPI);
        const height = Math.round(item.heightIn * PNG_DPI);
        await pngPage.setViewportSize({ width, height });
        await pngPage.setContent(svgPage(svg, width, height));
        const png = await pngPage.screenshot({ clip: { x: 0, y: 0, width, height }, type: 'png' });
        result.files.png = `${item.base}.png`;
        atomicWriteFile(result.files.png, setPngDpi(png, PNG_DPI));
        result.pngPixels = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
      }
      if (item.formats.includes('svg')) {
        result.files.svg = `${item.base}.svg`;
        atomicWriteFile(result.files.svg, svg);
      }
      results.push(result);
    }
    return results;
  } finally {
    await pdfPage.close();
    await pngPage.close();
  }
}

/**
 * Exports one figure as a paper figure (see {@link exportFigures}; use that to export several
 * with one browser): `exportFigure(fig, '../figures/fss', { formats: ['svg','pdf','png'], style: 'single' })`.
 */
export async function exportFigure(figure: PlotlyFigure, basePath: string, options: ExportOptions = {}): Promise<ExportResult> {
  const [result] = await exportFigures([{ figure, basePath }], options);
  return result;
}
