/**
 * Tables and sentences of the coverage study (notebook 11), and the one-paragraph note that
 * notebooks 03, 05, 06 and 08 show next to their intervals: every number from the typed results
 * of coverageStudy or from the stored full study (readCoverageResults).
 */
import * as aq from 'arquero';
import type { CoverageRow } from '../analysis/coverage';
import {
  COVERAGE_KINDS,
  coverageComparison,
  CoverageExperiment,
  CoverageResults,
  coverageRowOf,
  IntervalRule,
  isRowOfRule,
  RULE_BEFORE_STUDY,
} from '../analysis/coverageResults';
import { fixed } from '../util/format';

/** The rule of every notebook before the study and the rule of a plan. */
export interface CoverageRules {
  before: IntervalRule;
  after: IntervalRule;
}

/** The rules the stored results compare: plain percentiles before, the plan's settings after. */
export function coverageRules(plan: IntervalRule): CoverageRules {
  return { before: RULE_BEFORE_STUDY, after: { seedBootstrap: plan.seedBootstrap, crossingInterval: plan.crossingInterval } };
}

/** Coverage as "93.0 % [87.2, 96.3]" (no interval for pooled points). */
function percent(row: CoverageRow | undefined): string {
  if (!row || !Number.isFinite(row.coverage)) return 'n/a';
  const ci = Number.isFinite(row.coverageLow) ? ` [${fixed(100 * row.coverageLow, 1)}, ${fixed(100 * row.coverageHigh, 1)}]` : '';
  return `${fixed(100 * row.coverage, 1)} %${ci}`;
}

/**
 * A coverage table for display: interval, seed bootstrap, method, coverage (%) with its Wilson
 * 95 % interval, replications, median width, and the share of open-ended intervals. With
 * `rules`, only the rows of the rule before and after the study, marked in a `rule` column.
 */
export function coverageTableDisplay(rows: CoverageRow[], options: { rules?: CoverageRules } = {}): aq.ColumnTable {
  const rules = options.rules;
  const picked = rows
    .map((row) => ({ row, rule: rules ? (isRowOfRule(row, rules.after) ? 'now' : isRowOfRule(row, rules.before) ? 'before' : '') : '' }))
    .filter((r) => !rules || r.rule !== '');
  return aq.from(
    picked.map(({ row, rule }) => ({
      interval: row.interval,
      ...(rules ? { rule } : {}),
      seedBootstrap: row.seedBootstrap,
      method: row.method,
      coveragePercent: 100 * row.coverage,
      coverageLow: 100 * row.coverageLow,
      coverageHigh: 100 * row.coverageHigh,
      replications: row.replications,
      medianWidth: row.medianWidth,
      openEndedPercent: 100 * row.openEnded,
    })),
  );
}

/** Coverage of the rule before and after, per experiment and kind of interval: the study in one table. */
export function coverageOverview(results: CoverageResults): aq.ColumnTable {
  return aq.from(
    coverageComparison(results).map((c) => ({
      experiment: c.experiment,
      replications: c.replications,
      interval: c.interval,
      before: percent(c.before),
      now: percent(c.now),
    })),
  );
}

/** The experiment whose numbers the notebooks quote: the XOR sweep on the plan's graph. */
function quoted(results: CoverageResults): CoverageExperiment | undefined {
  return results.experiments.find((e) => e.name === 'xor') ?? results.experiments.find((e) => e.crossing);
}

/** Which intervals a note covers. */
export const COVERAGE_NOTE_KINDS = ['dPhase', 'trajectory', 'crossing'] as const;
export type CoverageNoteKind = (typeof COVERAGE_NOTE_KINDS)[number];

/**
 * The note a notebook shows next to its intervals: how often each kind of 95 % interval
 * contained the truth in the stored full study (XOR sweep, quick budget), now and with the
 * plain percentile intervals used before; or, without stored results, how to produce them.
 * @param results readCoverageResults() (null when the study has not been run)
 * @param kinds which intervals: 'dPhase' (D before / after the onset), 'trajectory' (the band
 *   of D(t)), 'crossing' (the lasting and first crossings of D = 1) [all three]
 */
export function coverageNote(results: CoverageResults | null, kinds: readonly CoverageNoteKind[] = COVERAGE_NOTE_KINDS): string {
  if (!results)
    return '**Measured coverage:** not in this checkout — `npm run coverage` runs the study (notebook 11 shows it) and writes `bench/results/coverage.json`.';
  const e = quoted(results);
  if (!e) return '**Measured coverage:** the stored study has no experiment with a crossing of D = 1.';
  const rules = coverageRules(results.plan);
  const pair = (kind: string) => `${percent(coverageRowOf(e.table, kind, rules.after))} (before: ${percent(coverageRowOf(e.table, kind, rules.before))})`;
  const parts: string[] = [];
  if (kinds.includes('dPhase')) parts.push(`D before the onset ${pair('D before onset')}, after it ${pair('D after onset')}`);
  if (kinds.includes('trajectory')) parts.push(`the band of D(t) at one epoch ${pair('D(t) band, one point')}`);
  if (kinds.includes('crossing')) parts.push(`the lasting crossing ${pair('lasting crossing')}, the first crossing ${pair('first crossing')}`);
  const ownGraph = results.experiments.find((x) => x.name === 'xor-own-graph');
  if (ownGraph && kinds.includes('crossing'))
    parts.push(
      `with each replication probed on a graph of its own, as an independent lab would, the lasting crossing ` +
        `${percent(coverageRowOf(ownGraph.table, 'lasting crossing', rules.after))} (before: ${percent(coverageRowOf(ownGraph.table, 'lasting crossing', rules.before))})`,
    );
  const date = results.createdAt.slice(0, 10);
  return (
    `**Measured coverage** of these 95 % intervals — the share of ${e.replications} independent replications of the XOR sweep (${e.seedsPerScale} seeds per width, ` +
    `quick budget) whose interval contains the truth pinned down by all the other replications (notebook 11; \`npm run coverage\`, ${date}): ` +
    `${parts.join('; ')}. "Before": plain percentile intervals (of D, and of the replicates' crossing times), the rule until this study; ` +
    `now: ${rules.after.seedBootstrap} seed bootstrap, crossings read off the ${rules.after.crossingInterval === 'pointwise-band' ? 'pointwise band of D(t)' : rules.after.crossingInterval}.`
  );
}

