import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoverageRow } from '../../lib/analysis/coverage';
import { COVERAGE_RESULTS_VERSION, coverageComparison, CoverageExperiment, CoverageResults } from '../../lib/analysis/coverageResults';
import { coverageFigure, crossingIntervalsFigure } from '../../lib/figures/coverage';
import { coverageHeadline, coverageNote, coverageOverview, coverageRules, coverageSummaryMarkdown, coverageTableDisplay } from '../../lib/report/coverage';
import { binomialInterval } from '../../lib/stats/binomial';

/** A coverage row with `covered` of `n` replications (Wilson interval from binomialInterval). */
function row(interval: string, seedBootstrap: CoverageRow['seedBootstrap'], method: string, covered: number, n: number): CoverageRow {
  const ci = binomialInterval(covered, n);
  return {
    interval,
    seedBootstrap,
    method,
    replications: n,
    covered,
    coverage: ci.proportion,
    coverageLow: interval.endsWith('one point') ? NaN : ci.low,
    coverageHigh: interval.endsWith('one point') ? NaN : ci.high,
    medianWidth: 0.1,
    openEnded: 0,
    missing: 0,
  };
}

/** Hand-made table: plain percentiles cover 30/50 of lasting crossings, the band 47/50; D 40/50 → 48/50. */
function table(n: number): CoverageRow[] {
  return [
    row('D before onset', 'plain', 'percentile', 40, n),
    row('D after onset', 'plain', 'percentile', 41, n),
    row('D(t) band, one point', 'plain', 'pointwise', 42, n),
    row('lasting crossing', 'plain', 'percentile', 30, n),
    row('lasting crossing', 'plain', 'pointwise-band', 44, n),
    row('first crossing', 'plain', 'percentile', 35, n),
    row('D before onset', 'studentized', 'percentile', 48, n),
    row('D after onset', 'studentized', 'percentile', 47, n),
    row('D(t) band, one point', 'studentized', 'pointwise', 46, n),
    row('D(t) band, every point', 'studentized', 'simultaneous', 45, n),
    row('lasting crossing', 'studentized', 'percentile', 33, n),
    row('lasting crossing', 'studentized', 'pointwise-band', 47, n),
    row('first crossing', 'studentized', 'pointwise-band', 49, n),
  ];
}

function experiment(name: string, crossing: boolean, n = 50): CoverageExperiment {
  const interval = { estimate: 1, low: 0.9, high: 1.1, covered: true };
  return {
    name,
    description: `${name} runs`,
    replications: n,
    seedsPerScale: 6,
    scales: [81, 129],
    crossing,
    truth: { seedsPerScale: 6 * (n - 1), dPre: 0.8, dPost: 1.2, lasting: { time: 640, direction: 'up' }, first: { time: 640, direction: 'up' } },
    truthIntervals: { dPre: interval, dPost: interval, lasting: interval, first: interval },
    table: table(n),
    replicationSummaries: [0, 1, 2].map((r) => ({
      replication: r,
      truth: { dPre: 0.8, dPost: 1.2, lasting: { time: 640, direction: 'up' }, first: { time: 640, direction: 'up' } },
      rules: (['before', 'after'] as const).map((rule) => ({
        rule,
        seedBootstrap: rule === 'before' ? ('plain' as const) : ('studentized' as const),
        crossingInterval: rule === 'before' ? ('percentile' as const) : ('pointwise-band' as const),
        dPre: interval,
        dPost: interval,
        // Replication 2 is missed by the 'before' rule only; replication 1's 'after' interval is open to the right.
        crossings: [
          {
            rule: 'lasting' as const,
            direction: 'up',
            estimate: 600 + 20 * r,
            low: rule === 'before' && r === 2 ? 650 : 560,
            high: rule === 'after' && r === 1 ? Infinity : 700,
            covered: !(rule === 'before' && r === 2),
          },
        ],
      })),
    })),
  };
}

const results: CoverageResults = {
  version: COVERAGE_RESULTS_VERSION,
  createdAt: '2026-11-29T19:00:00.000Z',
  gitCommit: 'abc',
  command: 'npm run coverage',
  wallSeconds: 12,
  plan: { bootstrap: 1000, seed: 0, lastingPoints: Infinity, seedBootstrap: 'studentized', crossingInterval: 'pointwise-band' },
  experiments: [experiment('gaussian', false), experiment('xor', true)],
};

