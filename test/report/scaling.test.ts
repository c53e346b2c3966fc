import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import {
  collapseAnalysis,
  collapseFigure,
  crossingTable,
  dimensionTrajectoryFigure,
  leaveOneOutTable,
  phaseScaling,
  phaseScalingAll,
  scalingFitFigure,
  scalingFitTable,
  scalingHeadline,
  scalingRows,
  scalingSummaryMarkdown,
  sustainedCrossing,
  trainOnsetSummary,
  trajectoryAnalysis,
  usableRows,
  ScalingRow,
} from '../../lib/report/scaling';
import { dimensionTrajectory } from '../../lib/fss/index';
import { Random } from '../../lib/util/random';

const SCALES = [100, 300, 1000, 3000];
const SEEDS = [0, 1, 2];

/** Runs table rows: every (N, seed) completed with the given onset. */
function runsOf(onset: (N: number, seed: number) => number | null) {
  return SCALES.flatMap((N) => SEEDS.map((seed) => ({ task: 'xor', h: (N - 1) / 4, N, seed, key: `k${N}-${seed}`, status: 'complete', trainOnset: onset(N, seed), testOnset: null, wallSeconds: 0, cacheHit: true, error: null }))) as any[];
}

/**
 * A probe summary in which value = a_seed · N^{D(epoch)} exactly, with a per-seed factor that is
 * the same at every scale (so the per-scale mean of ln value has slope D exactly).
 */
function summaryOf(epochs: number[], dOf: (epoch: number) => number, sMaxOf: (epoch: number) => number = dOf): aq.ColumnTable {
  const rows: Array<Record<string, unknown>> = [];
  for (const N of SCALES) {
    for (const seed of SEEDS) {
      epochs.forEach((epoch, snapshot) => {
        const a = 2; // the same at every seed: bootstrap replicates are then exact too
        rows.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, totalTopplings: a * N ** dOf(epoch), sMax: a * N ** sMaxOf(epoch), truncated: false });
      });
    }
  }
  return aq.from(rows);
}

test('scalingRows joins each snapshot to its run onset: pre (epoch < onset), post, none (no onset)', () => {
  const runs = runsOf((N, seed) => (seed === 2 ? null : 50));
  const rows = scalingRows(summaryOf([0, 40, 50, 90], () => 1), runs);
  const at = (seed: number, epoch: number) => rows.find((r) => r.scaleN === 100 && r.seed === seed && r.epoch === epoch)!;
  assert.equal(at(0, 40).phase, 'pre');
  assert.equal(at(0, 50).phase, 'post');
  assert.equal(at(1, 90).phase, 'post');
  assert.equal(at(2, 0).phase, 'none');
  assert.ok(Number.isNaN(at(2, 0).onsetEpoch));
  assert.throws(() => scalingRows(summaryOf([0], () => 1), runsOf(() => 1).filter((r) => r.N !== 3000)), /no completed run with N = 3000/);
});

test('phaseScaling recovers D before and after onset exactly, with leave-one-scale-out refits', () => {
  const runs = runsOf(() => 100);
  const rows = scalingRows(summaryOf([0, 50, 100, 150], (e) => (e < 100 ? 0.9 : 1.2)), runs);
  const pre = phaseScaling(rows, 'totalTopplings', 'pre', { bootstrap: 50 });
  const post = phaseScaling(rows, 'totalTopplings', 'post', { bootstrap: 50 });
  assert.ok(Math.abs(pre.fit!.D - 0.9) < 1e-12, `D_pre ${pre.fit!.D}`);
  assert.ok(Math.abs(post.fit!.D - 1.2) < 1e-12, `D_post ${post.fit!.D}`);
  assert.equal(pre.rows, 4 * 3 * 2);
  assert.equal(post.fit!.leaveOneOut.length, 4);
  for (const l of post.fit!.leaveOneOut) assert.ok(Math.abs(l.D - 1.2) < 1e-12);
  const table = scalingFitTable(phaseScalingAll(rows, { bootstrap: 20 })).objects() as any[];
  assert.deepEqual(table.map((r) => `${r.observable} ${r.phase}`), ['S_total before onset', 'S_total after onset', 's_max before onset', 's_max after onset']);
  assert.equal(leaveOneOutTable([pre, post]).numRows(), 8);
});

test('phaseScaling and trajectoryAnalysis say "not enough data" with one scale instead of throwing', () => {
  const runs = runsOf(() => 100);
  const rows = scalingRows(summaryOf([0, 150], () => 1), runs).filter((r) => r.scaleN === 300);
  const fit = phaseScaling(rows, 'sMax', 'pre');
  assert.equal(fit.fit, null);
  assert.match(fit.note, /^not enough data: 1 scale/);
  const t = trajectoryAnalysis(rows, 'totalTopplings', { bootstrap: 10 });
  assert.equal(t.trajectory, null);
  assert.match(t.note, /^not enough data/);
});

