import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { finishLayout } from '../../lib/plot/finish';
import { pngInfo } from '../../lib/plot/png';
import { figureOutput, PLOTLY_MIME_TYPE } from '../../lib/plot/show';
import { AUTO_SVG_MAX_BYTES, closeStaticRenderer, STATIC_IMAGE_ENV, staticImage, staticRendererStats, STATIC_PNG_SCALE } from '../../lib/plot/staticImage';
import { isPaperLayout, PAPER_STYLES, paperLayout } from '../../lib/plot/styles';
import { InvalidOptionError } from '../../lib/util/errors';
import { xmlProblems } from './svgSnapshot';

after(() => closeStaticRenderer());

const figure = {
  data: [
    { x: [1, 2, 3, 4], y: [1, 4, 9, 16], mode: 'lines+markers', name: 'y = x²' },
    { x: [1, 4], y: [2, 8], mode: 'lines', name: 'y = 2x', line: { dash: 'dash' } },
  ],
  layout: paperLayout('double', {
    title: { text: 'Squares' },
    xaxis: { title: { text: 'x' } },
    yaxis: { title: { text: 'y' } },
    legend: { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' },
  }),
};

test('staticImage: SVG at the layout size, the same bytes for the same figure, checked layout', () => {
  const shown = finishLayout(figure, { modebar: true, growHeight: true });
  const first = staticImage(shown, { format: 'svg' });
  assert.equal(first.mimeType, 'image/svg+xml');
  assert.deepEqual(xmlProblems(first.data), []);
  assert.equal(first.widthPx, 672);
  assert.match(first.data, /^<svg [^>]*width="672"/);
  assert.match(first.data, />Squares</);
  assert.deepEqual(first.layoutProblems, []);
  // The legend below the plot was moved to the bottom edge: the figure grew to hold it.
  assert.deepEqual(first.layoutPatch?.legend, { yref: 'container', y: 0, yanchor: 'bottom' });
  assert.equal(first.heightPx, first.layoutPatch?.height);
  const again = staticImage(shown, { format: 'svg' });
  assert.equal(again.data, first.data, 'plotly ids and trace uids are fixed');
  // One Chromium for all images of the process.
  const png = staticImage(shown, { format: 'png' });
  assert.equal(png.mimeType, 'image/png');
  const info = pngInfo(Buffer.from(png.data, 'base64'));
  assert.equal(info.width, 672 * STATIC_PNG_SCALE);
  assert.equal(info.height, Math.round(png.heightPx * STATIC_PNG_SCALE));
  assert.deepEqual(staticRendererStats(), { draws: 3, launches: 1 });
});

test("staticImage 'auto': SVG when light, PNG when the SVG is heavier than the limit and the PNG smaller", () => {
  const light = staticImage(figure);
  assert.equal(light.mimeType, 'image/svg+xml');
  // 6000 markers: one SVG path each, about 1 MB; the PNG is a third of that.
  const xs = Array.from({ length: 6000 }, (_, i) => i);
  const many = { data: [{ x: xs, y: xs.map((x) => Math.sin(x / 50)), mode: 'markers' }], layout: paperLayout('double') };
  const heavy = staticImage(many);
  const svg = staticImage(many, { format: 'svg' });
  assert.ok(svg.bytes > AUTO_SVG_MAX_BYTES);
  assert.equal(heavy.mimeType, 'image/png');
  assert.equal(Buffer.from(heavy.data, 'base64').length, heavy.bytes);
  assert.ok(heavy.bytes < svg.bytes);
});

test('the layout check finds a title on a panel title, a legend over the data and fonts outside 7–9 pt', () => {
  const bad = {
    data: [{ x: [0, 1, 2, 3], y: [3, 2, 1, 0], mode: 'lines', name: 'a long legend entry over the line' }],
    layout: paperLayout('double', {
      title: { text: 'Figure title', yref: 'paper', y: 1, yanchor: 'bottom' },
      annotations: [{ text: 'Panel title', xref: 'paper', yref: 'paper', x: 0.5, y: 1, yanchor: 'bottom', showarrow: false }],
      showlegend: true,
      legend: { x: 0.02, y: 0.98, font: { size: 20 } },
      margin: { t: 60 },
    }),
  };
  const problems = staticImage(bad, { format: 'svg' }).layoutProblems;
  assert.ok(
    problems.some((p) => /title "Figure title" overlaps annotation "Panel title"/.test(p)),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => /the legend covers data/.test(p)),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => /font size 15 pt .* outside 7–9 pt/.test(p)),
    problems.join('\n'),
  );
  // A figure not in a paper style keeps plotly's screen sizes (12.75 pt title): no font-size finding.
  const plain = { data: [{ x: [0, 1], y: [1, 0] }], layout: { title: { text: 'Plain' }, width: 500, height: 300 } };
  assert.deepEqual(staticImage(plain, { format: 'svg' }).layoutProblems, []);
  // The same figure in the paper font family is held to the printed sizes.
  const paperFamily = PAPER_STYLES.single.fontFamily;
  assert.deepEqual(staticImage({ ...plain, layout: { ...plain.layout, font: { family: paperFamily } } }, { format: 'svg' }).layoutProblems, [
    'font size 12.75 pt (e.g. "Plain") outside 7–9 pt',
  ]);
  assert.equal(isPaperLayout(paperLayout('double')), true);
  assert.equal(isPaperLayout({ font: { family: 'Arial' } }), false);
  assert.equal(isPaperLayout(undefined), false);
});

