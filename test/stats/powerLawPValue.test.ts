import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { fitPowerLaw } from '../../lib/stats/powerLaw';
import { powerLawPValue } from '../../lib/stats/powerLawPValue';
import { sampleDiscretePowerLaw } from '../../lib/stats/samplers';

test('p-values of true power laws are roughly uniform (60 samples × 100 replicates, xmin fixed)', () => {
  const ps: number[] = [];
  for (let r = 0; r < 60; r++) {
    const x = sampleDiscretePowerLaw(400, 2.2, 1, new Random(500 + r));
    ps.push(powerLawPValue(x, fitPowerLaw(x, { discrete: true, xmin: 1 }), { bootstrap: 100, seed: r }).pValue);
  }
  ps.sort((a, b) => a - b);
  const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
  assert.ok(mean > 0.35 && mean < 0.65, `mean p ${mean}`);
  // KS distance of the p-values from U(0, 1): the 1 % critical value for n = 60 is ≈ 0.21
  // (Monte-Carlo resolution of p and discreteness of the KS statistic add a little).
  let d = 0;
  ps.forEach((p, i) => (d = Math.max(d, (i + 1) / ps.length - p, p - i / ps.length)));
  assert.ok(d < 0.25, `KS distance from uniform ${d}`);
});

test('with the xmin scan, true power laws are rarely rejected', () => {
  let rejected = 0;
  for (let r = 0; r < 20; r++) {
    const x = sampleDiscretePowerLaw(300, 2.5, 1, new Random(900 + r));
    if (powerLawPValue(x, fitPowerLaw(x, { discrete: true }), { bootstrap: 50, seed: r }).pValue < 0.1) rejected++;
  }
  // Binomial(20, 0.1): P(≥ 7) < 0.003.
  assert.ok(rejected <= 6, `${rejected}/20 rejected`);
});

test('lognormal samples get a small p-value', () => {
  const rng = new Random(11);
  rng.normal();
  const rng2 = new Random(12);
  const d = Float64Array.from({ length: 3000 }, () => Math.max(1, Math.round(Math.exp(2 + rng2.normal() * 0.8))));
  const p = powerLawPValue(d, fitPowerLaw(d, { discrete: true }), { bootstrap: 60, seed: 2 });
  assert.ok(p.pValue <= 0.1, `p = ${p.pValue}`);
  const fixed = powerLawPValue(d, fitPowerLaw(d, { discrete: true, xmin: 1 }), { bootstrap: 30, seed: 2 });
  assert.equal(fixed.pValue, 0);
});

test('p-value is reproducible for a seed and refuses a fit of other data', () => {
  const x = sampleDiscretePowerLaw(300, 2, 1, new Random(1));
  const fit = fitPowerLaw(x, { discrete: true });
  const a = powerLawPValue(x, fit, { bootstrap: 20, seed: 5 });
  const b = powerLawPValue(x, fit, { bootstrap: 20, seed: 5 });
  assert.deepEqual(Buffer.from(a.syntheticKs.buffer), Buffer.from(b.syntheticKs.buffer));
  assert.throws(() => powerLawPValue(x.slice(1), fit, { bootstrap: 5 }), /fit: does not belong/);
  assert.throws(() => powerLawPValue(x, fit, { bootstrap: 0 }), /bootstrap/);
});
