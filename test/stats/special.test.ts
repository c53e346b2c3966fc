import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hurwitzZeta, hurwitzZetaDerivatives } from '../../lib/stats/hurwitzZeta';
import { logGamma } from '../../lib/stats/logGamma';
import { regularizedGammaP, regularizedGammaQ, logRegularizedGammaQ } from '../../lib/stats/incompleteGamma';
import { erf, erfc, normalCdf, normalQuantile, logNormalSf } from '../../lib/stats/normal';
import { chiSquareCdf, chiSquareSf } from '../../lib/stats/chiSquare';

// Values from scipy.special (test/fixtures/make_stats_powerlaw.py).
const fixtures = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/stats-special.json'), 'utf8'));
const close = (actual: number, expected: number, rel: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`);

test('Hurwitz zeta matches scipy.special.zeta(s, q) to 1e-13 relative', () => {
  for (const c of fixtures.hurwitzZeta) close(hurwitzZeta(c.s, c.q), c.zeta, 1e-13, `ζ(${c.s}, ${c.q})`);
});

test('Hurwitz zeta: closed forms and derivatives', () => {
  close(hurwitzZeta(2, 1), Math.PI ** 2 / 6, 1e-15, 'ζ(2)');
  close(hurwitzZeta(4, 1), Math.PI ** 4 / 90, 1e-15, 'ζ(4)');
  close(hurwitzZeta(2, 0.5), Math.PI ** 2 / 2, 1e-15, 'ζ(2, 1/2) = 3ζ(2)');
  // ζ'(2) = −0.93754825431584375…, ζ''(2) = 1.98928023429890…
  const [, d1, d2] = hurwitzZetaDerivatives(2, 1);
  close(d1, -0.9375482543158437, 1e-13, "ζ'(2)");
  close(d2, 1.9892802342989, 1e-12, "ζ''(2)");
  // Finite-difference check of both derivatives at an awkward point.
  const s = 2.7,
    q = 13.4,
    h = 1e-5;
  const [, a1, a2] = hurwitzZetaDerivatives(s, q);
  close(a1, (hurwitzZeta(s + h, q) - hurwitzZeta(s - h, q)) / (2 * h), 1e-7, "ζ' FD");
  close(a2, (hurwitzZeta(s + h, q) - 2 * hurwitzZeta(s, q) + hurwitzZeta(s - h, q)) / (h * h), 1e-4, "ζ'' FD");
  // Recurrence ζ(s, q) = q^(−s) + ζ(s, q + 1).
  close(hurwitzZeta(3.3, 2.2), 2.2 ** -3.3 + hurwitzZeta(3.3, 3.2), 1e-14, 'recurrence');
});

test('log-gamma matches scipy.special.gammaln', () => {
  for (const c of fixtures.logGamma) assert.ok(Math.abs(logGamma(c.x) - c.lgamma) < 1e-13 * Math.max(1, Math.abs(c.lgamma)), `lnΓ(${c.x})`);
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'lnΓ(1/2)');
  close(logGamma(11), Math.log(3628800), 1e-15, 'lnΓ(11)');
});

test('regularised incomplete gamma matches scipy gammainc/gammaincc', () => {
  for (const c of fixtures.incompleteGamma) {
    assert.ok(Math.abs(regularizedGammaP(c.a, c.x) - c.p) < 1e-13, `P(${c.a}, ${c.x})`);
    if (c.q > 1e-300) close(regularizedGammaQ(c.a, c.x), c.q, 1e-11, `Q(${c.a}, ${c.x})`);
    // Absolute tolerance: ln q inherits scipy's absolute (not relative) error when q ≈ 1.
    if (c.q > 1e-300)
      assert.ok(Math.abs(logRegularizedGammaQ(c.a, c.x) - Math.log(c.q)) < 1e-11 * Math.max(1, Math.abs(Math.log(c.q))), `ln Q(${c.a}, ${c.x})`);
  }
});

test('erf, erfc, normal CDF and quantile match scipy', () => {
  for (const c of fixtures.normal) {
    assert.ok(Math.abs(erf(c.z) - c.erf) < 1e-14, `erf(${c.z})`);
    close(erfc(c.z), c.erfc, 1e-12, `erfc(${c.z})`);
    close(normalCdf(c.z), c.cdf, 1e-12, `Φ(${c.z})`);
  }
  close(normalQuantile(0.975), 1.959963984540054, 1e-12, 'Φ⁻¹(0.975)');
  close(normalQuantile(1e-10), -6.361340902404056, 1e-10, 'Φ⁻¹(1e-10)');
  for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999]) close(normalCdf(normalQuantile(p)), p, 1e-12, `round trip ${p}`);
  // Far tail stays finite: ln(1 − Φ(40)) ≈ −804.608.
  close(logNormalSf(40), -804.6084420137538, 1e-12, 'ln Φc(40)');
});

test('χ² CDF and survival match scipy chdtr/chdtrc (and 3.84 is the 95 % point for 1 dof)', () => {
  for (const c of fixtures.chiSquare) {
    assert.ok(Math.abs(chiSquareCdf(c.x, c.df) - c.cdf) < 1e-13, `χ²cdf(${c.x}, ${c.df})`);
    close(chiSquareSf(c.x, c.df), c.sf, 1e-11, `χ²sf(${c.x}, ${c.df})`);
  }
  assert.ok(Math.abs(chiSquareCdf(3.841458820694124, 1) - 0.95) < 1e-13);
});
