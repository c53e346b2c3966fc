#!/usr/bin/env node
/**
 * Command line: `grokking-fss train --task xor --scales 20,32 --seeds 0,1 --profile smoke`.
 * Trains (or loads from the store) every scale × seed of a task's profile plan, shows a
 * progress bar with ETA on stderr, and prints the runs table on stdout.
 */
import { parseArgs as tokenize } from 'node:util';
import { initBackend } from '../backend/index';
import { watchLauncher } from './launcher';
import { CorruptStoreEntryError } from '../store/index';
import { trainingPlan } from '../train/profiles';
import { MAX_WORKERS, SweepProgress, sweepConfigs, trainScales } from '../train/trainScales';
import { checkInteger, InvalidOptionError } from '../util/errors';

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
  --force                         retrain every run even if the store has it
  --recompute <key1,key2,…>       retrain only these runs (store keys, e.g. one reported as corrupt)
  --json                          print the runs table as JSON lines instead of text
  --help                          print this help

Values go after a space or an '=' (--store=dir/a=b keeps every '='); switches take no value.
Another process training into the same store is waited for, never disturbed: each run is
trained once, by whichever process gets to it first.`;

/** Options that take a value. */
const VALUED = ['task', 'profile', 'scales', 'seeds', 'epochs', 'snapshots', 'p', 'train-fraction', 'workers', 'store', 'recompute'] as const;
/** Switches (no value). */
const SWITCHES = ['force', 'json', 'help'] as const;

/**
 * Parses `command --name value --name=value --switch` arguments, strictly (node:util parseArgs
 * tokens, then these rules): unknown options, empty values, a value-taking option followed by
 * another option instead of its value, a value given to a switch, an option given twice and a
 * second positional argument are all refused with an InvalidOptionError naming the option.
 */
export function parseArgs(argv: string[]): { command: string | undefined; options: Record<string, string | true> } {
  const known = [...VALUED, ...SWITCHES].map((f) => `--${f}`).join(', ');
  const { tokens } = tokenize({
    args: argv,
    options: Object.fromEntries([...VALUED.map((f) => [f, { type: 'string' }]), ...SWITCHES.map((f) => [f, { type: 'boolean' }])]) as Record<
      string,
      { type: 'string' | 'boolean' }
    >,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const options: Record<string, string | true> = {};
  let command: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (command === undefined && !token.value.startsWith('-')) command = token.value;
      else
        throw new InvalidOptionError(
          'arguments',
          `unexpected ${JSON.stringify(token.value)}${command === undefined ? '' : ` after the command ${JSON.stringify(command)}`}; options are: ${known}`,
        );
      continue;
    }
    const flag = token.rawName;
    const name = token.name;
    if (!flag.startsWith('--') || !([...VALUED, ...SWITCHES] as readonly string[]).includes(name))
      throw new InvalidOptionError(flag, `unknown option; allowed: ${known}`);
    if (name in options) throw new InvalidOptionError(flag, 'is given twice');
    if ((SWITCHES as readonly string[]).includes(name)) {
      if (token.value !== undefined)
        throw new InvalidOptionError(flag, `is a switch and takes no value, got ${JSON.stringify(token.value)}; write ${flag} alone`);
      options[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new InvalidOptionError(flag, 'needs a value');
    if (!token.inlineValue && value.startsWith('--'))
      throw new InvalidOptionError(flag, `needs a value, got the option ${value}; to pass a value starting with '--', write ${flag}=${value}`);
    if (value.trim() === '') throw new InvalidOptionError(flag, 'needs a value, got an empty one');
    options[name] = value;
  }
  return { command, options };
}

/** A finite decimal number given to `flag`. */
function numberValue(flag: string, value: string): number {
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new InvalidOptionError(flag, `must be a number, got ${JSON.stringify(value)}`);
  return number;
}

function numberList(field: string, value: string): number[] {
  const list = value.split(',').map((s) => s.trim());
  if (list.some((s) => s === ''))
    throw new InvalidOptionError(field, `must be a comma-separated list of integers without empty items, got ${JSON.stringify(value)}`);
  const numbers = list.map((s) => numberValue(field, s));
  if (numbers.some((n) => !Number.isInteger(n)))
    throw new InvalidOptionError(field, `must be a comma-separated list of integers, got ${JSON.stringify(value)}`);
  return numbers;
}

/** Which flag sets a config field, so that errors from the library name the flag the user typed. */
const FLAG_OF_FIELD: Array<[RegExp, string]> = [
  [/^(scales|model\.hidden(\[\d+\])?)$/, '--scales'],
  [/^seeds?$/, '--seeds'],
  [/^epochs$/, '--epochs'],
  [/^snapshots\.count$/, '--snapshots'],
  [/^task\.p$/, '--p'],
  [/^task\.trainFraction$/, '--train-fraction'],
  [/^workers$/, '--workers'],
  [/^recompute$/, '--recompute'],
  [/^task$/, '--task'],
  [/^profile$/, '--profile'],
];

/** An InvalidOptionError from the library, renamed to the CLI flag that set the field. */
function asFlagError(error: InvalidOptionError): InvalidOptionError {
  const flag = FLAG_OF_FIELD.find(([pattern]) => pattern.test(error.field))?.[1];
  if (!flag) return error;
  const detail = error.message.slice(error.field.length + 2);
  return new InvalidOptionError(
    flag,
    flag.slice(2) === error.field.replace(/s$/, '') || flag.slice(2) === error.field ? detail : `${detail} (checked as ${error.field})`,
  );
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
    if (typeof options.epochs === 'string') base.epochs = numberValue('--epochs', options.epochs);
    if (typeof options.snapshots === 'string') base.snapshots = { count: numberValue('--snapshots', options.snapshots) };
    for (const flag of ['p', 'train-fraction']) {
      if (typeof options[flag] === 'string' && plan.task !== 'modular-addition')
        throw new InvalidOptionError(`--${flag}`, `applies only to --task modular-addition, not ${plan.task}`);
    }
    if (typeof options.p === 'string' || typeof options['train-fraction'] === 'string') {
      const task: Record<string, unknown> = { ...(base.task as Record<string, unknown>), name: 'modular-addition' };
      if (typeof options.p === 'string') task.p = numberValue('--p', options.p);
      if (typeof options['train-fraction'] === 'string') task.trainFraction = numberValue('--train-fraction', options['train-fraction']);
      base.task = task as { name: string };
    }
    const scales = typeof options.scales === 'string' ? numberList('--scales', options.scales) : plan.scales;
    const seeds = typeof options.seeds === 'string' ? numberList('--seeds', options.seeds) : plan.seeds;
    const workers = typeof options.workers === 'string' ? checkInteger('--workers', numberValue('--workers', options.workers), 0, MAX_WORKERS) : undefined;
    const recompute = typeof options.recompute === 'string' ? options.recompute.split(',').map((k) => k.trim()) : undefined;
    if (recompute && options.force) throw new InvalidOptionError('--recompute', 'and --force exclude each other (--force retrains every run)');
    if (recompute?.some((k) => !/^[0-9a-f]{16}$/.test(k)))
      throw new InvalidOptionError('--recompute', `must be store keys (16 hex digits, as printed in the runs table), got ${JSON.stringify(options.recompute)}`);
    sweepConfigs({ base, scales, seeds }); // every run's config is valid before anything starts
    const backend = await initBackend();
    process.stderr.write(`train ${plan.task}, profile ${plan.profile}: ${scales.length} scales × ${seeds.length} seeds on ${backend.name} (${plan.note})\n`);
    const tty = process.stderr.isTTY === true;
    let lastDecile = -1;
    const launcher = watchLauncher((pid) => {
      process.stderr.write(
        `\ngrokking-fss: the process that launched this run (pid ${pid}, npm/npx) is gone; stopping. Checkpoints are kept: rerun to resume.\n`,
      );
      process.exit(1);
    });
    const table = await trainScales(
      { base, scales, seeds },
      {
        workers,
        root: typeof options.store === 'string' ? options.store : undefined,
        force: options.force === true,
        recompute,
        onProgress: (p) => {
          launcher.check();
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
    launcher.stop();
    if (tty) process.stderr.write('\n');
    const rows = table.objects() as Array<Record<string, unknown>>;
    if (options.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    else
      process.stdout.write(
        `${textTable(rows, ['task', 'h', 'N', 'seed', 'status', 'trainOnset', 'testOnset', 'lastEpoch', 'wallSeconds', 'cacheHit', 'key'])}\n`,
      );
    const errors = rows.filter((r) => r.status === 'error');
    for (const r of errors) process.stderr.write(`run h=${r.h} seed=${r.seed} raised: ${r.error}\n`);
    return errors.length > 0 ? 1 : 0;
  } catch (error) {
    const shown = error instanceof InvalidOptionError ? asFlagError(error) : error;
    process.stderr.write(`${(shown as Error).message}\n`);
    if (error instanceof CorruptStoreEntryError)
      process.stderr.write(`(the rest of the store is untouched; --recompute ${error.key} retrains that run alone)\n`);
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
