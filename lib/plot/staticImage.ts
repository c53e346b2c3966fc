/**
 * Static images of figures for notebook outputs (so that GitHub, nbviewer and any viewer without
 * JavaScript show the figure), drawn by the same plotly.js in headless Chromium as the paper
 * exports. One Chromium per process (per notebook kernel), started in a worker thread on first use
 * and reused for every figure; the main thread waits for each image, so `show` stays synchronous.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { checkChoice } from '../util/errors';
import { checkFigure, type PlotlyFigure } from './figure';
import { LAYOUT_FONT_RANGE_PT, type LegendFit } from './layoutCheck';
import { isPaperLayout } from './styles';
import { finalizePlotlySvg } from './svg';
import type { ExportResult, ResolvedExportItem } from './export';
import type { WorkerReply, WorkerRequest } from './staticImageWorker';

/** Formats of a notebook figure's static image: 'auto' = SVG unless it is heavy, then PNG; 'none' = no image. */
export const STATIC_IMAGE_FORMATS = ['auto', 'svg', 'png', 'none'] as const;
export type StaticImageFormat = (typeof STATIC_IMAGE_FORMATS)[number];

/** With 'auto', an SVG larger than this (bytes) is replaced by the PNG when the PNG is smaller [150 000]. */
export const AUTO_SVG_MAX_BYTES = 150_000;
/** Pixels per CSS pixel of notebook PNGs (sharp on high-density screens) [2]. */
export const STATIC_PNG_SCALE = 2;
/** Environment variable with the default format of {@link staticImage} ('auto' when unset). */
export const STATIC_IMAGE_ENV = 'GROKFSS_STATIC_IMAGE';

/** How long the first image may take (it starts Chromium and loads plotly.js), then each later one, ms. */
const FIRST_IMAGE_TIMEOUT_MS = 120_000;
const IMAGE_TIMEOUT_MS = 60_000;

/** A figure's static image. */
export interface StaticImage {
  mimeType: 'image/svg+xml' | 'image/png';
  /** The SVG document, or the PNG as base64. */
  data: string;
  /** Displayed size, CSS px (the PNG has STATIC_PNG_SCALE times as many pixels). */
  widthPx: number;
  heightPx: number;
  /** Size of the image file (SVG text or PNG bytes). */
  bytes: number;
  /** What the layout check found (see layoutProblemsInPage); [] when nothing. */
  layoutProblems: string[];
  /**
   * Layout keys the legend fit changed (fitLegendInPage: a legend below the plots moved clear of
   * the axis titles, the figure grown to hold it), or null: merge them into the figure shown
   * interactively, so that it matches its image.
   */
  layoutPatch: LegendFit | null;
  /** Wall time the main thread waited for this image, ms. */
  waitedMs: number;
}

/** Options of {@link staticImage}. */
export interface StaticImageOptions {
  /** 'auto', 'svg' or 'png' [`GROKFSS_STATIC_IMAGE`, else 'auto']. */
  format?: Exclude<StaticImageFormat, 'none'>;
  /** Chromium binary [`CHROME_PATH`, else /usr/bin/chromium]. */
  chromePath?: string;
}

/** The default format: `GROKFSS_STATIC_IMAGE` when set (checked), else 'auto'. */
export function defaultStaticImageFormat(): StaticImageFormat {
  const value = process.env[STATIC_IMAGE_ENV];
  return value === undefined || value === '' ? 'auto' : checkChoice(STATIC_IMAGE_ENV, value, STATIC_IMAGE_FORMATS);
}

interface Renderer {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  nextId: number;
  served: number;
  launches: number;
}
let renderer: Renderer | null = null;
/** Why static images are off for the rest of this process (Chromium missing, crashed or hung), or null. */
let failure: string | null = null;

function startRenderer(chromePath?: string): Renderer {
  if (renderer) return renderer;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, 'staticImageWorker.js'), {
    workerData: { port: port2, signal: flag.buffer, chromePath },
    transferList: [port2],
  });
  // Neither the worker nor its port may keep a finished script (or a kernel shutting down) alive.
  worker.unref();
  port1.unref();
  worker.on('error', (error) => {
    failure = `the static image worker stopped: ${error.message}`;
  });
  renderer = { worker, port: port1, flag, nextId: 1, served: 0, launches: 0 };
  return renderer;
}

