import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignedBinEdges, grokkingDimension, runOnsets } from '../../lib/analysis/index';
import { GROK_ONSET, grokRows, grokRuns, GROK_SCALES, planWith } from './fixtures';

test('alignedBinEdges: 0 first, half-octave powers of two covering the ratios, 1 always an edge', () => {
  const edges = alignedBinEdges([0, 0.3, 0.9, 5]);
  assert.equal(edges[0], 0);
  assert.ok(edges.includes(1));
  assert.ok(edges[1] <= 0.3 && edges[edges.length - 1] >= 5);
  for (let i = 2; i < edges.length; i++) assert.ok(Math.abs(edges[i] / edges[i - 1] - Math.SQRT2) < 1e-12);
  // All ratios after the onset: 1 is still an edge.
  assert.ok(alignedBinEdges([2, 3]).includes(1));
  assert.throws(() => alignedBinEdges([0, 0]), /ratios: no positive aligned time/);
});

test('runOnsets keys completed runs by N|seed, with the chosen onset (NaN: never reached)', () => {
  const r = grokRuns();
  r[0] = { ...r[0], testOnset: null };
  r[1] = { ...r[1], status: 'failed' };
  const map = runOnsets(r, { field: 'testOnset' });
  assert.equal(map.size, 11);
  assert.ok(Number.isNaN(map.get('100|0')));
  assert.equal(map.get('200|0'), 1000);
  assert.equal(runOnsets(r).get('200|0'), 250);
});

test('grokkingDimension recovers D = 0.9 before and 1.2 after the onset (the one before/after fit), and an upward crossing at t / t_on ≈ 1', () => {
  const analysis = grokkingDimension(grokRows(), grokRuns(), planWith(50));
  assert.ok(analysis.ok);
  if (!analysis.ok) return;
  assert.deepEqual(analysis.scales, GROK_SCALES);
  assert.equal(analysis.onsetMin, 250);
  assert.equal(analysis.onsetMax, 2000);
  assert.equal(analysis.trainOnsetAligned, 0.25); // train onset = test onset / 4 in every run
  for (const o of analysis.observables) {
    assert.ok(Math.abs(o.pre.fit!.D - 0.9) < 1e-9, `D_pre ${o.pre.fit!.D}`);
    assert.ok(Math.abs(o.post.fit!.D - 1.2) < 1e-9, `D_post ${o.post.fit!.D}`);
    // Seeds are resampled within each scale, so the seed offsets no longer cancel: a CI around the exact value.
    assert.ok(o.pre.fit!.ciLow < 0.9 && o.pre.fit!.ciHigh > 0.9 && o.post.fit!.ciLow < 1.2 && o.post.fit!.ciHigh > 1.2);
    assert.ok(o.pre.fit!.ciHigh < o.post.fit!.ciLow, 'the two CIs are disjoint');
  }
  // Aligned D(t): 0.9 in every bin below 1, 1.2 in every bin from 1 on.
  const s = analysis.observables[0];
  for (const p of s.aligned.trajectory!.points) assert.ok(Math.abs(p.D - (p.binHigh! <= 1 ? 0.9 : 1.2)) < 1e-9, `bin ${p.binLow}–${p.binHigh}: D ${p.D}`);
  // The crossing lies between the midpoints of [1/√2, 1) and [1, √2).
  const c = s.aligned.crossings!.first;
  assert.equal(c.direction, 'up');
  const lo = (Math.SQRT1_2 + 1) / 2;
  const hi = (1 + Math.SQRT2) / 2;
  assert.ok(Math.abs(c.time - (lo + (hi - lo) / 3)) < 1e-9, `crossing ${c.time}`);
  assert.deepEqual(
    s.aligned.crossings!.all.map((x) => x.direction),
    ['up'],
  );
  // One upward crossing only: the lasting crossing is the same one.
  assert.equal(s.aligned.crossings!.lasting.time, c.time);
});

test('grokkingDimension ignores rows of runs that are not included (non-grokking scales)', () => {
  const rows = grokRows().map((r) => (r.scaleN === 100 ? { ...r, totalTopplings: 1e9 } : r));
  const included = grokRuns().filter((r) => r.N !== 100);
  const analysis = grokkingDimension(rows, included, planWith(0), { observables: ['totalTopplings'] });
  assert.ok(analysis.ok);
  if (!analysis.ok) return;
  assert.deepEqual(analysis.scales, [200, 400, 800]);
  assert.ok(Math.abs(analysis.observables[0].post.fit!.D - 1.2) < 1e-9);
});

test('truncated and zero-valued probes are left out and counted', () => {
  const rows = grokRows();
  rows[0] = { ...rows[0], truncated: true, totalTopplings: 1e12 };
  rows[1] = { ...rows[1], totalTopplings: 0 };
  const analysis = grokkingDimension(rows, grokRuns(), planWith(0), { observables: ['totalTopplings'] });
  assert.ok(analysis.ok);
  if (!analysis.ok) return;
  assert.deepEqual(analysis.observables[0].epoch.leftOut, { truncated: 1, nonPositive: 1, noOnset: 0 });
  // Both rows are at epochs before the onset of their run: the pre fit says so.
  assert.deepEqual(analysis.observables[0].pre.leftOut, { truncated: 1, nonPositive: 1, noOnset: 0 });
  // The scale that lost two rows of seed 0 has a slightly different seed mix: D moves a little.
  assert.ok(Math.abs(analysis.observables[0].pre.fit!.D - 0.9) < 0.01);
});

test('one scale or no onset: a clear "not enough data" result', () => {
  const one = grokkingDimension(
    grokRows().filter((r) => r.scaleN === 200),
    grokRuns(),
    planWith(10),
  );
  assert.equal(one.ok, false);
  if (!one.ok) assert.match(one.reason, /^not enough data: .*needs at least two scales.*1 scale entered \(N = 200\)/);
  const noOnset = grokkingDimension(
    grokRows(),
    grokRuns().map((r) => ({ ...r, testOnset: null })),
    planWith(10),
  );
  assert.equal(noOnset.ok, false);
  if (!noOnset.ok) assert.match(noOnset.reason, /test-accuracy onset at two or more scales; 0 scales have one/);
});

test('a crossing that is undone later is a first crossing but not a lasting one (the plan rule, either direction)', () => {
  // D = 0.9 before the onset, 1.2 up to twice the onset, then 0.8 again: D(t) ends below 1.
  const rows = grokRows().map((r) => {
    const ratio = (r.epoch as number) / GROK_ONSET[r.scaleN as number];
    const D = ratio < 1 ? 0.9 : ratio < 2 ? 1.2 : 0.8;
    const S = Math.exp(0.1 * (r.seed as number)) * (r.scaleN as number) ** D;
    return { ...r, totalTopplings: S, sMax: S / 10 };
  });
  const analysis = grokkingDimension(rows, grokRuns(), planWith(20, 1));
  assert.ok(analysis.ok);
  if (!analysis.ok) return;
  const c = analysis.observables[0].aligned.crossings!;
  assert.equal(c.first.direction, 'up');
  assert.ok(Math.abs(c.first.time - 1) < 0.3);
  assert.equal(c.lasting.direction, 'down');
  assert.ok(c.lasting.time > 1.4);
  // A plan that asks for only two lasting points takes the first upward crossing again.
  const short = grokkingDimension(rows, grokRuns(), planWith(0, 1, { lastingPoints: 2 }));
  assert.ok(short.ok && short.observables[0].aligned.crossings!.lasting.direction === 'up');
});
