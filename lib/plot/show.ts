import { randomBytes } from 'node:crypto';
import { checkChoice } from '../util/errors';
import { checkFigure, describeFigure, type PlotlyFigure, type PlotlyLayout } from './figure';
import { mergeLayout } from './styles';
import { finishLayout } from './finish';
import { jsonForScriptTag, plotlyBundleForScriptTag, plotlyVersion } from './plotlyBundle';
import { defaultStaticImageFormat, STATIC_IMAGE_FORMATS, staticImage, warmStaticRenderer, type StaticImage, type StaticImageFormat } from './staticImage';

/** The mime type JupyterLab, VS Code and nteract render natively with plotly. */
export const PLOTLY_MIME_TYPE = 'application/vnd.plotly.v1+json';

/** One Jupyter display_data payload: mime type → content. */
export interface MimeBundle {
  [PLOTLY_MIME_TYPE]: { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> };
  'text/html': string;
  'text/plain': string;
  /** The static image, when there is one: SVG text ... */
  'image/svg+xml'?: string;
  /** ... or a base64 PNG. */
  'image/png'?: string;
}

export interface ShowOptions {
  /**
   * Put the whole plotly.js bundle into this output. Default: only for the first figure shown
   * in this kernel session (later outputs reuse the `window.Plotly` it defines). Set true after
   * clearing the output that carried it.
   */
  includePlotly?: boolean;
  /** Outside a kernel, do not print the text fallback [false]. */
  silent?: boolean;
  /**
   * Static image put into the same output, for viewers without JavaScript (GitHub, nbviewer,
   * nbconvert HTML, untrusted notebooks): 'auto' (SVG, PNG when the SVG is heavy), 'svg', 'png'
   * or 'none' [`GROKFSS_STATIC_IMAGE`, else 'auto'].
   */
  staticImage?: StaticImageFormat;
}

export interface ShowResult {
  /** True when the output went to a Jupyter frontend through the tslab kernel. */
  displayed: boolean;
  /** Whether this output carries the plotly.js bundle. */
  includesPlotly: boolean;
  /** The text/plain fallback. */
  text: string;
  /** The static image sent with the figure (mime type, file size in bytes, ms waited for it), or null. */
  staticImage: { mimeType: string; bytes: number; waitedMs: number } | null;
  /** Why there is no static image although one was asked for (e.g. Chromium missing), else null. */
  staticImageError: string | null;
  /** Layout problems the static image's layout check found (see layoutProblemsInPage). */
  layoutProblems: string[];
}

let plotlyPutInPage = false;
let staticImageWarned = false;

/**
 * The browser script of one figure: draws it with `window.Plotly`. Robust to the ways a saved
 * notebook is reopened: plotly.js may come from an earlier output of the same notebook (outputs
 * are rendered in order), from a require.js module named 'plotly', or arrive a little later.
 * The static image in the div (if any) is removed just before plotly draws; after 15 s without
 * plotly the image stays, or, without one, the div says what to do instead of failing silently.
 */
function drawScript(divId: string, figure: PlotlyFigure): string {
  const payload = jsonForScriptTag({ data: figure.data, layout: figure.layout ?? {}, config: { displaylogo: false, ...(figure.config ?? {}) } });
  return `(function () {
  var fig = ${payload};
  var started = Date.now();
  function findPlotly() {
    if (window.Plotly && window.Plotly.newPlot) return window.Plotly;
    try {
      if (window.requirejs && window.requirejs.defined && window.requirejs.defined('plotly')) return window.requirejs('plotly');
    } catch (e) {}
    return null;
  }
  function draw() {
    var el = document.getElementById(${JSON.stringify(divId)});
    if (!el) return;
    var Plotly = findPlotly();
    if (Plotly) {
      var image = el.querySelector('img.grokfss-static');
      if (image) image.remove();
      Plotly.newPlot(el, fig.data, fig.layout, fig.config);
      return;
    }
    if (Date.now() - started < 15000) { setTimeout(draw, 100); return; }
    if (!el.querySelector('img.grokfss-static')) el.textContent = 'plotly.js is not loaded in this page: run the notebook again, or call show(figure, { includePlotly: true }).';
  }
  draw();
})();`;
}

