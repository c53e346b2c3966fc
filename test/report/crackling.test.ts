import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import {
  AvalancheSample,
  avalancheSamples,
  avalancheSampleTable,
  cracklingDisplayTable,
  cracklingDistributionFigure,
  cracklingFindings,
  cracklingScalingFigure,
  cracklingSummaryMarkdown,
  cracklingTable,
} from '../../lib/report/crackling';
import { cracklingNoise, meanSizeByDuration } from '../../lib/stats/crackling';
import { ordinaryLeastSquares } from '../../lib/stats/ols';
import { powerLawLogPdf } from '../../lib/stats/powerLaw';
import { sampleDiscretePowerLaw } from '../../lib/stats/samplers';
import { RunRow } from '../../lib/train/index';
import { Random } from '../../lib/util/random';

function run(N: number, seed: number, trainOnset: number | null): RunRow {
  return { task: 'xor', h: (N - 1) / 4, N, seed, key: `k${N}-${seed}`, status: 'complete', trainOnset, testOnset: null, wallSeconds: 0, cacheHit: true, error: null };
}

/**
 * Avalanches that obey the crackling relation by construction: T ~ discrete power law
 * (α_T = 2.2), s = round(T^γ · e^{0.2 z}) with γ = 1.5, so P(s) ∝ s^(−τ) with
 * τ = 1 + (α_T − 1)/γ = 1.8 and γ = (α_T − 1)/(τ − 1). Area = s (every toppling a new node).
 */
function crackling(label: string, n: number, seed: number): AvalancheSample {
  const rng = new Random(seed);
  const durations = sampleDiscretePowerLaw(n, 2.2, 1, rng);
  const sizes = Float64Array.from(durations, (t) => Math.max(1, Math.round(Math.pow(t, 1.5) * Math.exp(0.2 * rng.normal()))));
  return { label, sizes, durations, areas: Float64Array.from(sizes) };
}

test('avalancheSamples splits real avalanches at each onset and appends the null sample', () => {
  const avalanches = aq.table({ scaleN: [81, 81, 81], seed: [0, 0, 0], epoch: [0, 10, 20], size: [5, 6, 7], duration: [2, 3, 4], area: [4, 5, 6] });
  const nulls = aq.table({ scaleN: [81], seed: [0], epoch: [0], size: [9], duration: [8], area: [7] });
  const samples = avalancheSamples(avalanches, [run(81, 0, 10)], { nullAvalanches: nulls });
  assert.deepEqual(
    samples.map((s) => [s.label, Array.from(s.sizes), Array.from(s.durations), Array.from(s.areas)]),
    [
      ['real, before onset', [5], [2], [4]],
      ['real, after onset', [6, 7], [3, 4], [5, 6]],
      ['Gaussian null', [9], [8], [7]],
    ],
  );
  assert.equal(avalancheSamples(avalanches, [run(81, 0, 10)]).length, 2);
  assert.deepEqual(avalancheSampleTable(samples)[1], { sample: 'real, after onset', avalanches: 2, maxSize: 7, maxDuration: 4, maxArea: 6 });
  assert.throws(() => avalancheSamples(avalanches.select('scaleN', 'seed', 'epoch', 'size'), [run(81, 0, 10)]), /lacks column duration/);
});

test('cracklingTable: the relation holds on data built to obey it and fails when s and T are decoupled', async () => {
  const good = crackling('built to obey', 10000, 1);
  const rng = new Random(5);
  // Same marginals, sizes shuffled against durations: ⟨s⟩(T) is flat (γ ≈ 0), the prediction is not.
  const shuffled: AvalancheSample = { ...good, label: 'shuffled', sizes: Float64Array.from(rng.permutation(good.sizes.length), (i) => good.sizes[i]) };
  const tiny: AvalancheSample = { label: 'tiny', sizes: Float64Array.from([1, 2, 3]), durations: Float64Array.from([1, 1, 2]), areas: Float64Array.from([1, 2, 3]) };
  const table = await cracklingTable([good, shuffled, tiny], { bootstrap: 40, seed: 2, minTail: 200 });
  const rows = table.objects() as any[];
  assert.deepEqual(rows.map((r) => r.sample), ['built to obey', 'shuffled', 'tiny']);
  const [g, s, t] = rows;
  assert.ok(Math.abs(g.tau - 1.8) < 0.1, `τ = ${g.tau}`);
  assert.ok(Math.abs(g.alphaT - 2.2) < 0.1, `α_T = ${g.alphaT}`);
  assert.ok(Math.abs(g.gamma - 1.5) < 0.1, `γ = ${g.gamma}`);
  assert.equal(g.holds, true, g.verdict);
  assert.match(g.verdict, /^holds: γ − predicted = .* covers 0$/);
  assert.ok(g.differenceLow <= 0 && g.differenceHigh >= 0);
  // Decoupled: ⟨s⟩(T) has no upward trend (small heavy-tailed bins even bias it down), far below ≈ 1.5.
  assert.ok(s.gamma < 0.5, `shuffled γ = ${s.gamma}`);
  assert.equal(s.holds, false, s.verdict);
  assert.match(s.verdict, /^violated/);
  assert.equal(t.tau, null);
  assert.equal(t.holds, null);
  assert.match(t.verdict, /^not enough data: 3 avalanches \(need ≥ 50\)/);
  // The row carries exactly what cracklingNoise computes (same options, same seed).
  const direct = cracklingNoise(good, { discrete: true, bootstrap: 40, seed: 2, minTail: 200 });
  assert.equal(g.tau, direct.tau.value);
  assert.equal(g.tauLow, direct.tau.ciLow);
  assert.equal(g.alphaTXmin, direct.alphaT.fit.xmin);
  assert.equal(g.areaExponent, direct.areaExponent!.value);
  assert.equal(g.predicted, direct.gammaPredicted.value);
  assert.equal(g.differenceHigh, direct.difference.ciHigh);
  const findings = cracklingFindings(table);
  assert.deepEqual(findings.map((f) => f.holds), [true, false, null]);
  const display = cracklingDisplayTable(table);
  assert.match(String(display[0]['τ [95% CI]']), /^1\.\d{3} \[1\.\d{3}, 1\.\d{3}\]$/);
  assert.equal(display[2]['τ [95% CI]'], '—');
  const md = cracklingSummaryMarkdown(table);
  assert.match(md, new RegExp(`\\*\\*built to obey\\*\\* \\(10000 avalanches, minTail 200\\): τ = ${g.tau.toFixed(2)} \\[`));
  assert.match(md, /relation \*\*holds within the 95 % CI\*\*/);
  assert.match(md, /\*\*shuffled\*\*.*\*\*does not hold\*\*/);
  assert.match(md, /\*\*tiny\*\* \(3 avalanches\): not enough data/);
});

