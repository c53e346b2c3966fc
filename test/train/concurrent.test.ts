import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEntryByKey } from '../../lib/store/index';
import { TRAIN_STAGE } from '../../lib/train/runFiles';
import { trainScales } from '../../lib/train/trainScales';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const SWEEP = ['--task', 'xor', '--scales', '6,8', '--seeds', '0,1', '--epochs', '1200', '--snapshots', '11'];
const FILES = ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json', 'config.json'];

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'train', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('two train processes on one store: both exit 0 with the complete table, each run trained once, identical to one process', async () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-concurrent-'));
  // One process trains in its own thread, the other with two worker threads.
  const [a, b] = await Promise.all([
    runCli([...SWEEP, '--workers', '1', '--store', store, '--json']),
    runCli([...SWEEP, '--workers', '2', '--store', store, '--json']),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const rowsA = a.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const rowsB = b.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(rowsA.length, 4);
  assert.deepEqual(
    rowsA.map((r) => [r.h, r.seed, r.key, r.status]),
    rowsB.map((r) => [r.h, r.seed, r.key, r.status]),
  );
  for (const r of rowsA) assert.equal(r.status, 'complete');
  // Each run was trained by exactly one of the two processes; the other loaded it.
  for (let i = 0; i < 4; i++)
    assert.equal(
      Number(!rowsA[i].cacheHit) + Number(!rowsB[i].cacheHit),
      1,
      `run h=${rowsA[i].h} seed=${rowsA[i].seed} trained ${Number(!rowsA[i].cacheHit) + Number(!rowsB[i].cacheHit)} times`,
    );

  // The same bytes as a single process training the sweep alone.
  const reference = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-concurrent-ref-'));
  await trainScales(
    { base: { task: 'xor', epochs: 1200, snapshots: { count: 11 }, metricsEvery: 1 }, scales: [6, 8], seeds: [0, 1] },
    { workers: 1, root: reference },
  );
  for (const r of rowsA) {
    const mine = readEntryByKey(TRAIN_STAGE, r.key, { root: store })!;
    const theirs = readEntryByKey(TRAIN_STAGE, r.key, { root: reference })!;
    assert.ok(theirs, `reference lacks run ${r.key}: the CLI sweep config differs from the reference's`);
    mine.verify();
    for (const file of FILES) assert.ok(Buffer.from(mine.bytes(file)).equals(Buffer.from(theirs.bytes(file))), `h=${r.h} seed=${r.seed}: ${file}`);
  }
  // Nothing left behind: no checkpoints, no locks, no temporary folders.
  const leftovers: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (!/\/train\/[0-9a-f]{16}\/[^/]+$/.test(p)) leftovers.push(path.relative(store, p));
    }
  };
  walk(store);
  assert.deepEqual(leftovers, []);
  const checkpoints = path.join(store, 'train-checkpoints');
  assert.deepEqual(fs.existsSync(checkpoints) ? fs.readdirSync(checkpoints) : [], []);
  assert.ok(!fs.readdirSync(path.join(store, 'train')).some((n) => n.includes('.tmp-')));
});
