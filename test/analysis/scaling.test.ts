import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { collapseAnalysis, crossingsOf, fitPhase, phaseFits, probeRows, ProbeRow, trajectoryAnalysis, usableRows } from '../../lib/analysis/index';
import { dimensionTrajectory } from '../../lib/fss/index';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { planWith, runsOf, SCALES, SEEDS, summaryOf } from './fixtures';

test('fitPhase recovers D before and after onset exactly, with leave-one-scale-out refits', () => {
  const rows = probeRows(
    summaryOf([0, 50, 100, 150], (e) => (e < 100 ? 0.9 : 1.2)),
    runsOf(() => 100),
  );
  const pre = fitPhase(rows, 'totalTopplings', 'pre', { bootstrap: 50 });
  const post = fitPhase(rows, 'totalTopplings', 'post', { bootstrap: 50 });
  assert.ok(Math.abs(pre.fit!.D - 0.9) < 1e-12, `D_pre ${pre.fit!.D}`);
  assert.ok(Math.abs(post.fit!.D - 1.2) < 1e-12, `D_post ${post.fit!.D}`);
  assert.equal(pre.rows, 4 * 3 * 2);
  assert.equal(post.fit!.leaveOneOut.length, 4);
  for (const l of post.fit!.leaveOneOut) assert.ok(Math.abs(l.D - 1.2) < 1e-12);
  const all = fitPhase(rows, 'totalTopplings', 'all', { bootstrap: 0 });
  assert.equal(all.rows, 4 * 3 * 4);
  const fits = phaseFits(rows, planWith(20));
  assert.deepEqual(
    fits.map((f) => `${f.observable} ${f.phase}`),
    ['totalTopplings pre', 'totalTopplings post', 'sMax pre', 'sMax post'],
  );
  assert.equal(fits[0].fit!.bootstrap, 20);
  assert.throws(() => fitPhase(rows, 'totalTopplings', 'during' as never), /phase: got "during"/);
});

test('fitPhase and trajectoryAnalysis say "not enough data" with one scale instead of throwing', () => {
  const rows = probeRows(
    summaryOf([0, 150], () => 1),
    runsOf(() => 100),
  ).filter((r) => r.scaleN === 300);
  const fit = fitPhase(rows, 'sMax', 'pre');
  assert.equal(fit.fit, null);
  assert.match(fit.reason!, /^not enough data: 1 scale/);
  const t = trajectoryAnalysis(rows, 'totalTopplings', planWith(10));
  assert.equal(t.trajectory, null);
  assert.equal(t.crossings, null);
  assert.match(t.reason!, /^not enough data/);
});

test('usableRows leaves out truncated and zero-valued snapshots and counts them; fits report them', () => {
  const base: ProbeRow = { scaleN: 100, seed: 0, snapshot: 0, epoch: 0, graphSeed: 0, totalTopplings: 5, sMax: 3, truncated: false, onset: 1, phase: 'pre' };
  const u = usableRows([base, { ...base, truncated: true }, { ...base, sMax: 0 }], 'sMax');
  assert.equal(u.rows.length, 1);
  assert.equal(u.truncated, 1);
  assert.equal(u.nonPositive, 1);
  const rows = probeRows(
    summaryOf([0, 50], () => 1),
    runsOf(() => 40),
  ).map((r, i) => (i === 0 ? { ...r, truncated: true } : r));
  assert.deepEqual(fitPhase(rows, 'totalTopplings', 'pre', { bootstrap: 0 }).leftOut, { truncated: 1, nonPositive: 0, noOnset: 0 });
  const fits = phaseFits(rows, planWith(0), { phases: ['post'] });
  assert.equal(fits.length, 2);
  assert.ok(fits.every((f) => f.oneSeedPerScale === false));
});

