/**
 * Worker-thread entry of {@link trainScales}: receives one job at a time, trains it (or loads
 * it from the store) and answers progress and a result row. Loaded from the compiled build
 * (build/lib/train/trainWorker.js).
 */
import { parentPort } from 'node:worker_threads';
import { runSweepJob, SweepJob } from './trainScales';

// Jobs arrive one at a time (the next is sent after 'done'), so they never overlap.
parentPort!.on('message', (job: SweepJob) => {
  void runSweepJob(job, (message) => parentPort!.postMessage(message));
});
