/**
 * `grokking-fss slurm`: a sweep as a Slurm job array over a shared store.
 *
 * Slurm distributes the work; the store coordinates it. Each array task runs
 * `grokking-fss train … --array-index $SLURM_ARRAY_TASK_ID --array-size n`, which trains its
 * share of the runs (lib/train/trainScales.ts arrayShare: largest runs first, dealt round-robin)
 * into the store. Runs already complete are skipped, a run another task holds is waited for
 * (per-entry locks), and a run whose task was killed resumes from its checkpoint when the array
 * (or that task) is submitted again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { atomicWriteFile } from '../store/index';
import { MAX_WORKERS } from '../train/trainScales';
import { checkInteger, InvalidOptionError } from '../util/errors';

/** What {@link slurmScript} writes. */
export interface SlurmScriptOptions {
  /** The sweep flags passed on to `grokking-fss train` (sweepArgs.ts SweepSelection.args). */
  sweepArgs: string[];
  /** Number of runs of the sweep(s), ≥ 1. */
  runs: number;
  /** Runs per array task, 1 … runs: the array has ⌈runs / runsPerTask⌉ tasks [1]. */
  runsPerTask: number;
  /** CPUs of each task, 1 … MAX_WORKERS; the task trains that many runs at once (worker threads) [1]. */
  cpusPerTask: number;
  /** Slurm partition(s), comma-separated [the cluster's default]. */
  partition?: string;
  /** Time limit of each task, in a Slurm time format ({@link checkSlurmTime}) [the partition's default]. */
  time?: string;
  /** Slurm job name. */
  jobName: string;
  /** Absolute path of the shared store. */
  store: string;
  /** Absolute folder of the tasks' output files (%x-%A_%a.out: job name, array job id, task index). */
  logDir: string;
  /** The tfjs backend of every task (part of each run's store key), e.g. 'wasm'. */
  backend: string;
  /** Absolute path of the node executable on the compute nodes [this process's]. */
  node?: string;
  /** Absolute path of the compiled CLI [this package's build/lib/cli/main.js]. */
  cli?: string;
}

/** Number of array tasks for `runs` runs at `runsPerTask` each. */
export function arraySize(runs: number, runsPerTask: number): number {
  return Math.ceil(runs / runsPerTask);
}

/** `value` quoted for bash (single quotes; unchanged when it holds only safe characters). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Slurm time limit, as sbatch --time accepts it: minutes, minutes:seconds,
 * hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds, or
 * UNLIMITED / INFINITE.
 */
export function checkSlurmTime(flag: string, value: string): string {
  const ok = /^(\d+(:\d{1,2}){0,2}|\d+-\d{1,2}(:\d{1,2}){0,2}|UNLIMITED|INFINITE)$/i.test(value.trim());
  if (!ok)
    throw new InvalidOptionError(flag, `must be a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS), got ${JSON.stringify(value)}`);
  return value.trim();
}

/** Slurm partition names, comma-separated (letters, digits, _ . -). */
export function checkPartition(flag: string, value: string): string {
  if (!/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(value.trim()))
    throw new InvalidOptionError(flag, `must be a partition name or a comma-separated list of them (letters, digits, _ . -), got ${JSON.stringify(value)}`);
  return value.trim();
}

/**
 * The sbatch script of a sweep's job array (deterministic: same options, same text).
 * 1. `#SBATCH` header: job name, `--array=0-(n−1)` with n = ⌈runs / runsPerTask⌉, one task of
 *    `cpusPerTask` CPUs each, output file per task in `logDir`, partition and time when given.
 * 2. GROKFSS_BACKEND is set to `backend`: the backend is part of every run's store key, so the
 *    tasks and the notebooks that later read the store must agree on it.
 * 3. The task runs `grokking-fss train <sweepArgs> --store <store> --workers <cpusPerTask>
 *    --array-index $SLURM_ARRAY_TASK_ID --array-size n`.
 */
export function slurmScript(options: SlurmScriptOptions): string {
  const runs = checkInteger('runs', options.runs, 1);
  const perTask = checkInteger('--runs-per-task', options.runsPerTask, 1, runs);
  const cpus = checkInteger('--cpus-per-task', options.cpusPerTask, 1, MAX_WORKERS);
  for (const [field, folder] of [
    ['--store', options.store],
    ['--script', options.logDir],
  ] as const) {
    if (!path.isAbsolute(folder)) throw new InvalidOptionError(field, `must be an absolute path in the script, got ${JSON.stringify(folder)}`);
  }
  if (/\s/.test(options.logDir))
    throw new InvalidOptionError(
      '--script',
      `the log folder ${JSON.stringify(options.logDir)} contains white space, which an #SBATCH --output line cannot hold; write the script to another folder`,
    );
  const size = arraySize(runs, perTask);
  const node = options.node ?? process.execPath;
  const cli = options.cli ?? path.join(__dirname, 'main.js');
  const sweep = options.sweepArgs.map(shellQuote).join(' ');
  const store = shellQuote(options.store);
  const lines = [
    '#!/bin/bash',
    `# Slurm job array written by \`grokking-fss slurm\`: ${runs} runs (${options.sweepArgs.join(' ')})`,
    `# in ${size} array task${size === 1 ? '' : 's'} of at most ${perTask} run${perTask === 1 ? '' : 's'} each, largest runs first. Each task trains its`,
    '# share into the shared store: runs already complete are skipped, a run another task is',
    "# training is waited for, and a killed task's run resumes from its last checkpoint when",
    '# this script is submitted again (all of it, or some tasks: sbatch --array=2,5 <this file>).',
    '# Where the runs stand:',
    `#   ${shellQuote(node)} ${shellQuote(cli)} status ${sweep} --store ${store}`,
    `#SBATCH --job-name=${options.jobName}`,
    `#SBATCH --array=0-${size - 1}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --output=${path.join(options.logDir, '%x-%A_%a.out')}`,
    ...(options.partition !== undefined ? [`#SBATCH --partition=${checkPartition('--partition', options.partition)}`] : []),
    ...(options.time !== undefined ? [`#SBATCH --time=${checkSlurmTime('--time', options.time)}`] : []),
    'set -euo pipefail',
    "# The backend is part of every run's store key: the tasks and the notebooks must use the same one.",
    `export GROKFSS_BACKEND=${shellQuote(options.backend)}`,
    `exec ${shellQuote(node)} ${shellQuote(cli)} train ${sweep} --store ${store} --workers ${cpus} --array-index "$SLURM_ARRAY_TASK_ID" --array-size ${size}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The absolute path of executable `name` on PATH, or null. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Writes the script atomically and creates its log folder. */
export function writeSlurmScript(file: string, text: string, logDir: string): void {
  fs.mkdirSync(logDir, { recursive: true });
  atomicWriteFile(file, text);
}

/**
 * Submits a script with `sbatch --parsable` and returns the job id.
 * @throws Error with sbatch's own message when it refuses the job
 */
export function submitScript(file: string, sbatch = 'sbatch'): string {
  const run = spawnSync(sbatch, ['--parsable', file], { encoding: 'utf8' });
  if (run.error) throw new Error(`sbatch could not be run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`sbatch refused ${file} (exit ${run.status}): ${run.stderr.trim() || run.stdout.trim()}`);
  const id = run.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch did not print a job id: ${JSON.stringify(run.stdout.trim())}`);
  return id;
}