test('the crossing rule: the first crossing is the early excursion, the lasting one stays on the new side (plan.lastingPoints)', () => {
  // D(t) = 0.8, 1.2, 0.9, 1.1, 1.3 at epochs 0…400: first crossing at 50, lasting at 250.
  const D = [0.8, 1.2, 0.9, 1.1, 1.3];
  const epochs = [0, 100, 200, 300, 400];
  const rows = probeRows(
    summaryOf(epochs, (e) => D[e / 100]),
    runsOf(() => 280),
  );
  const a = trajectoryAnalysis(rows, 'totalTopplings', planWith(30));
  a.trajectory!.points.forEach((p, i) => assert.ok(Math.abs(p.D - D[i]) < 1e-12));
  assert.ok(Math.abs(a.crossings!.first.time - 50) < 1e-9);
  assert.ok(Math.abs(a.crossings!.lasting.time - 250) < 1e-9);
  assert.equal(a.crossings!.lasting.direction, 'up');
  assert.deepEqual(
    a.crossings!.all.map((c) => c.direction),
    ['up', 'down', 'up'],
  );
  // Exact data: every replicate is the same trajectory, so the CI collapses onto the estimate.
  assert.ok(Math.abs(a.crossings!.lasting.ciLow - 250) < 1e-9 && Math.abs(a.crossings!.lasting.ciHigh - 250) < 1e-9);
  assert.equal(a.crossings!.lasting.crossedFraction, 1);
  // The plan's rule is read: lasting 2 points skips the excursion at 50 (D is back below 1 at 200); lasting 1
  // point is the first sign change.
  assert.ok(Math.abs(trajectoryAnalysis(rows, 'totalTopplings', planWith(5, 0, { lastingPoints: 2 })).crossings!.lasting.time - 250) < 1e-9);
  assert.ok(Math.abs(trajectoryAnalysis(rows, 'totalTopplings', planWith(5, 0, { lastingPoints: 1 })).crossings!.lasting.time - 50) < 1e-9);
  // Ending below the level: the lasting crossing is the last one, downward.
  const down = dimensionTrajectory(summaryOf(epochs, (e) => [0.8, 1.2, 0.9, 1.1, 0.95][e / 100]).objects() as Array<Record<string, unknown>>, {
    time: 'epoch',
    bootstrap: 5,
  });
  const c = crossingsOf(down, { lastingPoints: Infinity });
  assert.equal(c.lasting.direction, 'down');
  assert.ok(Math.abs(c.lasting.time - (300 + 200 / 3)) < 1e-9);
  // Above the level throughout: never crossed.
  const above = dimensionTrajectory(summaryOf(epochs, () => 1.1).objects() as Array<Record<string, unknown>>, { time: 'epoch', bootstrap: 5 });
  assert.equal(crossingsOf(above, { lastingPoints: Infinity }).lasting.direction, 'none');
  assert.ok(Number.isNaN(crossingsOf(above, { lastingPoints: Infinity, level: 1.05 }).first.time));
  assert.throws(() => crossingsOf(above, { lastingPoints: 0 }), /lastingPoints/);
});

test('aligned-time D(t) measures time from each run own onset; runs without an onset are left out and counted', () => {
  // D jumps from 0.8 to 1.2 exactly at each run's onset, which differs per seed.
  const onset = (N: number, seed: number) => 100 + 100 * seed;
  const epochs = Array.from({ length: 9 }, (_, i) => i * 50);
  const rows: Array<Record<string, unknown>> = [];
  for (const N of SCALES)
    for (const seed of SEEDS)
      epochs.forEach((epoch, snapshot) =>
        rows.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, totalTopplings: N ** (epoch < onset(N, seed) ? 0.8 : 1.2), sMax: 1, truncated: false }),
      );
  const a = trajectoryAnalysis(probeRows(aq.from(rows), runsOf(onset)), 'totalTopplings', planWith(10), {
    time: 'aligned',
    bins: [-400, -200, -1, 1, 200, 400],
  });
  const Ds = a.trajectory!.points.map((p) => p.D);
  assert.ok(Math.abs(Ds[0] - 0.8) < 1e-12 && Math.abs(Ds[1] - 0.8) < 1e-12 && Math.abs(Ds[Ds.length - 1] - 1.2) < 1e-12, `aligned D ${Ds}`);
  const withoutOnset = trajectoryAnalysis(
    probeRows(
      aq.from(rows),
      runsOf((N, seed) => (seed === 2 ? null : onset(N, seed))),
    ),
    'totalTopplings',
    planWith(0),
    { time: 'aligned', bins: 4 },
  );
  assert.equal(withoutOnset.leftOut.noOnset, 4 * 9);
  // On the epoch axis every run counts: no onset is needed to place a snapshot in time.
  assert.equal(
    trajectoryAnalysis(
      probeRows(
        aq.from(rows),
        runsOf(() => null),
      ),
      'totalTopplings',
      planWith(0),
    ).leftOut.noOnset,
    0,
  );
});

