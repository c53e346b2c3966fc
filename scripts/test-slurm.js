#!/usr/bin/env node
'use strict';
/**
 * npm run test:slurm — sweeps as Slurm job arrays over a shared store, on a real one-node Slurm
 * cluster on this machine (scripts/slurm-cluster.js). Needs root; installs slurm-wlm and munge
 * from Debian when they are missing (otherwise prints the apt command and fails).
 *
 * 1. Start munged, slurmctld and slurmd with a generated configuration in a temporary folder.
 * 2. Scenario A — the smoke sweep (`--task all --profile smoke`, every sweep the notebooks
 *    train) submitted with `grokking-fss slurm --submit`: every array task completes; `status`
 *    finds every run complete; each task's output lists exactly its share of the runs as trained
 *    by it (so no two tasks trained the same run); the store's runs are byte-identical to a
 *    single-machine `grokking-fss train` of the same sweep; notebook 03 executes against that
 *    store (GROKFSS_DATA) and reads its runs from it (every training entry a cache hit).
 * 3. Scenario B — a longer XOR sweep (4 runs, 6000 epochs): array task 0 is cancelled with
 *    scancel once its run has written a checkpoint; `status` then shows that run stale (its
 *    process died holding the lock) and exits 3. The same script is submitted again at once
 *    with plain sbatch, while the first job's other tasks still run: task 0 breaks the stale
 *    lock and resumes the run from the killed task's checkpoint; a task meeting a run that the
 *    first job is still training waits for it and loads it. Over both jobs every run was
 *    trained by exactly one task, the store holds no locks, checkpoints or temporary files, and
 *    it is byte-identical to a single-machine run of the same sweep.
 * 4. Stop every daemon, remove their state, and check with ps that nothing of the cluster or the
 *    test is still running.
 * "Byte-identical" covers every file of every training entry except timing.json (the wall
 * time) and, in complete.json, the creation time and timing.json's checksum: the two
 * documented non-deterministic fields of the store.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startCluster, ensureSlurm, DAEMON_NAMES } = require('./slurm-cluster');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
const started = Date.now();
let stepStarted = started;
/** Slurm job states after which a job runs no more. */
const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE'];

const log = (line) => process.stdout.write(`${line}\n`);
function step(name) {
  const now = Date.now();
  log(`\n[test:slurm] ${name}  (previous step ${((now - stepStarted) / 1000).toFixed(1)} s, total ${((now - started) / 1000).toFixed(1)} s)`);
  stepStarted = now;
}
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  log(`  ✓ ${message}`);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(200);
  }
}

/** Runs the CLI (synchronously) with the cluster's environment. */
function cli(env, args) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `grokking-fss status … --json` rows (sweepRuns order) and its exit code. */
function status(env, sweepArgs, store) {
  const run = cli(env, ['status', ...sweepArgs, '--store', store, '--json']);
  if (run.code !== 0 && run.code !== 3) throw new Error(`status failed (exit ${run.code}): ${run.stderr}`);
  return {
    code: run.code,
    rows: run.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}

/** Array task index → final state, once every task of the job has ended. */
async function waitForJob(cluster, jobId, size, seconds) {
  return waitFor(`job array ${jobId} to end`, seconds, () => {
    const lines = cluster
      .client('squeue', ['-h', '-j', jobId, '-t', 'all', '-o', '%i %T'])
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/));
    if (lines.length !== size || lines.some(([id, state]) => !/_\d+$/.test(id) || !TERMINAL.includes(state))) return null;
    return Object.fromEntries(lines.map(([id, state]) => [Number(id.split('_')[1]), state]));
  });
}

/** The state of one array task right now (PENDING while it is still part of the pending array). */
function taskState(cluster, jobId, index) {
  const lines = cluster
    .client('squeue', ['-h', '-j', jobId, '-t', 'all', '-o', '%i %T'])
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  return (lines.find(([id]) => id === `${jobId}_${index}`) || [null, 'PENDING'])[1];
}

/** The runs table printed by one array task's `grokking-fss train` (key → row), from its output file. */
function taskRows(logDir, jobName, jobId, index) {
  const file = path.join(logDir, `${jobName}-${jobId}_${index}.out`);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const header = lines.findIndex((line) => /^\s*(sweep\s+)?task\s+h\s+N\s+seed\s+status/.test(line));
  if (header < 0) return { rows: [], text };
  const columns = lines[header].trim().split(/\s+/);
  const rows = [];
  for (const line of lines.slice(header + 1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== columns.length) break;
    rows.push(Object.fromEntries(columns.map((c, i) => [c, fields[i]])));
  }
  return { rows, text };
}

