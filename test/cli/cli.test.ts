import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, parseArgs, progressLine } from '../../lib/cli/main';
import { InvalidOptionError } from '../../lib/util/errors';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

test('grokking-fss train (smoke profile) writes into the store, shows progress, prints the runs table', () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-cli-'));
  const args = [
    CLI,
    'train',
    '--task',
    'xor',
    '--scales',
    '4,6',
    '--seeds',
    '0,1',
    '--profile',
    'smoke',
    '--epochs',
    '200',
    '--workers',
    '2',
    '--store',
    store,
    '--json',
  ];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const rows = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.map((r) => [r.h, r.seed, r.N, r.status, r.cacheHit]),
    [
      [4, 0, 17, 'complete', false],
      [4, 1, 17, 'complete', false],
      [6, 0, 25, 'complete', false],
      [6, 1, 25, 'complete', false],
    ],
  );
  assert.match(run.stderr, /profile smoke/);
  assert.match(run.stderr, /100%\s+runs 4\/4/);
  for (const r of rows) assert.ok(fs.existsSync(path.join(store, 'train', r.key, 'complete.json')));
  // Second time: all from the store, text table on stdout.
  const again = spawnSync(
    process.execPath,
    args.filter((a) => a !== '--json'),
    { encoding: 'utf8' },
  );
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /task\s+h\s+N\s+seed\s+status/);
  assert.equal((again.stdout.match(/ true /g) ?? []).length, 4);
});

test('bad CLI input: exit code 2 and a message naming the option and allowed values', () => {
  const badTask = spawnSync(process.execPath, [CLI, 'train', '--task', 'mnist'], { encoding: 'utf8' });
  assert.equal(badTask.status, 2);
  assert.match(badTask.stderr, /task.*"xor", "sparse-parity", "modular-addition"/);
  const badOption = spawnSync(process.execPath, [CLI, 'train', '--task', 'xor', '--nope', '1'], { encoding: 'utf8' });
  assert.equal(badOption.status, 2);
  assert.match(badOption.stderr, /--nope: unknown option; allowed: --task, --profile, .*--store, .*--json/);
  assert.throws(() => parseArgs(['train', '--scales']), /--scales: needs a value/);
});

test('option parsing: values keep every =, empty values and values for switches are refused, flags never swallow flags', () => {
  assert.deepEqual(parseArgs(['train', '--store=dir/a=b', '--task', 'xor']), { command: 'train', options: { store: 'dir/a=b', task: 'xor' } });
  assert.deepEqual(parseArgs(['train', '--seeds', '-1,2', '--json']), { command: 'train', options: { seeds: '-1,2', json: true } });
  assert.deepEqual(parseArgs(['train', '--store=--odd']).options, { store: '--odd' });
  const refused: Array<[string[], RegExp]> = [
    [['train', '--profile='], /^--profile: needs a value, got an empty one/],
    [['train', '--workers='], /^--workers: needs a value, got an empty one/],
    [['train', '--json=no'], /^--json: is a switch and takes no value, got "no"/],
    [['train', '--force=yes'], /^--force: is a switch and takes no value/],
    [['train', '--store', '--json'], /^--store: needs a value, got the option --json/],
    [['train', '--task'], /^--task: needs a value/],
    [['train', '--nope'], /^--nope: unknown option; allowed: --task, .*--recompute, --force, --json, --help/],
    [['train', '-x'], /^-x: unknown option/],
    [['train', '--task', 'xor', '--task', 'xor'], /^--task: is given twice/],
    [['train', 'extra'], /^arguments: unexpected "extra" after the command "train"/],
  ];
  for (const [argv, message] of refused)
    assert.throws(
      () => parseArgs(argv),
      (e: unknown) => e instanceof InvalidOptionError && message.test(e.message),
      argv.join(' '),
    );
});

