import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalizePlotlySvg } from '../../lib/plot/svg';
import { normalizeSvg, xmlProblems } from './svgSnapshot';

const plotlyLike = (uid: string) =>
  `<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" width="326.4" height="230.4" style=""><defs id="defs-${uid}"><clipPath id="clip${uid}xyplot"><rect width="10" height="20"/></clipPath></defs>` +
  `<g clip-path="url(#clip${uid}xyplot)"><path d="M0.${uid},1${uid}L-${uid},3"/></g></svg>`;

test('random plotly ids are replaced by ones derived from the name; numbers that look alike are untouched', () => {
  const a = finalizePlotlySvg(plotlyLike('123456'), 'fig', 3.4, 2.4);
  const b = finalizePlotlySvg(plotlyLike('654321'), 'fig', 3.4, 2.4);
  assert.equal(a.replace(/123456/g, 'N'), b.replace(/654321/g, 'N'));
  assert.match(a, /d="M0\.123456,1123456L-123456,3"/);
  assert.doesNotMatch(a, /defs-123456|clip123456/);
  const other = finalizePlotlySvg(plotlyLike('123456'), 'other', 3.4, 2.4);
  assert.notEqual(/defs-([0-9a-f]+)/.exec(other)![1], /defs-([0-9a-f]+)/.exec(a)![1]);
});

test('the root is sized in inches with a CSS-pixel viewBox and a fixed attribute order', () => {
  const out = finalizePlotlySvg(plotlyLike('abcdef'), 'fig', 3.4, 2.4);
  assert.match(out, /^<svg class="main-svg" xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="3\.4in" height="2\.4in" viewBox="0 0 326\.4 230\.4">/);
  assert.deepEqual(xmlProblems(out), []);
  assert.throws(() => finalizePlotlySvg('<html/>', 'x', 1, 1), /not return an SVG/);
});

test('snapshot normalisation rounds to 0.1 and renames ids in order; the XML checker finds errors', () => {
  assert.equal(
    normalizeSvg('<g id="zz" transform="translate(66.22999999999999,-0.04)"><use href="#zz"/></g>'),
    '<g id="id0" transform="translate(66.2,0)">\n<use href="#id0"/>\n</g>\n',
  );
  assert.deepEqual(xmlProblems('<svg><g></svg>'), ['</svg> closes <g>', 'unclosed: svg']);
  assert.deepEqual(xmlProblems('<a/><b/>'), ['2 root elements']);
});
