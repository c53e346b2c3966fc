import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../lib/cli/main';
import { checkSlurmTime, findOnPath, shellQuote, slurmScript } from '../../lib/cli/slurm';
import { InvalidOptionError } from '../../lib/util/errors';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
/** A 6-run XOR sweep small enough to train in a second or two. */
const SWEEP = ['--task', 'xor', '--profile', 'smoke', '--scales', '3,5,4', '--seeds', '0,1', '--epochs', '40', '--snapshots', '3'];

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: options.env ?? process.env, cwd: options.cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `grokfss-${prefix}-`));
}

test('slurm writes a job-array script; running it for every array index (as Slurm would) trains the whole sweep once; status then exits 0', () => {
  const dir = tempDir('slurm-script');
  const store = path.join(dir, 'shared store');
  const script = path.join(dir, 'jobs', 'sweep.sbatch');
  const args = [
    'slurm',
    ...SWEEP,
    '--store',
    store,
    '--runs-per-task',
    '2',
    '--cpus-per-task',
    '1',
    '--partition',
    'short',
    '--time',
    '0:10:00',
    '--script',
    script,
  ];
  const written = cli(args);
  assert.equal(written.code, 0, written.stderr);
  assert.match(written.stdout, /6 runs \(xor 3 scales × 2 seeds; profile smoke\) as a job array of 3 tasks, at most 2 runs each, largest first/);
  assert.match(written.stdout, /6 runs: 6 missing/);
  assert.match(written.stdout, new RegExp(`sbatch ${script.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  const text = fs.readFileSync(script, 'utf8');
  for (const line of [
    '#SBATCH --array=0-2',
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    '#SBATCH --partition=short',
    '#SBATCH --time=0:10:00',
    `#SBATCH --output=${path.join(dir, 'jobs', 'slurm-logs')}/%x-%A_%a.out`,
    'export GROKFSS_BACKEND=',
  ]) {
    assert.ok(text.includes(line), `script lacks ${line}:\n${text}`);
  }
  assert.match(text, /#SBATCH --job-name=grokfss-xor-smoke-[0-9a-f]{8}\n/, 'overrides give the job a name of its own');
  assert.ok(
    text.includes(
      `train --task xor --profile smoke --scales 3,5,4 --seeds 0,1 --epochs 40 --snapshots 3 --store '${store}' --workers 1 --array-index "$SLURM_ARRAY_TASK_ID" --array-size 3`,
    ),
    text,
  );
  assert.ok(fs.statSync(path.join(dir, 'jobs', 'slurm-logs')).isDirectory());
  // The same command writes the same script.
  assert.equal(cli(args).code, 0);
  assert.equal(fs.readFileSync(script, 'utf8'), text);

  const trained: string[] = [];
  for (let index = 0; index < 3; index++) {
    const run = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(index) } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`array task ${index} of 3: 2 of the 6 runs`));
    const rows = run.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
    assert.equal(rows.length, 2, run.stdout);
    for (const row of rows) {
      assert.equal(row[9], 'false', 'each task trains its own runs');
      trained.push(row[10]);
    }
  }
  assert.equal(new Set(trained).size, 6, 'the three tasks trained six different runs');
  const status = cli(['status', ...SWEEP, '--store', store, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const rows = status.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    rows.map((r) => r.state),
    Array(6).fill('complete'),
  );
  assert.deepEqual(rows.map((r) => r.key).sort(), trained.sort());
});