/** Coverage of one kind of interval under the rule before the study and the plan's rule (fractions; NaN when absent). */
export interface CoverageHeadlineItem {
  experiment: string;
  interval: string;
  replications: number;
  before: number;
  now: number;
  nowLow: number;
  nowHigh: number;
}

/** Every (experiment, kind of interval) of the stored study: coverage before and now, for recordResults. */
export function coverageHeadline(results: CoverageResults): CoverageHeadlineItem[] {
  return coverageComparison(results).map((c) => ({
    experiment: c.experiment,
    interval: c.interval,
    replications: c.replications,
    before: c.before?.coverage ?? NaN,
    now: c.now?.coverage ?? NaN,
    nowLow: c.now?.coverageLow ?? NaN,
    nowHigh: c.now?.coverageHigh ?? NaN,
  }));
}

/**
 * The closing paragraphs of the coverage notebook: per kind of interval, the lowest coverage
 * over the experiments before and now; which intervals of the plan's rule fall below
 * `threshold` (point estimate) in which experiment; and the lasting crossing of every
 * experiment with a designed crossing, since that is the interval the study was started for.
 * @param threshold coverage below which an interval is called short [0.9]
 */
export function coverageSummaryMarkdown(results: CoverageResults, threshold = 0.9): string {
  const items = coverageHeadline(results);
  if (!items.length) return '**Coverage study:** the stored results hold no experiment.';
  const rules = coverageRules(results.plan);
  const pct = (x: number) => `${fixed(100 * x, 1)} %`;
  const lines: string[] = [];
  lines.push(
    `**Rule of every notebook** (\`analysisPlan()\`): ${rules.after.seedBootstrap} seed bootstrap for every interval of D, ` +
      `crossing interval '${rules.after.crossingInterval}'. Before this study: plain percentiles of the bootstrap replicates (of D, and of the replicates' crossing times). ` +
      `${results.plan.bootstrap} bootstrap replicates per interval; study run ${results.createdAt.slice(0, 10)} (${results.command}, ${results.wallSeconds} s).`,
  );
  for (const kind of COVERAGE_KINDS) {
    const of = items.filter((i) => i.interval === kind && Number.isFinite(i.now));
    if (!of.length) continue;
    const worstNow = of.reduce((a, b) => (b.now < a.now ? b : a));
    const worstBefore = of.filter((i) => Number.isFinite(i.before)).reduce((a, b) => (b.before < a.before ? b : a), of[0]);
    lines.push(
      `- **${kind}**: lowest coverage over the ${of.length} experiments now ${pct(worstNow.now)} (${worstNow.experiment}), ` +
        `before ${pct(worstBefore.before)} (${worstBefore.experiment}).`,
    );
  }
  const short = items.filter((i) => i.now < threshold && i.interval !== 'D(t) band, one point');
  lines.push(
    short.length
      ? `Intervals of the rule below ${pct(threshold)}: ${short.map((i) => `${i.interval} in ${i.experiment} (${pct(i.now)} of ${i.replications})`).join('; ')}.`
      : `No interval of the rule covers less than ${pct(threshold)} in any experiment (point estimates; Wilson intervals in the table above).`,
  );
  const lasting = items.filter((i) => i.interval === 'lasting crossing');
  if (lasting.length)
    lines.push(
      `The lasting crossing, the interval this study was started for: ` +
        lasting
          .map(
            (i) => `${i.experiment} ${pct(i.now)} [${fixed(100 * i.nowLow, 1)}, ${fixed(100 * i.nowHigh, 1)}] of ${i.replications} (before ${pct(i.before)})`,
          )
          .join('; ') +
        '.',
    );
  // How well the truth itself is pinned down, and what the coverage costs in width.
  for (const e of results.experiments.filter((x) => x.crossing && x.replicationSummaries.length)) {
    const truths = e.replicationSummaries.map((s) => s.truth.lasting.time).filter(Number.isFinite);
    const width = (rule: IntervalRule) => coverageRowOf(e.table, 'lasting crossing', rule)?.medianWidth;
    if (!truths.length) continue;
    lines.push(
      `How firm is the truth (${e.name})? The lasting crossing of the pool of the other ${e.replications - 1} replications ranges from epoch ` +
        `${fixed(Math.min(...truths), 0)} to ${fixed(Math.max(...truths), 0)} over the ${truths.length} replications left out, and the pool of all of them ` +
        `(${e.truth.seedsPerScale} seeds per scale) has the interval [${fixed(e.truthIntervals.lasting.low, 0)}, ${fixed(e.truthIntervals.lasting.high, 0)}] under the rule: ` +
        `where D(t) hovers near 1, even hundreds of seeds do not fix the lasting crossing to better than that, and an interval that covers must be as wide — ` +
        `median width ${fixed(width(rules.after), 0)} epochs under the rule, ${fixed(width(rules.before), 0)} for the percentiles before.`,
    );
  }
  return lines.join('\n\n');
}
