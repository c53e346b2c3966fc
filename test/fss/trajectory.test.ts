import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { crossingTime, dimensionTrajectory, levelCrossings } from '../../lib/fss/trajectory';

const SCALES = [81, 201, 505, 1265];

// D(t) = 0.8 + 0.001·t: crosses 1 at t = 200.
function rows(noise: number, seed = 1, onsetShift = false) {
  const rng = new Random(seed);
  const out: Array<Record<string, number>> = [];
  for (const N of SCALES) {
    for (let s = 0; s < 6; s++) {
      const onset = onsetShift ? 100 + 10 * s : 0;
      for (let snap = 0; snap <= 10; snap++) {
        const t = 40 * snap;
        const D = 0.8 + 0.001 * t;
        out.push({ scaleN: N, seed: s, snapshot: snap, epoch: t + onset, onsetEpoch: onset, totalTopplings: 2 * N ** D * Math.exp(noise * rng.normal()) });
      }
    }
  }
  return out;
}

test('D(t) per epoch follows the known linear trajectory; crossing at t = 200 going up', () => {
  const exact = dimensionTrajectory(rows(0), { time: 'epoch', bootstrap: 10 });
  assert.equal(exact.points.length, 11);
  exact.points.forEach((p) => assert.ok(Math.abs(p.D - (0.8 + 0.001 * p.time)) < 1e-12));
  const c = crossingTime(exact, 1);
  assert.equal(c.direction, 'up');
  assert.ok(Math.abs(c.time - 200) < 1e-9);
  const noisy = dimensionTrajectory(rows(0.1), { time: 'epoch', bootstrap: 100, seed: 2 });
  const cn = crossingTime(noisy, 1);
  assert.ok(cn.ciLow <= 200 && 200 <= cn.ciHigh, `[${cn.ciLow}, ${cn.ciHigh}]`);
  assert.ok(cn.crossedFraction > 0.9);
  assert.equal(crossingTime(noisy, 1, { direction: 'down' }).direction, 'none');
  // Redrawing with another seed works from the retained data; same seed → identical times.
  const again = crossingTime(noisy, 1, { bootstrap: 50, seed: 9 });
  const again2 = crossingTime(noisy, 1, { bootstrap: 50, seed: 9 });
  assert.deepEqual(Array.from(again.replicateTimes), Array.from(again2.replicateTimes));
  assert.equal(again.replicateTimes.length, 50);
});

test('aligned time: onsets from a column or a map, difference alignment undoes per-run shifts', () => {
  const data = rows(0, 1, true);
  const edges = Array.from({ length: 12 }, (_, i) => -20 + 40 * i);
  const a = dimensionTrajectory(data, { time: 'aligned', bins: edges, bootstrap: 0 });
  a.points.forEach((p) => assert.ok(Math.abs(p.D - (0.8 + 0.001 * p.time)) < 1e-12, `${p.time}: ${p.D}`));
  const onsets: Record<string, number> = {};
  for (const N of SCALES) for (let s = 0; s < 6; s++) if (s !== 5) onsets[`${N}|${s}`] = 100 + 10 * s;
  const b = dimensionTrajectory(data, { time: 'aligned', bins: edges, bootstrap: 0, onsets });
  assert.equal(b.excludedRuns.length, 4); // seed 5 at each scale has no onset
  assert.ok(Math.abs(crossingTime(b, 1).time - 200) < 1e-9);
  assert.throws(() => dimensionTrajectory(data, { time: 'wall' as never }), /time: got "wall"/);
  assert.throws(() => dimensionTrajectory(data, { time: 'aligned', bins: [3, 1] }), /bins/);
});

test('lastingPoints skips a brief excursion across the level and finds the lasting crossing', () => {
  // D per snapshot: a blip above 1 at snapshot 1, then the lasting rise between snapshots 3 and 4.
  const dPerSnapshot = [0.9, 1.05, 0.95, 0.9, 1.1, 1.2, 1.3];
  const data: Array<Record<string, number>> = [];
  for (const N of SCALES)
    for (let s = 0; s < 3; s++)
      dPerSnapshot.forEach((D, snap) => data.push({ scaleN: N, seed: s, snapshot: snap, epoch: 10 * snap, totalTopplings: 3 * N ** D }));
  const trajectory = dimensionTrajectory(data, { time: 'epoch', bootstrap: 20, seed: 1 });
  const first = crossingTime(trajectory, 1);
  assert.ok(Math.abs(first.time - (0 + (0.1 / 0.15) * 10)) < 1e-9, `first crossing ${first.time}`);
  const lasting = crossingTime(trajectory, 1, { lastingPoints: 3 });
  assert.equal(lasting.direction, 'up');
  assert.ok(Math.abs(lasting.time - 35) < 1e-9, `lasting crossing ${lasting.time}`);
  // A crossing that cannot be confirmed before the series ends is not reported.
  assert.equal(crossingTime(trajectory, 1.25, { lastingPoints: 3 }).direction, 'none');
  assert.throws(() => crossingTime(trajectory, 1, { lastingPoints: 0 }), /lastingPoints/);
});

test('lastingPoints: Infinity gives the crossing after which D stays above the level to the end', () => {
  const dPerSnapshot = [0.8, 1.2, 0.9, 1.1, 1.3];
  const data: Array<Record<string, number>> = [];
  for (const N of SCALES)
    for (let s = 0; s < 3; s++)
      dPerSnapshot.forEach((D, snap) => data.push({ scaleN: N, seed: s, snapshot: snap, epoch: 100 * snap, totalTopplings: 5 * N ** D }));
  const trajectory = dimensionTrajectory(data, { time: 'epoch', bootstrap: 10, seed: 1 });
  assert.ok(Math.abs(crossingTime(trajectory, 1).time - 50) < 1e-9);
  assert.ok(Math.abs(crossingTime(trajectory, 1, { lastingPoints: Infinity }).time - 250) < 1e-9);
  assert.equal(crossingTime(trajectory, 1.25, { lastingPoints: Infinity }).direction, 'up');
  assert.equal(crossingTime(trajectory, 1.35, { lastingPoints: Infinity }).direction, 'none');
});

test('levelCrossings finds every sign change with its direction', () => {
  const trajectory = { points: [0.8, 1.1, 0.9, 0.95, 1.3].map((D, i) => ({ time: i, D })) } as never;
  const c = levelCrossings(trajectory, 1);
  assert.deepEqual(
    c.map((x) => x.direction),
    ['up', 'down', 'up'],
  );
  assert.ok(Math.abs(c[0].time - 2 / 3) < 1e-12);
});