test('every malformed command line of the fault-injection list exits 2 naming the flag, before any work', async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-cli-bad-'));
  const store = path.join(cwd, 'store');
  const cases: Array<[string[], RegExp]> = [
    [['--profile='], /^--profile: needs a value, got an empty one/m],
    [['--workers='], /^--workers: needs a value/m],
    [['--json=no'], /^--json: is a switch and takes no value/m],
    [['--store', '--json'], /^--store: needs a value, got the option --json/m],
    [['--scales', '0'], /^--scales: must be an integer in 1 … 1000000, got 0/m],
    [['--scales', '4,x'], /^--scales: must be a number, got "x"/m],
    [['--epochs', '0'], /^--epochs: must be an integer in 1 … 1000000000, got 0/m],
    [['--epochs', '12abc'], /^--epochs: must be a number, got "12abc"/m],
    [['--seeds', '1.5'], /^--seeds: must be a comma-separated list of integers/m],
    [['--snapshots', '99999'], /^--snapshots: 99999 snapshots do not fit/m],
    [['--workers', '-1'], /^--workers: must be an integer in 0 … 1024, got -1/m],
    [['--p', '7'], /^--p: applies only to --task modular-addition, not xor/m],
    [['--profile', 'huge'], /^--profile: got "huge"; allowed values: "smoke", "quick", "paper"/m],
    [['--recompute', 'abc'], /^--recompute: must be store keys \(16 hex digits/m],
    [['--recompute', '0123456789abcdef', '--force'], /^--recompute: and --force exclude each other/m],
  ];
  const workingDir = process.cwd();
  process.chdir(cwd); // a folder named after a flag would appear here
  try {
    for (const [extra, message] of cases) {
      const profile = extra.some((a) => a.startsWith('--profile')) ? [] : ['--profile', 'smoke'];
      const storeArgs = extra.includes('--store') ? [] : ['--store', store];
      const run = await mainCapturing(['train', '--task', 'xor', ...profile, ...storeArgs, ...extra]);
      assert.equal(run.status, 2, `${extra.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, extra.join(' '));
      assert.doesNotMatch(run.stderr, /^train xor/m, `${extra.join(' ')}: work started before the error`);
    }
    const modular = await mainCapturing(['train', '--task', 'modular-addition', '--train-fraction', '1.5', '--store', store]);
    assert.equal(modular.status, 2);
    assert.match(modular.stderr, /^--train-fraction: must be a number in the open interval \(0, 1\), got 1\.5/m);
  } finally {
    process.chdir(workingDir);
  }
  // The real executable gives the same exit code and message.
  const spawned = spawnSync(process.execPath, [CLI, 'train', '--task', 'xor', '--store', '--json'], { encoding: 'utf8', cwd });
  assert.equal(spawned.status, 2);
  assert.match(spawned.stderr, /^--store: needs a value, got the option --json/m);
  // Nothing was created: no store, no folder named after a flag.
  assert.deepEqual(fs.readdirSync(cwd), []);
});

/** Runs the CLI's main() in this process, capturing stderr. */
async function mainCapturing(argv: string[]): Promise<{ status: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { status: await main(argv), stderr };
  } finally {
    process.stderr.write = write;
  }
}

test('--store=dir/a=b trains into dir/a=b', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-cli-eq-'));
  const store = path.join(parent, 'a=b');
  const run = spawnSync(
    process.execPath,
    [CLI, 'train', '--task', 'xor', '--scales', '3', '--seeds', '0', '--epochs', '30', '--snapshots', '3', '--workers', '1', `--store=${store}`, '--json'],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  const row = JSON.parse(run.stdout.trim());
  assert.ok(fs.existsSync(path.join(store, 'train', row.key, 'complete.json')));
  assert.deepEqual(fs.readdirSync(parent), ['a=b']);
});

test('a cache hit checks every file; a damaged run is reported with --recompute KEY, which retrains it alone', () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-cli-corrupt-'));
  const args = [
    CLI,
    'train',
    '--task',
    'xor',
    '--scales',
    '3,4',
    '--seeds',
    '0',
    '--epochs',
    '30',
    '--snapshots',
    '3',
    '--workers',
    '1',
    '--store',
    store,
    '--json',
  ];
  const first = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const [damaged, intact] = first.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const file = path.join(store, 'train', damaged.key, 'snapshots.arrow');
  const original = fs.readFileSync(file);
  const bytes = Buffer.from(original);
  bytes[bytes.length >> 1] ^= 1;
  fs.writeFileSync(file, bytes);
  const second = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(second.status, 1);
  assert.match(
    second.stderr,
    new RegExp(`run h=3 seed=0 raised: corrupt store entry .*${damaged.key}: file snapshots\\.arrow fails its SHA-256 checksum.*--recompute ${damaged.key}`),
  );
  const rows = second.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    rows.map((r) => [r.h, r.status, r.cacheHit]),
    [
      [3, 'error', false],
      [4, 'complete', true],
    ],
  );
  const fixed = spawnSync(process.execPath, [...args, '--recompute', damaged.key], { encoding: 'utf8' });
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.deepEqual(
    fixed.stdout
      .trim()
      .split('\n')
      .map((line) => [JSON.parse(line).h, JSON.parse(line).cacheHit]),
    [
      [3, false],
      [4, true],
    ],
  );
  assert.ok(fs.readFileSync(file).equals(original), 'the recomputed run must be byte-identical to the original');
  assert.equal(intact.cacheHit, false);
});

test('progress line: bar, percentage, runs and ETA', () => {
  const line = progressLine({ runsDone: 1, runsTotal: 4, fraction: 0.5, elapsedSeconds: 30, etaSeconds: 30 }, 10);
  assert.equal(line, '[#####.....]  50%  runs 1/4  elapsed 0:30  ETA 0:30');
});
