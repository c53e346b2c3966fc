import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishLayout, MODEBAR_BAND_PX, shortLogTicks, wrapPlotlyText } from '../../lib/plot/finish';
import { panelTitle } from '../../lib/plot/panels';
import { paperLayout, pointsToPx } from '../../lib/plot/styles';

test('wrapPlotlyText breaks at spaces outside tags, keeps <br> and long words', () => {
  assert.equal(wrapPlotlyText('alpha beta gamma delta', 11), 'alpha beta<br>gamma delta');
  assert.equal(wrapPlotlyText('short', 3), 'short');
  assert.equal(wrapPlotlyText('D of S<sub>total and more</sub> here', 12), 'D of<br>S<sub>total and more</sub><br>here');
  assert.equal(wrapPlotlyText('a <b>bold</b> c', 1), 'a<br><b>bold</b><br>c');
  assert.equal(wrapPlotlyText('one<br>two three four', 9), 'one<br>two three<br>four');
  // Visible length: tags and entities do not count.
  assert.equal(wrapPlotlyText('<b>ab</b> &amp; cd', 7), '<b>ab</b> &amp; cd');
});

test('finishLayout stacks modebar band, title and panel titles at the top, each 4 px apart', () => {
  const base = paperLayout('double', { title: { text: 'A title' }, annotations: [panelTitle('left panel', [0, 0.45]), panelTitle('right', [0.55, 1])] });
  const figure = { data: [{ x: [1, 2], y: [1, 2] }], layout: base };
  const titlePx = pointsToPx(9);
  const fontPx = pointsToPx(8);
  const interactive = finishLayout(figure, { modebar: true, growHeight: true }).layout as any;
  const expectedTop = Math.ceil(MODEBAR_BAND_PX + 4 + titlePx * 1.3 + 4 + (fontPx * 1.3 + 3) + 4);
  assert.equal(interactive.margin.t, expectedTop);
  assert.equal(interactive.title.yref, 'container');
  assert.equal(interactive.title.yanchor, 'top');
  // The title's top edge is just below the modebar band, in px of the grown figure.
  assert.ok(Math.abs((1 - interactive.title.y) * interactive.height - (MODEBAR_BAND_PX + 4)) < 1e-9);
  // growHeight: the plot area keeps its height (the figure grows by the added top margin).
  assert.equal(interactive.height - interactive.margin.t, (base.height as number) - (base.margin as any).t);
  // Paper export: no band, fixed height.
  const paper = finishLayout(figure).layout as any;
  assert.equal(paper.margin.t, expectedTop - MODEBAR_BAND_PX);
  assert.equal(paper.height, base.height);
  // The input is not modified.
  assert.equal((figure.layout as any).margin.t, (paperLayout('double').margin as any).t);
  assert.equal((figure.layout as any).title.yref, undefined);
});

test('finishLayout wraps a title longer than the figure and makes room for every line', () => {
  const long = 'Robustness of D and of the lasting crossing of D = 1 (S_total; one choice varied at a time)';
  const narrow = finishLayout({ data: [], layout: paperLayout('single', { title: { text: long } }) }).layout as any;
  const lines = narrow.title.text.split('<br>');
  assert.ok(lines.length >= 2, narrow.title.text);
  assert.equal(lines.join(' '), long);
  assert.equal(narrow.margin.t, Math.ceil(4 + lines.length * pointsToPx(9) * 1.3 + 4));
  // Without title or top annotations the figure's own top margin stays (at least the band).
  assert.equal((finishLayout({ data: [], layout: { margin: { t: 10 } } }, { modebar: true }).layout as any).margin.t, MODEBAR_BAND_PX + 4);
  assert.equal((finishLayout({ data: [], layout: { margin: { t: 50 } } }).layout as any).margin.t, 50);
});

test('log axes: decades only over two or more powers of ten, with power labels at the font size', () => {
  const layout = paperLayout('single', { xaxis: { type: 'log' }, yaxis: { type: 'log' } });
  const fig = { data: [{ x: [3, 30, 3000], y: [0.05, 0.2, 0.75] }], layout };
  const out = finishLayout(fig).layout as any;
  assert.equal(out.xaxis.dtick, 1);
  assert.equal(out.xaxis.minor.dtick, 'D1');
  assert.equal(out.xaxis.minor.showgrid, false);
  // plotly draws "10²" at 1.25 × the tick font: the tick font is divided by 1.25.
  assert.ok(Math.abs(out.xaxis.tickfont.size * 1.25 - pointsToPx(8)) < 0.01);
  // 0.05 … 0.75 holds one power of ten: labels at 1, 2, 5 × 10^k in plain numbers instead.
  assert.equal(out.yaxis.tickmode, 'array');
  assert.deepEqual(out.yaxis.tickvals, [0.05, 0.1, 0.2, 0.5]);
  assert.deepEqual(out.yaxis.ticktext, ['0.05', '0.1', '0.2', '0.5']);
  assert.equal(out.yaxis.dtick, undefined);
  // Idempotent, and axes that chose their ticks keep them (only the power-label font is set).
  assert.deepEqual(finishLayout({ data: fig.data, layout: out }).layout, out);
  const chosen = finishLayout({ data: fig.data, layout: paperLayout('single', { xaxis: { type: 'log', dtick: 1 }, yaxis: { type: 'log', tickvals: [0.1] } }) })
    .layout as any;
  assert.equal(chosen.xaxis.minor, undefined);
  assert.ok(Math.abs(chosen.xaxis.tickfont.size * 1.25 - pointsToPx(8)) < 0.01);
  assert.deepEqual(chosen.yaxis.tickvals, [0.1]);
  // Traces on other axes do not count; an axis with a range uses the range (log10 units).
  const two = finishLayout({ data: [{ x: [1, 1e4], y: [1, 2], xaxis: 'x2' }], layout: { xaxis: { type: 'log' }, xaxis2: { type: 'log', range: [0, 0.5] } } })
    .layout as any;
  assert.equal(two.xaxis.dtick, undefined, 'no trace on x');
  assert.deepEqual(two.xaxis2.tickvals, [1, 2]);
});

test('shortLogTicks: 1-2-5 inside the padded range, every digit when that is too few, null when hopeless', () => {
  assert.deepEqual(shortLogTicks(120, 800)!.labels, ['200', '500']);
  assert.deepEqual(shortLogTicks(0.05, 0.75)!.labels, ['0.05', '0.1', '0.2', '0.5']);
  assert.deepEqual(shortLogTicks(2.2, 4.4)!.values, [3, 4]);
  assert.equal(shortLogTicks(2.2, 2.3), null);
  assert.deepEqual(shortLogTicks(2e-6, 9e-6)!.labels, ['2×10<sup>−6</sup>', '5×10<sup>−6</sup>']);
});
