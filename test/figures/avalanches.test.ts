import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { avalancheAnalysis } from '../../lib/analysis/index';
import { ccdfFigure, sTrajectoryFigure } from '../../lib/figures/avalanches';
import { run } from '../analysis/fixtures';

const RUNS = [run(81, 0, 100), run(81, 1, null), run(161, 0, 50), run(161, 9, 10, { status: 'failed' })];

function analysis() {
  const summary = aq.table({ scaleN: [81, 81, 161, 161], seed: [0, 1, 0, 0], snapshot: [0, 0, 0, 1], epoch: [0, 0, 0, 20], graphSeed: [0, 0, 0, 0], sMax: [2, 4, 10, 30], totalTopplings: [1, 1, 1, 1], truncated: [false, false, false, false] });
  const avalanches = aq.table({ scaleN: [81, 81, 81, 81, 161, 161], seed: [0, 0, 0, 0, 0, 0], epoch: [0, 0, 200, 200, 0, 0], size: [1, 3, 2, 2, 5, 5], area: [1, 1, 1, 1, 1, 1], duration: [1, 1, 1, 1, 1, 1] });
  return avalancheAnalysis({ summary, avalanches }, RUNS);
}

test('sTrajectoryFigure: one line per scale on a log y axis, onset median and range from the runs', () => {
  const figure = sTrajectoryFigure(analysis(), 'sMax');
  assert.deepEqual(figure.data.map((d) => d.name), ['N = 81', 'N = 161']);
  assert.deepEqual(figure.data[0].y, [3]);
  assert.deepEqual(figure.data[1].x, [0, 20]);
  assert.deepEqual(figure.data[1].y, [10, 30]);
  const layout = figure.layout as any;
  assert.equal(layout.yaxis.type, 'log');
  assert.match(layout.yaxis.title.text, /^s_max/);
  assert.equal(layout.xaxis.title.text, 'epoch t');
  // Completed runs with an onset: 100 and 50 → median 75, band 50–100.
  const line = layout.shapes.find((s: any) => s.type === 'line');
  const band = layout.shapes.find((s: any) => s.type === 'rect');
  assert.equal(line.x0, 75);
  assert.deepEqual([band.x0, band.x1], [50, 100]);
  assert.equal(sTrajectoryFigure(analysis(), 'totalTopplings', { showOnset: false }).layout!.shapes!.toString(), '');
});

test('ccdfFigure: CCDF per scale and phase in two panels, legend once per scale', () => {
  const figure = ccdfFigure(analysis());
  // 81 pre, 161 pre, 81 post (161 has no post avalanche: left out).
  assert.deepEqual(
    figure.data.map((d) => [d.name, d.xaxis, d.showlegend]),
    [
      ['N = 81', 'x', true],
      ['N = 161', 'x', true],
      ['N = 81', 'x2', false],
    ],
  );
  assert.deepEqual(figure.data[0].x, [1, 3]);
  assert.deepEqual(figure.data[0].y, [1, 0.5]);
  assert.deepEqual(figure.data[2].x, [2]);
  assert.deepEqual(figure.data[2].y, [1]);
  const layout = figure.layout as any;
  assert.equal(layout.xaxis.type, 'log');
  assert.equal(layout.xaxis2.type, 'log');
  assert.equal(layout.yaxis2.type, 'log');
  assert.match(layout.xaxis.title.text, /avalanche size s/);
  assert.equal(figure.data[0].line && (figure.data[0].line as any).color, (figure.data[2].line as any).color);
  // All snapshots: one curve per scale over both phases.
  const all = ccdfFigure(analysis(), { phase: 'all' });
  assert.equal(all.data.length, 2);
  assert.deepEqual(all.data[0].x, [1, 2, 3]);
  assert.deepEqual(all.data[0].y, [1, 0.75, 0.25]);
  assert.throws(() => ccdfFigure(analysis(), { quantity: 'energy' as never }), /quantity/);
  assert.throws(() => ccdfFigure({} as never), /avalancheAnalysis/);
});