/** The expected share of every array task: task index → store keys (lib arrayShare over sweepRuns). */
function expectedShares(sweepArgs, statusRows, size) {
  const { parseArgs } = require(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'));
  const { sweepSelection } = require(path.join(ROOT, 'build', 'lib', 'cli', 'sweepArgs.js'));
  const { sweepRuns, arrayShare } = require(path.join(ROOT, 'build', 'lib', 'train', 'trainScales.js'));
  const runs = sweepRuns(sweepSelection(parseArgs(['train', ...sweepArgs]).options).sweeps.map((s) => s.sweep));
  if (runs.length !== statusRows.length) throw new Error(`status lists ${statusRows.length} runs, the sweep has ${runs.length}`);
  const costs = runs.map((r) => r.cost);
  return Array.from({ length: size }, (_, index) => arrayShare(costs, { index, size }).map((position) => statusRows[position].key));
}

/** Keys of the complete training entries of a store. */
function trainKeys(store) {
  const dir = path.join(store, 'train');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => /^[0-9a-f]{16}$/.test(n) && fs.existsSync(path.join(dir, n, 'complete.json')))
        .sort()
    : [];
}

/**
 * Compares the training entries of two stores (see the module comment for what is compared);
 * throws naming the first difference; returns counts.
 */
function compareStores(a, b) {
  const keys = trainKeys(a);
  const other = trainKeys(b);
  if (JSON.stringify(keys) !== JSON.stringify(other)) throw new Error(`the stores hold different runs:\n  ${a}: ${keys.join(' ')}\n  ${b}: ${other.join(' ')}`);
  let files = 0;
  let bytes = 0;
  for (const key of keys) {
    const dirA = path.join(a, 'train', key);
    const dirB = path.join(b, 'train', key);
    const names = fs.readdirSync(dirA).sort();
    if (JSON.stringify(names) !== JSON.stringify(fs.readdirSync(dirB).sort()))
      throw new Error(`run ${key}: different files (${names.join(' ')} vs ${fs.readdirSync(dirB).sort().join(' ')})`);
    for (const name of names) {
      if (name === 'timing.json') continue;
      const x = fs.readFileSync(path.join(dirA, name));
      const y = fs.readFileSync(path.join(dirB, name));
      if (name === 'complete.json') {
        const strip = (buffer) => {
          const marker = JSON.parse(buffer.toString('utf8'));
          delete marker.createdAt;
          delete marker.files['timing.json'];
          return JSON.stringify(marker);
        };
        if (strip(x) !== strip(y)) throw new Error(`run ${key}: complete.json differs beyond createdAt and timing.json`);
      } else if (!x.equals(y)) {
        throw new Error(`run ${key}: ${name} differs (${x.length} vs ${y.length} bytes)`);
      }
      files++;
      bytes += x.length;
    }
  }
  return { runs: keys.length, files, bytes };
}

/** Files in a store other than complete training entries (locks, checkpoints, temporary files). */
function storeLeftovers(store) {
  const found = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (!/\/train\/[0-9a-f]{16}\/[^/]+$/.test(p)) found.push(path.relative(store, p));
    }
  };
  walk(store);
  return found;
}

/** Trains the sweep on this machine alone, outside Slurm, into `store`. */
function singleMachineRun(env, sweepArgs, store) {
  const t = Date.now();
  const run = cli(env, ['train', ...sweepArgs, '--store', store, '--workers', '1']);
  if (run.code !== 0) throw new Error(`single-machine train failed (exit ${run.code}): ${run.stderr}`);
  return (Date.now() - t) / 1000;
}