test('figureOutput: plotly JSON, HTML with the image inside the plot div, the image as its own mime type, metadata', () => {
  const output = figureOutput(figure, { includePlotly: false });
  const { data, metadata, result } = output;
  assert.ok(data[PLOTLY_MIME_TYPE]);
  const svg = data['image/svg+xml']!;
  assert.match(svg, /^<svg /);
  const html = data['text/html'];
  const image =
    /<div id="grokfss-plot-[0-9a-f]{16}" class="grokfss-plotly" style="width: 672px; height: ([\d.]+)px;"><img class="grokfss-static" src="data:image\/svg\+xml;base64,([^"]+)" width="672" height="([\d.]+)"/.exec(
      html,
    );
  assert.ok(image, html.slice(0, 300));
  assert.equal(Buffer.from(image[2], 'base64').toString('utf8'), svg, 'the HTML shows the same image');
  assert.equal(image[1], image[3], 'the div and the image have the same size');
  // The interactive figure has the layout the image was drawn with (legend fit included).
  const layout = data[PLOTLY_MIME_TYPE].layout as any;
  assert.equal(layout.legend.yref, 'container');
  assert.equal(String(layout.height), image[1]);
  assert.match(html, /img\.grokfss-static'\);\s*if \(image\) image\.remove\(\);\s*Plotly\.newPlot/);
  assert.deepEqual(metadata.grokfss, { staticImage: 'image/svg+xml', staticImageBytes: Buffer.byteLength(svg), layoutProblems: [] });
  assert.equal(result.staticImageError, null);
  assert.equal(figureOutput(figure, { includePlotly: false, staticImage: 'none' }).data['image/svg+xml'], undefined);
});

test('bad static-image settings are refused with the option or variable named', () => {
  assert.throws(
    () => staticImage(figure, { format: 'jpeg' as any }),
    (e: unknown) => e instanceof InvalidOptionError && /format.*"auto", "svg", "png"/.test((e as Error).message),
  );
  assert.throws(() => figureOutput(figure, { includePlotly: false, staticImage: 'gif' as any }), /staticImage.*"none"/);
  const saved = process.env[STATIC_IMAGE_ENV];
  process.env[STATIC_IMAGE_ENV] = 'bmp';
  try {
    assert.throws(() => figureOutput(figure, { includePlotly: false }), /GROKFSS_STATIC_IMAGE.*allowed values/);
  } finally {
    if (saved === undefined) delete process.env[STATIC_IMAGE_ENV];
    else process.env[STATIC_IMAGE_ENV] = saved;
  }
});