/** Sends `request` to the worker and blocks until its reply (or the timeout). */
function ask(r: Renderer, request: WorkerRequest, timeoutMs: number): WorkerReply {
  Atomics.store(r.flag, 0, 0);
  r.port.postMessage(request);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = receiveMessageOnPort(r.port);
    if (received && (received.message as WorkerReply).id === request.id) return received.message as WorkerReply;
    if (received) continue; // the late reply of a request that timed out earlier
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no image after ${(timeoutMs / 1000).toFixed(0)} s`);
    // Short waits: a reply that arrived between receiveMessageOnPort and here is picked up at once.
    Atomics.wait(r.flag, 0, 0, Math.min(left, 50));
    Atomics.store(r.flag, 0, 0);
  }
}

/** Atomics.waitAsync (Node ≥ 16; not in the ES2022 type library this project compiles against). */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: unknown } })
  .waitAsync;

/** {@link ask} without blocking the thread: the event loop runs while the worker works. */
async function askAsync(r: Renderer, request: WorkerRequest, timeoutMs: number): Promise<WorkerReply> {
  Atomics.store(r.flag, 0, 0);
  r.port.postMessage(request);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = receiveMessageOnPort(r.port);
    if (received && (received.message as WorkerReply).id === request.id) return received.message as WorkerReply;
    if (received) continue;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no reply after ${(timeoutMs / 1000).toFixed(0)} s`);
    const wait = waitAsync(r.flag, 0, 0, Math.min(left, 50));
    if (wait.async) await wait.value;
    Atomics.store(r.flag, 0, 0);
  }
}

/** Whether this process runs a static-image renderer (in a notebook kernel: from the first import on). */
export function staticRendererRunning(): boolean {
  return renderer !== null && failure === null;
}

/** How long one export batch may take in the renderer, ms. */
const EXPORT_TIMEOUT_MS = 600_000;

/**
 * Runs an exportFigures batch (checked items) in the renderer's Chromium, asynchronously; the
 * renderer must be running (staticRendererRunning).
 */
export async function exportInRenderer(items: readonly ResolvedExportItem[]): Promise<ExportResult[]> {
  const r = renderer;
  if (!r) throw new Error('no static-image renderer is running');
  // The worker is unref'd (it must not keep a finished script alive); while the batch runs it
  // must, or a script awaiting exportFigures would exit with the work half done.
  r.worker.ref();
  let reply: WorkerReply;
  try {
    reply = await askAsync(r, { id: r.nextId++, kind: 'export', items: [...items] }, EXPORT_TIMEOUT_MS);
  } finally {
    r.worker.unref();
  }
  r.launches = reply.launches;
  if (reply.error) throw new Error(reply.error);
  return reply.exports ?? [];
}

/**
 * Starts the worker and its Chromium in the background, so that the first figure does not wait
 * for them (notebooks call this when the library is imported in a kernel). Never throws.
 */
export function warmStaticRenderer(chromePath?: string): void {
  if (failure || renderer) return;
  try {
    const r = startRenderer(chromePath);
    r.port.postMessage({ id: 0, kind: 'warmup' } satisfies WorkerRequest);
  } catch (error) {
    failure = (error as Error).message;
  }
}

/** Why static images are unavailable in this process, or null while they work. */
export function staticImageFailure(): string | null {
  return failure;
}

function draw(r: Renderer, figure: PlotlyFigure, widthPx: number, heightPx: number, svg: boolean, pngScale: number) {
  const id = r.nextId++;
  const [minFontPt, maxFontPt] = LAYOUT_FONT_RANGE_PT;
  const check = { minFontPt, maxFontPt, fontSizes: isPaperLayout(figure.layout) };
  const request: WorkerRequest = { id, kind: 'draw', figure, widthPx, heightPx, svg, pngScale, check, fitLegend: 'grow' };
  const reply = ask(r, request, r.served === 0 ? FIRST_IMAGE_TIMEOUT_MS : IMAGE_TIMEOUT_MS);
  r.launches = reply.launches;
  if (reply.error) throw new Error(reply.error);
  r.served++;
  return reply;
}

