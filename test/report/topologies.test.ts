import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import { analysisPlan } from '../../lib/report/plan';
import {
  bootstrapHistograms,
  dByTopology,
  fitPhase,
  ObservationRow,
  phaseRows,
  topologyBarChart,
  topologyComparisonFromSnapshots,
  topologyTableDisplay,
  topologyTableWide,
  writeTopologyCsv,
} from '../../lib/report/topologies';
import { SnapshotInput, syntheticGradients } from '../../lib/probe/index';
import { deriveSeed } from '../../lib/util/random';

process.env.GROKFSS_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-topologies-'));

/** Student-t "real" snapshots at four scales, three seeds, four epochs; onset at epoch 15. */
function syntheticSweep(scales = [256, 512, 1024, 2048], seeds = 3): { snapshots: SnapshotInput[]; onsets: Map<string, number> } {
  const snapshots: SnapshotInput[] = [];
  const onsets = new Map<string, number>();
  for (const N of scales) {
    for (let seed = 0; seed < seeds; seed++) {
      onsets.set(`${N}|${seed}`, 15);
      for (let s = 0; s < 4; s++) snapshots.push({ scaleN: N, seed, snapshot: s, epoch: 10 * s, values: syntheticGradients('student-t', N, deriveSeed(7, N, seed, s), { df: 1.5 }) });
    }
  }
  return { snapshots, onsets };
}

const plan = { ...analysisPlan('smoke'), bootstrap: 200 };
const topologies = [{ kind: 'ba' as const, m: 3 }, { kind: 'ring' as const, k: 6 }];

test('Gaussian nulls give D ≈ 1 from S_total on BA and ring, while s_max on the ring is far below 1', async () => {
  const { snapshots, onsets } = syntheticSweep();
  const result = await topologyComparisonFromSnapshots(snapshots, onsets, plan, { kinds: ['gaussian', 'real', 'permuted'], topologies });
  const gaussian = dByTopology(result.table, 'gaussian', 'totalTopplings', 'all');
  // science notes: 1.00 (BA), 0.99 (ring) from an independent implementation.
  assert.ok(Math.abs(gaussian.ba - 1) < 0.06, `BA Gaussian D = ${gaussian.ba}`);
  assert.ok(Math.abs(gaussian.ring - 1) < 0.06, `ring Gaussian D = ${gaussian.ring}`);
  // science notes: s_max on the ring gives 0.48 — the largest avalanche is topology-dependent.
  const ringSMax = dByTopology(result.table, 'gaussian', 'sMax', 'all').ring;
  assert.ok(ringSMax < 0.7, `ring Gaussian s_max D = ${ringSMax}`);
  // Every fit has a CI around its D.
  for (const r of result.table.objects() as Array<Record<string, any>>) {
    assert.ok(r.ciLow <= r.D + 1e-12 && r.D <= r.ciHigh + 1e-12, `${r.topology} ${r.kind} ${r.observable} ${r.phase}: ${r.ciLow} ≤ ${r.D} ≤ ${r.ciHigh}`);
  }
  // Rows: 2 topologies × (Gaussian: all; real, permuted: pre, post, all) × 2 observables.
  assert.equal(result.table.numRows(), 2 * (1 + 3 + 3) * 2);
  assert.deepEqual(Array.from(new Set((result.table.objects() as any[]).filter((r) => r.kind === 'gaussian').map((r) => r.phase))), ['all']);
  // pre uses epochs 0 and 10 (< onset 15): 4 scales × 3 seeds × 2 epochs rows.
  const realPre = (result.table.objects() as any[]).find((r) => r.kind === 'real' && r.phase === 'pre' && r.topology === 'ba' && r.observable === 'totalTopplings');
  assert.equal(realPre.nRows, 24);
  assert.equal(realPre.nScales, 4);
  assert.equal(result.replicates.length, result.table.numRows());
  assert.equal(result.replicates[0].replicates.length, 200);
  assert.equal(result.batches, 6);
});

