import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAPER_STYLES, inchesToPx, mergeLayout, paperLayout, pointsToPx } from '../../lib/plot/styles';
import { OKABE_ITO } from '../../lib/plot/palette';
import { InvalidOptionError } from '../../lib/util/errors';

test('paper widths are the journal column widths in CSS pixels (96 per inch)', () => {
  assert.equal(PAPER_STYLES.single.widthIn, 3.4);
  assert.equal(PAPER_STYLES.double.widthIn, 7);
  assert.equal(paperLayout('single').width, 326.4);
  assert.equal(paperLayout('double').width, 672);
  assert.equal(inchesToPx(2.4), 230.4); // not 230.39999999999998
});

test('font sizes: 8 pt ticks and 9 pt titles, converted to px', () => {
  assert.equal(pointsToPx(72), 96);
  assert.equal(pointsToPx(9), 12);
  const layout = paperLayout('single') as any;
  assert.equal(layout.font.size, pointsToPx(8));
  assert.equal(layout.xaxis.tickfont.size, pointsToPx(8));
  assert.equal(layout.yaxis.title.font.size, pointsToPx(9));
  assert.match(layout.font.family, /^DejaVu Sans/);
});

test('the Okabe–Ito palette is the colourway, with its eight published colours', () => {
  assert.deepEqual([...OKABE_ITO].sort(), ['#000000', '#0072B2', '#009E73', '#56B4E9', '#CC79A7', '#D55E00', '#E69F00', '#F0E442']);
  assert.deepEqual((paperLayout('double') as any).colorway, [...OKABE_ITO]);
});

test('overrides deep-merge: nested objects merge, arrays and scalars replace, inputs untouched', () => {
  const overrides = { xaxis: { title: { text: 'N' }, type: 'log' }, colorway: ['#111111'], width: 500 };
  const layout = paperLayout('single', overrides) as any;
  assert.equal(layout.xaxis.type, 'log');
  assert.equal(layout.xaxis.title.text, 'N');
  assert.equal(layout.xaxis.title.font.size, pointsToPx(9)); // kept from the style
  assert.equal(layout.xaxis.showline, true);
  assert.deepEqual(layout.colorway, ['#111111']);
  assert.equal(layout.width, 500);
  assert.deepEqual(overrides, { xaxis: { title: { text: 'N' }, type: 'log' }, colorway: ['#111111'], width: 500 });
  const base = { a: { b: 1 } };
  assert.deepEqual(mergeLayout(base, { a: { c: 2 }, d: undefined }), { a: { b: 1, c: 2 } });
  assert.deepEqual(base, { a: { b: 1 } });
});

test('unknown style names are rejected with the allowed values', () => {
  assert.throws(
    () => paperLayout('triple'),
    (error: unknown) => error instanceof InvalidOptionError && /style.*"single", "double"/.test((error as Error).message),
  );
});
