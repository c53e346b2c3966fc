import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { runProbe } from '../../lib/probe/runProbe';
import { meanLogSlope } from '../../lib/probe/slope';
import { syntheticGradients } from '../../lib/probe/syntheticGradients';

const PAPER_SIZES = [20, 32, 50, 80, 126, 200, 316, 500].map((h) => 4 * h + 1);

test('meanLogSlope recovers an exact power law and averages logs within a scale', () => {
  const scales = [81, 129, 201, 321, 81, 129, 201, 321];
  const values = scales.map((n, i) => 3 * n ** 1.5 * (i < 4 ? 2 : 0.5)); // geometric mean factor 1
  const fit = meanLogSlope(scales, values);
  assert.ok(Math.abs(fit.slope - 1.5) < 1e-12);
  assert.ok(Math.abs(fit.intercept - Math.log(3)) < 1e-10);
  assert.throws(() => meanLogSlope([1, 2], [1, 0]), /must be finite and > 0/);
});

/** D from S_total and from s_max for i.i.d. Gaussian snapshots at the eight paper sizes. */
function gaussianD(topology: 'ba' | 'lattice2d', seeds: number): { total: number; max: number } {
  const scales: number[] = [];
  const totals: number[] = [];
  const maxima: number[] = [];
  for (const n of PAPER_SIZES) {
    for (let s = 0; s < seeds; s++) {
      const r = runProbe(syntheticGradients('gaussian', n, 100 + s), makeGraph(topology, n, s));
      scales.push(n);
      totals.push(r.totalTopplings);
      maxima.push(r.sMax);
    }
  }
  return { total: meanLogSlope(scales, totals).slope, max: meanLogSlope(scales, maxima).slope };
}

test('Gaussian control on BA (m = 3), 20 seeds per size: D from S_total ≈ 1 (paper: 0.99 ± 0.01)', () => {
  const d = gaussianD('ba', 20);
  assert.ok(Math.abs(d.total - 1) < 0.1, `D(S_total) = ${d.total}`);
  // On BA the largest avalanche also scales almost linearly (science notes: 1.04).
  assert.ok(Math.abs(d.max - 1) < 0.15, `D(s_max) = ${d.max}`);
});

test('Gaussian control on the 2D lattice: S_total still gives D ≈ 1, s_max does not (topology-dependent)', () => {
  const d = gaussianD('lattice2d', 20);
  assert.ok(Math.abs(d.total - 1) < 0.1, `D(S_total) = ${d.total}`);
  assert.ok(d.max > 0.2 && d.max < 0.65, `D(s_max) = ${d.max} (science notes: 0.40)`);
});
