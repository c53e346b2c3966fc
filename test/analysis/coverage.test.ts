import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coverageStudy, coverageTruth, designCoverageStudy, designStudySize } from '../../lib/analysis/coverage';
import { designRows, XOR_SCALES_N } from '../../lib/analysis/coverageDesigns';
import {
  COVERAGE_RESULTS_VERSION,
  coverageExperiment,
  CoverageResults,
  coverageRowOf,
  parseCoverageResults,
  readCoverageResults,
  RULE_BEFORE_STUDY,
  writeCoverageResults,
} from '../../lib/analysis/coverageResults';
import { fitPhase } from '../../lib/analysis/dimension';
import { analysisPlan } from '../../lib/analysis/plan';
import { trajectoryAnalysis } from '../../lib/analysis/trajectory';

const plan = analysisPlan('smoke');
const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

test('designRows: same options → same rows; options are checked before any work, naming the field', () => {
  const options = { seeds: [0, 1], epochs: [0, 640] };
  const a = designRows('switch', plan, options);
  assert.deepEqual(a, designRows('switch', plan, options));
  assert.equal(a.length, XOR_SCALES_N.length * 2 * 2 * plan.graphSeeds.length);
  assert.deepEqual([...new Set(a.map((r) => r.phase))], ['pre', 'post']);
  assert.notDeepEqual(
    a.map((r) => r.totalTopplings),
    designRows('switch', plan, { seeds: [2, 3], epochs: [0, 640] }).map((r) => r.totalTopplings),
  );
  assert.throws(() => designRows('ramp' as never, plan, options), /design: got "ramp"/);
  assert.throws(() => designRows('switch', plan, { ...options, slope: 1 } as never), /design.slope: unknown option/);
  assert.throws(() => designRows('switch', plan, { seeds: [] }), /design.seeds/);
  assert.throws(() => designRows('switch', plan, { seeds: [1, 1] }), /design.seeds: must be distinct/);
  assert.throws(() => designRows('hover', plan, { seeds: [0], riseEpoch: 600 }), /design.riseEpoch/);
  assert.throws(() => designRows('switch', plan, { seeds: [0], topFraction: 0.05 }), /design.topFraction/);
  assert.throws(() => designRows('switch', plan, { seeds: [0], epochs: [40, 0] }), /design.epochs/);
});

test('designs have the D they are built for: Gaussian ≈ 1 throughout; switch from ≈ 0.81 to ≈ 1.19 at epoch 640', () => {
  const point = { ...plan, bootstrap: 0 };
  const gaussian = designRows('gaussian', plan, { seeds: seeds(0, 30), epochs: [0, 640] });
  for (const phase of ['pre', 'post'] as const) {
    const D = fitPhase(gaussian, 'totalTopplings', phase, point).fit!.D;
    // Science notes: S_total of Gaussian input on BA m = 3 gives D ≈ 1.00 (the pooled 1200-seed value is 0.985).
    assert.ok(Math.abs(D - 0.985) < 0.03, `Gaussian ${phase}: D = ${D}`);
  }
  const rows = designRows('switch', plan, { seeds: seeds(0, 30), epochs: [0, 600, 680, 1000] });
  const pre = fitPhase(rows, 'totalTopplings', 'pre', point).fit!.D;
  const post = fitPhase(rows, 'totalTopplings', 'post', point).fit!.D;
  assert.ok(Math.abs(pre - 0.81) < 0.05 && Math.abs(post - 1.19) < 0.05, `pre ${pre}, post ${post}`);
  const crossing = trajectoryAnalysis(rows, 'totalTopplings', point).crossings!.lasting;
  assert.equal(crossing.direction, 'up');
  assert.ok(crossing.time > 600 && crossing.time < 680, `crossing at ${crossing.time}`);
});

