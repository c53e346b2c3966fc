/**
 * `grokking-fss export --task … --out <dir>`: a stored sweep in the exchange format (exportRuns).
 * The runs are found by their store keys, which include the training backend's name, so this
 * command loads the backend (TensorFlow.js) to know it; reading and writing the runs does not.
 */
import * as path from 'node:path';
import { EXPORT_FORMATS, exportRuns } from '../exchange/export';
import { readEntryByKey, storeRoot } from '../store/index';
import { readRunSummary, RunRow, TRAIN_STAGE } from '../train/runFiles';
import { checkChoice, InvalidOptionError } from '../util/errors';
import { valueOf } from './common';

/** `grokking-fss export`: returns the exit code (errors are thrown to main, which prints them). */
export async function exportCommand(options: Record<string, string | true>): Promise<number> {
  const format = checkChoice('--format', valueOf(options, 'format') ?? 'npz', EXPORT_FORMATS);
  const out = valueOf(options, 'out');
  if (out === undefined) throw new InvalidOptionError('--out', 'is required: the directory to write the run files into');
  if (valueOf(options, 'task') === 'all') throw new InvalidOptionError('--task', 'exports one sweep at a time: xor, sparse-parity or modular-addition');
  const { sweepSelection } = await import('./sweepArgs');
  const { sweepStatus } = await import('./status');
  const selection = sweepSelection(options);
  const root = path.resolve(valueOf(options, 'store') ?? storeRoot());
  const status = await sweepStatus(selection.sweeps, { root });
  const missing = status.filter((r) => r.state !== 'complete' && r.state !== 'failed');
  if (missing.length)
    throw new InvalidOptionError(
      '--task',
      `${missing.length} of the ${status.length} runs are not in the store ${root} (${missing
        .slice(0, 3)
        .map((r) => `h = ${r.h}, seed ${r.seed}: ${r.state}`)
        .join('; ')}${missing.length > 3 ? '; …' : ''}); train them first: grokking-fss train ${selection.args.join(' ')} --store ${root}`,
    );
  const task = selection.sweeps[0].plan.task;
  const rows: RunRow[] = status.map((r) => {
    const summary = readRunSummary(readEntryByKey(TRAIN_STAGE, r.key, { root })!);
    return {
      task,
      h: r.h,
      N: r.N,
      seed: r.seed,
      key: r.key,
      status: summary.status,
      trainOnset: summary.trainOnset,
      testOnset: summary.testOnset,
      lastEpoch: summary.lastEpoch,
      wallSeconds: 0,
      cacheHit: true,
      error: null,
    };
  });
  const failed = rows.filter((r) => r.status !== 'complete').length;
  const result = exportRuns(rows, out, { format, root, force: options.force === true });
  process.stdout.write(
    `${out}: ${result.files.length} run files (${format}; ${result.written} written, ${result.unchanged} already identical)${failed ? `; ${failed} failed run(s) left out` : ''}\n`,
  );
  return 0;
}
