import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { denseLayout } from '../../lib/graphs/network';
import { probeSnapshots, SnapshotInput } from '../../lib/probe/probeSnapshots';
import { runProbe } from '../../lib/probe/runProbe';
import { syntheticGradients } from '../../lib/probe/syntheticGradients';
import { tableToArrow } from '../../lib/store/index';
import { InvalidOptionError } from '../../lib/util/errors';

/** XOR-like runs: scale h → N = 4h + 1 parameters, a few seeds and snapshots each. */
function snapshots(hs: number[], seeds: number, count: number, withLayout = false): SnapshotInput[] {
  const out: SnapshotInput[] = [];
  for (const h of hs) {
    const layout = withLayout ? denseLayout([2, h, 1]) : undefined;
    for (let seed = 0; seed < seeds; seed++) {
      for (let s = 0; s < count; s++) {
        out.push({
          scaleN: 4 * h + 1,
          seed,
          snapshot: s,
          epoch: 100 * s,
          values: syntheticGradients('student-t', 4 * h + 1, 1000 * h + 10 * seed + s, { df: 3 }),
          layout,
        });
      }
    }
  }
  return out;
}

test('summary rows match runProbe one by one; avalanche rows add up to S_total', async () => {
  const input = snapshots([20, 50], 2, 3);
  const graphSeeds = [0, 7];
  const { summary, avalanches, hit } = await probeSnapshots(input, { topology: { kind: 'ba', m: 3 }, options: { alpha: 0.9 }, seeds: graphSeeds, workers: 0 });
  assert.equal(hit, false);
  assert.equal(summary.numRows(), input.length * graphSeeds.length);
  assert.deepEqual(summary.columnNames(), [
    'scaleN',
    'seed',
    'snapshot',
    'epoch',
    'graphSeed',
    'n',
    'threshold',
    'avalancheCount',
    'sMax',
    'meanSize',
    'totalTopplings',
    'totalDissipated',
    'truncated',
  ]);
  const rows = summary.objects() as Array<Record<string, number | boolean>>;
  input.forEach((snap, i) => {
    graphSeeds.forEach((graphSeed, j) => {
      const row = rows[i * graphSeeds.length + j];
      const r = runProbe(snap.values, makeGraph('ba', snap.values.length, graphSeed), { alpha: 0.9 });
      assert.deepEqual(
        [
          row.scaleN,
          row.seed,
          row.snapshot,
          row.epoch,
          row.graphSeed,
          row.threshold,
          row.avalancheCount,
          row.sMax,
          row.totalTopplings,
          row.totalDissipated,
          row.truncated,
        ],
        [snap.scaleN, snap.seed, snap.snapshot, snap.epoch, graphSeed, r.threshold, r.avalancheCount, r.sMax, r.totalTopplings, r.totalDissipated, r.truncated],
      );
      assert.equal(row.meanSize, r.totalTopplings / r.avalancheCount);
    });
  });
  // Per-avalanche rows, in summary-row order, add up to each row's S_total and match runProbe's lists.
  const sizes = avalanches!.array('size') as Int32Array;
  const totals = summary.array('totalTopplings') as Float64Array;
  const counts = summary.array('avalancheCount') as Int32Array;
  let offset = 0;
  for (let r = 0; r < summary.numRows(); r++) {
    let sum = 0;
    for (let a = 0; a < counts[r]; a++) sum += sizes[offset + a];
    assert.equal(sum, totals[r], `row ${r}`);
    offset += counts[r];
  }
  assert.equal(offset, sizes.length);
  const first = runProbe(input[0].values, makeGraph('ba', input[0].values.length, 0), { alpha: 0.9 });
  assert.deepEqual(Array.from(sizes.slice(0, first.avalancheCount)), Array.from(first.sizes));
  assert.deepEqual(Array.from((avalanches!.array('duration') as Int32Array).slice(0, first.avalancheCount)), Array.from(first.durations));
  assert.deepEqual(avalanches!.columnNames(), ['scaleN', 'seed', 'snapshot', 'epoch', 'graphSeed', 'avalanche', 'size', 'area', 'duration']);
});