test('same inputs give the same table byte for byte, the second time from the store', async () => {
  const { snapshots, onsets } = syntheticSweep([256, 512], 2);
  const options = { kinds: ['real' as const, 'matched' as const], topologies: [{ kind: 'regular' as const, k: 6 }] };
  const first = await topologyComparisonFromSnapshots(snapshots, onsets, plan, options);
  const second = await topologyComparisonFromSnapshots(snapshots, onsets, plan, options);
  assert.equal(second.cacheHits, second.batches);
  assert.equal(first.table.toCSV(), second.table.toCSV());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-topologies-csv-'));
  const a = fs.readFileSync(writeTopologyCsv(first.table, path.join(dir, 'a.csv')));
  const b = fs.readFileSync(writeTopologyCsv(second.table, path.join(dir, 'b.csv')));
  assert.ok(a.equals(b));
  assert.match(a.toString().split('\n')[0], /^topology,input,S_total D_pre,S_total D_pre low,S_total D_pre high,S_total D_post/);
});

test('one scale is "not enough data", not an exception; bad kinds are rejected before any work', async () => {
  const { snapshots, onsets } = syntheticSweep([256], 2);
  const result = await topologyComparisonFromSnapshots(snapshots, onsets, plan, { kinds: ['gaussian'], topologies: [{ kind: 'ba', m: 3 }], observables: ['totalTopplings'] });
  const row = result.table.objects()[0] as Record<string, any>;
  assert.ok(Number.isNaN(row.D));
  assert.match(row.note, /^not enough data: 1 scale/);
  await assert.rejects(() => topologyComparisonFromSnapshots(snapshots, onsets, plan, { kinds: ['uniform' as any] }), /kinds\[0\]/);
  await assert.rejects(() => topologyComparisonFromSnapshots(snapshots, onsets, plan, { observables: ['size' as any] }), /observables\[0\]/);
});

test('phases split at each run\'s onset; runs without an onset belong to neither phase', () => {
  const rows: ObservationRow[] = [
    { scaleN: 10, seed: 0, epoch: 0, totalTopplings: 5, sMax: 2, truncated: false },
    { scaleN: 10, seed: 0, epoch: 10, totalTopplings: 6, sMax: 2, truncated: false },
    { scaleN: 20, seed: 0, epoch: 10, totalTopplings: 7, sMax: 2, truncated: false },
    { scaleN: 30, seed: 0, epoch: 0, totalTopplings: 8, sMax: 2, truncated: false },
  ];
  const onsets = new Map([['10|0', 10], ['20|0', 20]]);
  assert.deepEqual(phaseRows(rows, 'pre', onsets).map((r) => r.totalTopplings), [5, 7]);
  assert.deepEqual(phaseRows(rows, 'post', onsets).map((r) => r.totalTopplings), [6]);
  assert.equal(phaseRows(rows, 'all', onsets).length, 4);
});

test('fitPhase recovers an exact power law and leaves truncated probes out', () => {
  // S = 3·N^1.25 exactly, two seeds per scale; one truncated row with a wild value.
  const rows: ObservationRow[] = [];
  for (const N of [100, 200, 400, 800]) for (const seed of [0, 1]) rows.push({ scaleN: N, seed, epoch: 0, totalTopplings: 3 * N ** 1.25, sMax: N ** 0.5, truncated: false });
  rows.push({ scaleN: 800, seed: 2, epoch: 0, totalTopplings: 1e12, sMax: 1e12, truncated: true });
  const fit = fitPhase(rows, 'totalTopplings', { bootstrap: 50, seed: 0 });
  assert.ok(Math.abs(fit.D - 1.25) < 1e-12);
  assert.ok(Math.abs(fitPhase(rows, 'sMax', { bootstrap: 0, seed: 0 }).D - 0.5) < 1e-12);
  assert.equal(fit.truncatedLeftOut, 1);
  assert.match(fit.note, /1 truncated probe\(s\) left out/);
});