test('coverageOverview: one line per experiment and kind (no crossings where none is designed), before = plain percentiles, now = the plan rule', () => {
  const lines = coverageOverview(results).objects() as Array<Record<string, unknown>>;
  assert.equal(lines.length, 3 + 5);
  assert.deepEqual(
    lines.filter((l) => l.experiment === 'gaussian').map((l) => l.interval),
    ['D before onset', 'D after onset', 'D(t) band, one point'],
  );
  const lasting = lines.find((l) => l.experiment === 'xor' && l.interval === 'lasting crossing')!;
  // 47/50 = 94.0 %, Wilson [83.8, 97.9]; before 30/50 = 60.0 %.
  assert.equal(lasting.now, '94.0 % [83.8, 97.9]');
  assert.match(String(lasting.before), /^60\.0 % \[/);
  // Pooled points have no binomial interval.
  assert.equal(lines.find((l) => l.experiment === 'xor' && l.interval === 'D(t) band, one point')!.now, '92.0 %');
});

test('coverageTableDisplay: with rules, only the rows of the rule before and now, marked', () => {
  const all = coverageTableDisplay(results.experiments[1].table);
  assert.equal(all.numRows(), 13);
  const picked = coverageTableDisplay(results.experiments[1].table, { rules: coverageRules(results.plan) }).objects() as Array<Record<string, unknown>>;
  assert.deepEqual(
    picked.map((p) => `${p.rule} ${p.interval} ${p.seedBootstrap} ${p.method}`),
    [
      'before D before onset plain percentile',
      'before D after onset plain percentile',
      'before D(t) band, one point plain pointwise',
      'before lasting crossing plain percentile',
      'before first crossing plain percentile',
      'now D before onset studentized percentile',
      'now D after onset studentized percentile',
      'now D(t) band, one point studentized pointwise',
      'now lasting crossing studentized pointwise-band',
      'now first crossing studentized pointwise-band',
    ],
  );
  assert.equal(picked[8].coveragePercent, 94);
});

test('coverageNote: the numbers of the XOR experiment for the kinds asked; a clear pointer when the study has not been run', () => {
  assert.match(coverageNote(null), /npm run coverage/);
  const note = coverageNote(results);
  assert.match(note, /50 independent replications/);
  assert.match(note, /the lasting crossing 94\.0 % \[83\.8, 97\.9\] \(before: 60\.0 %/);
  assert.match(note, /D before the onset 96\.0 %/);
  const dOnly = coverageNote(results, ['dPhase']);
  assert.doesNotMatch(dOnly, /lasting crossing/);
  assert.match(dOnly, /after it 94\.0 %/);
  assert.match(coverageNote({ ...results, experiments: [experiment('gaussian', false)] }), /no experiment with a crossing/);
  assert.doesNotMatch(note, /graph of its own/);
  const withOwnGraph = coverageNote({ ...results, experiments: [...results.experiments, experiment('xor-own-graph', true)] });
  assert.match(withOwnGraph, /graph of its own, as an independent lab would, the lasting crossing 94\.0 % \[83\.8, 97\.9\] \(before: 60\.0 %/);
});

test('coverageHeadline and coverageSummaryMarkdown: numbers from the table, short intervals named; same input, same text', () => {
  const headline = coverageHeadline(results);
  assert.equal(headline.length, 8);
  const lasting = headline.find((h) => h.experiment === 'xor' && h.interval === 'lasting crossing')!;
  assert.equal(lasting.now, 0.94);
  assert.equal(lasting.before, 0.6);
  const text = coverageSummaryMarkdown(results);
  assert.equal(text, coverageSummaryMarkdown(results));
  assert.match(text, /studentized seed bootstrap/);
  assert.match(text, /No interval of the rule covers less than 90\.0 %/);
  assert.match(text, /xor 94\.0 % \[83\.8, 97\.9\] of 50 \(before 60\.0 %\)/);
  // Leave-one-out truths of the three summaries are all 640; the pool's own interval is [0.9, 1.1].
  assert.match(text, /How firm is the truth \(xor\)\? .* ranges from epoch 640 to 640 over the 3 replications left out/);
  assert.match(text, /median width 0 epochs under the rule, 0 for the percentiles before/);
  // At a threshold of 95 %, the lasting crossing (94 %) and D after onset (94 %) are short.
  assert.match(coverageSummaryMarkdown(results, 0.95), /below 95\.0 %: .*lasting crossing in xor \(94\.0 % of 50\)/);
});

test('coverageFigure: one trace per experiment and rule, x = coverage in %, Wilson error bars; crossingIntervalsFigure colours by the covered flag', () => {
  const figure = coverageFigure(coverageComparison(results));
  assert.equal(figure.data.length, 4);
  const xorNow = figure.data[3] as Record<string, any>;
  assert.deepEqual(xorNow.y, ['D before onset', 'D after onset', 'D(t) band, one point', 'lasting crossing', 'first crossing']);
  assert.deepEqual(xorNow.x, [96, 94, 92, 94, 98]);
  assert.equal(xorNow.error_x.arrayminus[2], null);
  assert.throws(() => coverageFigure([]), /comparison: is empty/);
  // The axis starts below the lowest coverage drawn (60 % before, Wilson low end 45.8 %).
  assert.equal((figure.layout as any).xaxis.range[0], 40);
  const intervals = crossingIntervalsFigure(results.experiments[1], { lastEpoch: 2000 });
  const missed = intervals.data.filter((t: any) => t.name === 'misses the truth');
  // 'before' panel: replication 2 missed; 'after' panel: none.
  assert.deepEqual((missed[0] as any).x, [650, 700, null]);
  assert.deepEqual((missed[1] as any).x, []);
  const open = intervals.data.filter((t: any) => t.name?.startsWith('open to the right'));
  assert.deepEqual((open[1] as any).y, [1]);
  assert.throws(
    () => crossingIntervalsFigure(results.experiments[0] && { ...results.experiments[0], replicationSummaries: [] }),
    /no per-replication summaries/,
  );
});
