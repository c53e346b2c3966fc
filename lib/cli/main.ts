#!/usr/bin/env node
/**
 * Command line:
 *   grokking-fss train --task xor --scales 20,32 --seeds 0,1 --profile smoke
 *   grokking-fss slurm --task all --profile paper --store /shared/store [--submit]
 *   grokking-fss status --task all --profile paper --store /shared/store
 *   grokking-fss analyze runs/ --topology ba --json summary.json --figures figs/
 *   grokking-fss export --task xor --profile quick --format npz --out runs/
 * `train` trains (or loads from the store) every scale × seed of a task's profile plan — or
 * one array task's share of it — shows a progress bar with ETA on stderr, and prints the runs
 * table on stdout. `slurm` writes (and submits) a Slurm job array whose tasks run `train` on
 * their shares (lib/cli/slurm.ts). `status` shows where each run stands (lib/cli/status.ts).
 * `analyze` runs the probe and the finite-size scaling on runs trained elsewhere, read from a
 * directory in the exchange format (lib/cli/analyze.ts); `export` writes a stored sweep in that
 * format (lib/cli/export.ts). `analyze` never loads TensorFlow.js.
 */
import * as path from 'node:path';
import { parseArgs as tokenize } from 'node:util';
import { numberValue, progressLine, SWEEP_OPTIONS, textTable, valueOf } from './common';
import { ANALYZE_OPTIONS, ANALYZE_SWITCHES, ANALYZE_USAGE, EXPORT_OPTIONS, EXPORT_SWITCHES, EXPORT_USAGE } from './exchangeUsage';
import { watchLauncher } from './launcher';
import { CorruptStoreEntryError, storeRoot } from '../store/index';
import type { ArrayTask } from '../train/trainScales';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { hashConfig } from '../util/hash';

// The training side (TensorFlow.js: the backend, sweeps, slurm, status) is loaded by the commands
// that need it, so that `analyze` and `export` run without it.
export { progressLine, textTable };

const SWEEP_HELP = `  --task <xor|sparse-parity|modular-addition|all>
                                  all: every sweep of the profile (what npm run reproduce trains)
  --profile <smoke|quick|paper>   budgets (default: GROKFSS_PROFILE or quick)
  --scales <h1,h2,…>              hidden widths (default: the profile's)
  --seeds <s1,s2,…>               seeds (default: the profile's)
  --epochs <n>                    override the profile's epoch budget
  --snapshots <n>                 override the number of snapshots
  --p <p> --train-fraction <f>    modular addition options
  --store <dir>                   store root (default: GROKFSS_DATA or data/store)`;

const TRAIN_USAGE = `usage: grokking-fss train --task <xor|sparse-parity|modular-addition|all> [options]

Trains a sweep into the store (runs already there are read, not retrained).

options:
${SWEEP_HELP}
  --workers <n>                   worker threads (default: number of cores)
  --array-index <i> --array-size <n>
                                  train only the share of task i (0 … n−1) of a job array of n
                                  tasks: runs sorted largest first, dealt round-robin
  --force                         retrain every run even if the store has it
  --recompute <key1,key2,…>       retrain only these runs (store keys, e.g. one reported as corrupt)
  --json                          print the runs table as JSON lines instead of text
  --help                          print this help

Another process training into the same store is waited for, never disturbed: each run is
trained once, by whichever process gets to it first.`;

const SLURM_USAGE = `usage: grokking-fss slurm --task <xor|sparse-parity|modular-addition|all> [options]

Writes an sbatch script that trains the sweep as a Slurm job array into a shared store (one
task per run, or per k runs; largest runs first), and prints how to submit it.

options:
${SWEEP_HELP}
  --runs-per-task <k>             runs per array task (default 1)
  --cpus-per-task <c>             CPUs per task = runs trained at once (default 1)
  --partition <name>              Slurm partition (default: the cluster's)
  --time <limit>                  time limit per task, e.g. 30, 2:00:00, 1-12 (default: the partition's)
  --script <file>                 where to write the script (default: ./grokfss-<task>-<profile>.sbatch);
                                  the tasks' output goes to slurm-logs/ beside it
  --submit                        submit it with sbatch and print the job id
  --help                          print this help

The store must be on a file system every node sees. Resubmitting the script retries what a
killed or failed task left: complete runs are skipped, interrupted ones resume from their
checkpoints. \`grokking-fss status\` with the same options shows where each run stands.`;

