import { randomBytes } from 'node:crypto';
import { checkFigure, describeFigure, type PlotlyFigure } from './figure';
import { jsonForScriptTag, plotlyBundleForScriptTag, plotlyVersion } from './plotlyBundle';

/** The mime type JupyterLab, VS Code and nteract render natively with plotly. */
export const PLOTLY_MIME_TYPE = 'application/vnd.plotly.v1+json';

/** One Jupyter display_data payload: mime type → content. */
export interface MimeBundle {
  [PLOTLY_MIME_TYPE]: { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> };
  'text/html': string;
  'text/plain': string;
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
}

export interface ShowResult {
  /** True when the output went to a Jupyter frontend through the tslab kernel. */
  displayed: boolean;
  /** Whether this output carries the plotly.js bundle. */
  includesPlotly: boolean;
  /** The text/plain fallback. */
  text: string;
}

let plotlyPutInPage = false;

/**
 * The browser script of one figure: draws it with `window.Plotly`. Robust to the ways a saved
 * notebook is reopened: plotly.js may come from an earlier output of the same notebook (outputs
 * are rendered in order), from a require.js module named 'plotly', or arrive a little later;
 * after 15 s without plotly it says in the page what to do instead of failing silently.
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
    if (Plotly) { Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }
    if (Date.now() - started < 15000) { setTimeout(draw, 100); return; }
    el.textContent = 'plotly.js is not loaded in this page: run the notebook again, or call show(figure, { includePlotly: true }).';
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

/**
 * Builds the display payload of a figure without sending it: plotly JSON (for JupyterLab /
 * VS Code), HTML that draws it in classic Notebook 6 and nbconvert's HTML export (offline:
 * plotly.js is inlined when `includePlotly`), and a text fallback.
 */
export function figureMimeBundle(figure: PlotlyFigure, options: { includePlotly: boolean }): MimeBundle {
  checkFigure(figure);
  const layout = figure.layout ?? {};
  const divId = `grokfss-plot-${randomBytes(8).toString('hex')}`;
  const width = typeof layout.width === 'number' ? `${layout.width}px` : '100%';
  const height = typeof layout.height === 'number' ? `${layout.height}px` : '450px';
  const html =
    (options.includePlotly ? plotlyLoaderScripts() : '') +
    `<div id="${divId}" class="grokfss-plotly" style="width: ${width}; height: ${height};"></div>\n` +
    `<script type="text/javascript">\n${drawScript(divId, figure)}\n</script>`;
  return {
    [PLOTLY_MIME_TYPE]: { data: figure.data, layout, config: figure.config ?? {} },
    'text/html': html,
    'text/plain': describeFigure(figure),
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
 * Shows a plotly figure in the notebook as ONE output carrying three mime types:
 * `application/vnd.plotly.v1+json`, `text/html` (works in classic Notebook 6, offline) and
 * `text/plain`. The first figure of a kernel session carries the plotly.js bundle (4.8 MB,
 * from node_modules); later ones reuse it. Outside a tslab kernel it does not display anything:
 * it prints the text fallback (unless `silent`). Returns nothing, so that a cell ending in
 * `show(fig)` prints no extra value; {@link displayFigure} is the same with a report.
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
    return { displayed: false, includesPlotly: false, text };
  }
  const includePlotly = options.includePlotly ?? !plotlyPutInPage;
  const bundle = figureMimeBundle(figure, { includePlotly });
  writer({ data: { ...bundle }, metadata: {}, transient: {} }, false);
  if (includePlotly) plotlyPutInPage = true;
  return { displayed: true, includesPlotly: includePlotly, text };
}
