/**
 * Every figure of lib/figures, drawn by plotly in headless Chromium, passes the layout check
 * (titles clear of the modebar band, panel titles, axis titles and tick labels; legends and notes
 * clear of the data; one font family at 7–9 pt): the notebook figures at their notebook size as
 * `show` lays them out, the paper figures at their journal sizes as exportFigures writes them.
 * The paper figures' SVGs are also compared with committed snapshots, in every style.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportFigures } from '../../lib/plot/export';
import { finishLayout } from '../../lib/plot/finish';
import { closeStaticRenderer, staticImage } from '../../lib/plot/staticImage';
import { normalizeSvg, xmlProblems } from '../plot/svgSnapshot';
import { notebookFigures, paperFigures } from './gallery';

const FIXTURES = path.resolve(__dirname, '../../../test/figures/fixtures');

after(() => closeStaticRenderer());

test('every notebook figure, laid out as show() lays it out, has no layout problem', async () => {
  const figures = await notebookFigures();
  assert.ok(figures.length >= 18);
  const problems: string[] = [];
  for (const { name, figure } of figures) {
    const image = staticImage(finishLayout(figure, { modebar: true, growHeight: true }), { format: 'svg' });
    for (const p of image.layoutProblems) problems.push(`${name}: ${p}`);
  }
  assert.deepEqual(problems, []);
});

test('every paper figure in every style: no layout problem, physical size, SVG snapshot', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-paper-layout-'));
  try {
    const items = paperFigures();
    assert.deepEqual(
      items.map((i) => i.name),
      ['figure-1-single', 'figure-2-single', 'figure-3-single', 'figure-1-double', 'figure-2-double', 'figure-3-double'],
    );
    const results = await exportFigures(items.map((i) => ({ figure: i.figure, basePath: path.join(dir, i.name), style: i.style, heightIn: i.heightIn, formats: ['svg' as const] })));
    const mismatches: string[] = [];
    results.forEach((result, k) => {
      const { name, style, heightIn } = items[k];
      assert.deepEqual(result.layoutProblems, [], name);
      const svg = fs.readFileSync(result.files.svg!, 'utf8');
      assert.deepEqual(xmlProblems(svg), [], name);
      assert.match(svg, new RegExp(`width="${style === 'single' ? 3.4 : 7}in" height="${heightIn}in"`), name);
      const fixture = path.join(FIXTURES, `${name}.svg`);
      const actual = normalizeSvg(svg);
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        fs.mkdirSync(FIXTURES, { recursive: true });
        fs.writeFileSync(fixture, actual);
        t.diagnostic(`wrote ${fixture}`);
      }
      if (!fs.existsSync(fixture)) mismatches.push(`${name}: fixture missing (run UPDATE_SNAPSHOTS=1 npm test)`);
      else if (fs.readFileSync(fixture, 'utf8') !== actual) mismatches.push(`${name}: SVG differs from ${path.relative(process.cwd(), fixture)}`);
    });
    assert.deepEqual(mismatches, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
