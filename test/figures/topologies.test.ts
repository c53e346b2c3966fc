import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapHistograms, topologyBarChart } from '../../lib/figures/topologies';
import { handTable } from '../analysis/fixtures';

test('the bar chart has one series per (kind, phase) with asymmetric CI error bars and the D = 1 line', () => {
  const figure = topologyBarChart(handTable(), 'totalTopplings');
  assert.deepEqual(figure.data.map((t) => t.name), ['real gradients, before onset', 'real gradients, after onset', 'Gaussian (i.i.d.)']);
  const post = figure.data[1] as any;
  assert.deepEqual(post.y, [1.2]);
  assert.deepEqual(post.x, ['BA<br>m = 3']);
  assert.equal((figure.data[0] as any).marker.color, 'rgba(213,94,0,0.4)'); // before onset: light vermillion
  assert.ok(Math.abs(post.error_y.array[0] - 0.15) < 1e-12);
  assert.ok(Math.abs(post.error_y.arrayminus[0] - 0.1) < 1e-12);
  assert.deepEqual((figure.data[2] as any).y, [null]); // NaN D is not drawn
  const layout = figure.layout as any;
  assert.match(layout.yaxis.title.text, /S_total/);
  assert.equal(layout.barmode, 'group');
  assert.equal(layout.shapes[0].y0, 1);
  assert.throws(() => topologyBarChart(handTable(), 'sMax'), /no rows for observable sMax/);
});

test('bootstrap histograms show D_pre, D_post and D_synth replicates', () => {
  const replicates = [
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'pre' as const, replicates: Float64Array.from([0.8, 0.82, NaN]) },
    { topology: 'ba', kind: 'real' as const, observable: 'totalTopplings' as const, phase: 'post' as const, replicates: Float64Array.from([1.2, 1.1]) },
    { topology: 'ba', kind: 'gaussian' as const, observable: 'totalTopplings' as const, phase: 'all' as const, replicates: Float64Array.from([1.0, 0.99]) },
  ];
  const figure = bootstrapHistograms({ replicates }, 'ba', 'totalTopplings');
  assert.equal(figure.data.length, 3);
  assert.deepEqual((figure.data[0] as any).x, [0.8, 0.82]);
  assert.match(String(figure.data[2].name), /^D_synth \(Gaussian/);
  assert.equal((figure.layout as any).xaxis.title.text, 'D (bootstrap replicate)');
  assert.throws(() => bootstrapHistograms({ replicates }, 'ring', 'totalTopplings'), /no bootstrap replicates/);
});
