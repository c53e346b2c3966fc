import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nelderMead } from '../../lib/stats/nelderMead';
import { ordinaryLeastSquares } from '../../lib/stats/ols';

test('Nelder–Mead finds the Rosenbrock minimum (1, 1) and a shifted quadratic minimum', () => {
  const rosen = (x: number[]) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
  const r = nelderMead(rosen, [-1.2, 1], { valueTolerance: 1e-14, pointTolerance: 1e-10 });
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `${r.x}`);
  const quad = (x: number[]) => (x[0] - 3) ** 2 + 10 * (x[1] + 2) ** 2 + (x[2] - 0.5) ** 2 + 7;
  const q = nelderMead(quad, [0, 0, 0]);
  assert.ok(Math.abs(q.value - 7) < 1e-9);
  assert.ok(Math.abs(q.x[0] - 3) < 1e-4 && Math.abs(q.x[1] + 2) < 1e-4 && Math.abs(q.x[2] - 0.5) < 1e-4);
});

test('Nelder–Mead treats NaN outside the domain as +∞', () => {
  const f = (x: number[]) => (x[0] <= 0 ? NaN : (Math.log(x[0]) - 1) ** 2);
  const r = nelderMead(f, [0.5]);
  assert.ok(Math.abs(r.x[0] - Math.E) < 1e-4);
});

test('OLS: exact line, textbook example, weights', () => {
  const exact = ordinaryLeastSquares([1, 2, 3, 4], [3, 5, 7, 9]);
  assert.ok(Math.abs(exact.slope - 2) < 1e-14 && Math.abs(exact.intercept - 1) < 1e-14 && exact.rSquared === 1);
  // x = 1..5, y = [2, 4, 5, 4, 5]: slope 0.6, intercept 2.2, R² = 0.6, SE(slope) = sqrt(2.4/3/10).
  const r = ordinaryLeastSquares([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
  assert.ok(Math.abs(r.slope - 0.6) < 1e-14 && Math.abs(r.intercept - 2.2) < 1e-14);
  assert.ok(Math.abs(r.rSquared - 0.6) < 1e-14);
  assert.ok(Math.abs(r.slopeStandardError - Math.sqrt(2.4 / 3 / 10)) < 1e-14);
  // A zero weight removes a point.
  const w = ordinaryLeastSquares([1, 2, 3, 10], [1, 2, 3, 100], [1, 1, 1, 0]);
  assert.ok(Math.abs(w.slope - 1) < 1e-14);
  assert.throws(() => ordinaryLeastSquares([1, 1], [2, 3]), /x values are equal/);
});
