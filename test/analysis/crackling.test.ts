import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import { AvalancheSample, avalancheSamples, cracklingAnalysis } from '../../lib/analysis/index';
import { avalancheSampleTable, cracklingDisplayTable, cracklingFindings, cracklingSummaryMarkdown, cracklingVerdict } from '../../lib/report/crackling';
import { cracklingNoise, meanSizeByDuration } from '../../lib/stats/crackling';
import { ordinaryLeastSquares } from '../../lib/stats/ols';
import { Random } from '../../lib/util/random';
import { crackling, planWith, run } from './fixtures';

test('avalancheSamples splits real avalanches at each onset, counts those of runs without one, and appends the null sample', () => {
  const avalanches = aq.table({ scaleN: [81, 81, 81], seed: [0, 0, 0], epoch: [0, 10, 20], size: [5, 6, 7], duration: [2, 3, 4], area: [4, 5, 6] });
  const nulls = aq.table({ scaleN: [81], seed: [0], epoch: [0], size: [9], duration: [8], area: [7] });
  const { samples } = avalancheSamples(avalanches, [run(81, 0, 10)], { nullAvalanches: nulls });
  assert.deepEqual(
    samples.map((s) => [s.label, Array.from(s.sizes), Array.from(s.durations), Array.from(s.areas)]),
    [
      ['real, before onset', [5], [2], [4]],
      ['real, after onset', [6, 7], [3, 4], [5, 6]],
      ['Gaussian null', [9], [8], [7]],
    ],
  );
  assert.equal(avalancheSamples(avalanches, [run(81, 0, 10)]).samples.length, 2);
  assert.deepEqual(avalancheSampleTable(samples)[1], { sample: 'real, after onset', avalanches: 2, maxSize: 7, maxDuration: 4, maxArea: 6 });
  const withNoOnset = avalancheSamples(avalanches.concat(aq.table({ scaleN: [81], seed: [1], epoch: [50], size: [99], duration: [9], area: [9] })), [
    run(81, 0, 10),
    run(81, 1, null),
  ]);
  assert.deepEqual(
    withNoOnset.samples.map((s) => s.sizes.length),
    [1, 2],
  );
  assert.deepEqual(withNoOnset.realCounts, { pre: 1, post: 2, none: 1, runsWithoutOnset: 1 });
  assert.equal(avalancheSampleTable(withNoOnset)[2].sample, 'real, 1 run(s) without onset (left out)');
  assert.throws(() => avalancheSamples(avalanches.select('scaleN', 'seed', 'epoch', 'size'), [run(81, 0, 10)]), /lacks column duration/);
});