test('usableRows leaves out truncated and zero-valued snapshots and counts them', () => {
  const base: ScalingRow = { scaleN: 100, seed: 0, snapshot: 0, epoch: 0, graphSeed: 0, totalTopplings: 5, sMax: 3, truncated: false, onsetEpoch: 1, phase: 'pre' };
  const u = usableRows([base, { ...base, truncated: true }, { ...base, sMax: 0 }], 'sMax');
  assert.equal(u.rows.length, 1);
  assert.equal(u.truncated, 1);
  assert.equal(u.nonPositive, 1);
});

test('sustained crossing is the last upward crossing of 1; crossingTime (first) is the early excursion', () => {
  // D(t) = 0.8, 1.2, 0.9, 1.1, 1.3 at epochs 0…400: first crossing at 50, sustained at 250.
  const D = [0.8, 1.2, 0.9, 1.1, 1.3];
  const epochs = [0, 100, 200, 300, 400];
  const runs = runsOf(() => 280);
  const rows = scalingRows(summaryOf(epochs, (e) => D[e / 100]), runs);
  const a = trajectoryAnalysis(rows, 'totalTopplings', { bootstrap: 30 });
  a.trajectory!.points.forEach((p, i) => assert.ok(Math.abs(p.D - D[i]) < 1e-12));
  assert.ok(Math.abs(a.firstCrossing!.time - 50) < 1e-9);
  assert.ok(Math.abs(a.sustained!.time - 250) < 1e-9);
  // Exact data: every replicate is the same trajectory, so the CI collapses onto the estimate.
  assert.ok(Math.abs(a.sustained!.ciLow - 250) < 1e-9 && Math.abs(a.sustained!.ciHigh - 250) < 1e-9);
  assert.equal(a.sustained!.crossedFraction, 1);
  // Ending below the level: no sustained crossing.
  const down = dimensionTrajectory(summaryOf(epochs, (e) => [0.8, 1.2, 0.9, 1.1, 0.95][e / 100]).objects() as Array<Record<string, unknown>>, { time: 'epoch', bootstrap: 5 });
  assert.ok(Number.isNaN(sustainedCrossing(down).time));
  // Above the level throughout: never crossed.
  const above = dimensionTrajectory(summaryOf(epochs, () => 1.1).objects() as Array<Record<string, unknown>>, { time: 'epoch', bootstrap: 5 });
  assert.ok(Number.isNaN(sustainedCrossing(above).time));
  // Downward: 1.1 throughout is above 1.05, so no downward crossing either.
  assert.ok(Number.isNaN(sustainedCrossing(above, 1.05, 'down').time));
  assert.ok(Number.isNaN(sustainedCrossing(above, 1.2, 'down').time)); // below 1.2 throughout: never crossed downward
});

test('aligned-time D(t) measures time from each run own onset', () => {
  // D jumps from 0.8 to 1.2 exactly at each run's onset, which differs per seed.
  const onset = (N: number, seed: number) => 100 + 100 * seed;
  const runs = runsOf(onset);
  const epochs = Array.from({ length: 9 }, (_, i) => i * 50);
  const rows: Array<Record<string, unknown>> = [];
  for (const N of SCALES) for (const seed of SEEDS) epochs.forEach((epoch, snapshot) => rows.push({ scaleN: N, seed, snapshot, epoch, graphSeed: 0, totalTopplings: N ** (epoch < onset(N, seed) ? 0.8 : 1.2), sMax: 1, truncated: false }));
  const a = trajectoryAnalysis(scalingRows(aq.from(rows), runs), 'totalTopplings', { time: 'aligned', bins: [-400, -200, -1, 1, 200, 400], bootstrap: 10 });
  const Ds = a.trajectory!.points.map((p) => p.D);
  assert.ok(Math.abs(Ds[0] - 0.8) < 1e-12 && Math.abs(Ds[1] - 0.8) < 1e-12 && Math.abs(Ds[Ds.length - 1] - 1.2) < 1e-12, `aligned D ${Ds}`);
});

test('trainOnsetSummary: median and quartiles over runs that reached an onset', () => {
  const s = trainOnsetSummary(runsOf((N, seed) => (seed === 2 ? null : N)));
  assert.equal(s.reached, 8);
  assert.equal(s.runs, 12);
  assert.equal(s.median, 650);
  assert.equal(s.min, 100);
  assert.equal(s.max, 3000);
});

