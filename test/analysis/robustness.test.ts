import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analysisPlan, probeRows, probeSweep, robustnessChoices, robustnessSweepFromSnapshots, trajectoryAnalysis } from '../../lib/analysis/index';
import { robustnessSpread, robustnessSummaryMarkdown, truncationTable } from '../../lib/report/robustness';
import { crossingTime, dimensionTrajectory } from '../../lib/fss/index';
import { SnapshotInput, syntheticGradients } from '../../lib/probe/index';
import { deriveSeed, Random } from '../../lib/util/random';

process.env.GROKFSS_DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-robustness-'));

const plan = { ...analysisPlan('smoke'), bootstrap: 100 };

/** Snapshots at four scales × three seeds × four epochs from `values(N, seed, snapshot)`; onset 15 + 10·seed. */
function sweep(
  values: (N: number, seed: number, snapshot: number) => Float64Array,
  scales = [256, 512, 1024, 2048],
): { snapshots: SnapshotInput[]; onsets: Map<string, number> } {
  const snapshots: SnapshotInput[] = [];
  const onsets = new Map<string, number>();
  for (const N of scales) {
    for (let seed = 0; seed < 3; seed++) {
      onsets.set(`${N}|${seed}`, 15 + 10 * seed);
      for (let s = 0; s < 4; s++) snapshots.push({ scaleN: N, seed, snapshot: s, epoch: 10 * s, values: values(N, seed, s) });
    }
  }
  return { snapshots, onsets };
}

const gaussian = (N: number, seed: number, s: number) => syntheticGradients('gaussian', N, deriveSeed(3, N, seed, s));

test('one row per (choice, value, observable); the baseline batch is probed once', async () => {
  const { snapshots, onsets } = sweep(gaussian);
  const choices = {
    thresholdQuantile: [0.85, 0.9],
    alpha: [0.95, 1],
    baM: [3],
    mapping: ['identity' as const, 'shuffled' as const],
    timeBinning: ['epoch' as const, 'aligned' as const],
  };
  const result = await robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices, observables: ['totalTopplings'] });
  const rows = result.table.objects() as Array<Record<string, any>>;
  assert.equal(rows.length, 9);
  assert.deepEqual(
    rows.map((r) => `${r.choice}=${r.value}`),
    [
      'thresholdQuantile=0.85',
      'thresholdQuantile=0.9',
      'alpha=0.95',
      'alpha=1',
      'baM=3',
      'mapping=identity',
      'mapping=shuffled',
      'timeBinning=epoch',
      'timeBinning=aligned',
    ],
  );
  assert.deepEqual(
    rows.map((r) => r.isBaseline),
    [false, true, true, false, true, true, false, true, false],
  );
  // Distinct probe batches: baseline, q 0.85, α 1, shuffled.
  assert.equal(result.batches, 4);
  assert.deepEqual(
    rows.map((r) => r.probes),
    new Array(9).fill(48),
  );
  // Median of the onsets 15, 25, 35 (four scales each).
  assert.equal(result.medianOnset, 25);
  // i.i.d. Gaussian input on BA with S_total: D ≈ 1 before and after onset, whatever q and the mapping.
  for (const r of rows.filter((r) => r.choice === 'thresholdQuantile' || r.choice === 'mapping')) {
    assert.ok(Math.abs(r.dPre - 1) < 0.1 && Math.abs(r.dPost - 1) < 0.1, `${r.choice}=${r.value}: D_pre ${r.dPre}, D_post ${r.dPost}`);
  }
  // Binning does not change D_pre / D_post (same probe), only the time axis of the crossing.
  const [epoch, aligned] = rows.filter((r) => r.choice === 'timeBinning');
  assert.equal(epoch.dPre, aligned.dPre);
  assert.equal(epoch.crossingUnit, 'epoch');
  assert.equal(aligned.crossingUnit, 'epochs since onset');
  const summary = robustnessSpread(result.table).objects() as Array<Record<string, any>>;
  assert.deepEqual(
    summary.map((r) => r.choice),
    ['thresholdQuantile', 'alpha', 'mapping', 'timeBinning'],
  ); // baM has one value
  assert.match(robustnessSummaryMarkdown(result.table), /^\*\*Baseline \(S_total\)\.\*\* D_pre = /);
});

