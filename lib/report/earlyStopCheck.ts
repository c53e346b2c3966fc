/**
 * Table, sentences and headline of notebook 05's check of the budget rule, from earlyStopCheck's
 * typed result and the training plan's rule.
 */
import * as aq from 'arquero';
import type { EarlyStopCheck } from '../analysis/earlyStopCheck';
import { OBSERVABLE_SYMBOLS } from '../plot/names';
import { finiteOrNull, significant } from '../util/format';

/** A budget rule as a plan writes it (TrainConfigInput.earlyStop; missing fields take their defaults). */
export type EarlyStopRule = { metric?: string; threshold?: number; holdFactor?: number } | null | undefined;

/** The budget rule in words, e.g. "a run stops once test accuracy ≥ 0.99 has held for 1 × its onset epochs". */
export function earlyStopRuleText(rule: EarlyStopRule): string {
  if (!rule) return 'no budget rule: every run trains its full budget';
  const metric = (rule.metric ?? 'testAccuracy') === 'testAccuracy' ? 'test accuracy' : 'train accuracy';
  const factor = rule.holdFactor ?? 1;
  const hold = factor === 1 ? 'as many epochs again as its onset' : `${factor} × as many epochs as its onset`;
  return `a run stops once its ${metric} ≥ ${rule.threshold ?? 0.99} has held for ${hold} (the widths that never get there train the full budget)`;
}

/** One row per observable and phase: D under the rule, D with the full budget, their difference and its paired interval. */
export function earlyStopCheckTable(check: EarlyStopCheck): aq.ColumnTable {
  if (!check.ok) return aq.from([{ result: check.reason }]);
  return aq.from(
    check.comparisons.map((c) => ({
      observable: OBSERVABLE_SYMBOLS[c.observable],
      phase: c.phase === 'pre' ? 'before onset' : 'after onset',
      D_rule: finiteOrNull(c.withRule.fit?.D),
      D_rule_low: finiteOrNull(c.withRule.fit?.ciLow),
      D_rule_high: finiteOrNull(c.withRule.fit?.ciHigh),
      D_full: finiteOrNull(c.fullBudget.fit?.D),
      D_full_low: finiteOrNull(c.fullBudget.fit?.ciLow),
      D_full_high: finiteOrNull(c.fullBudget.fit?.ciHigh),
      difference: finiteOrNull(c.difference),
      difference_low: finiteOrNull(c.differenceLow),
      difference_high: finiteOrNull(c.differenceHigh),
      same: c.same,
    })),
  );
}

/**
 * What the check found, in a paragraph that names the rule and says which side the notebook's
 * own sweep is on (`sweepHasRule`: it was trained under the rule; otherwise for its full budget).
 */
export function earlyStopCheckMarkdown(check: EarlyStopCheck, rule: EarlyStopRule, sweepHasRule = false): string {
  const ruleText = `**Budget rule checked:** ${earlyStopRuleText(rule)}. ${sweepHasRule ? 'The sweep above was trained under this rule.' : 'The sweep above trained every run for its full budget; only the check runs use the rule.'}`;
  if (!check.ok) return `${ruleText} **Check:** ${check.reason}.`;
  const num = significant;
  const decided = check.comparisons.filter((c) => c.same !== null);
  const differing = decided.filter((c) => c.same === false);
  const label = (c: (typeof check.comparisons)[number]) => `${OBSERVABLE_SYMBOLS[c.observable]} ${c.phase === 'pre' ? 'before' : 'after'} the onset`;
  const details = check.comparisons
    .map((c) =>
      c.difference === null
        ? `${label(c)}: no fit (${c.withRule.reason ?? c.fullBudget.reason})`
        : `${label(c)}: ${num(c.withRule.fit!.D)} with the rule, ${num(c.fullBudget.fit!.D)} with the full budget, difference ${num(c.difference)}${c.differenceLow !== null ? ` [${num(c.differenceLow)}, ${num(c.differenceHigh)}]` : ''}`,
    )
    .join('; ');
  const consequence = sweepHasRule
    ? 'read those results with the full-budget values beside them'
    : 'this is why the profile trains every run for its full budget';
  const verdict =
    decided.length === 0
      ? 'No phase has a fit on both sides, so the check is inconclusive.'
      : differing.length === 0
        ? `D is the same within the intervals in all ${decided.length} comparisons (the paired bootstrap interval of each difference contains 0).`
        : `D differs beyond the intervals for ${differing.map(label).join(', ')}: the rule changes that result, and ${consequence}.`;
  return [
    ruleText,
    `**Check:** ${check.runs} runs (N = ${check.scales.join(', ')}; seeds ${check.seeds.join(', ')}) trained both ways. ${check.sameOnset} of ${check.runs} have the same test onset either way; the rule keeps ${check.rowsWithRule} of the ${check.rowsFullBudget} probed snapshots. ${verdict}`,
    `${details}.`,
  ].join('\n\n');
}

/** Headline numbers of the check for the results file. */
export function earlyStopCheckHeadline(check: EarlyStopCheck): Record<string, unknown> {
  if (!check.ok) return { earlyStopCheck: check.reason };
  return {
    earlyStopCheck: {
      runs: check.runs,
      scales: check.scales,
      sameOnset: check.sameOnset,
      allSame: check.comparisons.every((c) => c.same !== false),
      differences: check.comparisons.map((c) => ({
        observable: c.observable,
        phase: c.phase,
        difference: finiteOrNull(c.difference),
        low: finiteOrNull(c.differenceLow),
        high: finiteOrNull(c.differenceHigh),
        same: c.same,
      })),
    },
  };
}