/** A hand-made tidy table: BA real (pre, post, all) and Gaussian (all), S_total only. */
function handTable(): aq.ColumnTable {
  const base = { topology: 'ba', topologyLabel: 'BA (m = 3)', observable: 'totalTopplings', rSquared: 1, nScales: 8, nSeeds: 48, nRows: 10, truncated: 0, note: '' };
  return aq.from([
    { ...base, kind: 'real', phase: 'pre', D: 0.8, ciLow: 0.7, ciHigh: 0.9 },
    { ...base, kind: 'real', phase: 'post', D: 1.2, ciLow: 1.1, ciHigh: 1.35 },
    { ...base, kind: 'real', phase: 'all', D: 1.0, ciLow: 0.95, ciHigh: 1.05 },
    { ...base, kind: 'gaussian', phase: 'all', D: NaN, ciLow: NaN, ciHigh: NaN },
  ]);
}

test('the wide and display tables put each D in its column, blank where a kind has no phase', () => {
  const wide = topologyTableWide(handTable()).objects() as Array<Record<string, any>>;
  assert.equal(wide.length, 2);
  assert.equal(wide[0]['S_total D_post'], 1.2);
  assert.equal(wide[0]['S_total D_post high'], 1.35);
  assert.equal(wide[1]['S_total D_pre'], null);
  const display = topologyTableDisplay(handTable());
  assert.deepEqual(Object.keys(display[0]), ['topology', 'input', 'S_total: D_pre', 'S_total: D_post', 'S_total: D (all)']);
  assert.equal(display[0]['S_total: D_post'], '1.20 [1.10, 1.35]');
  assert.equal(display[1]['S_total: D_pre'], '');
  assert.equal(display[1]['S_total: D (all)'], 'n/a');
  assert.equal(display[1].input, 'Gaussian (i.i.d.)');
});

test('the bar chart has one series per (kind, phase) with asymmetric CI error bars and the D = 1 line', () => {
  const figure = topologyBarChart(handTable(), 'totalTopplings');
  assert.deepEqual(figure.data.map((t) => t.name), ['real gradients, before onset', 'real gradients, after onset', 'Gaussian (i.i.d.)']);
  const post = figure.data[1] as any;
  assert.deepEqual(post.y, [1.2]);
  assert.deepEqual(post.x, ['BA<br>m = 3']);
  assert.equal((figure.data[0] as any).marker.color, 'rgba(213, 94, 0, 0.4)'); // before onset: light vermillion
  assert.ok(Math.abs(post.error_y.array[0] - 0.15) < 1e-12);
  assert.ok(Math.abs(post.error_y.arrayminus[0] - 0.1) < 1e-12);
  assert.deepEqual((figure.data[2] as any).y, [null]); // NaN D is not drawn
  const layout = figure.layout as any;
  assert.match(layout.yaxis.title.text, /S_total/);
  assert.equal(layout.barmode, 'group');
  assert.equal(layout.shapes[0].y0, 1);
  assert.throws(() => topologyBarChart(handTable(), 'sMax'), /no rows for observable sMax/);
});

test('bootstrap histograms show D_pre, D_post and D_synth replicates', () => {
  const replicates = [
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'pre' as const, replicates: Float64Array.from([0.8, 0.82, NaN]) },
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'post' as const, replicates: Float64Array.from([1.2, 1.1]) },
    { topology: 'ba', kind: 'gaussian' as const, observable: 'totalTopplings' as const, phase: 'all' as const, replicates: Float64Array.from([1.0, 0.99]) },
  ];
  const figure = bootstrapHistograms({ replicates }, 'ba', 'totalTopplings');
  assert.equal(figure.data.length, 3);
  assert.deepEqual((figure.data[0] as any).x, [0.8, 0.82]);
  assert.match(String(figure.data[2].name), /^D_synth \(Gaussian/);
  assert.equal((figure.layout as any).xaxis.title.text, 'D (bootstrap replicate)');
  assert.throws(() => bootstrapHistograms({ replicates }, 'ring', 'totalTopplings'), /no bootstrap replicates/);
});
