import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grokkingDimension } from '../../lib/analysis/index';
import { grokkingDimensionFigure } from '../../lib/figures/grokkingDimension';
import { showGrokkingDimension } from '../../lib/notebook/showResult';
import { grokRows, grokRuns, planWith } from '../analysis/fixtures';

test('grokkingDimensionFigure: band + line per observable, D = 1 line, onset marked on either axis', () => {
  const analysis = grokkingDimension(grokRows(), grokRuns(), planWith(20));
  const aligned = grokkingDimensionFigure(analysis);
  assert.equal(aligned.data.length, 6);
  assert.equal(aligned.data[2].name, 'D from S_total');
  assert.equal(aligned.data[5].name, 'D from s_max');
  assert.equal((aligned.data[5].line as { dash: string }).dash, 'dash');
  assert.equal(aligned.data[1].fill, 'tonexty');
  const layout = aligned.layout as { xaxis: { type: string; title: { text: string } }; yaxis: { title: { text: string } }; shapes: Array<Record<string, unknown>> };
  assert.equal(layout.xaxis.type, 'log');
  assert.match(layout.xaxis.title.text, /t \/ t_on/);
  assert.match(layout.yaxis.title.text, /4 scales/);
  assert.ok(layout.shapes.some((s) => s.y0 === 1 && s.y1 === 1));
  assert.ok(layout.shapes.some((s) => s.x0 === 1 && s.x1 === 1));
  assert.ok(layout.shapes.some((s) => s.x0 === 0.25 && s.x1 === 0.25), 'median train onset marked');
  const epoch = grokkingDimensionFigure(analysis, { time: 'epoch' });
  const shapes = (epoch.layout as { shapes: Array<Record<string, unknown>> }).shapes;
  assert.ok(shapes.some((s) => s.type === 'rect' && s.x0 === 250 && s.x1 === 2000));
  assert.equal((epoch.layout as { xaxis: { type: string } }).xaxis.type, 'linear');
});

test('a failed analysis: the figure refuses and the notebook helper prints the reason instead', () => {
  const one = grokkingDimension(grokRows().filter((r) => r.scaleN === 200), grokRuns(), planWith(10));
  assert.throws(() => grokkingDimensionFigure(one), /not enough data/);
  // Outside a kernel showMarkdown prints; the helper returns null instead of a figure.
  const write = process.stdout.write;
  let printed = '';
  process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
  try {
    assert.equal(showGrokkingDimension(one), null);
  } finally {
    process.stdout.write = write;
  }
  assert.match(printed, /No D\(t\) \(aligned axis\):\*\* not enough data/);
});
