import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialInterval } from '../../lib/stats/binomial';

test('Wilson interval matches the closed form (values from scipy.stats.norm.ppf and the textbook formula)', () => {
  const cases: Array<[number, number, number, number]> = [
    [95, 100, 0.8882495307680808, 0.9784563208456319],
    [45, 50, 0.7863976856252035, 0.9565242350681096],
    [180, 200, 0.8505941875672826, 0.9343295513309041],
    [1, 3, 0.06149194472039615, 0.7923403991979523],
    [0, 10, 0, 0.2775327998628892],
    [10, 10, 0.7224672001371107, 1],
  ];
  for (const [k, n, low, high] of cases) {
    const ci = binomialInterval(k, n);
    assert.ok(Math.abs(ci.low - low) < 1e-9 && Math.abs(ci.high - high) < 1e-9, `${k}/${n}: [${ci.low}, ${ci.high}]`);
    assert.equal(ci.proportion, k / n);
  }
  const ninety = binomialInterval(45, 50, 0.9);
  assert.ok(Math.abs(ninety.low - 0.8084624858484292) < 1e-9 && Math.abs(ninety.high - 0.9504709655225548) < 1e-9);
});

test('Wilson interval: no trials → NaN; bad counts and levels are rejected by name', () => {
  const none = binomialInterval(0, 0);
  assert.ok(Number.isNaN(none.proportion) && Number.isNaN(none.low) && Number.isNaN(none.high));
  assert.throws(() => binomialInterval(5, 4), /successes/);
  assert.throws(() => binomialInterval(1.5, 4), /successes/);
  assert.throws(() => binomialInterval(1, -1), /trials/);
  assert.throws(() => binomialInterval(1, 4, 1), /confidence/);
});
