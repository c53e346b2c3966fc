import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onsetSummary, phaseFits, trajectoryAnalysis } from '../../lib/analysis/index';
import { dimensionTrajectoryFigure, scalingFitFigure } from '../../lib/figures/scaling';
import { planWith, threePhaseInputs } from '../analysis/fixtures';

test('D(t) figure has the bootstrap band, D(t), the D = 1 line, the onset marker and the lasting crossing, per observable', () => {
  const { runs, rows } = threePhaseInputs();
  const onset = onsetSummary(runs);
  const analyses = (['totalTopplings', 'sMax'] as const).map((o) => trajectoryAnalysis(rows, o, planWith(20)));
  const fig = dimensionTrajectoryFigure(analyses, onset);
  for (const axis of ['x', 'x2']) {
    const panel = fig.data.filter((t) => (t.xaxis ?? 'x') === axis);
    const band = panel.find((t) => /bootstrap band$/.test(String(t.name)));
    assert.ok(band && band.fill === 'tonexty', `band in panel ${axis}`);
    const level = panel.find((t) => t.name === 'D = 1')!;
    assert.deepEqual(level.y, [1, 1]);
    const onsetLine = panel.find((t) => t.name === 'median train onset')!;
    assert.deepEqual(onsetLine.x, [250, 250]);
    const crossing = panel.find((t) => /crossing \(lasting/.test(String(t.name)))!;
    assert.equal((crossing.y as number[])[0], 1);
    assert.ok(Number.isFinite((crossing.x as number[])[0]));
  }
  assert.ok(Math.abs(analyses[0].crossings!.lasting.time - 250) < 1e-9); // 0.9 at 200 → 1.1 at 300
  const dTrace = fig.data.find((t) => t.name === 'D(t), S_total')!;
  assert.deepEqual((dTrace.y as number[]).map((v) => Math.round(v * 100) / 100), [0.8, 0.85, 0.9, 1.1, 1.2, 1.25]);
  assert.match(JSON.stringify((fig.layout as any).yaxis.title), /D\(t\)/);
  assert.throws(() => dimensionTrajectoryFigure([], onset), /no trajectory/);
});

test('scaling figure: the fitted line has slope D in log–log and passes through the fit', () => {
  const { rows } = threePhaseInputs();
  const fits = phaseFits(rows, planWith(20));
  const fig = scalingFitFigure(fits);
  for (const f of fits) {
    const line = fig.data.find((t) => String(t.name).startsWith(`${f.observable === 'totalTopplings' ? 'S_total' : 's_max'}, ${f.phase === 'pre' ? 'before' : 'after'} onset: D =`))!;
    const x = line.x as number[];
    const y = line.y as number[];
    const slope = (Math.log(y[1]) - Math.log(y[0])) / (Math.log(x[1]) - Math.log(x[0]));
    assert.ok(Math.abs(slope - f.fit!.D) < 1e-12, `slope ${slope} vs D ${f.fit!.D}`);
    assert.match(String(line.name), new RegExp(`D = ${f.fit!.D.toFixed(2)}`));
  }
  assert.equal((fig.layout as any).xaxis.type, 'log');
  assert.equal((fig.layout as any).yaxis2.type, 'log');
});
