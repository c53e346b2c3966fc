import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { ClusterTable } from '../../lib/fss/clusters';
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

test('seed bootstrap: rescaled replicates have the unbiased spread Σ w²s²/n, plain ones √((n−1)/n) of it; slopeVariance is that sum', () => {
  const rows = synthetic(1, 6, 7, 0.4);
  // The analytic variance of the OLS slope over the scale means: w_k = (x_k − x̄)/Sxx, s_k² with n − 1.
  const xs = SCALES.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  let variance = 0;
  SCALES.forEach((N, k) => {
    const v = rows.filter((r) => r.scaleN === N).map((r) => Math.log(r.totalTopplings));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    variance += ((xs[k] - mx) / sxx) ** 2 * (v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
  });
  const se = Math.sqrt(variance);
  const table = new ClusterTable(
    rows.map((r) => ({ time: 0, scale: r.scaleN, seed: String(r.seed), logValue: Math.log(r.totalTopplings) })),
    1,
  );
  assert.ok(Math.abs(table.slopeVariance(0, null, 2) / variance - 1) < 1e-12);
  const rescaled = fitScalingExponent(rows, { bootstrap: 20000, seed: 3, seedBootstrap: 'rescaled' });
  const plain = fitScalingExponent(rows, { bootstrap: 20000, seed: 3, seedBootstrap: 'plain' });
  assert.ok(Math.abs(rescaled.bootstrapStandardError / se - 1) < 0.02, `rescaled ${rescaled.bootstrapStandardError} vs ${se}`);
  assert.ok(Math.abs(plain.bootstrapStandardError / (se * Math.sqrt(5 / 6)) - 1) < 0.02, `plain ${plain.bootstrapStandardError} vs ${se * Math.sqrt(5 / 6)}`);
  // Same draws: the rescaled replicate is D + √(6/5)·(plain − D) exactly (one row per seed).
  for (let b = 0; b < 50; b++) assert.ok(Math.abs(rescaled.replicates[b] - (plain.D + Math.sqrt(6 / 5) * (plain.replicates[b] - plain.D))) < 1e-12);
  assert.equal(rescaled.seedBootstrap, 'rescaled');
  assert.throws(() => fitScalingExponent(rows, { seedBootstrap: 'wild' as never }), /seedBootstrap: got "wild"/);
});

test('studentized (default) intervals keep their level with six seeds a scale, where plain percentiles run narrow', () => {
  // Heavy-tailed seed effects (Student-t, 3 df), six seeds at each of eight scales: the situation of a sweep.
  const covered = { studentized: 0, rescaled: 0, plain: 0 };
  const repeats = 200;
  for (let r = 0; r < repeats; r++) {
    const rng = new Random(500 + r);
    const rows = SCALES.flatMap((N) =>
      Array.from({ length: 6 }, (_, s) => ({ scaleN: N, seed: s, totalTopplings: 3 * N ** 1.1 * Math.exp(0.3 * rng.studentT(3)) })),
    );
    for (const kind of ['studentized', 'rescaled', 'plain'] as const) {
      const fit = fitScalingExponent(rows, { bootstrap: 400, seed: r, seedBootstrap: kind });
      if (fit.ciLow <= 1.1 && 1.1 <= fit.ciHigh) covered[kind]++;
    }
  }
  // Measured: studentized 194, rescaled 191, plain 186 of 200. Binomial(200, 0.95) ≥ 181 with probability ≈ 0.99.
  assert.ok(covered.studentized >= 181, JSON.stringify(covered));
  assert.ok(covered.studentized >= covered.plain, JSON.stringify(covered));
});