/** Sizes with P(s) ∝ s^−τ e^(−s / N^D) (continuous, s ≥ 1), by rejection from the pure power law. */
function cutoffSizes(N: number, tau: number, D: number, count: number, rng: Random): Float64Array {
  const out = new Float64Array(count);
  const cut = N ** D;
  for (let i = 0; i < count; ) {
    const s = Math.pow(rng.uniformOpen(), -1 / (tau - 1));
    if (rng.uniform() < Math.exp(-s / cut)) out[i++] = s;
  }
  return out;
}

test('collapseAnalysis recovers τ and D of synthetic P_N(s) = s^−τ G(s/N^D) and beats the un-rescaled curves', () => {
  const rng = new Random(7);
  const scales = [30, 100, 300, 1000];
  const summary: Array<Record<string, unknown>> = [];
  const avalanches: Array<Record<string, unknown>> = [];
  const runs = scales.map((N) => ({ task: 'xor', h: 1, N, seed: 0, key: `k${N}`, status: 'complete', trainOnset: 10, testOnset: null, wallSeconds: 0, cacheHit: true, error: null })) as any[];
  for (const N of scales) {
    summary.push({ scaleN: N, seed: 0, snapshot: 0, epoch: 20, graphSeed: 0, totalTopplings: 1, sMax: 1, truncated: false });
    summary.push({ scaleN: N, seed: 0, snapshot: 1, epoch: 5, graphSeed: 0, totalTopplings: 1, sMax: 1, truncated: false });
    for (const s of cutoffSizes(N, 1.5, 1, 40000, rng)) avalanches.push({ scaleN: N, seed: 0, snapshot: 0, epoch: 20, graphSeed: 0, size: s });
    avalanches.push({ scaleN: N, seed: 0, snapshot: 1, epoch: 5, graphSeed: 0, size: 1e6 }); // pre-onset: must not enter
  }
  const probe = { summary: aq.from(summary), avalanches: aq.from(avalanches) };
  const c = collapseAnalysis(probe, runs, { start: { tau: 1.4, D: 0.9 }, binsPerDecade: 10 });
  assert.ok(c.result, c.note);
  assert.deepEqual(c.avalanches.map((a) => a.count), [40000, 40000, 40000, 40000]);
  // Measured with these samples: τ ≈ 1.58, D ≈ 0.96 (the cutoff function bends s^τ P, which biases τ a little).
  assert.ok(Math.abs(c.result!.tau - 1.5) < 0.12, `tau ${c.result!.tau}`);
  assert.ok(Math.abs(c.result!.D - 1) < 0.08, `D ${c.result!.D}`);
  assert.ok(c.result!.S < 5, `S ${c.result!.S}`);
  assert.ok(c.result!.S < c.uncollapsed!.S, `collapsed S ${c.result!.S} vs measured ${c.uncollapsed!.S}`);
  // The figure's right panel is exactly s^τ P against s / N^D of the curves.
  const fig = collapseFigure(c);
  const right = fig.data.filter((t) => t.xaxis === 'x2');
  assert.equal(right.length, 4);
  const first = c.curves[0];
  assert.ok(Math.abs((right[0].x as number[])[0] - first.s[0] / first.scaleN ** c.result!.D) < 1e-12);
  assert.ok(Math.abs((right[0].y as number[])[0] - first.s[0] ** c.result!.tau * first.p[0]) < 1e-12);
  // One scale only: a note, no throw.
  const one = collapseAnalysis({ summary: probe.summary.filter((d: any) => d.scaleN === 30), avalanches: probe.avalanches.filter((d: any) => d.scaleN === 30) }, runs);
  assert.equal(one.result, null);
  assert.match(one.note, /^not enough data: 1 scale/);
});

function threePhaseInputs() {
  const runs = runsOf(() => 250);
  const D = [0.8, 0.85, 0.9, 1.1, 1.2, 1.25];
  const rows = scalingRows(summaryOf([0, 100, 200, 300, 400, 500], (e) => D[e / 100], (e) => D[e / 100] + 0.1), runs);
  return { runs, rows };
}

