#!/usr/bin/env node
'use strict';
/**
 * Notebook runner: executes notebooks headless with the project's tslab kernel.
 *
 *   npm run notebooks                       every notebooks/*.ipynb, in name order
 *   npm run notebooks -- 00-environment 03  only these (name, name without .ipynb, or a prefix)
 *
 * Environment:
 *   GROKFSS_PROFILE            smoke | quick | paper (default quick), passed on to the kernel
 *   GROKFSS_CELL_IDLE_TIMEOUT  seconds a cell may run WITHOUT PROGRESS (no output, no display
 *                              update, no message from the kernel) before it is stopped; 0 = never
 *                              (default 1800). A cell that keeps printing has no time limit.
 *   GROKFSS_PROGRESS_EVERY     seconds between the "cell N running …" lines of a long cell (default 15)
 *   GROKFSS_NOTEBOOKS_DIR      folder of notebooks (default <project>/notebooks); also the kernel's cwd
 *   GROKFSS_EXECUTED_DIR       where executed copies go (default <project>/data/executed)
 *
 * Each notebook runs in a fresh kernel whose working directory is the notebooks folder, exactly
 * as when a user opens it in Jupyter. The executed copy (with outputs) is written atomically; a
 * failed notebook leaves no copy at data/executed/<name>.ipynb (the partly executed notebook goes
 * to data/executed/failed/<name>.ipynb) and stops at its failing cell (tslab ignores requests for
 * 200 ms after an error, so its later cells would only give confusing empty results), but the
 * other notebooks still run. At the end every failure is listed (notebook, cell, source, error,
 * the kernel's last output when it died) and the exit status is 1.
 */
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { spawn } = require('node:child_process');
const env = require('./jupyter-env');

/** Default for GROKFSS_CELL_IDLE_TIMEOUT: half an hour of silence, generous on purpose. */
const DEFAULT_IDLE_TIMEOUT_S = 1800;
/** Default for GROKFSS_PROGRESS_EVERY. */
const DEFAULT_PROGRESS_EVERY_S = 15;
/**
 * Kernels started per notebook when one does not start (stage 'kernel-start': it exited or did
 * not answer before the first cell). Jupyter picks the kernel's ports before the kernel binds them,
 * so on a busy machine another process can take one in between; a new kernel gets new ports.
 */
const KERNEL_START_ATTEMPTS = 3;

/** Reads and validates the profile; throws InvalidOptionError listing the allowed values. */
function resolveProfile(value) {
  let profiles;
  let errors;
  try {
    profiles = require(path.join(env.projectRoot, 'build', 'lib', 'util', 'profile.js'));
    errors = require(path.join(env.projectRoot, 'build', 'lib', 'util', 'errors.js'));
  } catch {
    throw new Error('build/ is missing: run `npm run build` first (npm run notebooks does it for you)');
  }
  if (value === undefined || value === '') return 'quick';
  return errors.checkChoice('GROKFSS_PROFILE', value, profiles.PROFILE_NAMES);
}

