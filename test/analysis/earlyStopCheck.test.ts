import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { earlyStopCheck } from '../../lib/analysis/earlyStopCheck';
import { earlyStopCheckMarkdown, earlyStopCheckTable, earlyStopRuleText } from '../../lib/report/earlyStopCheck';
import { GROK_ONSET, grokRows, grokRuns, planWith } from './fixtures';

/** The runs as if trained under the rule: each stops at twice its test onset. */
function stoppedRows(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.filter((r) => (r.epoch as number) <= 2 * GROK_ONSET[r.scaleN as number]);
}

test('earlyStopCheck: a stopped run that is the prefix of its full-budget run, with D unchanged after the stop → the same in every phase, paired difference exactly 0', () => {
  const full = { summary: aq.from(grokRows()), runs: grokRuns() };
  const ruled = { summary: aq.from(stoppedRows(grokRows())), runs: grokRuns() };
  const check = earlyStopCheck(full, ruled, planWith(60));
  // The same comparison seen from a sweep trained under the rule.
  const swapped = earlyStopCheck(ruled, full, planWith(60), { sweepHasRule: true });
  assert.deepEqual(swapped, check);
  assert.ok(check.ok);
  if (!check.ok) return;
  assert.equal(check.runs, grokRuns().length);
  assert.equal(check.sameOnset, check.runs);
  assert.ok(check.rowsWithRule < check.rowsFullBudget);
  assert.equal(check.comparisons.length, 4); // two observables × before/after
  for (const c of check.comparisons) {
    assert.ok(Math.abs(c.difference!) < 1e-12, `${c.observable} ${c.phase}: difference ${c.difference}`);
    assert.ok(c.differenceLow !== null && Math.abs(c.differenceLow) < 1e-9 && Math.abs(c.differenceHigh!) < 1e-9, 'paired replicates cancel');
    assert.equal(c.same, true);
  }
  const table = earlyStopCheckTable(check);
  assert.deepEqual(table.array('same'), [true, true, true, true]);
  const text = earlyStopCheckMarkdown(check, { metric: 'testAccuracy', threshold: 0.99, holdFactor: 1 });
  assert.match(text, /test accuracy ≥ 0\.99 has held for as many epochs again as its onset/);
  assert.match(text, /the same within the intervals in all 4 comparisons/);
});

test('earlyStopCheck: D that changes only after the stop is caught (the full-budget D after the onset differs, its paired interval excludes 0)', () => {
  // Full budget: after 2 × onset the scaling steepens to D = 1.5.
  const late = grokRows().map((r) => {
    const N = r.scaleN as number;
    if ((r.epoch as number) <= 2 * GROK_ONSET[N]) return r;
    const S = Math.exp(0.1 * (r.seed as number)) * N ** 1.5;
    return { ...r, totalTopplings: S, sMax: S / 10 };
  });
  const check = earlyStopCheck({ summary: aq.from(late), runs: grokRuns() }, { summary: aq.from(stoppedRows(grokRows())), runs: grokRuns() }, planWith(60));
  assert.ok(check.ok);
  if (!check.ok) return;
  const post = check.comparisons.filter((c) => c.phase === 'post');
  const pre = check.comparisons.filter((c) => c.phase === 'pre');
  for (const c of pre) assert.equal(c.same, true);
  for (const c of post) {
    assert.ok(c.difference! < -0.05, `difference ${c.difference}`);
    assert.equal(c.same, false);
    assert.ok(c.differenceHigh! < 0);
  }
  assert.match(earlyStopCheckMarkdown(check, null), /D differs beyond the intervals for S_total after the onset/);
});

test('earlyStopCheck without a full-budget sweep, or without matching runs, says why instead of throwing', () => {
  const ruled = { summary: aq.from(grokRows()), runs: grokRuns() };
  const none = earlyStopCheck(ruled, null, planWith(10));
  assert.equal(none.ok, false);
  assert.match(earlyStopCheckMarkdown(none, null), /no budget-rule check/);
  const other = grokRuns().map((r) => ({ ...r, seed: r.seed + 100 }));
  const unmatched = earlyStopCheck(ruled, { summary: aq.from(grokRows()), runs: other }, planWith(10));
  assert.equal(unmatched.ok, false);
  assert.deepEqual(earlyStopCheckTable(unmatched).columnNames(), ['result']);
  assert.equal(
    earlyStopRuleText({ metric: 'trainAccuracy', threshold: 0.95, holdFactor: 2 }),
    'a run stops once its train accuracy ≥ 0.95 has held for 2 × as many epochs as its onset (the widths that never get there train the full budget)',
  );
});
