import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grokkingDimension } from '../../lib/analysis/index';
import { grokkingCrossingTable, grokkingDimensionHeadline, grokkingDimensionMarkdown, grokkingPrePostTable } from '../../lib/report/grokkingDimension';
import { GROK_ONSET, grokRows, grokRuns, planWith } from '../analysis/fixtures';

test('tables, headline and sentences read the typed result: D before / after, first and lasting crossings', () => {
  const analysis = grokkingDimension(grokRows(), grokRuns(), planWith(50));
  assert.ok(analysis.ok);
  const pp = grokkingPrePostTable(analysis).objects() as Array<Record<string, number>>;
  assert.equal(pp.length, 2);
  for (const row of pp) {
    assert.ok(Math.abs(row.D_pre - 0.9) < 1e-9 && Math.abs(row.D_post - 1.2) < 1e-9 && Math.abs(row.deltaD - 0.3) < 1e-9);
    assert.equal(row.scalesPre, 4);
  }
  assert.equal(pp[0].observable as unknown, 'S_total');
  const table = grokkingCrossingTable(analysis).objects() as Array<Record<string, unknown>>;
  assert.equal(table.length, 8); // 2 observables × 2 rules × 2 axes
  const aligned = table.find((r) => r.observable === 'S_total' && r.rule === 'first' && r.axis === 't / t_on')!;
  const lasting = table.find((r) => r.observable === 'S_total' && r.rule === 'lasting' && r.axis === 't / t_on')!;
  assert.equal(lasting.crossing, aligned.crossing);
  assert.equal(aligned.nearOnset, true);
  assert.equal(aligned.crossings, 1);
  assert.equal(aligned.replicatesCrossing, 1);
  const md = grokkingDimensionMarkdown(analysis);
  assert.match(md, /\*\*S_total \(primary\):\*\* D = 0\.9 \[0\.\d+, 0\.\d+\] before the onset and 1\.2 \[1\.\d+, 1\.\d+\] after it/);
  assert.match(md, /The train-accuracy onset comes at t \/ t_on = 0\.25 \(median over runs\)/);
  assert.match(md, /first crosses 1 upwards at t \/ t_on = 0\.97\d* .*near the onset/);
  assert.match(md, /The lasting crossing \(D stays on the new side of 1 afterwards, the plan's rule used by every notebook\) is at t \/ t_on = 0\.97\d* \[/);
  const headline = grokkingDimensionHeadline(analysis).dimension as Record<string, Record<string, unknown>>;
  assert.ok(Math.abs((headline.totalTopplings.D_post as number) - 1.2) < 1e-9);
  assert.equal(headline.totalTopplings.crossingDirection, 'up');
  assert.equal(headline.totalTopplings.lastingCrossingDirection, 'up');
});

test('a failed analysis: every table, the headline and the text carry its reason', () => {
  const one = grokkingDimension(
    grokRows().filter((r) => r.scaleN === 200),
    grokRuns(),
    planWith(10),
  );
  assert.equal(one.ok, false);
  if (one.ok) return;
  assert.deepEqual(grokkingPrePostTable(one).objects(), [{ result: one.reason }]);
  assert.deepEqual(grokkingCrossingTable(one).objects(), [{ result: one.reason }]);
  assert.match(grokkingDimensionMarkdown(one), /not enough data/);
  assert.deepEqual(grokkingDimensionHeadline(one), { dimension: { ok: false, reason: one.reason, scales: [200] } });
});

test('a lasting crossing downwards is said to be downwards', () => {
  const rows = grokRows().map((r) => {
    const ratio = (r.epoch as number) / GROK_ONSET[r.scaleN as number];
    const S = Math.exp(0.1 * (r.seed as number)) * (r.scaleN as number) ** (ratio < 1 ? 0.9 : ratio < 2 ? 1.2 : 0.8);
    return { ...r, totalTopplings: S, sMax: S / 10 };
  });
  assert.match(grokkingDimensionMarkdown(grokkingDimension(rows, grokRuns(), planWith(20, 1))), /The lasting crossing .* downwards\./);
});
