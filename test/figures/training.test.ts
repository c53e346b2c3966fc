import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { giniPeaks, giniPeaksByScale, metricCurves } from '../../lib/analysis/index';
import { giniFigure, trainingCurvesFigure, trainTestAccuracyFigure } from '../../lib/figures/training';
import { scaleColour, withAlpha } from '../../lib/plot/palette';
import { thinIndices } from '../../lib/plot/panels';
import { handMetrics, run } from '../analysis/trainingFixtures';

test('thinIndices keeps first and last, stays near the budget, drops epoch 0 on a log axis', () => {
  const epochs = Array.from({ length: 2001 }, (_, i) => i);
  const lin = thinIndices(epochs, 100);
  assert.equal(lin[0], 0);
  assert.equal(lin[lin.length - 1], 2000);
  assert.ok(lin.length <= 100);
  assert.deepEqual(lin, [...lin].sort((a, b) => a - b));
  const log = thinIndices(epochs, 100, true);
  assert.equal(log[0], 1); // epoch 0 has no place on a log axis
  assert.equal(log[log.length - 1], 2000);
  assert.ok(log.length <= 101);
  // Log spacing keeps detail early: several points below epoch 20 (a linear stride of 40 has none).
  assert.ok(log.filter((i) => epochs[i] < 20).length >= 5);
  assert.ok(lin.filter((i) => epochs[i] > 0 && epochs[i] < 20).length === 0);
  assert.deepEqual(thinIndices([0, 1, 2], 10), [0, 1, 2]);
});

test('trainingCurvesFigure (seed lines): one trace per run, one legend entry and one colour per scale, axis titles', () => {
  const fig = trainingCurvesFigure(metricCurves(handMetrics()), { metric: 'trainAccuracy' });
  assert.equal(fig.data.length, 4);
  assert.deepEqual(fig.data.map((t) => t.showlegend), [true, false, true, false]);
  assert.equal(fig.data[0].name, 'N = 20 (h = 2)');
  assert.equal(fig.data[2].name, 'N = 50 (h = 5)');
  const colour = (i: number) => (fig.data[i].line as { color: string }).color;
  assert.equal(colour(0), colour(1));
  assert.notEqual(colour(0), colour(2));
  assert.equal(colour(0), scaleColour(0));
  assert.deepEqual(fig.data[1].x, [0, 1, 2, 3, 4]);
  assert.ok(Math.abs((fig.data[1].y as number[])[0] - 0.62) < 1e-12);
  const layout = fig.layout as { xaxis: { title: { text: string }; type: string }; yaxis: { title: { text: string } } };
  assert.equal(layout.xaxis.title.text, 'epoch');
  assert.equal(layout.yaxis.title.text, 'train accuracy');
  const logFig = trainingCurvesFigure(metricCurves(handMetrics()), { metric: 'trainLoss', logX: true, logY: true });
  const logLayout = logFig.layout as { xaxis: { type: string; title: { text: string } }; yaxis: { type: string } };
  assert.equal(logLayout.xaxis.type, 'log');
  assert.equal(logLayout.yaxis.type, 'log');
  assert.match(logLayout.xaxis.title.text, /log scale/);
  assert.deepEqual(logFig.data[0].x, [1, 2, 3, 4]);
});

test('trainingCurvesFigure (band): mean line with a ±1 s.d. band per scale', () => {
  const fig = trainingCurvesFigure(metricCurves(handMetrics()), { metric: 'trainAccuracy', seeds: 'band' });
  assert.equal(fig.data.length, 6);
  const [upper, lower, mean] = fig.data;
  assert.equal(lower.fill, 'tonexty');
  assert.equal(mean.name, 'N = 20 (h = 2), 2 seeds');
  const s = 0.1 / Math.SQRT2;
  assert.ok(Math.abs((mean.y as number[])[0] - 0.57) < 1e-12);
  assert.ok(Math.abs((upper.y as number[])[0] - (0.57 + s)) < 1e-12);
  assert.ok(Math.abs((lower.y as number[])[0] - (0.57 - s)) < 1e-12);
  assert.match((fig.layout as { yaxis: { title: { text: string } } }).yaxis.title.text, /mean ± s\.d\./);
  assert.throws(() => trainingCurvesFigure(metricCurves(handMetrics()), { seeds: 'all' as never }), /seeds: got "all"/);
});

test('trainTestAccuracyFigure: dashed train and solid test curve of the same colour per scale', () => {
  const fig = trainTestAccuracyFigure(metricCurves(handMetrics()), { logX: false });
  assert.equal(fig.data.length, 4);
  assert.equal(fig.data[0].name, 'N = 20 (h = 2) train');
  assert.equal(fig.data[1].name, 'N = 20 (h = 2) test');
  const line = (i: number) => fig.data[i].line as { color: string; dash?: string };
  assert.equal(line(0).dash, 'dash');
  assert.equal(line(1).dash, undefined);
  assert.equal(line(0).color, line(1).color);
  // test accuracy of h = 2 at epoch 1: 0.3 + 0.1 + 0.02 (same for both seeds).
  assert.ok(Math.abs((fig.data[1].y as number[])[1] - 0.42) < 1e-12);
  // Without a test set (all NaN) only the train curves are drawn.
  const noTest = aq.from((handMetrics().objects() as Array<Record<string, unknown>>).map((r) => ({ ...r, testAccuracy: NaN })));
  assert.equal(trainTestAccuracyFigure(metricCurves(noTest)).data.length, 2);
});

test('giniFigure: a curve per scale, the peak marker on the curve at the median peak epoch', () => {
  const runs = [run(2, 0, { trainOnset: 1 }), run(2, 1, { trainOnset: 3 }), run(5, 0, { trainOnset: 2 }), run(5, 1, { trainOnset: 2 })];
  const fig = giniFigure(metricCurves(handMetrics()), giniPeaksByScale(giniPeaks(metricCurves(handMetrics()), runs)));
  const lines = fig.data.filter((t) => t.mode === 'lines');
  assert.equal(lines.length, 2);
  const peakH2 = fig.data.find((t) => t.name === 'peak (N = 20)')!;
  assert.deepEqual(peakH2.x, [2]);
  assert.ok(Math.abs((peakH2.y as number[])[0] - 0.505) < 1e-12); // mean of 0.50 and 0.51
  const onsetH2 = fig.data.find((t) => t.name === 'onset (N = 20)')!;
  assert.deepEqual(onsetH2.x, [2]); // median of onsets 1 and 3
  assert.equal((onsetH2.marker as { symbol: string }).symbol, 'diamond-open');
  assert.equal((peakH2.marker as { color: string }).color, (lines[0].line as { color: string }).color);
  assert.equal((fig.layout as { yaxis: { title: { text: string } } }).yaxis.title.text, 'Gini coefficient of |θ| (mean over seeds)');
  assert.ok(fig.data.some((t) => t.name === 'median Gini peak'));
});

test('withAlpha converts and refuses malformed colours', () => {
  assert.equal(withAlpha('#0072B2', 0.2), 'rgba(0,114,178,0.2)');
  assert.throws(() => withAlpha('blue', 0.2), /colour/);
  assert.throws(() => withAlpha('#0072B2', 2), /alpha/);
});
