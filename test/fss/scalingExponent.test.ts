import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { fitScalingExponent } from '../../lib/fss/scalingExponent';

const SCALES = [81, 129, 201, 321, 505, 801, 1265, 2001];

function synthetic(D: number, seeds: number, rngSeed: number, noise = 0.3): Array<Record<string, number>> {
  const rng = new Random(rngSeed);
  const rows: Array<Record<string, number>> = [];
  for (const N of SCALES)
    for (let s = 0; s < seeds; s++) rows.push({ scaleN: N, seed: s, totalTopplings: 3 * N ** D * Math.exp(noise * rng.normal()), sMax: N ** 0.5 });
  return rows;
}

test('recovers a known slope from s = c·N^D·noise, and exactly without noise', () => {
  const fit = fitScalingExponent(synthetic(1.2, 10, 1), { bootstrap: 300, seed: 1 });
  assert.ok(Math.abs(fit.D - 1.2) < 3 * fit.bootstrapStandardError + 1e-9, `D ${fit.D} ± ${fit.bootstrapStandardError}`);
  assert.ok(fit.ciLow < fit.D && fit.D < fit.ciHigh);
  assert.equal(fit.scales.length, 8);
  assert.equal(fit.leaveOneOut.length, 8);
  const exact = fitScalingExponent(synthetic(0.97, 3, 2, 0), { bootstrap: 20, seed: 1 });
  assert.ok(Math.abs(exact.D - 0.97) < 1e-12 && Math.abs(exact.rSquared - 1) < 1e-12);
  assert.ok(exact.leaveOneOut.every((l) => Math.abs(l.D - 0.97) < 1e-12));
  // valueField selects the observable.
  assert.ok(Math.abs(fitScalingExponent(synthetic(1, 3, 3), { bootstrap: 0, valueField: 'sMax' }).D - 0.5) < 1e-12);
});

test('bootstrap CI covers the true D at about its nominal rate (100 repeats × 200 replicates)', () => {
  let covered = 0;
  for (let r = 0; r < 100; r++) {
    const fit = fitScalingExponent(synthetic(1.1, 8, 100 + r), { bootstrap: 200, seed: r });
    if (fit.ciLow <= 1.1 && 1.1 <= fit.ciHigh) covered++;
  }
  // Percentile intervals of a cluster bootstrap with 8 seeds per scale run slightly narrow;
  // Binomial(100, 0.95) is ≥ 87 with probability 0.999, allow a little small-sample undercoverage.
  assert.ok(covered >= 85 && covered <= 100, `coverage ${covered}/100`);
});

test('accepts an arquero-like table; same seed → identical replicates', () => {
  const rows = synthetic(1, 4, 5);
  const table = { objects: () => rows };
  const a = fitScalingExponent(table, { bootstrap: 50, seed: 3 });
  const b = fitScalingExponent(rows, { bootstrap: 50, seed: 3 });
  assert.deepEqual(Buffer.from(a.replicates.buffer), Buffer.from(b.replicates.buffer));
});

test('bad input is rejected with the problem named', () => {
  assert.throws(() => fitScalingExponent([]), /rows: is empty/);
  assert.throws(
    () =>
      fitScalingExponent([
        { scaleN: 10, seed: 0, totalTopplings: 5 },
        { scaleN: 10, seed: 1, totalTopplings: 6 },
      ]),
    /at least 2/,
  );
  assert.throws(
    () =>
      fitScalingExponent([
        { scaleN: 10, seed: 0, totalTopplings: 0 },
        { scaleN: 20, seed: 1, totalTopplings: 6 },
      ]),
    /totalTopplings: row 0 has 0/,
  );
  assert.throws(() => fitScalingExponent([{ scaleN: 10, seed: 0 }]), /totalTopplings/);
  assert.throws(() => fitScalingExponent({} as never), /arquero table/);
});