test('coverageStudy: one row per interval kind and method, each replication against the pool of the others', () => {
  const epochs = [0, 400, 600, 680, 1000];
  const groups = [0, 1, 2, 3].map((g) => designRows('switch', plan, { seeds: seeds(3 * g, 3), epochs }));
  const small = { bootstrap: 100, seed: 0, lastingPoints: Infinity };
  const study = coverageStudy(groups, small);
  assert.equal(study.replications, 4);
  assert.equal(study.seedsPerScale, 3);
  // Per seed bootstrap (3): D before, D after, D(t) one point, every point ×2, 2 crossings × 3 methods.
  assert.equal(study.table.length, 3 * 11);
  for (const row of study.table) {
    assert.ok(row.coverage >= 0 && row.coverage <= 1, `${row.interval} ${row.method}: ${row.coverage}`);
    if (row.interval !== 'D(t) band, one point')
      assert.ok(row.covered <= row.replications && row.coverageLow <= row.coverage && row.coverage <= row.coverageHigh);
  }
  // Leave-one-out truth: replication 0 is compared with groups 1–3 pooled.
  assert.deepEqual(study.results[0].truth, coverageTruth(groups.slice(1).flat(), small));
  assert.notDeepEqual(study.results[0].truth.dPre, study.truth.dPre);
  // A covered flag agrees with its interval.
  for (const r of study.results)
    for (const i of r.intervals) {
      assert.equal(i.dPre.covered, i.dPre.low <= r.truth.dPre && r.truth.dPre <= i.dPre.high);
      for (const c of i.crossings)
        if (c.direction === r.truth[c.rule].direction) assert.equal(c.covered, c.low <= r.truth[c.rule].time && r.truth[c.rule].time <= c.high);
    }
  assert.throws(() => coverageStudy([groups[0]], small), /groups: must hold at least two replications/);
  assert.throws(() => coverageStudy([groups[0], groups[1].filter((r) => r.scaleN !== 81)], small), /groups\[1\]: must hold rows at the scales/);
  assert.throws(() => coverageStudy(groups, small, { seedBootstraps: ['bca' as never] }), /seedBootstraps\[0\]: got "bca"/);
});

test('coverage results: written atomically, read back with Infinity and NaN intact; another version is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-coverage-'));
  const file = path.join(dir, 'coverage.json');
  assert.equal(readCoverageResults(file), null);
  const results: CoverageResults = {
    version: COVERAGE_RESULTS_VERSION,
    createdAt: '2026-11-29T00:00:00.000Z',
    gitCommit: 'abc',
    command: 'npm run coverage',
    wallSeconds: 1,
    plan: { bootstrap: 10, seed: 0, lastingPoints: Infinity, seedBootstrap: 'studentized', crossingInterval: 'pointwise-band' },
    experiments: [],
  };
  writeCoverageResults(results, file);
  assert.deepEqual(readCoverageResults(file), results);
  assert.deepEqual(fs.readdirSync(dir), ['coverage.json']);
  assert.ok(Number.isNaN(parseCoverageResults(JSON.stringify({ ...results, lastingPoints: undefined, wallSeconds: 'NaN' })).wallSeconds));
  assert.throws(() => parseCoverageResults(JSON.stringify({ ...results, version: 99 })), /coverage results: expected version/);
  fs.rmSync(dir, { recursive: true });
});

test('designCoverageStudy: the study of designRows groups with disjoint seeds; sizes per profile; bad sizes named', () => {
  const size = { replications: 3, seedsPerScale: 2, epochs: [0, 600, 680, 2000] };
  const small = { ...plan, bootstrap: 50 };
  const study = designCoverageStudy('switch', small, size, { seedBootstraps: ['studentized'] });
  const groups = [0, 1, 2].map((g) => designRows('switch', small, { seeds: [2 * g, 2 * g + 1], epochs: size.epochs }));
  assert.deepEqual(study.table, coverageStudy(groups, small, { seedBootstraps: ['studentized'] }).table);
  assert.deepEqual(
    study.results.map((r) => r.seeds),
    [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
  );
  assert.equal(designStudySize('smoke').replications, 4);
  assert.ok(designStudySize('paper').replications > designStudySize('quick').replications);
  assert.throws(() => designStudySize('huge'), /profile: got "huge"/);
  assert.throws(() => designCoverageStudy('switch', small, { ...size, replications: 1 }), /size.replications/);
  // The experiment of the results file: the rows a rule produces, and per-replication summaries only when asked.
  const experiment = coverageExperiment('switch', 'test', study, {
    crossing: true,
    rule: { seedBootstrap: 'studentized', crossingInterval: 'pointwise-band' },
  });
  assert.equal(experiment.replicationSummaries.length, 0);
  assert.equal(experiment.truth.dPre, study.truth.dPre);
  const lasting = coverageRowOf(experiment.table, 'lasting crossing', { seedBootstrap: 'studentized', crossingInterval: 'pointwise-band' })!;
  assert.equal(lasting.method, 'pointwise-band');
  assert.equal(coverageRowOf(experiment.table, 'lasting crossing', RULE_BEFORE_STUDY), undefined);
  const kept = coverageExperiment('switch', 'test', study, {
    crossing: true,
    rule: { seedBootstrap: 'studentized', crossingInterval: 'band' },
    keepReplications: true,
  });
  assert.deepEqual(
    kept.replicationSummaries[0].rules.map((r) => r.rule),
    ['after'],
  );
  assert.ok(kept.replicationSummaries[0].rules[0].crossings.every((c) => Number.isFinite(c.estimate) || c.direction === 'none'));
});