test("collapseAnalysis: post-onset avalanches through dataCollapse recover τ = 1.5, D = 1 with the plan's bootstrap; options checked first", () => {
  // Exact draws from P_N(s) ∝ s^−τ e^(−s/N^D) (syntheticCollapseSizes) at four of the paper's scales.
  const scales = [81, 201, 505, 1265];
  const drawn = syntheticCollapseSizes({ tau: 1.5, D: 1, avalanches: 20000, scales, seed: 3 });
  const summary: Array<Record<string, unknown>> = [];
  const avalanches: Array<Record<string, unknown>> = [];
  const runs = scales.map((N) => ({
    task: 'xor',
    h: (N - 1) / 4,
    N,
    seed: 0,
    key: `k${N}`,
    status: 'complete',
    trainOnset: 10,
    testOnset: null,
    wallSeconds: 0,
    cacheHit: true,
    error: null,
  }));
  drawn.forEach(({ scaleN: N, sizes }) => {
    summary.push({ scaleN: N, seed: 0, snapshot: 0, epoch: 20, graphSeed: 0, totalTopplings: 1, sMax: 1, truncated: false });
    summary.push({ scaleN: N, seed: 0, snapshot: 1, epoch: 5, graphSeed: 0, totalTopplings: 1, sMax: 1, truncated: false });
    for (const size of sizes) avalanches.push({ scaleN: N, seed: 0, snapshot: 0, epoch: 20, graphSeed: 0, size });
    avalanches.push({ scaleN: N, seed: 0, snapshot: 1, epoch: 5, graphSeed: 0, size: 1e6 }); // pre-onset: must not enter
  });
  const probe = { summary: aq.from(summary), avalanches: aq.from(avalanches) };
  const plan = planWith(0, 0, { collapseBootstrap: 20 });
  const c = collapseAnalysis(probe, runs, plan, { profilePoints: 11 });
  assert.ok(c.result, c.reason ?? '');
  assert.deepEqual(
    c.avalanches.map((a) => a.count),
    [20000, 20000, 20000, 20000],
  );
  const r = c.result!;
  assert.equal(r.bootstrap.replicates, 20);
  assert.ok(Math.abs(r.tau - 1.5) < 0.1, `tau ${r.tau}`);
  assert.ok(Math.abs(r.D - 1) < 0.1, `D ${r.D}`);
  assert.equal(c.holds, r.holds);
  assert.ok(r.holds, r.note);
  assert.ok(r.S < r.uncollapsedS, `collapsed S ${r.S} vs measured ${r.uncollapsedS}`);
  // The same sizes straight into dataCollapse give the same bytes: the analysis adds only the phase split.
  const direct = dataCollapse(drawn, { bootstrap: 20, seed: 0 });
  assert.equal(JSON.stringify([direct.tau, direct.D, direct.tauLow, direct.DHigh, direct.sMin]), JSON.stringify([r.tau, r.D, r.tauLow, r.DHigh, r.sMin]));
  assert.equal(c.scaled, r.collapsed);
  assert.deepEqual(
    c.profiles.map((p) => [p.parameter, p.values.length]),
    [
      ['tau', 11],
      ['D', 11],
    ],
  );
  // Options: the collapse's own, over the plan's; unknown keys (the old boxed search's) rejected.
  const fixed = collapseAnalysis(probe, runs, plan, { collapse: { sMin: 4, bootstrap: 0 } });
  assert.equal(fixed.result!.sMin, 4);
  assert.equal(fixed.result!.sMinRule, 'fixed');
  assert.throws(() => collapseAnalysis(probe, runs, plan, { start: { tau: 1.5, D: 1 } } as never), /options: got "start"/);
  assert.throws(() => collapseAnalysis(probe, runs, plan, { collapse: { bootstrap: 5 } }), /bootstrap: .*needs bootstrap ≥ 20/);
  // Two scales only: a reason, no throw.
  const two = collapseAnalysis(
    { summary: probe.summary.filter((d: any) => d.scaleN <= 201), avalanches: probe.avalanches.filter((d: any) => d.scaleN <= 201) },
    runs,
    plan,
  );
  assert.equal(two.result, null);
  assert.match(two.reason!, /^not enough data: 2 scale\(s\) with post-onset avalanches, the collapse needs 3/);
});
