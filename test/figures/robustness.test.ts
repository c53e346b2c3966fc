import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { robustnessFigure } from '../../lib/figures/robustness';

test('the small multiples have one column of panels per choice, D = 1 lines and truncation labels', () => {
  const base = { observable: 'totalTopplings', dPreLow: 0.7, dPreHigh: 0.9, dPostLow: 1.1, dPostHigh: 1.3, crossingSinceOnset: 10, crossingSinceOnsetLow: 0, crossingSinceOnsetHigh: 30, truncatedCount: 0, isBaseline: false };
  const table = aq.from([
    { ...base, choice: 'alpha', value: '0.95', parameter: 0.95, dPre: 0.8, dPost: 1.2 },
    { ...base, choice: 'alpha', value: '1', parameter: 1, dPre: 0.85, dPost: 1.25, truncatedCount: 7 },
    { ...base, choice: 'mapping', value: 'identity', parameter: NaN, dPre: 0.8, dPost: 1.2 },
    { ...base, choice: 'mapping', value: 'shuffled', parameter: NaN, dPre: 0.79, dPost: 1.1 },
  ]);
  const figure = robustnessFigure(table, 'totalTopplings');
  assert.equal(figure.data.length, 2 * 3); // per panel column: D_pre, D_post, crossing
  const layout = figure.layout as any;
  assert.equal(layout.xaxis.type, 'linear');
  assert.equal(layout.xaxis2.type, 'category');
  assert.equal(layout.xaxis3.title.text, 'transfer α');
  assert.equal(layout.xaxis4.title.text, 'values → nodes');
  assert.match(layout.yaxis.title.text, /S_total/);
  assert.deepEqual((figure.data[0] as any).x, [0.95, 1]);
  assert.deepEqual((figure.data[1] as any).y, [1.2, 1.25]);
  assert.ok(Math.abs((figure.data[1] as any).error_y.array[0] - 0.1) < 1e-12);
  assert.equal(layout.shapes.filter((s: any) => s.y0 === 1).length, 2);
  assert.deepEqual(layout.annotations.map((a: any) => a.text), ['7 trunc.']);
  assert.throws(() => robustnessFigure(table, 'sMax'), /no rows for observable sMax/);
});