/**
 * Script that defines `window.Plotly` from the bundle. Notebook 6 loads require.js, whose global
 * `define` makes UMD bundles register an anonymous AMD module instead of a global (and throws
 * "Mismatched anonymous define()"); `define` is hidden while the bundle runs, then restored.
 */
function plotlyLoaderScripts(): string {
  return (
    `<script type="text/javascript">window.__grokfssDefine = window.define; window.define = undefined;</script>\n` +
    `<script type="text/javascript">/* plotly.js ${plotlyVersion()} */\n${plotlyBundleForScriptTag()}\n</script>\n` +
    `<script type="text/javascript">window.define = window.__grokfssDefine; delete window.__grokfssDefine;</script>\n`
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Builds the display payload of a figure without sending it: plotly JSON (for JupyterLab /
 * VS Code), HTML that draws it in classic Notebook 6 and nbconvert's HTML export (offline:
 * plotly.js is inlined when `includePlotly`), a text fallback and, with `image`, the static
 * image twice: as its own mime type (for viewers that pick images) and as an `<img>` inside the
 * HTML's plot div (for viewers that pick HTML but run no script); the draw script replaces it
 * with the interactive plot.
 */
export function figureMimeBundle(figure: PlotlyFigure, options: { includePlotly: boolean; image?: StaticImage | null }): MimeBundle {
  checkFigure(figure);
  const layout = figure.layout ?? {};
  const divId = `grokfss-plot-${randomBytes(8).toString('hex')}`;
  const width = typeof layout.width === 'number' ? `${layout.width}px` : '100%';
  const height = typeof layout.height === 'number' ? `${layout.height}px` : '450px';
  const text = describeFigure(figure);
  const image = options.image ?? null;
  const source = image
    ? `data:${image.mimeType};base64,${image.mimeType === 'image/png' ? image.data : Buffer.from(image.data, 'utf8').toString('base64')}`
    : '';
  const img = image
    ? `<img class="grokfss-static" src="${source}" width="${image.widthPx}" height="${image.heightPx}" alt="${escapeAttribute(text)}" style="display: block; max-width: none;">`
    : '';
  const html =
    (options.includePlotly ? plotlyLoaderScripts() : '') +
    `<div id="${divId}" class="grokfss-plotly" style="width: ${width}; height: ${height};">${img}</div>\n` +
    `<script type="text/javascript">\n${drawScript(divId, figure)}\n</script>`;
  const bundle: MimeBundle = {
    [PLOTLY_MIME_TYPE]: { data: figure.data, layout, config: figure.config ?? {} },
    'text/html': html,
    'text/plain': text,
  };
  if (image) bundle[image.mimeType] = image.data;
  return bundle;
}

/** A display_data message: the mime bundle and its metadata. */
export interface FigureOutput {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  result: ShowResult;
}

/**
 * Everything {@link show} sends, without sending it:
 *   1. the figure's layout gets the last pass for an interactive view (finishLayout with the
 *      modebar band; the figure grows by the room its titles need);
 *   2. its static image is drawn from that same layout (staticImage; one Chromium per process),
 *      and the legend fit measured there (a legend below the plots moved clear of the axis
 *      titles) is applied to the interactive figure too; a failure (no Chromium) is reported in
 *      the result and the text fallback, not thrown;
 *   3. the mime bundle (figureMimeBundle) and metadata: the PNG's display size in CSS px, and
 *      under `grokfss` the image format and the layout check's findings.
 */
export function figureOutput(figure: PlotlyFigure, options: ShowOptions & { includePlotly: boolean }): FigureOutput {
  checkFigure(figure);
  const format = checkChoice('staticImage', options.staticImage ?? defaultStaticImageFormat(), STATIC_IMAGE_FORMATS);
  let shown = finishLayout(figure, { modebar: true, growHeight: true });
  let image: StaticImage | null = null;
  let imageError: string | null = null;
  if (format !== 'none') {
    try {
      image = staticImage(shown, { format });
      if (image.layoutPatch) shown = { ...shown, layout: mergeLayout(shown.layout ?? {}, image.layoutPatch as unknown as PlotlyLayout) };
    } catch (error) {
      imageError = (error as Error).message;
    }
  }
  const data = figureMimeBundle(shown, { includePlotly: options.includePlotly, image });
  if (imageError) data['text/plain'] += ` (no static image: ${imageError})`;
  const metadata: Record<string, unknown> = {};
  if (image?.mimeType === 'image/png') metadata['image/png'] = { width: image.widthPx, height: image.heightPx };
  if (image) metadata.grokfss = { staticImage: image.mimeType, staticImageBytes: image.bytes, layoutProblems: image.layoutProblems };
  return {
    data,
    metadata,
    result: {
      displayed: false,
      includesPlotly: options.includePlotly,
      text: describeFigure(figure),
      staticImage: image ? { mimeType: image.mimeType, bytes: image.bytes, waitedMs: image.waitedMs } : null,
      staticImageError: imageError,
      layoutProblems: image?.layoutProblems ?? [],
    },
  };
}

export type WriteDisplayData = (
  message: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

/**
 * tslab's function that sends a display_data message for the cell now running, or null when
 * this process is not a tslab kernel. tslab keeps it in its (internal) jupyter module; we only
 * look at that module if the kernel already loaded it, never load it ourselves.
 */
export function tslabDisplayWriter(): WriteDisplayData | null {
  let modulePath: string;
  try {
    modulePath = require.resolve('tslab/dist/jupyter');
  } catch {
    return null;
  }
  const loaded = require.cache[modulePath];
  const writer = (loaded?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
  return typeof writer === 'function' ? (writer as WriteDisplayData) : null;
}

/**
 * Shows a plotly figure in the notebook as ONE output carrying
 * `application/vnd.plotly.v1+json` (JupyterLab, VS Code), `text/html` (classic Notebook 6,
 * offline), a static image (`image/svg+xml` or `image/png`, also inside the HTML, for GitHub,
 * nbviewer and other viewers without JavaScript) and `text/plain`; see {@link figureOutput}.
 * The first figure of a kernel session carries the plotly.js bundle (4.8 MB, from
 * node_modules); later ones reuse it. The static image costs ≈ 0.1–0.3 s per figure once the
 * kernel's Chromium runs (started in the background when the library is imported in a kernel).
 * Outside a tslab kernel it does not display anything: it prints the text fallback (unless
 * `silent`). Returns nothing, so that a cell ending in `show(fig)` prints no extra value;
 * {@link displayFigure} is the same with a report.
 */
export function show(figure: PlotlyFigure, options: ShowOptions = {}): void {
  displayFigure(figure, options);
}

/** {@link show}, returning what was sent (for code and tests that need to know). */
export function displayFigure(figure: PlotlyFigure, options: ShowOptions = {}): ShowResult {
  checkFigure(figure);
  const writer = tslabDisplayWriter();
  const text = describeFigure(figure);
  if (!writer) {
    if (!options.silent) process.stdout.write(`${text} (not in a tslab kernel: nothing displayed)\n`);
    return { displayed: false, includesPlotly: false, text, staticImage: null, staticImageError: null, layoutProblems: [] };
  }
  const includePlotly = options.includePlotly ?? !plotlyPutInPage;
  const output = figureOutput(figure, { ...options, includePlotly });
  writer({ data: { ...output.data }, metadata: output.metadata, transient: {} }, false);
  if (includePlotly) plotlyPutInPage = true;
  if (output.result.staticImageError && !staticImageWarned) {
    staticImageWarned = true;
    process.stderr.write(`show: figures have no static image in this kernel (${output.result.staticImageError}); the interactive figure is shown.\n`);
  }
  return { ...output.result, displayed: true };
}

// In a notebook kernel, start the static-image renderer now, so that the first figure does not
// wait for Chromium. A bad GROKFSS_STATIC_IMAGE is reported by the first show(), not here.
try {
  if (tslabDisplayWriter() && defaultStaticImageFormat() !== 'none') warmStaticRenderer();
} catch {
  // reported by show()
}
