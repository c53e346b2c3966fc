import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainScales } from '../../lib/train/index';
import { nullSnapshots, onsetSummary, onsetTable, runOnsets, sweepMetrics, sweepSnapshots } from '../../lib/analysis/index';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-analysis-'));
const sweep = { base: { task: 'xor' as const, epochs: 40, snapshots: { count: 5 }, metricsEvery: 10 }, scales: [3, 5], seeds: [0, 1] };

test('a sweep becomes a long metrics table, an onset table and probe inputs', async () => {
  const runs = await trainScales(sweep, { workers: 0, root });
  assert.equal(runs.numRows(), 4);
  const metrics = sweepMetrics(runs, { root });
  // Four runs, metrics at epochs 0? … 40 every 10: the count per run must be equal.
  const perRun = metrics.groupby('h', 'seed').count().array('count') as ArrayLike<number>;
  assert.equal(perRun.length, 4);
  assert.ok(Array.from(perRun).every((c) => c === perRun[0] && c >= 4));
  assert.deepEqual(
    [...new Set(Array.from(metrics.array('N') as ArrayLike<number>))].sort((a, b) => a - b),
    [13, 21],
  ); // N = 4h + 1
  const onsets = onsetTable(runs);
  assert.deepEqual(onsets.columnNames().slice(0, 7), ['task', 'h', 'N', 'seed', 'status', 'trainOnset', 'testOnset']);
  const snapshots = sweepSnapshots(runs, { root });
  assert.equal(snapshots.length, 4 * 5);
  for (const s of snapshots) {
    assert.equal(s.values.length, s.scaleN);
    assert.equal(s.layout!.layer.length, s.scaleN);
    assert.ok(s.values.every(Number.isFinite));
  }
  // Snapshot epochs increase within a run.
  const firstRun = snapshots.filter((s) => s.scaleN === 13 && s.seed === 0).map((s) => s.epoch);
  assert.deepEqual(
    firstRun,
    [...firstRun].sort((a, b) => a - b),
  );
});

test('null snapshots keep the identity of each snapshot and the marginal where asked', async () => {
  const runs = await trainScales(sweep, { workers: 0, root });
  const real = sweepSnapshots(runs, { root });
  const permuted = nullSnapshots(real, 'permuted', { seed: 3 });
  const again = nullSnapshots(real, 'permuted', { seed: 3 });
  const gaussian = nullSnapshots(real, 'gaussian', { seed: 3 });
  permuted.forEach((p, i) => {
    assert.equal(p.scaleN, real[i].scaleN);
    assert.equal(p.epoch, real[i].epoch);
    assert.deepEqual(
      Array.from(p.values).sort((a, b) => a - b),
      Array.from(real[i].values).sort((a, b) => a - b),
    );
    assert.deepEqual(Buffer.from(p.values.buffer), Buffer.from(again[i].values.buffer));
    assert.equal(gaussian[i].values.length, real[i].values.length);
  });
  assert.notDeepEqual(Array.from(gaussian[0].values), Array.from(gaussian[1].values));
  assert.throws(() => nullSnapshots(real, 'uniform' as never), /nullKind: got "uniform"/);
});

test('an empty runs table is refused with a clear message', () => {
  assert.throws(() => sweepMetrics([]), /runs: the runs table is empty/);
});

test('runOnsets: train onset by default, NaN for completed runs without one, failed runs absent, duplicates refused', () => {
  const row = (N: number, seed: number, trainOnset: number | null, status = 'complete') => ({
    task: 'xor',
    h: (N - 1) / 4,
    N,
    seed,
    key: `k${N}${seed}`,
    status,
    trainOnset,
    testOnset: null,
    wallSeconds: 0,
    cacheHit: false,
    error: null,
  });
  const rows = [row(81, 0, 700), row(81, 1, null), row(129, 0, 650, 'failed')];
  const onsets = runOnsets(rows);
  assert.equal(onsets.get('81|0'), 700);
  assert.ok(Number.isNaN(onsets.get('81|1')));
  assert.equal(onsets.has('129|0'), false);
  assert.equal(onsets.size, 2);
  assert.throws(() => runOnsets(rows, { field: 'valOnset' as never }), /field: got "valOnset"/);
  assert.throws(() => runOnsets([row(81, 0, 700), row(81, 0, 710)]), /runs: holds two completed runs with N = 81, seed = 0/);
});

test('onsetSummary: median and quartiles over the runs that reached an onset', () => {
  const row = (N: number, seed: number, trainOnset: number | null, status = 'complete') => ({
    task: 'xor',
    h: (N - 1) / 4,
    N,
    seed,
    key: `k${N}${seed}`,
    status,
    trainOnset,
    testOnset: null,
    wallSeconds: 0,
    cacheHit: false,
    error: null,
  });
  const s = onsetSummary([row(81, 0, 100), row(81, 1, 200), row(81, 2, 300), row(81, 3, 400), row(81, 4, null), row(81, 5, 900, 'failed')]);
  assert.equal(s.median, 250);
  assert.equal(s.q25, 175);
  assert.equal(s.q75, 325);
  assert.deepEqual([s.min, s.max, s.reached, s.runs, s.field], [100, 400, 4, 5, 'trainOnset']);
  assert.ok(Number.isNaN(onsetSummary([row(81, 0, null)]).median));
});
