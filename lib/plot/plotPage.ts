/**
 * One browser page with plotly.js loaded, and the one way figures are drawn in it: shared by
 * exportFigures (paper files) and the static images that `show` puts into notebooks.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { PlotlyFigure } from './figure';
import { layoutCheckScript, type LayoutCheckOptions, type LegendFit } from './layoutCheck';
import { plotlyBundlePath } from './plotlyBundle';

/** Opens a blank page in `context` with plotly.js and the layout check loaded (≈ 2 s: plotly is 4.8 MB). */
export async function openPlotPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin: 0"></body></html>');
  await page.addScriptTag({ path: plotlyBundlePath() });
  await page.addScriptTag({ content: layoutCheckScript() });
  return page;
}

/** What to make of one figure in {@link drawInPlotPage}. */
export interface DrawRequest {
  figure: PlotlyFigure;
  /** Size of the figure, CSS px. */
  widthPx: number;
  heightPx: number;
  /** Return plotly's SVG [false]. */
  svg?: boolean;
  /** Return a PNG drawn by plotly at this multiple of the CSS size (e.g. 2) [none]. */
  pngScale?: number;
  /** Run the layout check with these options [no check]. */
  check?: LayoutCheckOptions;
  /** Move a legend below the plots clear of the axis titles (fitLegendInPage) [no]; 'grow' lets the figure grow. */
  fitLegend?: 'grow' | 'fixed';
}

/** Result of {@link drawInPlotPage}. */
export interface DrawResult {
  /** Plotly's SVG document (not yet finalised: see finalizePlotlySvg). */
  svg?: string;
  /** The PNG file's bytes. */
  png?: Buffer;
  /** Layout problems (see layoutProblemsInPage); [] when the check found none or did not run. */
  problems: string[];
  /** Layout keys changed by the legend fit (apply them to the figure shown elsewhere), or null. */
  legendFit: LegendFit | null;
  /** The figure's size as drawn, CSS px (the height changes when the legend fit grows it). */
  widthPx: number;
  heightPx: number;
}

function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
}

/**
 * Draws `request.figure` at the requested size in `page` (from openPlotPage) with
 * `Plotly.newPlot`, fits a legend below the plots (optional), runs the layout check on the drawn
 * graph, exports it with `Plotly.toImage` and removes it again. The figure is drawn as a static plot (no modebar, no hover).
 */
export async function drawInPlotPage(page: Page, request: DrawRequest): Promise<DrawResult> {
  const { figure } = request;
  const out = await page.evaluate(
    async ({ fig, width, height, svg, pngScale, check, fitLegend }) => {
      const g = globalThis as any; // browser globals: no DOM types in this project's tsconfig
      const div = g.document.createElement('div');
      g.document.body.appendChild(div);
      try {
        const layout = { ...(fig.layout ?? {}), width, height };
        await g.Plotly.newPlot(div, fig.data, layout, { ...(fig.config ?? {}), staticPlot: true, displayModeBar: false });
        const legendFit = fitLegend ? await g.__grokfssFitLegend(div, { growHeight: fitLegend === 'grow' }) : null;
        const drawnHeight: number = legendFit?.height ?? height;
        const problems: string[] = check ? g.__grokfssLayoutProblems(div, { ...check, modebar: false }) : [];
        const svgUrl: string | null = svg ? await g.Plotly.toImage(div, { format: 'svg', width, height: drawnHeight }) : null;
        const pngUrl: string | null = pngScale ? await g.Plotly.toImage(div, { format: 'png', width, height: drawnHeight, scale: pngScale }) : null;
        return { svgUrl, pngUrl, problems, legendFit, drawnHeight };
      } finally {
        g.Plotly.purge(div);
        div.remove();
      }
    },
    {
      fig: figure,
      width: request.widthPx,
      height: request.heightPx,
      svg: request.svg ?? false,
      pngScale: request.pngScale ?? 0,
      check: request.check ?? null,
      fitLegend: request.fitLegend ?? null,
    },
  );
  const result: DrawResult = { problems: out.problems, legendFit: out.legendFit, widthPx: request.widthPx, heightPx: out.drawnHeight };
  if (out.svgUrl) result.svg = decodeDataUrl(out.svgUrl).toString('utf8');
  if (out.pngUrl) result.png = decodeDataUrl(out.pngUrl);
  return result;
}