/** Seconds a cell may show no progress (GROKFSS_CELL_IDLE_TIMEOUT); 0 means no limit. */
function resolveIdleTimeout(value, environment = process.env) {
  if (environment.GROKFSS_CELL_TIMEOUT !== undefined && environment.GROKFSS_CELL_TIMEOUT !== '') {
    throw new Error(
      'GROKFSS_CELL_TIMEOUT is no longer used: cells have no fixed time limit. Set GROKFSS_CELL_IDLE_TIMEOUT instead (seconds a cell may run without any output or message from the kernel; 0 = no limit)',
    );
  }
  if (value === undefined || value === '') return DEFAULT_IDLE_TIMEOUT_S;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`GROKFSS_CELL_IDLE_TIMEOUT must be a number of seconds ≥ 0 (0 = no limit), got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/** Seconds between the progress lines of a running cell (GROKFSS_PROGRESS_EVERY). */
function resolveProgressEvery(value) {
  if (value === undefined || value === '') return DEFAULT_PROGRESS_EVERY_S;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`GROKFSS_PROGRESS_EVERY must be a positive number of seconds, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/** Every *.ipynb in the folder, sorted by name; `selectors` keep only matching ones. */
function listNotebooks(notebooksDir, selectors = []) {
  if (!fs.existsSync(notebooksDir)) throw new Error(`notebooks folder not found: ${notebooksDir}`);
  const all = fs
    .readdirSync(notebooksDir)
    .filter((name) => name.endsWith('.ipynb') && !name.startsWith('.'))
    .sort();
  if (selectors.length === 0) return all;
  const chosen = [];
  for (const selector of selectors) {
    const base = path.basename(selector);
    const matches = all.filter((name) => name === base || name === `${base}.ipynb` || name.startsWith(base));
    if (matches.length === 0) {
      throw new Error(`no notebook matches ${JSON.stringify(selector)}; available: ${all.join(', ') || '(none)'}`);
    }
    for (const match of matches) if (!chosen.includes(match)) chosen.push(match);
  }
  return chosen.sort();
}

function removeStaleTemporaries(dir) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (/^\..*\.tmp-\d+$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function runPython(args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(env.python, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    // Whole lines only, so that progress lines are never cut in two.
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      options.onProgress(pending.slice(0, end));
      pending = pending.slice(end + 1);
    });
    child.stdout.on('end', () => {
      if (pending) options.onProgress(pending);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/**
 * Executes one notebook, starting up to KERNEL_START_ATTEMPTS kernels when one does not start.
 * Resolves with {name, ok, seconds, kernelStarts, ...}; never throws for a failing cell (that is
 * reported in the result).
 */
async function executeNotebook(name, options) {
  let seconds = 0;
  for (let attempt = 1; ; attempt++) {
    const result = await executeNotebookOnce(name, options);
    seconds += result.wallSeconds;
    Object.assign(result, { kernelStarts: attempt, wallSeconds: seconds });
    if (result.stage !== 'kernel-start' || attempt >= KERNEL_START_ATTEMPTS) return result;
    const lines = (result.kernelStderr || '').split('\n').filter((line) => line.trim());
    const said = lines.find((line) => /(^|\s)[\w$.]*Error( \[\w+\])?: |^tslab-kernel: /.test(line)) || lines.pop();
    options.log(
      `  ${result.message}${said ? ` (${said.trim().slice(0, 200)})` : ''}: starting a new kernel, attempt ${attempt + 1} of ${KERNEL_START_ATTEMPTS}`,
    );
  }
}

/** One try of executeNotebook. */
async function executeNotebookOnce(name, options) {
  const { notebooksDir, executedDir, profile, idleTimeoutS, progressEveryS, log } = options;
  const resultFile = path.join(os.tmpdir(), `grokfss-notebook-${process.pid}-${Date.now()}.json`);
  const output = path.join(executedDir, name);
  const failedOutput = path.join(executedDir, 'failed', name);
  const started = process.hrtime.bigint();
  const child = await runPython(
    [
      path.join(__dirname, 'execute_notebook.py'),
      `--input=${path.join(notebooksDir, name)}`,
      `--output=${output}`,
      `--failed-output=${failedOutput}`,
      `--result=${resultFile}`,
      `--cwd=${notebooksDir}`,
      `--idle-timeout=${idleTimeoutS}`,
      `--report-every=${progressEveryS}`,
    ],
    {
      cwd: notebooksDir,
      env: { ...env.jupyterEnv(), GROKFSS_PROFILE: profile },
      onProgress: options.verbose ? (text) => log(text) : () => {},
    },
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  let result;
  try {
    result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {
    result = {
      ok: false,
      stage: 'runner',
      message: `the notebook executor exited with ${child.signal ? `signal ${child.signal}` : `code ${child.code}`} and no result:\n${child.stderr.trim()}`,
    };
  } finally {
    fs.rmSync(resultFile, { force: true });
  }
  if (result.ok && child.code !== 0) result = { ok: false, stage: 'runner', message: `executor exited with code ${child.code}: ${child.stderr.trim()}` };
  return { name, wallSeconds, output: result.ok ? output : null, failedOutput: result.ok ? null : failedOutput, ...result };
}

/**
 * Human-readable failure report: notebook, cell number, the cell's source, its stderr and error,
 * and the kernel process's last output when there is any (a dead kernel's last words).
 */
function formatFailure(result) {
  const lines = [`✗ ${result.name} FAILED (${result.stage}): ${result.message ? result.message.split('\n')[0] : ''}`];
  if (result.cell) {
    const cell = result.cell;
    lines.push(`  notebook: ${result.name}`);
    lines.push(`  cell:     ${cell.number} of ${result.cells} (code cell ${cell.codeNumber})`);
    lines.push('  ---- cell source ----');
    lines.push(indent(cell.source));
    if (cell.stderr.trim()) {
      lines.push('  ---- stderr ----');
      lines.push(indent(cell.stderr.trimEnd()));
    }
    if (cell.error.trim()) {
      lines.push('  ---- error ----');
      lines.push(indent(cell.error.trimEnd()));
    }
    if (!cell.stderr.trim() && !cell.error.trim() && result.message) {
      lines.push('  ---- message ----');
      lines.push(indent(result.message));
    }
    if (cell.stdout.trim()) {
      lines.push('  ---- stdout (last 20 lines) ----');
      lines.push(indent(cell.stdout.trimEnd().split('\n').slice(-20).join('\n')));
    }
  } else if (result.message) {
    lines.push(indent(result.message));
  }
  if (result.kernelStderr && result.kernelStderr.trim()) {
    lines.push("  ---- the kernel process's own output (stdout/stderr, last lines) ----");
    lines.push(indent(result.kernelStderr.trimEnd()));
  } else if (result.stage === 'dead-kernel') {
    lines.push('  ---- the kernel process wrote nothing to its stdout/stderr ----');
  }
  if (result.failedOutput && fs.existsSync(result.failedOutput)) lines.push(`  partly executed notebook: ${path.relative(process.cwd(), result.failedOutput)}`);
  return lines.join('\n');
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}

/**
 * All text one notebook execution showed: every cell output (stream text and tracebacks) of its
 * executed or partly executed copy, plus the failure message, the failing cell's stderr/error and
 * the kernel process's output. For scans such as "did a kernel log X anywhere".
 */
function executionText(result) {
  const parts = [result.message || '', result.kernelStderr || ''];
  if (result.cell) parts.push(result.cell.stderr, result.cell.error);
  const file = result.ok ? result.output : result.failedOutput;
  if (file && fs.existsSync(file)) {
    for (const cell of JSON.parse(fs.readFileSync(file, 'utf8')).cells) {
      for (const output of cell.outputs || []) {
        parts.push(Array.isArray(output.text) ? output.text.join('') : output.text || '');
        if (output.traceback) parts.push(output.traceback.join('\n'));
      }
    }
  }
  return parts.join('\n');
}

/**
 * First lines of the errors the kernel caught outside any cell's own flow (an exception thrown
 * in a callback, an unhandled promise rejection): tslab logs them to the running cell as
 * `UncaughtException: ...` / `UnhandledPromiseRejection: ...` and keeps going.
 */
function strayErrors(result) {
  return executionText(result).match(/^(UncaughtException|UnhandledPromiseRejection): .*$/gm) || [];
}

/** Every failure of a run, in full (formatFailure each), under a count; '' when all passed. */
function formatFailures(run) {
  const failed = run.results.filter((result) => !result.ok);
  if (failed.length === 0) return '';
  return [`${failed.length} of ${run.results.length} notebook(s) FAILED:`, ...failed.map(formatFailure)].join('\n\n');
}

/**
 * Runs the notebooks in order, each to its end or its first failing cell, and goes on with the
 * next notebook after a failure. The caller prints formatFailures(run) (main() does).
 * @param {object} [options]
 * @param {string[]} [options.selectors]  notebook names or prefixes (default: all)
 * @param {string} [options.profile]      default GROKFSS_PROFILE, then 'quick'
 * @param {number} [options.idleTimeoutS]   default GROKFSS_CELL_IDLE_TIMEOUT, then 1800
 * @param {number} [options.progressEveryS] default GROKFSS_PROGRESS_EVERY, then 15
 * @returns {Promise<{ok: boolean, profile: string, results: object[]}>}
 */
async function runNotebooks(options = {}) {
  const log = options.log || ((line) => process.stdout.write(`${line}\n`));
  const profile = resolveProfile(options.profile !== undefined ? options.profile : process.env.GROKFSS_PROFILE);
  const idleTimeoutS = options.idleTimeoutS !== undefined ? options.idleTimeoutS : resolveIdleTimeout(process.env.GROKFSS_CELL_IDLE_TIMEOUT);
  const progressEveryS = options.progressEveryS !== undefined ? options.progressEveryS : resolveProgressEvery(process.env.GROKFSS_PROGRESS_EVERY);
  const notebooksDir = path.resolve(options.notebooksDir || process.env.GROKFSS_NOTEBOOKS_DIR || path.join(env.projectRoot, 'notebooks'));
  const executedDir = path.resolve(options.executedDir || process.env.GROKFSS_EXECUTED_DIR || path.join(env.projectRoot, 'data', 'executed'));
  const names = listNotebooks(notebooksDir, options.selectors || []);
  const problem = env.jupyterProblem();
  if (problem) throw new Error(problem);
  if (env.ensureKernel()) log('registered the tslab kernel under .jupyter/ (it was missing or pointed elsewhere)');
  fs.mkdirSync(executedDir, { recursive: true });
  removeStaleTemporaries(executedDir);
  removeStaleTemporaries(path.join(executedDir, 'failed'));

  const limit = idleTimeoutS > 0 ? `a cell is stopped after ${idleTimeoutS} s without progress` : 'no limit on silent cells';
  log(`Running ${names.length} notebook(s) in profile '${profile}' (${limit}), kernel cwd ${path.relative(process.cwd(), notebooksDir) || '.'}`);
  const results = [];
  for (const name of names) {
    log(`▶ ${name}`);
    const result = await executeNotebook(name, { notebooksDir, executedDir, profile, idleTimeoutS, progressEveryS, log, verbose: options.verbose !== false });
    results.push(result);
    if (!result.ok) {
      const where = result.cell ? ` in cell ${result.cell.number}` : '';
      log(
        `✗ ${name} FAILED${where} (${result.stage}): ${(result.message || '').split('\n')[0].slice(0, 200)}  [details at the end; going on with the other notebooks]`,
      );
      continue;
    }
    fs.rmSync(path.join(executedDir, 'failed', name), { force: true });
    log(`✓ ${name}  ${result.wallSeconds.toFixed(1)} s  → ${path.relative(process.cwd(), result.output)}`);
    const stray = strayErrors(result);
    if (stray.length)
      log(
        `⚠ ${name}: the kernel caught ${stray.length} error(s) raised outside any cell's own flow and kept running; the first: ${stray[0].slice(0, 200)} (see the cells' stderr in the executed copy)`,
      );
  }
  return { ok: results.every((result) => result.ok), profile, results };
}

/** One line per notebook plus a total. */
function formatSummary(run) {
  const lines = [`Notebook wall times (profile ${run.profile}):`];
  let total = 0;
  for (const result of run.results) {
    total += result.wallSeconds;
    lines.push(`  ${result.ok ? 'ok  ' : 'FAIL'}  ${result.wallSeconds.toFixed(1).padStart(8)} s  ${result.name}`);
  }
  lines.push(`  total ${total.toFixed(1)} s`);
  return lines.join('\n');
}

async function main() {
  const selectors = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const run = await runNotebooks({ selectors, verbose: !process.argv.includes('--quiet') });
  process.stdout.write(`${formatSummary(run)}\n`);
  if (!run.ok) process.stdout.write(`\n${formatFailures(run)}\n`);
  process.exitCode = run.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`run-notebooks: ${error.message}\n`);
    process.exitCode = 2;
  });
}

module.exports = {
  runNotebooks,
  listNotebooks,
  formatFailure,
  formatFailures,
  executionText,
  strayErrors,
  formatSummary,
  resolveProfile,
  resolveIdleTimeout,
  resolveProgressEvery,
  DEFAULT_IDLE_TIMEOUT_S,
  DEFAULT_PROGRESS_EVERY_S,
};
