import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allFinite, giniOfMagnitudes, l2Norm } from '../../lib/train/metrics';

test('Gini of |θ|: 0 for equal magnitudes, (n−1)/n for one non-zero, sign-blind, known value', () => {
  assert.equal(giniOfMagnitudes([1, -1, 1, -1]), 0);
  assert.equal(giniOfMagnitudes([0, 0, 0, -5]), 0.75);
  assert.equal(giniOfMagnitudes([0, 0, 0]), 0);
  // 1, 2, 3: mean absolute difference / (2·mean) = (2·(1+2+1)/9)/(2·2) = 2/9.
  assert.ok(Math.abs(giniOfMagnitudes([3, -1, 2]) - 2 / 9) < 1e-15);
});

test('l2Norm and allFinite', () => {
  assert.equal(l2Norm([3, -4]), 5);
  assert.equal(allFinite([1, 2]), true);
  assert.equal(allFinite([1, NaN]), false);
  assert.equal(allFinite([Infinity]), false);
});