test('cracklingAnalysis: the relation holds on data built to obey it and fails when s and T are decoupled', async () => {
  const good = crackling('built to obey', 10000, 1);
  const rng = new Random(5);
  // Same marginals, sizes shuffled against durations: ⟨s⟩(T) is flat (γ ≈ 0), the prediction is not.
  const shuffled: AvalancheSample = { ...good, label: 'shuffled', sizes: Float64Array.from(rng.permutation(good.sizes.length), (i) => good.sizes[i]) };
  const tiny: AvalancheSample = {
    label: 'tiny',
    sizes: Float64Array.from([1, 2, 3]),
    durations: Float64Array.from([1, 1, 2]),
    areas: Float64Array.from([1, 2, 3]),
  };
  const analysis = await cracklingAnalysis([good, shuffled, tiny], planWith(0, 2, { avalancheBootstrap: 40 }), { minTail: 200 });
  const rows = analysis.table.objects() as any[];
  assert.deepEqual(
    rows.map((r) => r.sample),
    ['built to obey', 'shuffled', 'tiny'],
  );
  const [g, s, t] = rows;
  assert.ok(Math.abs(g.tau - 1.8) < 0.1, `τ = ${g.tau}`);
  assert.ok(Math.abs(g.alphaT - 2.2) < 0.1, `α_T = ${g.alphaT}`);
  assert.ok(Math.abs(g.gamma - 1.5) < 0.1, `γ = ${g.gamma}`);
  assert.equal(g.holds, true, cracklingVerdict(g));
  assert.match(cracklingVerdict(g), /^holds: γ − predicted = .* covers 0$/);
  assert.ok(g.differenceLow <= 0 && g.differenceHigh >= 0);
  // Decoupled: ⟨s⟩(T) has no upward trend (small heavy-tailed bins even bias it down), far below ≈ 1.5.
  assert.ok(s.gamma < 0.5, `shuffled γ = ${s.gamma}`);
  assert.equal(s.holds, false);
  assert.match(cracklingVerdict(s), /^violated/);
  assert.equal(t.tau, null);
  assert.equal(t.holds, null);
  assert.match(t.reason, /^not enough data: 3 avalanches \(need ≥ 50\)/);
  // The row carries exactly what cracklingNoise computes (same options, same seed).
  const direct = cracklingNoise(good, { discrete: true, bootstrap: 40, seed: 2, minTail: 200 });
  assert.equal(g.tau, direct.tau.value);
  assert.equal(g.tauLow, direct.tau.ciLow);
  assert.equal(g.alphaTXmin, direct.alphaT.fit.xmin);
  assert.equal(g.areaExponent, direct.areaExponent!.value);
  assert.equal(g.predicted, direct.gammaPredicted.value);
  assert.equal(g.differenceHigh, direct.difference.ciHigh);
  const findings = cracklingFindings(analysis);
  assert.deepEqual(
    findings.map((f) => f.holds),
    [true, false, null],
  );
  const display = cracklingDisplayTable(analysis);
  assert.match(String(display[0]['τ [95% CI]']), /^1\.\d{3} \[1\.\d{3}, 1\.\d{3}\]$/);
  assert.equal(display[2]['τ [95% CI]'], '—');
  const md = cracklingSummaryMarkdown(analysis);
  assert.match(md, new RegExp(`\\*\\*built to obey\\*\\* \\(10000 avalanches, minTail 200\\): τ = ${g.tau.toFixed(2)} \\[`));
  assert.match(md, /relation \*\*holds within the 95 % CI\*\*/);
  assert.match(md, /\*\*shuffled\*\*.*\*\*does not hold\*\*/);
  assert.match(md, /\*\*tiny\*\* \(3 avalanches\): not enough data/);
});

test('cracklingAnalysis: one row per sample and minTail, reproducible, cached rows identical, bad options rejected', async () => {
  const sample = crackling('s', 3000, 4);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-crackling-'));
  const plan = planWith(0, 1, { avalancheBootstrap: 10 });
  const options = { minTail: [10, 500], cache: true, root };
  const first = (await cracklingAnalysis([sample], plan, options)).table;
  const again = (await cracklingAnalysis([sample], plan, options)).table;
  const plain = (await cracklingAnalysis([sample], plan, { ...options, cache: false })).table;
  assert.deepEqual(
    first.objects().map((r: any) => r.minTail),
    [10, 500],
  );
  assert.equal(JSON.stringify(first.objects()), JSON.stringify(plain.objects()));
  assert.equal(JSON.stringify(again.objects()), JSON.stringify(plain.objects()));
  assert.ok((first.objects()[1] as any).tauTail >= 500);
  await assert.rejects(() => cracklingAnalysis([sample], plan, { minTail: 1 }), /minTail/);
  await assert.rejects(() => cracklingAnalysis([], plan), /samples/);
});

test('meanSizeByDuration bins like cracklingNoise: the OLS slope over its points is γ', async () => {
  const sample = crackling('s', 5000, 3);
  const row = (await cracklingAnalysis([sample], planWith(0, 0, { avalancheBootstrap: 0 }), { minTail: 100 })).table.objects()[0] as any;
  const points = meanSizeByDuration(sample.sizes, sample.durations, row.alphaTXmin);
  assert.equal(points.meanT.length, row.gammaBins);
  const fit = ordinaryLeastSquares(Array.from(points.meanT, Math.log), Array.from(points.meanS, Math.log));
  assert.ok(Math.abs(fit.slope - row.gamma) < 1e-12, `${fit.slope} vs ${row.gamma}`);
  // Hand example: tmin 1, 10 bins/decade → T = 1 in bin 0, T = 2 in bin 3; minCount drops bin 3.
  const hand = meanSizeByDuration([1, 3, 10], [1, 1, 2], 1, { minCount: 2 });
  assert.deepEqual([Array.from(hand.meanT), Array.from(hand.meanS), Array.from(hand.count)], [[1], [2], [2]]);
});