const STATUS_USAGE = `usage: grokking-fss status --task <xor|sparse-parity|modular-addition|all> [options]

Shows where each run of a sweep stands in the store: complete, failed (stored as NaN/Inf),
running (a live process holds its lock), stale (its process died; the next train or
submission resumes it), corrupt (a checksum fails) or missing. Exit status 0 when every run
is complete or failed, 3 otherwise.

options:
${SWEEP_HELP}
  --verify                        check every file of every stored run (default: its summary only)
  --json                          print one JSON line per run instead of the table
  --help                          print this help`;

const USAGE = `usage: grokking-fss train  --task <task> [options]   train a sweep into the store
       grokking-fss slurm  --task <task> [options]   write (and submit) a Slurm job array that trains it
       grokking-fss status --task <task> [options]   where each run of the sweep stands in the store
       grokking-fss analyze <dir> [options]          probe and D of runs trained elsewhere (.npz / .safetensors)
       grokking-fss export --task <task> [options]   write a stored sweep in that exchange format
       grokking-fss <command> --help                 the options of a command

Values go after a space or an '=' (--store=dir/a=b keeps every '='); switches take no value.`;

/** The options of each command: value-taking ones and switches. */
const COMMANDS = {
  train: { usage: TRAIN_USAGE, valued: [...SWEEP_OPTIONS, 'workers', 'store', 'array-index', 'array-size', 'recompute'], switches: ['force', 'json', 'help'] },
  slurm: {
    usage: SLURM_USAGE,
    valued: [...SWEEP_OPTIONS, 'store', 'runs-per-task', 'cpus-per-task', 'partition', 'time', 'script'],
    switches: ['submit', 'help'],
  },
  status: { usage: STATUS_USAGE, valued: [...SWEEP_OPTIONS, 'store'], switches: ['verify', 'json', 'help'] },
  analyze: { usage: ANALYZE_USAGE, valued: ANALYZE_OPTIONS, switches: ANALYZE_SWITCHES },
  export: { usage: EXPORT_USAGE, valued: [...SWEEP_OPTIONS, ...EXPORT_OPTIONS], switches: EXPORT_SWITCHES },
} as const;
type Command = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.keys(COMMANDS) as Command[];
/** Every option of any command. */
const VALUED = [...new Set(COMMAND_NAMES.flatMap((c) => COMMANDS[c].valued as readonly string[]))];
const SWITCHES = [...new Set(COMMAND_NAMES.flatMap((c) => COMMANDS[c].switches as readonly string[]))];

/**
 * Parses `command --name value --name=value --switch` arguments, strictly (node:util parseArgs
 * tokens, then these rules): unknown options (for a known command: options of another
 * command, too), empty values, a value-taking option followed by another option instead of its
 * value, a value given to a switch, an option given twice and a second positional argument are
 * all refused with an InvalidOptionError naming the option.
 */