/** Figures drawn (an image in format auto may take two) and Chromium launches of this process's renderer so far (zeros when none runs). */
export function staticRendererStats(): { draws: number; launches: number } {
  return { draws: renderer?.served ?? 0, launches: renderer?.launches ?? 0 };
}

/**
 * The static image of a figure at the size of its layout (width/height, else plotly's 700 × 450
 * CSS px), drawn synchronously with the process's one Chromium:
 *   1. the figure is drawn by plotly.js as in the notebook (static plot), a legend below the plots
 *      is fitted (fitLegendInPage; the figure grows, see StaticImage.layoutPatch) and the layout checked
 *      (font sizes against LAYOUT_FONT_RANGE_PT only for a figure in a paper style: isPaperLayout);
 *   2. 'svg': plotly's SVG, with its random ids replaced by ones derived from the figure's hash
 *      (SVG outputs are inlined into notebook pages, where two different figures must not share ids);
 *   3. 'png': plotly's PNG at STATIC_PNG_SCALE pixels per CSS px;
 *   4. 'auto': the SVG, unless it is larger than AUTO_SVG_MAX_BYTES and the PNG is smaller.
 * Trace uids are fixed (trace0, trace1, …), so the same figure gives the same SVG bytes.
 *
 * @throws InvalidOptionError for a bad format; Error when Chromium is missing, crashed or took
 *   longer than 120 s for the first image (60 s for later ones): static images then stay off for
 *   this process (see staticImageFailure), because a broken browser does not heal.
 */
export function staticImage(figure: PlotlyFigure, options: StaticImageOptions = {}): StaticImage {
  checkFigure(figure);
  const format = checkChoice('format', options.format ?? defaultFormatForImage(), ['auto', 'svg', 'png'] as const);
  if (failure) throw new Error(failure);
  const layout = figure.layout ?? {};
  const widthPx = typeof layout.width === 'number' ? layout.width : 700;
  const heightPx = typeof layout.height === 'number' ? layout.height : 450;
  const fixed: PlotlyFigure = { ...figure, data: figure.data.map((trace, i) => ({ uid: `trace${i}`, ...trace })) };
  const started = Date.now();
  try {
    const r = startRenderer(options.chromePath);
    const first = draw(r, fixed, widthPx, heightPx, format !== 'png', format === 'png' ? STATIC_PNG_SCALE : 0);
    let mimeType: StaticImage['mimeType'] = format === 'png' ? 'image/png' : 'image/svg+xml';
    let data = '';
    let bytes = 0;
    if (first.svg !== undefined) {
      data = finalizePlotlySvg(
        first.svg,
        createHash('sha256')
          .update(JSON.stringify([fixed, widthPx, heightPx]))
          .digest('hex'),
      );
      bytes = Buffer.byteLength(data);
    }
    let png = first.png;
    if (format === 'auto' && bytes > AUTO_SVG_MAX_BYTES) png = draw(r, fixed, widthPx, heightPx, false, STATIC_PNG_SCALE).png;
    if (png && (format === 'png' || png.byteLength < bytes)) {
      mimeType = 'image/png';
      data = Buffer.from(png).toString('base64');
      bytes = png.byteLength;
    }
    return {
      mimeType,
      data,
      widthPx,
      heightPx: first.heightPx ?? heightPx,
      bytes,
      layoutProblems: first.problems ?? [],
      layoutPatch: first.legendFit ?? null,
      waitedMs: Date.now() - started,
    };
  } catch (error) {
    failure = `static images are off in this process: ${(error as Error).message}`;
    const r = renderer;
    renderer = null;
    void r?.worker.terminate();
    throw new Error(failure);
  }
}

function defaultFormatForImage(): 'auto' | 'svg' | 'png' {
  const format = defaultStaticImageFormat();
  return format === 'none' ? 'auto' : format;
}

/** Closes the process's Chromium and stops the worker (tests and scripts; a kernel needs no call). */
export async function closeStaticRenderer(): Promise<void> {
  const r = renderer;
  renderer = null;
  if (!r) return;
  try {
    ask(r, { id: r.nextId++, kind: 'close' }, 30_000);
  } finally {
    await r.worker.terminate();
  }
}
