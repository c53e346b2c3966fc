/**
 * Worker-thread entry of {@link probeSnapshots}: receives tasks, answers results.
 * Loaded from the compiled build (build/lib/probe/probeWorker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchTask, GraphCache, runBatchTask } from './batchTask';

const { topology, options, keepAvalanches } = workerData as { topology: any; options: any; keepAvalanches: boolean };
const cache = new GraphCache(topology);

// Each message is a chunk of consecutive tasks; the answer is the chunk's results.
parentPort!.on('message', (chunk: BatchTask[]) => {
  try {
    const results = chunk.map((task) => runBatchTask(task, cache, options, keepAvalanches));
    const transfer: ArrayBuffer[] = [];
    for (const result of results) for (const a of [result.sizes, result.areas, result.durations]) if (a) transfer.push(a.buffer as ArrayBuffer);
    parentPort!.postMessage({ ok: true, results }, transfer);
  } catch (error) {
    parentPort!.postMessage({ ok: false, message: (error as Error).message, name: (error as Error).name, field: (error as { field?: string }).field });
  }
});
