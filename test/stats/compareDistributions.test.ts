import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../lib/util/random';
import { fitPowerLaw } from '../../lib/stats/powerLaw';
import { compareDistributions } from '../../lib/stats/compareDistributions';
import { sampleContinuousPowerLaw, sampleDiscretePowerLaw } from '../../lib/stats/samplers';

test('exponential data: the exponential wins and its rate is recovered (continuous, MLE = 1/mean excess)', () => {
  const rng = new Random(1);
  const x = Float64Array.from({ length: 3000 }, () => 1 + rng.exponential() / 0.5);
  const fit = fitPowerLaw(x, { discrete: false, xmin: 1 });
  const c = compareDistributions(x, fit, 'exponential');
  const meanExcess = x.reduce((s, v) => s + v - 1, 0) / x.length;
  assert.ok(Math.abs(c.parameters.lambda - 1 / meanExcess) < 1e-6, `${c.parameters.lambda}`);
  assert.ok(c.logLikelihoodRatio < 0 && c.pValue < 1e-6);
  assert.equal(c.favoured, 'exponential');
});

test('discrete exponential alternative is the geometric law with its closed-form MLE', () => {
  const rng = new Random(2);
  const x = Float64Array.from({ length: 3000 }, () => 3 + Math.floor(rng.exponential() / 0.3));
  const fit = fitPowerLaw(x, { discrete: true, xmin: 3 });
  const c = compareDistributions(x, fit, 'exponential');
  const m = x.reduce((s, v) => s + v - 3, 0) / x.length;
  assert.ok(Math.abs(c.parameters.lambda - Math.log(1 + 1 / m)) < 1e-5, `${c.parameters.lambda} vs ${Math.log(1 + 1 / m)}`);
});

test('power-law data: exponential rejected, nested truncated power law not significant, lognormal parameters sane', () => {
  const x = sampleContinuousPowerLaw(3000, 2.3, 1, new Random(3));
  const fit = fitPowerLaw(x, { discrete: false, xmin: 1 });
  const e = compareDistributions(x, fit, 'exponential');
  assert.equal(e.favoured, 'power_law');
  const t = compareDistributions(x, fit, 'truncated_power_law');
  assert.ok(t.nested && t.logLikelihoodRatio <= 0);
  assert.ok(t.pValue > 0.01, `p ${t.pValue}`);
  const d = sampleDiscretePowerLaw(3000, 2.3, 1, new Random(4));
  const dfit = fitPowerLaw(d, { discrete: true, xmin: 1 });
  assert.equal(compareDistributions(d, dfit, 'exponential').favoured, 'power_law');
});

test('truncated power-law data: the truncated power law is favoured (χ² LR test) with λ recovered', () => {
  const rng = new Random(5);
  const x: number[] = [];
  while (x.length < 4000) {
    const v = sampleContinuousPowerLaw(1, 1.5, 1, rng)[0];
    if (rng.uniform() < Math.exp(-0.01 * (v - 1))) x.push(v);
  }
  const fit = fitPowerLaw(x, { discrete: false, xmin: 1 });
  const t = compareDistributions(x, fit, 'truncated_power_law');
  assert.equal(t.favoured, 'truncated_power_law');
  assert.ok(Math.abs(t.parameters.alpha - 1.5) < 0.1, `α ${t.parameters.alpha}`);
  assert.ok(Math.abs(t.parameters.lambda / 0.01 - 1) < 0.3, `λ ${t.parameters.lambda}`);
});

test('lognormal data: lognormal fit recovers μ, σ and beats the power law', () => {
  const rng = new Random(6);
  const x = Float64Array.from({ length: 4000 }, () => Math.exp(1 + 0.7 * rng.normal())).filter((v) => v >= 1);
  const fit = fitPowerLaw(x, { discrete: false, xmin: 1 });
  const c = compareDistributions(x, fit, 'lognormal');
  assert.ok(Math.abs(c.parameters.mu - 1) < 0.1 && Math.abs(c.parameters.sigma - 0.7) < 0.1, JSON.stringify(c.parameters));
  assert.equal(c.favoured, 'lognormal');
  const s = compareDistributions(x, fit, 'stretched_exponential');
  assert.equal(s.favoured, 'stretched_exponential');
  assert.throws(() => compareDistributions(x, fit, 'gamma' as never), /alternative: got "gamma"; allowed values/);
});