test('worker threads give byte-identical tables to the single-thread run', async () => {
  const input = snapshots([20, 32, 50, 80], 2, 4);
  const single = await probeSnapshots(input, { topology: 'watts-strogatz', seeds: [0, 1], workers: 0 });
  const threaded = await probeSnapshots(input, { topology: 'watts-strogatz', seeds: [0, 1], workers: 2 });
  assert.deepEqual(Buffer.from(tableToArrow(threaded.summary)), Buffer.from(tableToArrow(single.summary)));
  assert.deepEqual(Buffer.from(tableToArrow(threaded.avalanches!)), Buffer.from(tableToArrow(single.avalanches!)));
});

test('network topology takes each snapshot’s layout (also through workers)', async () => {
  const input = snapshots([20, 32], 1, 2, true);
  const single = await probeSnapshots(input, { topology: { kind: 'network' }, workers: 0, keepAvalanches: false });
  const threaded = await probeSnapshots(input, { topology: 'network', workers: 2, keepAvalanches: false });
  assert.equal(single.avalanches, null);
  assert.deepEqual(Buffer.from(tableToArrow(threaded.summary)), Buffer.from(tableToArrow(single.summary)));
  const direct = runProbe(input[2].values, makeGraph({ kind: 'network', layout: denseLayout([2, 32, 1]) }, 129, 0));
  assert.equal((single.summary.array('totalTopplings') as Float64Array)[2], direct.totalTopplings);
  await assert.rejects(probeSnapshots(snapshots([20], 1, 1), { topology: 'network' }), /needs a layout/);
});

test('cache: second call is a hit with identical tables; any change of input is a miss', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-probe-'));
  const input = snapshots([20, 32], 1, 2);
  const config = { topology: 'ba' as const, seeds: [0], cache: true, root, workers: 0 };
  const first = await probeSnapshots(input, config);
  const second = await probeSnapshots(input, config);
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.deepEqual(Buffer.from(tableToArrow(second.summary)), Buffer.from(tableToArrow(first.summary)));
  assert.deepEqual(Buffer.from(tableToArrow(second.avalanches!)), Buffer.from(tableToArrow(first.avalanches!)));
  const changed = input.map((s, i) => (i === 1 ? { ...s, values: Float64Array.from(s.values, (v, j) => (j === 0 ? v + 1e-9 : v)) } : s));
  assert.equal((await probeSnapshots(changed, config)).hit, false);
  assert.equal((await probeSnapshots(input, { ...config, options: { alpha: 0.9 } })).hit, false);
  assert.equal((await probeSnapshots(input, { ...config, seeds: [1] })).hit, false);
  assert.equal((await probeSnapshots(input, { ...config, topology: 'ring' as never })).hit, false);
  assert.equal((await probeSnapshots(input, config)).hit, true);
});

test('bad input is rejected before any work', async () => {
  const input = snapshots([20], 1, 2);
  input[1].values[5] = NaN;
  await assert.rejects(
    probeSnapshots(input, { topology: 'ba' }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'probeSnapshots.snapshots[1].values',
  );
  await assert.rejects(
    probeSnapshots(snapshots([20], 1, 1), { topology: 'ba', options: { alpha: 2 } }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'probe.alpha',
  );
  await assert.rejects(probeSnapshots(snapshots([20], 1, 1), { topology: 'ba', seeds: [] }), /graph seeds/);
  await assert.rejects(probeSnapshots([], { topology: 'ba' }), /non-empty/);
  // θ ≤ 0 is only known once the quantile is taken: it surfaces from the worker as the same error.
  const zeros = [{ seed: 0, snapshot: 0, epoch: 0, values: new Float64Array(81) }];
  await assert.rejects(
    probeSnapshots(zeros, { topology: 'ba', workers: 2 }),
    (e: unknown) => e instanceof InvalidOptionError && /not > 0/.test((e as Error).message),
  );
});