/** Submits with `grokking-fss slurm … --submit`; returns { jobId, script, text, logDir, jobName, size }. */
function submitWithCli(env, sweepArgs, store, script) {
  const run = cli(env, ['slurm', ...sweepArgs, '--store', store, '--script', script, '--submit']);
  if (run.code !== 0) throw new Error(`grokking-fss slurm --submit failed (exit ${run.code}):\n${run.stdout}${run.stderr}`);
  log(run.stdout.trimEnd().replace(/^/gm, '  | '));
  const jobId = (/submitted job array (\d+)/.exec(run.stdout) || [])[1];
  if (!jobId) throw new Error(`no job id in the output of grokking-fss slurm --submit:\n${run.stdout}`);
  const text = fs.readFileSync(script, 'utf8');
  return {
    jobId,
    text,
    logDir: path.join(path.dirname(script), 'slurm-logs'),
    jobName: /--job-name=(\S+)/.exec(text)[1],
    size: Number(/--array=0-(\d+)/.exec(text)[1]) + 1,
  };
}

/** Keys trained (cacheHit false, status complete) by each task of a job, from the tasks' output. */
function trainedByTask(job, jobId) {
  return Array.from({ length: job.size }, (_, index) =>
    taskRows(job.logDir, job.jobName, jobId, index)
      .rows.filter((r) => r.cacheHit === 'false' && r.status === 'complete')
      .map((r) => r.key),
  );
}

async function scenarioA(cluster, work, notebooksWork) {
  step('scenario A: the smoke sweep (every sweep of profile smoke) as a job array, submitted by grokking-fss slurm --submit');
  const sweepArgs = ['--task', 'all', '--profile', 'smoke'];
  const store = path.join(work, 'store-a');
  const job = submitWithCli(cluster.env, sweepArgs, store, path.join(work, 'job-a', 'grokfss-all-smoke.sbatch'));
  log(`  generated sbatch script (${job.size} tasks):\n${job.text.trimEnd().replace(/^/gm, '  > ')}`);
  const states = await waitForJob(cluster, job.jobId, job.size, 600);
  check(
    Object.values(states).every((s) => s === 'COMPLETED'),
    `all ${job.size} array tasks of job ${job.jobId} COMPLETED (${JSON.stringify(states)})`,
  );
  const { code, rows } = status(cluster.env, sweepArgs, store);
  check(code === 0 && rows.length === job.size && rows.every((r) => r.state === 'complete'), `grokking-fss status: all ${rows.length} runs complete, exit 0`);
  const shares = expectedShares(sweepArgs, rows, job.size);
  const trained = trainedByTask(job, job.jobId);
  trained.forEach((keys, index) => {
    check(
      JSON.stringify(keys.slice().sort()) === JSON.stringify(shares[index].slice().sort()),
      `task ${index} trained exactly its share: ${keys.join(', ') || '(none)'}`,
    );
  });
  const all = trained.flat();
  check(all.length === rows.length && new Set(all).size === rows.length, `each of the ${rows.length} runs was trained by exactly one task`);

  step('scenario A: single-machine run of the same sweep; byte comparison');
  const reference = path.join(work, 'reference-a');
  const seconds = singleMachineRun(cluster.env, sweepArgs, reference);
  const same = compareStores(store, reference);
  check(
    same.runs === rows.length,
    `cluster store and single-machine store (trained in ${seconds.toFixed(1)} s) are byte-identical: ${same.runs} runs, ${same.files} files, ${same.bytes} bytes`,
  );
  check(storeLeftovers(store).length === 0, 'the cluster store holds no locks, checkpoints or temporary files');

  step('scenario A: notebook 03 executes against the cluster store (GROKFSS_DATA)');
  const before = trainKeys(store);
  const notebooks = path.join(notebooksWork, 'notebooks');
  fs.mkdirSync(notebooks, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'notebooks', '03-finite-size-scaling.ipynb'), path.join(notebooks, '03-finite-size-scaling.ipynb'));
  const results = path.join(notebooksWork, 'results');
  Object.assign(process.env, { GROKFSS_DATA: store, GROKFSS_RESULTS: results });
  const { runNotebooks } = require('./run-notebooks');
  const run = await runNotebooks({
    selectors: ['03'],
    profile: 'smoke',
    notebooksDir: notebooks,
    executedDir: path.join(notebooksWork, 'executed'),
    verbose: false,
  });
  delete process.env.GROKFSS_DATA;
  delete process.env.GROKFSS_RESULTS;
  check(
    run.ok,
    `notebook 03 executed (${run.results[0] ? run.results[0].wallSeconds.toFixed(1) : '?'} s)${run.ok ? '' : `: ${run.results[0] && run.results[0].message}`}`,
  );
  const recorded = JSON.parse(fs.readFileSync(path.join(results, '03-finite-size-scaling.json'), 'utf8'));
  const train = recorded.stages && recorded.stages.train;
  check(
    train && train.entries > 0 && train.cacheHits === train.entries,
    `notebook 03 read its ${train && train.entries} runs from the cluster store (cache hits ${train && train.cacheHits}/${train && train.entries}), trained none`,
  );
  check(JSON.stringify(trainKeys(store)) === JSON.stringify(before), 'the store holds the same training entries after the notebook');
  return { job, reference: seconds };
}

