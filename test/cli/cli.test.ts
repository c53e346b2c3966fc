import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, progressLine } from '../../lib/cli/main';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

test('grokking-fss train (smoke profile) writes into the store, shows progress, prints the runs table', () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-cli-'));
  const args = [CLI, 'train', '--task', 'xor', '--scales', '4,6', '--seeds', '0,1', '--profile', 'smoke', '--epochs', '200', '--workers', '2', '--store', store, '--json'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((r) => [r.h, r.seed, r.N, r.status, r.cacheHit]), [[4, 0, 17, 'complete', false], [4, 1, 17, 'complete', false], [6, 0, 25, 'complete', false], [6, 1, 25, 'complete', false]]);
  assert.match(run.stderr, /profile smoke/);
  assert.match(run.stderr, /100%\s+runs 4\/4/);
  for (const r of rows) assert.ok(fs.existsSync(path.join(store, 'train', r.key, 'complete.json')));
  // Second time: all from the store, text table on stdout.
  const again = spawnSync(process.execPath, args.filter((a) => a !== '--json'), { encoding: 'utf8' });
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
  assert.match(badOption.stderr, /--nope: unknown option/);
  assert.throws(() => parseArgs(['train', '--scales']), /--scales: needs a value/);
});

test('progress line: bar, percentage, runs and ETA', () => {
  const line = progressLine({ runsDone: 1, runsTotal: 4, fraction: 0.5, elapsedSeconds: 30, etaSeconds: 30 }, 10);
  assert.equal(line, '[#####.....]  50%  runs 1/4  elapsed 0:30  ETA 0:30');
});
