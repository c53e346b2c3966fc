import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { paperFigure1, paperFigure2, paperFigure3, paperFigureItems, PAPER_FIGURE_HEIGHTS } from '../../lib/figures/paper';
import { inputs, TOPOLOGY_TABLE } from './paperInputs';
import { OKABE_ITO } from '../../lib/plot/palette';
import { inchesToPx } from '../../lib/plot/styles';

test('Figure 1 stacks accuracy, D(t) and Gini on one time axis, with the band, the D = 1 line, the crossing and the onset', () => {
  const { figure1 } = inputs();
  const fig = paperFigure1(figure1, { style: 'single' });
  const layout = fig.layout as any;
  // Three y axes on the single x axis, stacked without overlap, top to bottom.
  assert.deepEqual([layout.yaxis.anchor, layout.yaxis2.anchor, layout.yaxis3.anchor], ['x', 'x', 'x']);
  assert.equal(layout.xaxis2, undefined);
  assert.ok(layout.yaxis.domain[0] > layout.yaxis2.domain[1] && layout.yaxis2.domain[0] > layout.yaxis3.domain[1]);
  assert.match(layout.yaxis.title.text, /accuracy/);
  assert.match(layout.yaxis2.title.text, /D\(t\)/);
  assert.match(layout.yaxis3.title.text, /Gini/);
  const onD = fig.data.filter((t) => t.yaxis === 'y2');
  assert.ok(onD.some((t) => t.fill === 'tonexty'), 'bootstrap band');
  assert.deepEqual(onD.find((t) => t.name === 'D = 1')!.y, [1, 1]);
  const crossing = onD.find((t) => /crossing/.test(String(t.name)))!;
  assert.ok(Math.abs((crossing.x as number[])[0] - 150) < 1e-9, 'D goes 0.9 → 1.1 between epochs 100 and 200: crossing at 150');
  // Onset: dotted line through all panels at the median onset.
  const line = layout.shapes.find((s: any) => s.type === 'line');
  assert.equal(line.x0, 150);
  assert.equal(line.yref, 'paper');
  // Accuracy curves: one per scale (mean over the two seeds), legend N = ….
  const accuracy = fig.data.filter((t) => t.yaxis === 'y');
  assert.deepEqual(accuracy.map((t) => t.name), ['N = 100', 'N = 1000']);
  const gini = fig.data.filter((t) => t.yaxis === 'y3');
  assert.ok(Math.abs((gini[0].y as number[])[0] - 0.405) < 1e-12, 'Gini is the mean over seeds');
  // Fonts ≥ 7 pt (paperLayout: 8 pt = 10.67 px).
  assert.ok(layout.font.size >= (7 * 96) / 72);
});

test('Figure 2: fitted lines have slope D, CCDF per scale, collapse panel; single stacks, double is a row', () => {
  const { figure2 } = inputs();
  const fig = paperFigure2(figure2, { style: 'double' });
  for (const f of figure2.fits) {
    const line = fig.data.find((t) => String(t.name).includes(`${f.phase === 'pre' ? 'before' : 'after'} onset: D =`) && String(t.name).startsWith(f.observable === 'totalTopplings' ? 'S_total' : 's_max'))!;
    const [x0, x1] = line.x as number[];
    const [y0, y1] = line.y as number[];
    assert.ok(Math.abs(Math.log(y1 / y0) / Math.log(x1 / x0) - f.fit!.D) < 1e-12);
  }
  const post = figure2.fits.find((f) => f.observable === 'totalTopplings' && f.phase === 'post')!;
  assert.ok(Math.abs(post.fit!.D - 1.15) < 1e-12);
  const ccdfs = fig.data.filter((t) => t.xaxis === 'x2');
  assert.deepEqual(ccdfs.map((t) => t.name), ['N = 100', 'N = 1000']);
  assert.equal((ccdfs[0].y as number[])[0], 1, 'a CCDF starts at 1');
  assert.equal(figure2.ccdf[0].n, 2 * 2 * 20, 'post-onset avalanches: 2 seeds × 2 snapshots × 20');
  const layout = fig.layout as any;
  assert.ok(layout.xaxis.domain[1] < layout.xaxis2.domain[0], 'double: side by side');
  const single = paperFigure2(figure2, { style: 'single' }).layout as any;
  assert.ok(single.yaxis.domain[0] > single.yaxis2.domain[1], 'single: stacked');
  for (const k of ['xaxis', 'yaxis', 'xaxis2', 'yaxis2', 'xaxis3', 'yaxis3']) assert.equal(layout[k].type, 'log');
});

test('Figure 3 dodges the series within each topology, with CI bars and the D = 1 line', () => {
  const fig = paperFigure3(TOPOLOGY_TABLE, 'totalTopplings', { style: 'double' });
  const names = fig.data.map((t) => t.name);
  assert.deepEqual(names, ['real, before onset', 'real, after onset', 'permuted real, after onset', 'Gaussian', 'D = 1']);
  const post = fig.data[1];
  assert.deepEqual(post.y, [1.15, 1.26]);
  assert.ok(Math.abs((post.error_y as any).array[0] - 0.06) < 1e-12 && Math.abs((post.error_y as any).arrayminus[0] - 0.05) < 1e-12);
  const permuted = fig.data[2];
  assert.deepEqual(permuted.y, [null, 1.1], 'a missing (topology, series) is a gap, not a number');
  const x = fig.data.slice(0, 4).map((t) => (t.x as number[])[0]);
  assert.ok(x.every((v, i) => i === 0 || v > x[i - 1]), 'dodged left to right');
  assert.deepEqual(fig.data[4].y, [1, 1]);
  assert.deepEqual((fig.layout as any).xaxis.ticktext, ['BA<br>(m = 3)', 'ring<br>(k = 6)']);
  for (const t of fig.data.slice(0, 4)) assert.ok((OKABE_ITO as readonly string[]).includes((t.marker as any).color));
  assert.deepEqual(paperFigure3(TOPOLOGY_TABLE, 'sMax').data.map((t) => t.name), ['real, after onset', 'D = 1']);
  assert.throws(() => paperFigure3([], 'totalTopplings'), /no rows/);
});

test('paperFigureItems: three figures × two styles, named by style, with the figure heights', () => {
  const i = inputs();
  const items = paperFigureItems({ figure1: i.figure1, figure2: i.figure2, topologyTable: aq.from(TOPOLOGY_TABLE) }, 'out');
  assert.deepEqual(items.map((it) => it.basePath), ['out/figure-1-single', 'out/figure-2-single', 'out/figure-3-single', 'out/figure-1-double', 'out/figure-2-double', 'out/figure-3-double']);
  assert.equal(items[1].heightIn, PAPER_FIGURE_HEIGHTS.figure2.single);
  assert.equal(paperFigureItems({ figure1: i.figure1, figure2: i.figure2, topologyTable: null }, 'out', ['double']).length, 2);
  // Shown in a notebook, each figure has the height it is exported at (not the style's default).
  items.forEach((it) => assert.equal((it.figure.layout as any).height, inchesToPx(it.heightIn!), it.basePath));
});

// The SVG snapshots of every paper figure in every style are in layout.test.ts.