test('slurm --submit: runs sbatch --parsable on the script and prints the job id; without sbatch it refuses before writing anything', () => {
  const dir = tempDir('slurm-submit');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  // A stand-in for sbatch that records its arguments (the real one is exercised by npm run test:slurm).
  fs.writeFileSync(path.join(bin, 'sbatch'), `#!/bin/sh\necho "$@" > ${dir}/sbatch-args\necho "4242;cluster"\n`, { mode: 0o755 });
  const script = path.join(dir, 'job.sbatch');
  const submitted = cli(['slurm', ...SWEEP, '--store', path.join(dir, 'store'), '--script', script, '--submit'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.match(submitted.stdout, /submitted job array 4242 \(tasks 0-5\)/);
  assert.equal(fs.readFileSync(path.join(dir, 'sbatch-args'), 'utf8').trim(), `--parsable ${script}`);

  const refusing = path.join(bin, 'sbatch');
  fs.writeFileSync(refusing, '#!/bin/sh\necho "sbatch: error: invalid partition specified: nope" >&2\nexit 1\n', { mode: 0o755 });
  const refused = cli(['slurm', ...SWEEP, '--store', path.join(dir, 'store'), '--script', script, '--submit'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /sbatch refused .*job\.sbatch \(exit 1\): sbatch: error: invalid partition specified: nope/);

  const empty = tempDir('slurm-nosbatch');
  const noBin = tempDir('slurm-nobin');
  const missing = cli(['slurm', ...SWEEP, '--store', path.join(empty, 'store'), '--script', path.join(empty, 'job.sbatch'), '--submit'], {
    env: { ...process.env, PATH: noBin },
  });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^--submit: sbatch was not found on PATH/m);
  assert.deepEqual(fs.readdirSync(empty), [], 'nothing written');
  assert.equal(findOnPath('sbatch', bin), refusing);
  assert.equal(findOnPath('sbatch', empty), null);
});

test('status: complete, failed, running, stale, corrupt and missing runs, with checkpoint epochs; exit 3 while work is left', async () => {
  const { sweepStatus, statusSummary } = await import('../../lib/cli/status');
  const { entryLockFile, selfIdentity, tryAcquireLock } = await import('../../lib/store/index');
  const { writeCheckpoint } = await import('../../lib/train/checkpoint');
  const { checkpointDir } = await import('../../lib/train/trainRun');
  const { TRAIN_STAGE } = await import('../../lib/train/runFiles');
  const { trainSweeps } = await import('../../lib/train/trainScales');
  const root = tempDir('status');
  const xor = { base: { task: 'xor' as const, epochs: 40, snapshots: { count: 3 } }, scales: [3, 4], seeds: [0, 1, 2] };
  const diverging = {
    base: {
      task: { name: 'modular-addition', p: 5, trainFraction: 0.6 },
      epochs: 200,
      optimizer: { name: 'sgd', lr: 1e4 },
      model: { initScale: 3 },
      snapshots: { count: 3 },
      metricsEvery: 1,
    },
    scales: [8],
    seeds: [0],
  };
  const sweeps = [
    { label: 'xor', sweep: xor },
    { label: 'diverging', sweep: diverging },
  ];
  const before = await sweepStatus(sweeps, { root });
  assert.deepEqual(
    before.map((r) => r.state),
    Array(7).fill('missing'),
  );
  assert.equal(statusSummary(before), '7 runs: 7 missing');
  // Runs 0, 2, 4 of xor (task 0 of 2: largest first → h = 4 seeds 0, 2 and h = 3 seed 1) and the diverging run.
  await trainSweeps([xor], { workers: 1, root, arrayTask: { index: 0, size: 2 } });
  await trainSweeps([diverging], { workers: 1, root });
  const trained = await sweepStatus(sweeps, { root });
  const missing = trained.filter((r) => r.state === 'missing');
  assert.equal(missing.length, 3);
  const [running, stale] = missing;
  // Running: a live process (this one) holds the lock. Stale: a dead process on this host does, with a checkpoint at epoch 20.
  const held = tryAcquireLock(entryLockFile(TRAIN_STAGE, running.key, root), { purpose: 'test' })!;
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const staleLock = entryLockFile(TRAIN_STAGE, stale.key, root);
  fs.mkdirSync(path.dirname(staleLock), { recursive: true });
  fs.writeFileSync(
    staleLock,
    JSON.stringify({ ...selfIdentity(), pid: dead, processStart: null, acquiredAt: new Date().toISOString(), token: 'dead', purpose: 'test' }),
  );
  writeCheckpoint(path.join(checkpointDir(stale.key, root), 'state.bin'), { key: stale.key, nextEpoch: 20, extra: {} }, { theta: new Float64Array(3) });
  // Corrupt: one complete run's summary loses a byte; another's snapshots flip one (found by --verify only).
  const complete = trained.filter((r) => r.state === 'complete');
  assert.equal(complete.length, 3);
  const summary = path.join(root, 'train', complete[0].key, 'summary.json');
  fs.writeFileSync(summary, fs.readFileSync(summary).subarray(1));
  const snapshots = path.join(root, 'train', complete[1].key, 'snapshots.arrow');
  const bytes = fs.readFileSync(snapshots);
  bytes[bytes.length >> 1] ^= 1;
  fs.writeFileSync(snapshots, bytes);
  try {
    const rows = await sweepStatus(sweeps, { root });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    assert.equal(byKey.get(running.key)!.state, 'running');
    assert.match(byKey.get(running.key)!.detail!, new RegExp(`^pid ${process.pid} on .*last heartbeat \\d+ s ago`));
    assert.equal(byKey.get(stale.key)!.state, 'stale');
    assert.equal(byKey.get(stale.key)!.epoch, 20);
    assert.match(byKey.get(stale.key)!.detail!, new RegExp(`pid ${dead} on this host, is no longer running; the next train or submission resumes it`));
    assert.equal(byKey.get(complete[0].key)!.state, 'corrupt');
    assert.match(
      byKey.get(complete[0].key)!.detail!,
      new RegExp(`summary\\.json has \\d+ bytes, expected \\d+; retrain it with \`grokking-fss train … --recompute ${complete[0].key}\``),
    );
    assert.equal(byKey.get(complete[1].key)!.state, 'complete', 'without verify only the summary is checked');
    const failed = rows.find((r) => r.sweep === 'diverging')!;
    assert.equal(failed.state, 'failed');
    assert.match(failed.detail!, /^epoch \d+: .*(NaN|Inf)/);
    assert.equal(rows.find((r) => r.key === missing[2].key)!.state, 'missing');
    assert.equal(statusSummary(rows), '7 runs: 2 complete, 1 failed, 1 running, 1 stale, 1 corrupt, 1 missing');
    const verified = await sweepStatus(sweeps, { root, verify: true });
    assert.equal(verified.find((r) => r.key === complete[1].key)!.state, 'corrupt');
    assert.match(verified.find((r) => r.key === complete[1].key)!.detail!, /snapshots\.arrow fails its SHA-256 checksum/);
    // The CLI: a table, the summary line, exit 3 while runs are left.
    const shown = cli([
      'status',
      '--task',
      'xor',
      '--profile',
      'smoke',
      '--scales',
      '3,4',
      '--seeds',
      '0,1,2',
      '--epochs',
      '40',
      '--snapshots',
      '3',
      '--store',
      root,
    ]);
    assert.equal(shown.code, 3, shown.stderr);
    assert.match(shown.stdout, /sweep\s+h\s+N\s+seed\s+state\s+epoch\s+epochs\s+key\s+detail/);
    assert.match(shown.stdout, /: 6 runs: 2 complete, 1 running, 1 stale, 1 corrupt, 1 missing\n$/);
  } finally {
    held.release();
  }
});

test('bad slurm, status and array input: exit 2 naming the flag, before any work', () => {
  const cwd = tempDir('slurm-bad');
  const store = path.join(cwd, 'store');
  const cases: Array<[string[], RegExp]> = [
    [['train', ...SWEEP, '--array-index', '4', '--array-size', '4'], /^--array-index: must be below --array-size 4 \(tasks are numbered 0 … 3\), got 4/m],
    [['train', ...SWEEP, '--array-index', '0'], /^--array-size: is required with --array-index/m],
    [['train', ...SWEEP, '--array-size', '2'], /^--array-index: is required with --array-size .*SLURM_ARRAY_TASK_ID/m],
    [['train', ...SWEEP, '--array-index', '-1', '--array-size', '2'], /^--array-index: must be an integer in 0 … ∞, got -1/m],
    [['train', ...SWEEP, '--array-index', '0', '--array-size', '0'], /^--array-size: must be an integer in 1 … 1000000, got 0/m],
    [['train', ...SWEEP, '--array-index', 'x', '--array-size', '2'], /^--array-index: must be a number, got "x"/m],
    [['train', ...SWEEP, '--array-index='], /^--array-index: needs a value, got an empty one/m],
    [['train', ...SWEEP, '--partition', 'short'], /^--partition: not an option of `train` \(it belongs to `slurm`\); allowed: --task, /m],
    [['status', ...SWEEP, '--workers', '2'], /^--workers: not an option of `status` \(it belongs to `train`\)/m],
    [['slurm', ...SWEEP, '--json'], /^--json: not an option of `slurm` \(it belongs to `train`, `status`, `analyze`\)/m],
    [['slurm', ...SWEEP, '--nope'], /^--nope: unknown option; allowed: --task, .*--runs-per-task, .*--submit, --help/m],
    [['slurm', ...SWEEP, '--runs-per-task', '0'], /^--runs-per-task: must be an integer in 1 … 6, got 0/m],
    [['slurm', ...SWEEP, '--runs-per-task', '7'], /^--runs-per-task: must be an integer in 1 … 6, got 7/m],
    [['slurm', ...SWEEP, '--cpus-per-task', '0'], /^--cpus-per-task: must be an integer in 1 … 1024, got 0/m],
    [
      ['slurm', ...SWEEP, '--time', '90 minutes'],
      /^--time: must be a Slurm time limit \(minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS\), got "90 minutes"/m,
    ],
    [['slurm', ...SWEEP, '--partition', 'a;rm -rf /'], /^--partition: must be a partition name or a comma-separated list of them/m],
    [['slurm', '--task', 'all', '--profile', 'smoke', '--scales', '3'], /^--scales: cannot be combined with --task all/m],
    [['status', '--task', 'mnist'], /^--task: got "mnist"; allowed values: "xor", "sparse-parity", "modular-addition"/m],
    [['status', '--profile', 'smoke'], /^--task: is required; allowed values: "xor", "sparse-parity", "modular-addition", "all"/m],
    [['slurm', '--task', 'xor', '--profile', 'smoke', '--scales', '0'], /^--scales: must be an integer in 1 … 1000000, got 0/m],
    [['queue', '--task', 'xor'], /^command: unknown command "queue"; allowed values: "train", "slurm", "status"/m],
  ];
  for (const [args, message] of cases) {
    const run = cli([...args, ...(args.includes('--store') ? [] : ['--store', store])], { cwd });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
    assert.doesNotMatch(run.stderr, /^train /m, `${args.join(' ')}: work started before the error`);
  }
  assert.deepEqual(fs.readdirSync(cwd), [], 'no store, script or log folder was created');
  assert.throws(
    () => parseArgs(['slurm', '--submit=yes']),
    (e: unknown) => e instanceof InvalidOptionError && /^--submit: is a switch and takes no value/.test(e.message),
  );
});

test('script pieces: shell quoting, Slurm time formats, absolute paths', () => {
  assert.equal(shellQuote('/a/b-c_d.e'), '/a/b-c_d.e');
  assert.equal(shellQuote("/it's here"), `'/it'\\''s here'`);
  assert.equal(spawnSync('bash', ['-c', `printf %s ${shellQuote("/it's $HOME `x` here")}`], { encoding: 'utf8' }).stdout, "/it's $HOME `x` here");
  for (const ok of ['30', '30:00', '2:00:00', '1-12', '1-12:30', '1-12:30:00', 'UNLIMITED', 'infinite']) assert.equal(checkSlurmTime('--time', ok), ok);
  for (const bad of ['', '1h', '1:2:3:4', '-5', '1-', 'soon'])
    assert.throws(() => checkSlurmTime('--time', bad), /^InvalidOptionError: --time: must be a Slurm time limit/);
  const base = {
    sweepArgs: ['--task', 'xor', '--profile', 'smoke'],
    runs: 2,
    runsPerTask: 1,
    cpusPerTask: 1,
    jobName: 'j',
    logDir: '/logs',
    backend: 'wasm',
    node: '/usr/bin/node',
    cli: '/x/main.js',
  };
  assert.throws(() => slurmScript({ ...base, store: 'relative/store' }), /^InvalidOptionError: --store: must be an absolute path/);
  assert.throws(
    () => slurmScript({ ...base, store: '/s', logDir: '/my logs' }),
    /^InvalidOptionError: --script: the log folder "\/my logs" contains white space/,
  );
  const text = slurmScript({ ...base, store: '/s' });
  assert.ok(text.startsWith('#!/bin/bash\n'));
  assert.ok(
    text.endsWith(
      'exec /usr/bin/node /x/main.js train --task xor --profile smoke --store /s --workers 1 --array-index "$SLURM_ARRAY_TASK_ID" --array-size 2\n',
    ),
  );
  // Every #SBATCH line comes before the first command (sbatch stops reading them there).
  const lines = text.split('\n');
  const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
  assert.ok(lines.every((l, i) => !l.startsWith('#SBATCH') || i < firstCommand));
});
