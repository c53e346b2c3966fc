import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analysisPlan, checkAnalysisPlan, probeSweep } from '../../lib/analysis/index';
import { syntheticGradients, SnapshotInput } from '../../lib/probe/index';

test('plans differ by profile only where budgets do, and reject unknown profiles', () => {
  const smoke = analysisPlan('smoke');
  const paper = analysisPlan('paper');
  assert.deepEqual(smoke.topology, paper.topology);
  assert.deepEqual(smoke.probeOptions, { thresholdQuantile: 0.9, alpha: 0.95, transform: 'abs', mapping: 'identity' });
  assert.ok(paper.bootstrap > smoke.bootstrap);
  assert.equal(smoke.topologies.length, 7);
  assert.throws(() => analysisPlan('fast'), /profile: got "fast"; allowed values: "smoke", "quick", "paper"/);
  // One crossing rule for every notebook: the lasting crossing, to the last snapshot by default.
  assert.equal(smoke.lastingPoints, Infinity);
  assert.deepEqual([smoke.pValueBootstrap, analysisPlan('quick').pValueBootstrap, paper.pValueBootstrap], [20, 100, 1000]);
  assert.deepEqual([smoke.avalancheBootstrap, analysisPlan('quick').avalancheBootstrap, paper.avalancheBootstrap], [40, 200, 400]);
  assert.deepEqual([smoke.collapseBootstrap, analysisPlan('quick').collapseBootstrap, paper.collapseBootstrap], [20, 100, 200]);
});

test('checkAnalysisPlan refuses unknown keys and bad values, naming the field', () => {
  const plan = analysisPlan('smoke');
  assert.equal(checkAnalysisPlan(plan), plan);
  assert.equal(checkAnalysisPlan({ ...plan, lastingPoints: 3 }).lastingPoints, 3);
  assert.throws(() => checkAnalysisPlan({ ...plan, crossingPersist: 3 } as never), /plan: got "crossingPersist"/);
  assert.throws(() => checkAnalysisPlan({ ...plan, lastingPoints: 0 }), /plan.lastingPoints: must be an integer/);
  assert.throws(() => checkAnalysisPlan({ ...plan, bootstrap: 1.5 }), /plan.bootstrap/);
  assert.throws(() => checkAnalysisPlan({ ...plan, collapseBootstrap: -1 }), /plan.collapseBootstrap/);
  assert.throws(() => checkAnalysisPlan({ ...plan, observable: 'meanSize' as never }), /plan.observable: got "meanSize"/);
  // The interval rules measured by the coverage study (notebook 11): studentized seed bootstrap, band crossings.
  assert.deepEqual([plan.seedBootstrap, plan.crossingInterval], ['studentized', 'pointwise-band']);
  assert.throws(() => checkAnalysisPlan({ ...plan, seedBootstrap: 'wild' as never }), /plan.seedBootstrap: got "wild"/);
  assert.throws(() => checkAnalysisPlan({ ...plan, crossingInterval: 'bca' as never }), /plan.crossingInterval: got "bca"/);
});

test('probeSweep probes snapshot inputs with the plan and hits the cache the second time', async () => {
  process.env.GROKFSS_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-plan-'));
  const plan = analysisPlan('smoke');
  const snapshots: SnapshotInput[] = [81, 129].map((n, i) => ({ scaleN: n, seed: 0, snapshot: i, epoch: 0, values: syntheticGradients('gaussian', n, 1) }));
  const first = await probeSweep(snapshots, plan);
  const second = await probeSweep(snapshots, plan);
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.deepEqual(first.summary.objects(), second.summary.objects());
  assert.deepEqual(Array.from(first.summary.array('scaleN') as ArrayLike<number>), [81, 129]);
  // S_total is the sum of the avalanche sizes of the snapshot.
  const sizes = first.avalanches!.filter((d: any) => d.scaleN === 81).array('size') as ArrayLike<number>;
  assert.equal(
    Array.from(sizes).reduce((a, b) => a + b, 0),
    first.summary.get('totalTopplings', 0),
  );
});