async function scenarioB(cluster, work) {
  step('scenario B: a task killed mid-run, then the same script resubmitted');
  const sweepArgs = ['--task', 'xor', '--profile', 'smoke', '--seeds', '0,1', '--epochs', '6000'];
  const store = path.join(work, 'store-b');
  const script = path.join(work, 'job-b', 'grokfss-xor-smoke.sbatch');
  const job = submitWithCli(cluster.env, sweepArgs, store, script);
  const first = job.jobId;
  const rows0 = status(cluster.env, sweepArgs, store).rows;
  const shares = expectedShares(sweepArgs, rows0, job.size);
  const victim = shares[0][0];
  const victimRow = rows0.find((r) => r.key === victim);
  log(`  task 0 trains the largest run, h=${victimRow.h} seed=${victimRow.seed} (${victim}); waiting for its first checkpoint`);
  const { readCheckpoint } = require(path.join(ROOT, 'build', 'lib', 'train', 'checkpoint.js'));
  const stateFile = path.join(store, 'train-checkpoints', victim, 'state.bin');
  const killedAt = await waitFor('the first checkpoint of task 0', 300, () => {
    if (taskState(cluster, first, 0) !== 'RUNNING') return null;
    try {
      const checkpoint = readCheckpoint(stateFile);
      return checkpoint && checkpoint.header.nextEpoch > 0 ? checkpoint.header.nextEpoch : null;
    } catch {
      return null; // being replaced right now
    }
  });
  cluster.client('scancel', [`${first}_0`]);
  log(`  scancel ${first}_0 with a checkpoint at epoch ${killedAt} of ${victimRow.epochs}`);
  await waitFor(`task ${first}_0 to end`, 120, () => TERMINAL.includes(taskState(cluster, first, 0)));
  const afterKill = status(cluster.env, sweepArgs, store);
  const killedRow = afterKill.rows.find((r) => r.key === victim);
  check(
    taskState(cluster, first, 0) === 'CANCELLED' && killedRow.state === 'stale' && killedRow.epoch >= killedAt && killedRow.epoch < killedRow.epochs,
    `task 0 CANCELLED; status: its run is stale (${killedRow.detail}), checkpoint at epoch ${killedRow.epoch}; exit ${afterKill.code}`,
  );
  check(afterKill.code === 3, `status exits 3 while work is left (${afterKill.rows.map((r) => r.state).join(', ')})`);

  // Resubmitted at once, as a user would: the new tasks may meet runs the first job's tasks still train.
  const submitted = cluster.client('sbatch', ['--parsable', script]).trim().split(';')[0];
  log(`  resubmitted while job ${first} still runs: sbatch --parsable ${script} -> job ${submitted}`);
  const states = await waitForJob(cluster, first, job.size, 600);
  check(
    Object.entries(states).every(([i, s]) => s === (i === '0' ? 'CANCELLED' : 'COMPLETED')),
    `job ${first}: task 0 CANCELLED, the others COMPLETED (${JSON.stringify(states)})`,
  );
  const again = await waitForJob(cluster, submitted, job.size, 600);
  check(
    Object.values(again).every((s) => s === 'COMPLETED'),
    `all ${job.size} tasks of the resubmitted job ${submitted} COMPLETED`,
  );
  const final = status(cluster.env, sweepArgs, store);
  check(final.code === 0 && final.rows.every((r) => r.state === 'complete'), 'status: every run complete, exit 0');
  const trainedFirst = trainedByTask(job, first);
  const trainedAgain = trainedByTask(job, submitted);
  check(
    trainedFirst[0].length === 0 && JSON.stringify(trainedAgain[0]) === JSON.stringify([victim]),
    'the killed run was trained to the end by task 0 of the resubmission',
  );
  const waited = Array.from({ length: job.size }, (_, i) => i).filter((i) =>
    /waiting for train entry/.test(taskRows(job.logDir, job.jobName, submitted, i).text),
  );
  log(
    `  tasks of the resubmission that waited for a run a task of job ${first} was training, then loaded it: ${waited.join(', ') || 'none (job ' + first + ' had finished them)'}`,
  );
  const timing = JSON.parse(fs.readFileSync(path.join(store, 'train', victim, 'timing.json'), 'utf8'));
  check(timing.resumedFromEpoch >= killedAt, `it resumed from the killed task's checkpoint (epoch ${timing.resumedFromEpoch}), not from scratch`);
  const all = [...trainedFirst.flat(), ...trainedAgain.flat()];
  check(all.length === job.size && new Set(all).size === job.size, `over both submissions, each of the ${job.size} runs was trained by exactly one task`);
  check(storeLeftovers(store).length === 0, `the store holds no locks, checkpoints or temporary files (${storeLeftovers(store).join(', ') || 'none'})`);

  step('scenario B: single-machine run of the same sweep; byte comparison');
  const reference = path.join(work, 'reference-b');
  const seconds = singleMachineRun(cluster.env, sweepArgs, reference);
  const same = compareStores(store, reference);
  check(
    same.runs === job.size,
    `killed-and-resubmitted store and single-machine store (trained in ${seconds.toFixed(1)} s) are byte-identical: ${same.runs} runs, ${same.files} files, ${same.bytes} bytes`,
  );
}

