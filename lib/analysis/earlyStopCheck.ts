/**
 * The check of a budget rule (a training run stops once its test accuracy has held ≥ 0.99 for as
 * long again as its onset; see lib/train/config.ts EarlyStopConfig): the same widths and seeds,
 * trained once under the rule and once for the full budget, must give the same D before and after
 * the onset. A stopped run is the exact prefix of its full-budget run (same snapshots up to the
 * stop), so the two differ only in the snapshots after the stop, which enter D after the onset.
 */
import * as aq from 'arquero';
import { percentileInterval } from '../stats/bootstrap';
import { PhaseFit } from './dimension';
import { grokkingDimension } from './grokkingDimension';
import { Observable } from './observables';
import { Phase } from './phase';
import { AnalysisPlan } from './plan';
import { completedRuns, runKey, RunsInput } from './runs';

/** A probed sweep: the probe summary table and the runs it was probed from. */
export interface ProbedRuns {
  summary: aq.ColumnTable;
  runs: RunsInput;
}

/** D of one observable in one phase, under the rule and with the full budget. */
export interface EarlyStopComparison {
  observable: Observable;
  phase: Phase;
  withRule: PhaseFit;
  fullBudget: PhaseFit;
  /** D under the rule − D with the full budget (null when either fit is missing). */
  difference: number | null;
  /**
   * 95 % interval of the difference from paired bootstrap replicates: both fits resample the same
   * seeds of the same scales with the same draws (the plan's seed), so replicate b of one pairs
   * with replicate b of the other. Null when the two fits do not have the same scales and seeds.
   */
  differenceLow: number | null;
  differenceHigh: number | null;
  /**
   * The same within the intervals: the paired interval of the difference contains 0 (or, when
   * it is unavailable, each estimate lies inside the other's 95 % interval); null without fits.
   */
  same: boolean | null;
}

/** Result of {@link earlyStopCheck}. */
export type EarlyStopCheck =
  | {
      ok: true;
      /** Scales N and seeds checked (the full-budget sweep's). */
      scales: number[];
      seeds: number[];
      /** Runs checked, and those whose test onset is the same with and without the rule. */
      runs: number;
      sameOnset: number;
      /** Probed snapshots (× graph seeds) of the checked runs, under the rule and with the full budget. */
      rowsWithRule: number;
      rowsFullBudget: number;
      comparisons: EarlyStopComparison[];
    }
  | { ok: false; reason: string };

/** Options of {@link earlyStopCheck}. */
export interface EarlyStopCheckOptions {
  /** The notebook's own sweep was trained under the rule (the check sweep is then the full budget) [false]. */
  sweepHasRule?: boolean;
}

/**
 * Compares D before and after the test onset on the check's runs, trained once under the budget
 * rule and once for the full budget. `sweep` is the notebook's own probed sweep (the full budget,
 * or under the rule with `sweepHasRule`), `check` the plan's earlyStopCheck runs trained the other
 * way (earlyStopCheckPlan):
 *  1. both sides are restricted to the (N, seed) pairs of `check`;
 *  2. grokkingDimension on each (the phase rule and fitPhase every notebook uses, with the plan);
 *  3. per observable and phase: both fits, their difference and its paired-bootstrap interval.
 * Returns `{ ok: false, reason }` (never throws for missing data) when there is nothing to check.
 */
export function earlyStopCheck(sweep: ProbedRuns, check: ProbedRuns | null, plan: AnalysisPlan, options: EarlyStopCheckOptions = {}): EarlyStopCheck {
  if (!check) return { ok: false, reason: 'the plan has no budget-rule check (earlyStopCheck), so there is nothing to compare' };
  const checked = completedRuns(check.runs);
  const wanted = new Set(checked.map((r) => runKey(r.N, r.seed)));
  const counterpart = completedRuns(sweep.runs).filter((r) => wanted.has(runKey(r.N, r.seed)));
  if (counterpart.length === 0) return { ok: false, reason: "none of the check's runs has a counterpart in the notebook's sweep" };
  const [ruled, full] = options.sweepHasRule ? [counterpart, checked] : [checked, counterpart];
  const [ruledSummary, fullSummary] = options.sweepHasRule ? [sweep.summary, check.summary] : [check.summary, sweep.summary];
  const onsetByRun = new Map(ruled.map((r) => [runKey(r.N, r.seed), r.testOnset]));
  const sameOnset = full.filter((r) => onsetByRun.has(runKey(r.N, r.seed)) && onsetByRun.get(runKey(r.N, r.seed)) === r.testOnset).length;
  const a = grokkingDimension(ruledSummary, ruled, plan);
  const b = grokkingDimension(fullSummary, full, plan);
  if (!a.ok) return { ok: false, reason: `under the rule: ${a.reason}` };
  if (!b.ok) return { ok: false, reason: `with the full budget: ${b.reason}` };
  const comparisons: EarlyStopComparison[] = [];
  for (const o of a.observables) {
    const other = b.observables.find((x) => x.observable === o.observable)!;
    for (const phase of ['pre', 'post'] as const) comparisons.push(compare(o[phase], other[phase]));
  }
  const countRows = (summary: aq.ColumnTable, runs: typeof full) => {
    const keys = new Set(runs.map((r) => runKey(r.N, r.seed)));
    return (summary.objects() as Array<{ scaleN: number; seed: number }>).filter((r) => keys.has(runKey(r.scaleN, r.seed))).length;
  };
  return {
    ok: true,
    scales: [...new Set(checked.map((r) => r.N))].sort((x, y) => x - y),
    seeds: [...new Set(checked.map((r) => r.seed))].sort((x, y) => x - y),
    runs: checked.length,
    sameOnset,
    rowsWithRule: countRows(ruledSummary, ruled),
    rowsFullBudget: countRows(fullSummary, full),
    comparisons,
  };
}

function compare(withRule: PhaseFit, fullBudget: PhaseFit): EarlyStopComparison {
  const base = { observable: withRule.observable, phase: withRule.phase as Phase, withRule, fullBudget };
  const x = withRule.fit;
  const y = fullBudget.fit;
  if (!x || !y) return { ...base, difference: null, differenceLow: null, differenceHigh: null, same: null };
  const paired = x.replicates.length > 0 && x.replicates.length === y.replicates.length && sameList(x.scales, y.scales) && sameList(x.seedCounts, y.seedCounts);
  if (paired) {
    const differences = Float64Array.from(x.replicates, (value, i) => value - y.replicates[i]);
    const interval = percentileInterval(differences, x.confidence);
    return { ...base, difference: x.D - y.D, differenceLow: interval.low, differenceHigh: interval.high, same: interval.low <= 0 && 0 <= interval.high };
  }
  const inside = (value: number, low: number, high: number) => low <= value && value <= high;
  return { ...base, difference: x.D - y.D, differenceLow: null, differenceHigh: null, same: inside(x.D, y.ciLow, y.ciHigh) && inside(y.D, x.ciLow, x.ciHigh) };
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
