#!/usr/bin/env node
/**
 * Command line: `grokking-fss train --task xor --scales 20,32 --seeds 0,1 --profile smoke`.
 * Trains (or loads from the store) every scale × seed of a task's profile plan, shows a
 * progress bar with ETA on stderr, and prints the runs table on stdout.
 */
import { initBackend } from '../backend/index';
import { trainingPlan } from '../train/profiles';
import { SweepProgress, trainScales } from '../train/trainScales';
import { InvalidOptionError } from '../util/errors';

const USAGE = `usage: grokking-fss train --task <xor|sparse-parity|modular-addition> [options]

options:
  --profile <smoke|quick|paper>   budgets (default: GROKFSS_PROFILE or quick)
  --scales <h1,h2,…>              hidden widths (default: the profile's)
  --seeds <s1,s2,…>               seeds (default: the profile's)
  --epochs <n>                    override the profile's epoch budget
  --snapshots <n>                 override the number of snapshots
  --p <p> --train-fraction <f>    modular addition options
  --workers <n>                   worker threads (default: number of cores)
  --store <dir>                   store root (default: GROKFSS_DATA or data/store)
  --force                         retrain even if the store has the runs
  --json                          print the runs table as JSON lines instead of text`;

/** Parses `--name value` / `--flag` arguments; unknown names are errors. */
export function parseArgs(argv: string[]): { command: string | undefined; options: Record<string, string | true> } {
  const flags = new Set(['force', 'json', 'help']);
  const valued = new Set(['task', 'profile', 'scales', 'seeds', 'epochs', 'snapshots', 'p', 'train-fraction', 'workers', 'store']);
  const options: Record<string, string | true> = {};
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (command === undefined) command = arg;
      else throw new InvalidOptionError('arguments', `unexpected ${JSON.stringify(arg)}`);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (flags.has(name)) options[name] = true;
    else if (valued.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new InvalidOptionError(`--${name}`, 'needs a value');
      options[name] = value;
    } else throw new InvalidOptionError(`--${name}`, `unknown option; allowed: ${[...valued, ...flags].map((f) => `--${f}`).join(', ')}`);
  }
  return { command, options };
}

function numberList(field: string, value: string): number[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const numbers = list.map(Number);
  if (list.length === 0 || numbers.some((n) => !Number.isInteger(n))) throw new InvalidOptionError(field, `must be a comma-separated list of integers, got ${JSON.stringify(value)}`);
  return numbers;
}

function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return `${m}:${String(total % 60).padStart(2, '0')}`;
}

/** One progress line: bar, percent, runs, elapsed, ETA and the runs in training (task h seed epoch/budget). */
export function progressLine(p: SweepProgress, width = 30): string {
  const filled = Math.round(p.fraction * width);
  const running = (p.running ?? []).map((r) => `${r.task} h=${r.h} s${r.seed} ${r.epoch}/${r.epochs}`).join(', ');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}%  runs ${p.runsDone}/${p.runsTotal}  elapsed ${formatSeconds(p.elapsedSeconds)}  ETA ${formatSeconds(p.etaSeconds)}${running ? `  training: ${running}` : ''}`;
}

/** Formats rows as an aligned text table. */
export function textTable(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join('  ');
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, options } = parsed;
  if (options.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !options.help ? 2 : 0;
  }
  try {
    if (command !== 'train') throw new InvalidOptionError('command', `unknown command ${JSON.stringify(command)}; allowed values: "train"`);
    if (typeof options.task !== 'string') throw new InvalidOptionError('--task', 'is required; allowed values: "xor", "sparse-parity", "modular-addition"');
    const plan = trainingPlan(options.task, typeof options.profile === 'string' ? options.profile : undefined);
    const base = { ...plan.base };
    if (typeof options.epochs === 'string') base.epochs = Number(options.epochs);
    if (typeof options.snapshots === 'string') base.snapshots = { count: Number(options.snapshots) };
    if (typeof options.p === 'string' || typeof options['train-fraction'] === 'string') {
      if (plan.task !== 'modular-addition') throw new InvalidOptionError('--p', 'applies only to --task modular-addition');
      const task: Record<string, unknown> = { ...(base.task as Record<string, unknown>), name: 'modular-addition' };
      if (typeof options.p === 'string') task.p = Number(options.p);
      if (typeof options['train-fraction'] === 'string') task.trainFraction = Number(options['train-fraction']);
      base.task = task as { name: string };
    }
    const scales = typeof options.scales === 'string' ? numberList('--scales', options.scales) : plan.scales;
    const seeds = typeof options.seeds === 'string' ? numberList('--seeds', options.seeds) : plan.seeds;
    const workers = typeof options.workers === 'string' ? Number(options.workers) : undefined;
    const backend = await initBackend();
    process.stderr.write(`train ${plan.task}, profile ${plan.profile}: ${scales.length} scales × ${seeds.length} seeds on ${backend.name} (${plan.note})\n`);
    const tty = process.stderr.isTTY === true;
    let lastDecile = -1;
    const table = await trainScales(
      { base, scales, seeds },
      {
        workers,
        root: typeof options.store === 'string' ? options.store : undefined,
        force: options.force === true,
        onProgress: (p) => {
          if (tty) process.stderr.write(`\r${progressLine(p)}`);
          else {
            // Without a terminal, one line per tenth of the work (and per finished run).
            const decile = Math.floor(p.fraction * 10);
            if (decile > lastDecile || p.finished) {
              lastDecile = decile;
              process.stderr.write(`${progressLine(p)}\n`);
            }
          }
        },
      },
    );
    if (tty) process.stderr.write('\n');
    const rows = table.objects() as Array<Record<string, unknown>>;
    if (options.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    else process.stdout.write(`${textTable(rows, ['task', 'h', 'N', 'seed', 'status', 'trainOnset', 'testOnset', 'lastEpoch', 'wallSeconds', 'cacheHit', 'key'])}\n`);
    const errors = rows.filter((r) => r.status === 'error');
    for (const r of errors) process.stderr.write(`run h=${r.h} seed=${r.seed} raised: ${r.error}\n`);
    return errors.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return error instanceof InvalidOptionError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
