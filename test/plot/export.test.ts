import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { exportFigures, exportFigure, chromiumPath, type ExportResult } from '../../lib/plot/export';
import { pngInfo } from '../../lib/plot/png';
import { paperLayout } from '../../lib/plot/styles';
import { InvalidOptionError } from '../../lib/util/errors';
import { normalizeSvg, xmlProblems } from './svgSnapshot';

const FIXTURE = path.resolve(__dirname, '../../../test/plot/fixtures/export-single.svg');

/** A fixed figure: a power law S = N^1.2 on log axes, and a line (no randomness). */
const figure = {
  data: [
    { x: [11, 21, 33, 81, 129, 201, 321, 505], y: [11, 21, 33, 81, 129, 201, 321, 505].map((n) => n ** 1.2), mode: 'markers', name: 'S_total' },
    { x: [10, 600], y: [10 ** 1.2, 600 ** 1.2], mode: 'lines', name: 'D = 1.2', line: { dash: 'dash' } },
  ],
  layout: paperLayout('single', { xaxis: { type: 'log', title: { text: 'N' } }, yaxis: { type: 'log', title: { text: 'S' } }, legend: { x: 0.02, y: 0.98 } }),
};

function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { stdio: 'ignore' }).error === undefined;
}

// One batch (one browser, plotly loaded once) serves the tests below.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-export-'));
let batch: Promise<ExportResult[]> | null = null;
function exportedOnce(): Promise<ExportResult[]> {
  batch ??= exportFigures([
    { figure, basePath: path.join(dir, 'single') },
    { figure, basePath: path.join(dir, 'wide'), style: 'double', heightIn: 3, formats: ['svg', 'png'] },
    { figure, basePath: path.join(dir, 'again', 'single'), formats: ['svg'] },
  ]);
  return batch;
}
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('exportFigures writes SVG, vector PDF with embedded fonts and 300 dpi PNG, with one browser', async (t) => {
  const results = await exportedOnce();

  const single = results[0];
  assert.deepEqual(Object.keys(single.files).sort(), ['pdf', 'png', 'svg']);
  for (const r of results) assert.deepEqual(r.layoutProblems, []);
  assert.equal(single.widthIn, 3.4);
  assert.equal(single.heightIn, 2.4);

  // SVG: well-formed, physical size in inches, CSS-pixel viewBox, text in the chosen font.
  const svg = fs.readFileSync(single.files.svg!, 'utf8');
  assert.deepEqual(xmlProblems(svg), []);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*width="3\.4in" height="2\.4in"[^>]*viewBox="0 0 326\.4 230\.4"/);
  assert.match(svg, /font-family: ?&quot;?DejaVu Sans|font-family: ?'?DejaVu Sans|DejaVu Sans/);
  assert.match(svg, />S_total</);

  // Same figure + same name → identical bytes (plotly's random ids are replaced).
  assert.equal(fs.readFileSync(results[2].files.svg!, 'utf8'), svg);

  // PNG: inches × 300 pixels, 300 dpi recorded.
  const png = pngInfo(fs.readFileSync(single.files.png!));
  assert.deepEqual([png.width, png.height], [1020, 720]);
  assert.ok(Math.abs(png.dpiX! - 300) < 0.01);
  assert.deepEqual(single.pngPixels, { width: 1020, height: 720 });
  const wide = pngInfo(fs.readFileSync(results[1].files.png!));
  assert.deepEqual([wide.width, wide.height], [2100, 900]);
  assert.equal(results[1].files.pdf, undefined);
  assert.match(fs.readFileSync(results[1].files.svg!, 'utf8'), /width="7in" height="3in"/);

  // PDF: a PDF file, no temporary files left behind.
  const pdf = fs.readFileSync(single.files.pdf!);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['again', 'single.pdf', 'single.png', 'single.svg', 'wide.png', 'wide.svg']);

  if (!hasTool('pdffonts')) {
    t.diagnostic('poppler-utils not installed: PDF page size, font embedding and vector checks skipped');
    return;
  }
  const info = spawnSync('pdfinfo', [single.files.pdf!], { encoding: 'utf8' }).stdout;
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+245\.04 x 172\.8|Page size:\s+245\.04 x 173\.04/);
  const fonts = spawnSync('pdffonts', [single.files.pdf!], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2);
  assert.ok(fonts.length >= 1, 'the PDF has text in fonts');
  for (const line of fonts) assert.match(line, /\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/, `font not embedded: ${line}`);
  const images = spawnSync('pdfimages', ['-list', single.files.pdf!], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2);
  assert.deepEqual(images, [], 'a vector PDF holds no raster images');
});

test('snapshot: the single-column SVG matches the committed fixture (numbers rounded, ids normalised)', async (t) => {
  const [result] = await exportedOnce();
  const actual = normalizeSvg(fs.readFileSync(result.files.svg!, 'utf8'));
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    fs.writeFileSync(FIXTURE, actual);
    t.diagnostic(`wrote ${FIXTURE}`);
  }
  assert.ok(fs.existsSync(FIXTURE), `fixture missing: run UPDATE_SNAPSHOTS=1 npm test to create ${FIXTURE}`);
  assert.equal(actual, fs.readFileSync(FIXTURE, 'utf8'));
});

test('bad export options fail before Chromium starts, naming the field', async () => {
  const base = path.join(os.tmpdir(), 'never-written');
  await assert.rejects(exportFigure(figure, `${base}.svg`), (e: unknown) => e instanceof InvalidOptionError && /basePath/.test((e as Error).message));
  await assert.rejects(exportFigure(figure, base, { formats: ['jpg' as any] }), /formats.*allowed values: "svg", "pdf", "png"/);
  await assert.rejects(exportFigure(figure, base, { style: 'triple' as any }), /style.*"single", "double"/);
  await assert.rejects(exportFigure(figure, base, { heightIn: -1 }), /heightIn/);
  await assert.rejects(exportFigure({ layout: {} } as any, base), /figure/);
  assert.equal(fs.existsSync(`${base}.svg`), false);
});

test('a missing Chromium gives the command that installs it', async () => {
  assert.throws(() => chromiumPath('/nonexistent/chromium'), /apt-get install -y chromium.*CHROME_PATH/s);
  await assert.rejects(exportFigure(figure, path.join(os.tmpdir(), 'x'), { chromePath: '/nonexistent/chromium' }), /Chromium not found/);
});
