/**
 * Worker thread of staticImage.ts: owns one headless Chromium with plotly.js loaded, for the
 * whole life of the process, and draws the figures the main thread asks for. Requests come in on
 * a MessagePort and are served one at a time; each reply is posted on the same port and then
 * announced through a shared Int32Array, on which the main thread waits (Atomics.wait), so that
 * `show` can stay a synchronous call. exportFigures sends its batches here too in a kernel
 * (one browser per kernel).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, writeExports, type ExportResult, type ResolvedExportItem } from './export';
import type { LegendFit } from './layoutCheck';
import { drawInPlotPage, openPlotPage, type DrawRequest } from './plotPage';

/** A request from the main thread. */
export type WorkerRequest =
  | { id: number; kind: 'warmup' }
  | { id: number; kind: 'close' }
  | ({ id: number; kind: 'draw' } & DrawRequest)
  | { id: number; kind: 'export'; items: ResolvedExportItem[] };

/** The reply to a request (none is sent for 'warmup'). */
export interface WorkerReply {
  id: number;
  error?: string;
  svg?: string;
  /** PNG bytes (transferred as a Uint8Array). */
  png?: Uint8Array;
  problems?: string[];
  legendFit?: LegendFit | null;
  /** Height as drawn, CSS px. */
  heightPx?: number;
  /** What an 'export' request wrote. */
  exports?: ExportResult[];
  /** Wall time of this request in the worker, including a Chromium launch it had to wait for, ms. */
  ms: number;
  /** How many times this worker has launched Chromium so far (1 in a healthy process). */
  launches: number;
}

const { port, signal, chromePath } = workerData as { port: MessagePort; signal: SharedArrayBuffer; chromePath?: string };
const flag = new Int32Array(signal);

let ready: Promise<{ browser: Browser; context: BrowserContext; page: Page }> | null = null;
let launches = 0;
function plotPage(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  ready ??= (async () => {
    launches++;
    const browser = await launchChromium(chromePath);
    const context = await browser.newContext({ deviceScaleFactor: 1, offline: true });
    return { browser, context, page: await openPlotPage(context) };
  })();
  return ready;
}

async function handle(request: WorkerRequest): Promise<WorkerReply | null> {
  const started = Date.now();
  try {
    if (request.kind === 'warmup') {
      await plotPage().catch(() => undefined); // a failed launch is reported to the first real request
      return null;
    }
    if (request.kind === 'close') {
      if (ready) await (await ready.catch(() => null))?.browser.close();
      ready = null;
      return { id: request.id, ms: Date.now() - started, launches };
    }
    if (request.kind === 'export') {
      const { context, page } = await plotPage();
      return { id: request.id, exports: await writeExports(context, page, request.items), ms: Date.now() - started, launches };
    }
    const { page } = await plotPage();
    const drawn = await drawInPlotPage(page, request);
    return {
      id: request.id,
      svg: drawn.svg,
      png: drawn.png ? new Uint8Array(drawn.png) : undefined,
      problems: drawn.problems,
      legendFit: drawn.legendFit,
      heightPx: drawn.heightPx,
      ms: Date.now() - started,
      launches,
    };
  } catch (error) {
    return { id: request.id, error: (error as Error).message ?? String(error), ms: Date.now() - started, launches };
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    const reply = await handle(request);
    if (!reply) return;
    port.postMessage(reply);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