export function parseArgs(argv: string[]): { command: string | undefined; options: Record<string, string | true> } {
  const tokensOf = (valued: readonly string[], switches: readonly string[]) =>
    tokenize({
      args: argv,
      options: Object.fromEntries([...valued.map((f) => [f, { type: 'string' }]), ...switches.map((f) => [f, { type: 'boolean' }])]) as Record<
        string,
        { type: 'string' | 'boolean' }
      >,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }).tokens;
  const first = tokensOf(VALUED, SWITCHES).find((t) => t.kind === 'positional');
  const known = first && first.kind === 'positional' && (COMMAND_NAMES as string[]).includes(first.value) ? (first.value as Command) : undefined;
  const valued: readonly string[] = known ? COMMANDS[known].valued : VALUED;
  const switches: readonly string[] = known ? COMMANDS[known].switches : SWITCHES;
  // A name can be a switch of one command and take a value in another (--json): tokens by the command's own options.
  const tokens = known ? tokensOf(valued, switches) : tokensOf(VALUED, SWITCHES);
  const allowed = [...valued, ...switches].map((f) => `--${f}`).join(', ');
  const options: Record<string, string | true> = {};
  let command: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (command === undefined && !token.value.startsWith('-')) command = token.value;
      // `analyze <dir>`: its one positional argument
      else if (known === 'analyze' && command === 'analyze' && options.directory === undefined) options.directory = token.value;
      else
        throw new InvalidOptionError(
          'arguments',
          `unexpected ${JSON.stringify(token.value)}${command === undefined ? '' : ` after the command ${JSON.stringify(command)}`}; options are: ${allowed}`,
        );
      continue;
    }
    const flag = token.rawName;
    const name = token.name;
    if (!flag.startsWith('--') || ![...valued, ...switches].includes(name)) {
      const owners = COMMAND_NAMES.filter((c) => ([...COMMANDS[c].valued, ...COMMANDS[c].switches] as string[]).includes(name));
      const elsewhere =
        flag.startsWith('--') && known && owners.length > 0
          ? `not an option of \`${known}\` (it belongs to ${owners.map((c) => `\`${c}\``).join(', ')}); `
          : 'unknown option; ';
      throw new InvalidOptionError(flag, `${elsewhere}allowed: ${allowed}`);
    }
    if (name in options) throw new InvalidOptionError(flag, 'is given twice');
    if (switches.includes(name)) {
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
  [/^arrayTask\.index$/, '--array-index'],
  [/^arrayTask\.size$/, '--array-size'],
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

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    const command = argv.find((a) => (COMMAND_NAMES as string[]).includes(a)) as Command | undefined;
    process.stderr.write(`${(error as Error).message}\n\n${command ? COMMANDS[command].usage : USAGE}\n`);
    return 2;
  }
  const { command, options } = parsed;
  if (command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return options.help ? 0 : 2;
  }
  try {
    if (!(COMMAND_NAMES as string[]).includes(command))
      throw new InvalidOptionError(
        'command',
        `unknown command ${JSON.stringify(command)}; allowed values: ${COMMAND_NAMES.map((c) => JSON.stringify(c)).join(', ')}`,
      );
    if (options.help) {
      process.stdout.write(`${COMMANDS[command as Command].usage}\n`);
      return 0;
    }
    if (command === 'slurm') return await slurmCommand(options);
    if (command === 'status') return await statusCommand(options);
    if (command === 'analyze') return await (await import('./analyze')).analyzeCommand(options);
    if (command === 'export') return await (await import('./export')).exportCommand(options);
    return await trainCommand(options);
  } catch (error) {
    const shown = error instanceof InvalidOptionError ? asFlagError(error) : error;
    process.stderr.write(`${(shown as Error).message}\n`);
    if (error instanceof CorruptStoreEntryError)
      process.stderr.write(`(the rest of the store is untouched; --recompute ${error.key} retrains that run alone)\n`);
    return error instanceof InvalidOptionError ? 2 : 1;
  }
}

/** `--array-index i --array-size n`, both or neither, checked against the number of runs. */
function arrayTaskOption(options: Record<string, string | true>, maxArraySize: number): ArrayTask | undefined {
  const index = valueOf(options, 'array-index');
  const size = valueOf(options, 'array-size');
  if (index === undefined && size === undefined) return undefined;
  if (index === undefined)
    throw new InvalidOptionError(
      '--array-index',
      'is required with --array-size (this task\'s index, 0 … size − 1; in an sbatch script: "$SLURM_ARRAY_TASK_ID")',
    );
  if (size === undefined) throw new InvalidOptionError('--array-size', 'is required with --array-index (the number of tasks of the array)');
  const n = checkInteger('--array-size', numberValue('--array-size', size), 1, maxArraySize);
  const i = checkInteger('--array-index', numberValue('--array-index', index), 0);
  if (i >= n) throw new InvalidOptionError('--array-index', `must be below --array-size ${n} (tasks are numbered 0 … ${n - 1}), got ${i}`);
  return { index: i, size: n };
}

/** `grokking-fss train`. */
async function trainCommand(options: Record<string, string | true>): Promise<number> {
  const { describeSweeps, sweepSelection } = await import('./sweepArgs');
  const { arrayShare, MAX_ARRAY_SIZE, MAX_WORKERS, sweepRuns, trainSweeps } = await import('../train/trainScales');
  const { initBackend } = await import('../backend/index');
  const selection = sweepSelection(options);
  const sweeps = selection.sweeps.map((s) => s.sweep);
  const workersValue = valueOf(options, 'workers');
  const workers = workersValue !== undefined ? checkInteger('--workers', numberValue('--workers', workersValue), 0, MAX_WORKERS) : undefined;
  const recompute = valueOf(options, 'recompute')
    ?.split(',')
    .map((k) => k.trim());
  if (recompute && options.force) throw new InvalidOptionError('--recompute', 'and --force exclude each other (--force retrains every run)');
  if (recompute?.some((k) => !/^[0-9a-f]{16}$/.test(k)))
    throw new InvalidOptionError('--recompute', `must be store keys (16 hex digits, as printed in the runs table), got ${JSON.stringify(options.recompute)}`);
  const arrayTask = arrayTaskOption(options, MAX_ARRAY_SIZE);
  const runs = sweepRuns(sweeps);
  const share = arrayTask
    ? arrayShare(
        runs.map((r) => r.cost),
        arrayTask,
      ).length
    : runs.length;
  const backend = await initBackend();
  const what = selection.all
    ? `every sweep of profile ${selection.profile} (${describeSweeps(selection)})`
    : `${selection.sweeps[0].plan.task}, profile ${selection.profile}: ${describeSweeps(selection)}`;
  const notes = selection.all ? '' : ` (${selection.sweeps[0].plan.note})`;
  process.stderr.write(`train ${what} on ${backend.name}${notes}\n`);
  if (arrayTask)
    process.stderr.write(
      `array task ${arrayTask.index} of ${arrayTask.size}: ${share} of the ${runs.length} runs${share === 0 ? ' (the array has more tasks than the sweep has runs): nothing to do' : ''}\n`,
    );
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  const launcher = watchLauncher((pid) => {
    process.stderr.write(
      `\ngrokking-fss: the process that launched this run (pid ${pid}, npm/npx) is gone; stopping. Checkpoints are kept: rerun to resume.\n`,
    );
    process.exit(1);
  });
  const tables = await trainSweeps(sweeps, {
    workers,
    root: valueOf(options, 'store'),
    force: options.force === true,
    recompute,
    arrayTask,
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
  });
  launcher.stop();
  if (tty) process.stderr.write('\n');
  const rows = tables.flatMap((table, i) =>
    (table.objects() as Array<Record<string, unknown>>).map((row) => (selection.all ? { sweep: selection.sweeps[i].label, ...row } : row)),
  );
  const columns = [
    ...(selection.all ? ['sweep'] : []),
    'task',
    'h',
    'N',
    'seed',
    'status',
    'trainOnset',
    'testOnset',
    'lastEpoch',
    'wallSeconds',
    'cacheHit',
    'key',
  ];
  if (options.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  else if (rows.length > 0) process.stdout.write(`${textTable(rows, columns)}\n`);
  const errors = rows.filter((r) => r.status === 'error');
  for (const r of errors) process.stderr.write(`run h=${r.h} seed=${r.seed} raised: ${r.error}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** `grokking-fss slurm`. */