/** Processes of the cluster or the test still running, as ps lists them (zombies excluded). */
function psLeftovers(marks, sinceSeconds) {
  const run = spawnSync('ps', ['-eo', 'pid=,stat=,etimes=,comm=,args='], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ps failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [pid, stat, etimes, comm, ...args] = line.split(/\s+/);
      return { pid: Number(pid), stat, etimes: Number(etimes), comm, args: args.join(' ') };
    })
    .filter(
      (p) =>
        p.pid !== process.pid &&
        !p.stat.startsWith('Z') &&
        (marks.some((m) => p.args.includes(m)) || (DAEMON_NAMES.includes(p.comm) && p.etimes <= sinceSeconds)),
    );
}

async function main() {
  step('Slurm and munge installed?');
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm run test:slurm does)`);
  log(ensureSlurm(log) ? '  installed' : '  present');
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error('needs root: it runs munged, slurmctld and slurmd as root, in the foreground, with a configuration of its own (CI runs it as root)');
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-slurm-test-'));
  fs.mkdirSync(path.join(ROOT, 'data'), { recursive: true });
  // Under the project, so that the notebook's `import 'grokking-fss'` resolves; its figures go here too.
  const notebooksWork = fs.mkdtempSync(path.join(ROOT, 'data', 'tmp-slurm-'));
  step('start a one-node cluster (munged, slurmctld, slurmd)');
  const cluster = await startCluster({ log: (line) => log(`  ${line}`) });
  let stopping = null;
  const stop = () => (stopping = stopping || cluster.stop([work, notebooksWork]));
  const onSignal = (signal) => {
    log(`\n[test:slurm] ${signal}: stopping the cluster`);
    stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failure = null;
  try {
    await scenarioA(cluster, work, notebooksWork);
    await scenarioB(cluster, work);
  } catch (error) {
    failure = error;
  }
  step('stop the daemons, remove their state, check that nothing is left running');
  const left = await stop();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(notebooksWork, { recursive: true, force: true });
  const ps = psLeftovers([cluster.dir, work, notebooksWork], Math.ceil((Date.now() - started) / 1000) + 5);
  if (failure) {
    if (left.length > 0 || ps.length > 0) log(`  still running: ${[...left, ...ps].map((p) => `${p.pid} ${p.name || p.comm}`).join(', ')}`);
    throw failure;
  }
  check(
    left.length === 0 && ps.length === 0,
    `nothing of the cluster or the test is running (ps: ${ps.map((p) => `${p.pid} ${p.comm}`).join(', ') || 'none'})`,
  );
  check(!fs.existsSync(cluster.dir) && !fs.existsSync(work), `daemon state and test stores removed (${cluster.dir}, ${work})`);
  log(`\n[test:slurm] passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  process.stderr.write(`\n[test:slurm] FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${error.message}\n`);
  process.exitCode = 1;
});