test('cracklingTable: one row per sample and minTail, reproducible, cached rows identical, bad options rejected', async () => {
  const sample = crackling('s', 3000, 4);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-crackling-'));
  const options = { bootstrap: 10, seed: 1, minTail: [10, 500], cache: true, root };
  const first = await cracklingTable([sample], options);
  const again = await cracklingTable([sample], options);
  const plain = await cracklingTable([sample], { ...options, cache: false });
  assert.deepEqual(first.objects().map((r: any) => r.minTail), [10, 500]);
  assert.equal(JSON.stringify(first.objects()), JSON.stringify(plain.objects()));
  assert.equal(JSON.stringify(again.objects()), JSON.stringify(plain.objects()));
  assert.ok((first.objects()[1] as any).tauTail >= 500);
  await assert.rejects(() => cracklingTable([sample], { minTail: 1 }), /minTail/);
  await assert.rejects(() => cracklingTable([], {}), /samples/);
});

test('meanSizeByDuration bins like cracklingNoise: the OLS slope over its points is γ', async () => {
  const sample = crackling('s', 5000, 3);
  const row = (await cracklingTable([sample], { bootstrap: 0, minTail: 100 })).objects()[0] as any;
  const points = meanSizeByDuration(sample.sizes, sample.durations, row.alphaTXmin);
  assert.equal(points.meanT.length, row.gammaBins);
  const fit = ordinaryLeastSquares(Array.from(points.meanT, Math.log), Array.from(points.meanS, Math.log));
  assert.ok(Math.abs(fit.slope - row.gamma) < 1e-12, `${fit.slope} vs ${row.gamma}`);
  // Hand example: tmin 1, 10 bins/decade → T = 1 in bin 0, T = 2 in bin 3; minCount drops bin 3.
  const hand = meanSizeByDuration([1, 3, 10], [1, 1, 2], 1, { minCount: 2 });
  assert.deepEqual([Array.from(hand.meanT), Array.from(hand.meanS), Array.from(hand.count)], [[1], [2], [2]]);
});

test('crackling figures: three log–log panels with fitted lines; ⟨s⟩(T) with fitted and predicted slopes', async () => {
  const sample = crackling('obeys', 4000, 6);
  const tiny: AvalancheSample = { label: 'tiny', sizes: Float64Array.from([1, 2]), durations: Float64Array.from([1, 1]), areas: Float64Array.from([1, 2]) };
  const table = await cracklingTable([sample, tiny], { bootstrap: 0, minTail: 100 });
  const row = table.objects()[0] as any;
  const dist = cracklingDistributionFigure([sample, tiny], table);
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
  const scaling = cracklingScalingFigure([sample, tiny], table);
  assert.deepEqual(scaling.data.map((d) => d.mode), ['markers', 'lines', 'lines', 'markers']);
  const slope = (d: any) => Math.log(d.y[1] / d.y[0]) / Math.log(d.x[1] / d.x[0]);
  assert.ok(Math.abs(slope(scaling.data[1]) - row.gamma) < 1e-9);
  assert.ok(Math.abs(slope(scaling.data[2]) - row.predicted) < 1e-9);
  assert.equal((scaling.layout as any).xaxis.type, 'log');
  assert.match((scaling.layout as any).yaxis.title.text, /⟨s⟩/);
});

test('cracklingSummaryMarkdown calls a pass resting on flagged fits a weak check', () => {
  const base = { sample: 'x', minTail: 10, avalanches: 100, tau: 2, tauLow: 1.9, tauHigh: 2.1, alphaT: 3, alphaTLow: 2.9, alphaTHigh: 3.1, areaExponent: 2, areaLow: 1.9, areaHigh: 2.1, gamma: 2, gammaLow: 1, gammaHigh: 3, predicted: 2, predictedLow: 1.9, predictedHigh: 2.1, holds: true, verdict: 'holds: …' };
  const md = cracklingSummaryMarkdown(aq.from([{ ...base, caveats: 'γ from only 2 duration bins' }, { ...base, sample: 'y', caveats: '' }]));
  assert.match(md, /\*\*x\*\*.*holds within the 95 % CI\*\* \(holds: …\), but this is a weak check.*Caveats: γ from only 2 duration bins\./);
  assert.match(md, /\*\*y\*\*.*holds within the 95 % CI\*\* \(holds: …\)\.$/);
});