async function slurmCommand(options: Record<string, string | true>): Promise<number> {
  const { describeSweeps, sweepSelection } = await import('./sweepArgs');
  const { MAX_WORKERS, sweepRuns } = await import('../train/trainScales');
  const { initBackend } = await import('../backend/index');
  const { arraySize, checkPartition, checkSlurmTime, findOnPath, slurmScript, submitScript, writeSlurmScript } = await import('./slurm');
  const { statusSummary, sweepStatus } = await import('./status');
  const selection = sweepSelection(options);
  const runs = sweepRuns(selection.sweeps.map((s) => s.sweep)).length;
  const integer = (flag: string, fallback: number, max: number): number => {
    const value = valueOf(options, flag);
    return value === undefined ? fallback : checkInteger(`--${flag}`, numberValue(`--${flag}`, value), 1, max);
  };
  const runsPerTask = integer('runs-per-task', 1, runs);
  const cpusPerTask = integer('cpus-per-task', 1, MAX_WORKERS);
  const partition = valueOf(options, 'partition');
  const time = valueOf(options, 'time');
  if (partition !== undefined) checkPartition('--partition', partition);
  if (time !== undefined) checkSlurmTime('--time', time);
  const store = path.resolve(valueOf(options, 'store') ?? storeRoot());
  const task = selection.all ? 'all' : selection.sweeps[0].plan.task;
  // Overrides make another sweep: a different default name, so that two never overwrite each other.
  const overrides = selection.args.slice(4);
  const jobName = `grokfss-${task}-${selection.profile}${overrides.length > 0 ? `-${hashConfig(overrides).slice(0, 8)}` : ''}`;
  const script = path.resolve(valueOf(options, 'script') ?? `${jobName}.sbatch`);
  const logDir = path.join(path.dirname(script), 'slurm-logs');
  const sbatch = options.submit ? findOnPath('sbatch') : null;
  if (options.submit && !sbatch)
    throw new InvalidOptionError(
      '--submit',
      `sbatch was not found on PATH (${process.env.PATH ?? ''}); run this on a Slurm login node, or leave out --submit and submit the script where Slurm is installed`,
    );
  const backend = (await initBackend()).name;
  const text = slurmScript({ sweepArgs: selection.args, runs, runsPerTask, cpusPerTask, partition, time, jobName, store, logDir, backend });
  writeSlurmScript(script, text, logDir);
  const size = arraySize(runs, runsPerTask);
  const status = await sweepStatus(selection.sweeps, { root: store });
  const done = status.filter((r) => r.state === 'complete' || r.state === 'failed').length;
  process.stdout.write(
    `wrote ${script}: ${runs} runs (${describeSweeps(selection)}; profile ${selection.profile}) as a job array of ${size} task${size === 1 ? '' : 's'}, at most ${runsPerTask} run${runsPerTask === 1 ? '' : 's'} each, largest first; backend ${backend}\n`,
  );
  process.stdout.write(`store ${store}: ${statusSummary(status)}${done > 0 ? ' (tasks skip what is done)' : ''}\n`);
  if (size > 1001)
    process.stderr.write(
      `note: ${size} array tasks exceed Slurm's default MaxArraySize (1001); if the cluster keeps that limit, use --runs-per-task ${Math.ceil(runs / 1000)}\n`,
    );
  const statusCommandLine = `grokking-fss status ${selection.args.join(' ')} --store ${store}`;
  if (!sbatch) {
    process.stdout.write(`submit it with:\n  sbatch ${script}\nthen follow it with:\n  ${statusCommandLine}\n`);
    return 0;
  }
  const jobId = submitScript(script, sbatch);
  process.stdout.write(
    `submitted job array ${jobId} (tasks 0-${size - 1}); output in ${logDir}\nfollow it with:\n  squeue -j ${jobId}\n  ${statusCommandLine}\n`,
  );
  return 0;
}

/** `grokking-fss status`. */
async function statusCommand(options: Record<string, string | true>): Promise<number> {
  const { sweepSelection } = await import('./sweepArgs');
  const { statusSummary, sweepDone, sweepStatus } = await import('./status');
  const selection = sweepSelection(options);
  const root = path.resolve(valueOf(options, 'store') ?? storeRoot());
  const rows = await sweepStatus(selection.sweeps, { root, verify: options.verify === true });
  if (options.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  else {
    process.stdout.write(
      `${textTable(rows as unknown as Array<Record<string, unknown>>, ['sweep', 'h', 'N', 'seed', 'state', 'epoch', 'epochs', 'key', 'detail'])}\n`,
    );
    process.stdout.write(`${root}: ${statusSummary(rows)}\n`);
  }
  return sweepDone(rows) ? 0 : 3;
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
