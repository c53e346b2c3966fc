import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { PLOTLY_MIME_TYPE, displayFigure, figureMimeBundle, show } from '../../lib/plot/show';
import { describeFigure } from '../../lib/plot/figure';
import { plotlyBundlePath, plotlyBundleForScriptTag } from '../../lib/plot/plotlyBundle';

const figure = {
  data: [
    { x: [1, 2, 3], y: [3, 1, 2], name: '</script><b>tricky' },
    { type: 'bar', x: [1, 2], y: [1, 2] },
  ],
  layout: { title: { text: 'T' }, width: 400, height: 300 },
};

test('one bundle carries plotly JSON, HTML and a text fallback', () => {
  const bundle = figureMimeBundle(figure, { includePlotly: false });
  assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME_TYPE, 'text/html', 'text/plain'].sort());
  assert.deepEqual(bundle[PLOTLY_MIME_TYPE].data, figure.data);
  assert.equal(bundle[PLOTLY_MIME_TYPE].layout, figure.layout);
  assert.equal(bundle['text/plain'], 'Plotly figure "T": 2 traces (scatter, bar)');
  assert.match(bundle['text/html'], /<div id="grokfss-plot-[0-9a-f]{16}" class="grokfss-plotly" style="width: 400px; height: 300px;">/);
  assert.match(bundle['text/html'], /Plotly\.newPlot/);
});

test('HTML without the bundle is small; with it, the whole plotly.js is inlined once and define is hidden', () => {
  const small = figureMimeBundle(figure, { includePlotly: false })['text/html'];
  const big = figureMimeBundle(figure, { includePlotly: true })['text/html'];
  assert.ok(small.length < 5000, `figure HTML is ${small.length} chars`);
  const bundleSize = fs.statSync(plotlyBundlePath()).size;
  assert.ok(big.length > bundleSize, 'the bundle is inlined');
  assert.ok(big.indexOf('window.define = undefined') < big.indexOf('plotly.js v'), 'define hidden before the bundle runs');
  assert.ok(big.indexOf('window.define = window.__grokfssDefine') > big.indexOf('plotly.js v'), 'and restored after');
  assert.equal(big.split('Plotly.newPlot(el').length - 1, 1);
});

test('nothing inside the HTML can close a script element early', () => {
  const html = figureMimeBundle(figure, { includePlotly: true })['text/html'];
  // Every "</script" must be a real closing tag of one of our script elements.
  const openings = html.match(/<script\b/g)?.length ?? 0;
  const closings = html.match(/<\/script/gi)?.length ?? 0;
  assert.equal(closings, openings);
  assert.ok(!plotlyBundleForScriptTag().includes('<!--'));
  assert.match(html, /\\u003c\/script>\\u003cb>tricky/); // trace name escaped inside the JSON
});

test('outside a tslab kernel show() displays nothing and does not throw', () => {
  const result = displayFigure(figure, { silent: true });
  assert.deepEqual(result, {
    displayed: false,
    includesPlotly: false,
    text: describeFigure(figure),
    staticImage: null,
    staticImageError: null,
    layoutProblems: [],
  });
  assert.equal(show(figure, { silent: true }), undefined);
});

test('bad figures are rejected with a clear message', () => {
  assert.throws(() => show({} as any, { silent: true }), /figure: expected a plotly figure/);
  assert.throws(() => show(null as any, { silent: true }), /got null/);
});
