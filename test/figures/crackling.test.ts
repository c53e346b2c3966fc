import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvalancheSample, cracklingAnalysis } from '../../lib/analysis/index';
import { cracklingDistributionFigure, cracklingScalingFigure } from '../../lib/figures/crackling';
import { powerLawLogPdf } from '../../lib/stats/powerLaw';
import { crackling, planWith } from '../analysis/fixtures';

test('crackling figures: three log–log panels with fitted lines; ⟨s⟩(T) with fitted and predicted slopes', async () => {
  const sample = crackling('obeys', 4000, 6);
  const tiny: AvalancheSample = { label: 'tiny', sizes: Float64Array.from([1, 2]), durations: Float64Array.from([1, 1]), areas: Float64Array.from([1, 2]) };
  const analysis = await cracklingAnalysis([sample, tiny], planWith(0, 0, { avalancheBootstrap: 0 }), { minTail: 100 });
  const row = analysis.table.objects()[0] as any;
  const dist = cracklingDistributionFigure(analysis);
  // Per panel: markers + fit line for the fitted sample, markers only for the tiny one.
  assert.deepEqual(
    dist.data.map((d) => [d.mode, d.xaxis]),
    [
      ['markers', 'x'], ['lines', 'x'], ['markers', 'x'],
      ['markers', 'x2'], ['lines', 'x2'], ['markers', 'x2'],
      ['markers', 'x3'], ['lines', 'x3'], ['markers', 'x3'],
      ['lines', undefined], // legend key of the dashed fit lines
    ],
  );
  const sizeLine = dist.data[1] as any;
  assert.equal(sizeLine.x[0], row.tauXmin);
  const share = row.tauTail / sample.sizes.length;
  assert.ok(Math.abs(sizeLine.y[0] - share * Math.exp(powerLawLogPdf({ alpha: row.tau, xmin: row.tauXmin, xmax: Infinity, discrete: true }, [row.tauXmin])[0])) < 1e-15);
  const layout = dist.layout as any;
  for (const axis of ['xaxis', 'yaxis', 'xaxis2', 'yaxis2', 'xaxis3', 'yaxis3']) assert.equal(layout[axis].type, 'log', axis);
  assert.match(layout.xaxis2.title.text, /duration T/);
  const scaling = cracklingScalingFigure(analysis);
  assert.deepEqual(scaling.data.map((d) => d.mode), ['markers', 'lines', 'lines']); // the tiny sample has no duration bin with 10 avalanches
  const slope = (d: any) => Math.log(d.y[1] / d.y[0]) / Math.log(d.x[1] / d.x[0]);
  assert.ok(Math.abs(slope(scaling.data[1]) - row.gamma) < 1e-9);
  assert.ok(Math.abs(slope(scaling.data[2]) - row.predicted) < 1e-9);
  assert.equal((scaling.layout as any).xaxis.type, 'log');
  assert.match((scaling.layout as any).yaxis.title.text, /⟨s⟩/);
});