test('D(t) figure has the bootstrap band, D(t), the D = 1 line, the onset marker and the crossing, per observable', () => {
  const { runs, rows } = threePhaseInputs();
  const onset = trainOnsetSummary(runs);
  const analyses = (['totalTopplings', 'sMax'] as const).map((o) => trajectoryAnalysis(rows, o, { bootstrap: 20 }));
  const fig = dimensionTrajectoryFigure(analyses, onset);
  for (const axis of ['x', 'x2']) {
    const panel = fig.data.filter((t) => (t.xaxis ?? 'x') === axis);
    const band = panel.find((t) => /bootstrap band$/.test(String(t.name)));
    assert.ok(band && band.fill === 'tonexty', `band in panel ${axis}`);
    const level = panel.find((t) => t.name === 'D = 1')!;
    assert.deepEqual(level.y, [1, 1]);
    const onsetLine = panel.find((t) => t.name === 'median train onset')!;
    assert.deepEqual(onsetLine.x, [250, 250]);
    const crossing = panel.find((t) => /crossing/.test(String(t.name)))!;
    assert.equal((crossing.y as number[])[0], 1);
    assert.ok(Number.isFinite((crossing.x as number[])[0]));
  }
  const sTotal = analyses[0];
  assert.ok(Math.abs(sTotal.sustained!.time - 250) < 1e-9); // 0.9 at 200 → 1.1 at 300
  const dTrace = fig.data.find((t) => t.name === 'D(t), S_total')!;
  assert.deepEqual((dTrace.y as number[]).map((v) => Math.round(v * 100) / 100), [0.8, 0.85, 0.9, 1.1, 1.2, 1.25]);
  assert.match(JSON.stringify((fig.layout as any).yaxis.title), /D\(t\)/);
  assert.throws(() => dimensionTrajectoryFigure([], onset), /no trajectory/);
});

test('scaling figure: the fitted line has slope D in log–log and passes through the fit', () => {
  const { rows } = threePhaseInputs();
  const fits = phaseScalingAll(rows, { bootstrap: 20 });
  const fig = scalingFitFigure(fits);
  for (const f of fits) {
    const line = fig.data.find((t) => String(t.name).startsWith(`${f.observable === 'totalTopplings' ? 'S_total' : 's_max'}, ${f.phase === 'pre' ? 'before' : 'after'} onset: D =`))!;
    const x = line.x as number[];
    const y = line.y as number[];
    const slope = (Math.log(y[1]) - Math.log(y[0])) / (Math.log(x[1]) - Math.log(x[0]));
    assert.ok(Math.abs(slope - f.fit!.D) < 1e-12, `slope ${slope} vs D ${f.fit!.D}`);
    assert.match(String(line.name), new RegExp(`D = ${f.fit!.D.toFixed(2)}`));
  }
  assert.equal((fig.layout as any).xaxis.type, 'log');
  assert.equal((fig.layout as any).yaxis2.type, 'log');
});

test('headline and closing markdown take their numbers from the results; same input gives the same bytes', () => {
  const { runs, rows } = threePhaseInputs();
  const build = () => {
    const fits = phaseScalingAll(rows, { bootstrap: 50, seed: 3 });
    const trajectories = (['totalTopplings', 'sMax'] as const).map((o) => trajectoryAnalysis(rows, o, { bootstrap: 50, seed: 3 }));
    return scalingHeadline({ fits, trajectories, onset: trainOnsetSummary(runs), collapse: null });
  };
  const h = build();
  assert.equal(JSON.stringify(h), JSON.stringify(build()));
  assert.ok(Math.abs(h.dPre! - 0.85) < 1e-9 && Math.abs(h.dPost! - (1.1 + 1.2 + 1.25) / 3) < 1e-9);
  assert.equal(h.onset, 250);
  const md = scalingSummaryMarkdown(h);
  assert.match(md, /D before onset\*\* = 0\.85/);
  assert.match(md, /epoch \*\*250\*\*/);
  assert.match(md, /0\.90 → 1\.20/);
  assert.ok(h.dPreCI[0] !== null && h.crossingCI[0] !== null);
  // One seed per scale: no CI in the headline (a zero-width interval would look like certainty).
  const oneSeedRows = rows.filter((r) => r.seed === 0);
  const single = scalingHeadline({ fits: phaseScalingAll(oneSeedRows, { bootstrap: 20 }), trajectories: [trajectoryAnalysis(oneSeedRows, 'totalTopplings', { bootstrap: 20 })], onset: trainOnsetSummary(runs) });
  assert.deepEqual(single.dPreCI, [null, null]);
  assert.deepEqual(single.crossingCI, [null, null]);
  assert.ok(single.dPre !== null && single.crossing !== null);
  assert.match(scalingSummaryMarkdown(single), /D before onset\*\* = 0\.85 no CI/);
  const changed = scalingSummaryMarkdown({ ...h, dPre: 0.5 });
  assert.match(changed, /D before onset\*\* = 0\.50/);
  const table = crossingTable([trajectoryAnalysis(rows, 'totalTopplings', { bootstrap: 10 })], trainOnsetSummary(runs)).objects() as any[];
  assert.ok(Math.abs(table[0].crossingMinusOnset) < 1e-9);
});
