/**
 * The round trip of the exchange format: a sweep trained here, exported (exportRuns) and read back
 * (readRunDirectory → importedRunsAnalysis) must give notebook 03's probe results bit for bit —
 * the same probe summary, D before / after onset with every bootstrap replicate, and D(t).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importedRunsAnalysis, roundTripCheck, sweepScalingResults } from '../../lib/analysis/importedRuns';
import { analysisPlan } from '../../lib/analysis/plan';
import { probeSweep } from '../../lib/analysis/probeSweep';
import { exportRuns } from '../../lib/exchange/export';
import { readRunDirectory } from '../../lib/exchange/directory';
import { RunRow } from '../../lib/train/runFiles';
import { trainScales } from '../../lib/train/trainScales';
import { InvalidOptionError } from '../../lib/util/errors';

process.env.GROKFSS_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-roundtrip-'));
const PLAN = { ...analysisPlan('smoke'), bootstrap: 100 };
// XOR with small init: a plateau, then the jump (science notes); three widths × two seeds, 11 snapshots.
const SWEEP = { base: { task: 'xor' as const, epochs: 1200, snapshots: { count: 11 }, metricsEvery: 1 }, scales: [8, 12, 16], seeds: [0, 1] };

let trained: Promise<RunRow[]> | null = null;
function runs(): Promise<RunRow[]> {
  trained ??= trainScales(SWEEP, { workers: 1 }).then((t) => t.objects() as unknown as RunRow[]);
  return trained;
}

/** What notebook 03 computes from the runs table, and its avalanche table (to compare it too). */
async function notebook03(rows: RunRow[], topology = PLAN.topology) {
  const results = await sweepScalingResults(rows, PLAN, { topology });
  return { ...results, avalanches: (await probeSweep(rows, PLAN, { topology })).avalanches! };
}

test('export → analyze reproduces notebook 03 bit for bit, from the same store entry of the probe', async () => {
  const rows = await runs();
  assert.ok(
    rows.some((r) => r.trainOnset !== null),
    'some run reaches its onset (pre / post fits exist)',
  );
  const reference = await notebook03(rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-export-'));
  const exported = exportRuns(rows, dir);
  assert.equal(exported.written, 6);
  const sweep = readRunDirectory(dir);
  assert.deepEqual(sweep.scales, [33, 49, 65]);
  assert.equal(sweep.onsetField, 'trainOnset');
  assert.deepEqual(
    sweep.rows.map((r) => [r.N, r.seed, r.trainOnset]),
    rows.map((r) => [r.N, r.seed, r.trainOnset]),
  );
  const imported = await importedRunsAnalysis(sweep, PLAN, { keepAvalanches: true });
  assert.equal(imported.probe.batches, 1);
  assert.equal(imported.probe.cacheHits, 1, 'the imported snapshots hash to the probe entry notebook 03 wrote');
  const check = roundTripCheck(reference, imported);
  for (const item of check.items) assert.ok(item.identical, `${item.quantity}: max |difference| ${item.maxAbsDifference}`);
  assert.ok(check.items.length >= 1 + 4 + 4);
  assert.ok(check.items.find((i) => i.quantity.startsWith('D of totalTopplings, post'))!.values > 100, 'bootstrap replicates compared');
  assert.deepEqual(imported.probe.avalanches!.objects(), reference.avalanches.objects());
  // Exporting again changes nothing; a file with other content is refused unless forced.
  assert.deepEqual(exportRuns(rows, dir), { dir, files: exported.files, written: 0, unchanged: 6 });
  fs.appendFileSync(exported.files[2], 'x');
  assert.throws(
    () => exportRuns(rows, dir),
    (e: unknown) => e instanceof InvalidOptionError && e.message.includes(exported.files[2]) && /other content/.test(e.message),
  );
  assert.equal(exportRuns(rows, dir, { force: true }).written, 1);
});

test('the round trip holds for .safetensors, in small streamed batches, and on the network topology', async () => {
  const rows = await runs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-export-st-'));
  exportRuns(rows, dir, { format: 'safetensors' });
  assert.ok(fs.readdirSync(dir).every((f) => f.endsWith('.safetensors')));
  const reference = await notebook03(rows);
  // Batches of at most 200 values: one run (11 × 33 = 363 values) is split over two batches.
  const streamed = await importedRunsAnalysis(readRunDirectory(dir), PLAN, { batchValues: 200, nulls: [] });
  assert.ok(streamed.probe.batches > 6, `${streamed.probe.batches} batches`);
  const check = roundTripCheck(reference, streamed);
  for (const item of check.items) assert.ok(item.identical, `${item.quantity}: max |difference| ${item.maxAbsDifference}`);

  const network = await notebook03(rows, { kind: 'network' });
  const wired = await importedRunsAnalysis(readRunDirectory(dir), PLAN, { topology: { kind: 'network' }, nulls: [], keepAvalanches: true });
  assert.equal(wired.probe.cacheHits, 1, 'same layouts, same snapshots: the store entry of the network probe');
  assert.ok(roundTripCheck(network, wired).identical);
});

test('the nulls of imported runs are those of nullSnapshots on the real snapshots, and are reproducible', async () => {
  const rows = await runs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-export-nulls-'));
  exportRuns(rows, dir);
  const a = await importedRunsAnalysis(readRunDirectory(dir), PLAN);
  const b = await importedRunsAnalysis(readRunDirectory(dir), PLAN, { batchValues: 300 });
  assert.deepEqual(
    a.nulls.map((n) => [n.kind, n.fits.map((f) => `${f.observable}/${f.phase}`)]),
    [
      ['permuted', ['totalTopplings/all', 'totalTopplings/pre', 'totalTopplings/post', 'sMax/all', 'sMax/pre', 'sMax/post']],
      ['gaussian', ['totalTopplings/all', 'sMax/all']],
    ],
  );
  // Null seeds derive from (kind, scale, seed, snapshot): batching does not change them.
  for (let k = 0; k < a.nulls.length; k++)
    for (let i = 0; i < a.nulls[k].fits.length; i++) assert.equal(a.nulls[k].fits[i].fit?.D, b.nulls[k].fits[i].fit?.D, `${a.nulls[k].kind} fit ${i}`);
});