test('the crossing columns are the lasting crossing of trajectoryAnalysis (plan.lastingPoints) on the same probe, shifted by the median onset', async () => {
  const { snapshots, onsets } = sweep((N, seed, s) => syntheticGradients(s < 2 ? 'gaussian' : 'student-t', N, deriveSeed(5, N, seed, s), { df: 1.5 }));
  const result = await robustnessSweepFromSnapshots(snapshots, onsets, plan, {
    choices: { timeBinning: ['epoch', 'aligned'] },
    observables: ['sMax'],
    alignedBins: 6,
  });
  const [epoch, aligned] = result.table.objects() as Array<Record<string, any>>;
  const rows = probeRows((await probeSweep(snapshots, plan, { keepAvalanches: false })).summary, onsets);
  const direct = crossingTime(
    dimensionTrajectory(rows as unknown as Array<Record<string, unknown>>, {
      time: 'epoch',
      valueField: 'sMax',
      bootstrap: 100,
      seed: plan.seed,
      minScales: 4,
    }),
    1,
    { lastingPoints: plan.lastingPoints },
  );
  assert.deepEqual(trajectoryAnalysis(rows, 'sMax', plan, { minScales: 4 }).crossings!.lasting, direct);
  assert.ok(Object.is(epoch.crossing, direct.time), `${epoch.crossing} vs ${direct.time}`);
  assert.equal(epoch.direction, direct.direction);
  assert.ok(Number.isFinite(direct.time), 'this input crosses D = 1, so the comparison is not NaN against NaN');
  assert.equal(epoch.crossingSinceOnset, direct.time - 25);
  assert.equal(epoch.crossingLow, direct.ciLow);
  const directAligned = crossingTime(
    dimensionTrajectory(rows as unknown as Array<Record<string, unknown>>, {
      time: 'aligned',
      valueField: 'sMax',
      bootstrap: 100,
      seed: plan.seed,
      onsets,
      bins: 6,
      minScales: 4,
    }),
    1,
    { lastingPoints: plan.lastingPoints },
  );
  assert.ok(Object.is(aligned.crossing, directAligned.time));
  assert.ok(Object.is(aligned.crossingSinceOnset, directAligned.time));
});

test('with α = 1 a load above N·θ cannot relax: every probe is truncated, counted and left out of the fits', async () => {
  // 90 % of the values are 1 and 10 % are 100: θ ≈ 1, total load ≈ 10.9·N > N·θ.
  const heavy = (N: number, seed: number, s: number) => {
    const rng = new Random(deriveSeed(11, N, seed, s));
    const v = new Float64Array(N).fill(1);
    for (const i of rng.permutation(N).slice(0, Math.floor(N / 10))) v[i] = 100;
    return v;
  };
  const { snapshots, onsets } = sweep(heavy, [128, 256]);
  const result = await robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices: { alpha: [0.95, 1] }, observables: ['totalTopplings'] });
  const [dissipative, conservative] = result.table.objects() as Array<Record<string, any>>;
  assert.equal(dissipative.truncatedCount, 0);
  assert.ok(Number.isFinite(dissipative.dPre));
  assert.equal(conservative.truncatedCount, conservative.probes);
  assert.ok(Number.isNaN(conservative.dPre) && Number.isNaN(conservative.dPost));
  assert.match(conservative.dPreReason, /not enough data/);
  assert.match(conservative.crossingReason, /not enough data/);
  assert.match(robustnessSummaryMarkdown(result.table), /24 truncated probes \(value 1: 24 of 24\)/);
  const truncation = truncationTable(result.table).objects() as Array<Record<string, any>>;
  assert.deepEqual(
    truncation.map((r) => r.truncated),
    [0, 24],
  );
  assert.equal(truncation[1].fraction, 1);
});

test('bad choices are rejected before any work, naming the field', async () => {
  const { snapshots, onsets } = sweep(gaussian, [64, 128]);
  await assert.rejects(
    () => robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices: { alpha: [0] } }),
    /choices\.alpha: values must be numbers in \(0, 1\]/,
  );
  await assert.rejects(() => robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices: { gamma: [1] } as any }), /choices: got "gamma"/);
  await assert.rejects(() => robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices: { mapping: ['random' as any] } }), /choices\.mapping/);
  await assert.rejects(() => robustnessSweepFromSnapshots(snapshots, onsets, plan, { choices: { baM: [] } }), /choices\.baM: must be a non-empty array/);
});

test('smoke tries two values per choice, quick four (two for the categorical choices)', () => {
  const smoke = robustnessChoices('smoke');
  const quick = robustnessChoices('quick');
  for (const values of Object.values(smoke)) assert.equal(values.length, 2);
  assert.deepEqual(quick.alpha, [0.9, 0.95, 0.99, 1]);
  assert.deepEqual(quick.thresholdQuantile, [0.8, 0.85, 0.9, 0.95]);
  assert.deepEqual(quick.baM, [2, 3, 4, 5]);
});
