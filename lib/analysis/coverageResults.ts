/**
 * The stored results of the full coverage study (`npm run coverage`, bench/coverage.ts): one
 * JSON file, committed with the code that produced it, which notebook 11 shows and notebooks
 * 03, 05, 06 and 08 quote next to their intervals. Infinity and NaN (open-ended or missing
 * intervals) are written as the strings "Infinity" and "NaN", and read back as numbers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeedBootstrap } from '../fss/clusters';
import { CrossingInterval } from '../fss/trajectory';
import { atomicWriteFile, projectRoot } from '../store/index';
import { InvalidOptionError } from '../util/errors';
import type { CoverageRow, CoverageStudy, CoverageTruth, CoveredInterval, CrossingRule } from './coverage';

/** Format version of the results file; bumped when its fields change meaning. */
export const COVERAGE_RESULTS_VERSION = 1;

/** One replication, reduced to what the figures show: its truth and the intervals of the rules compared. */
export interface ReplicationSummary {
  replication: number;
  truth: Pick<CoverageTruth, 'dPre' | 'dPost' | 'lasting' | 'first'>;
  /** Per rule ('before': plain percentile intervals; 'after': the plan's rule): D before / after and both crossings. */
  rules: Array<{
    rule: 'before' | 'after';
    seedBootstrap: SeedBootstrap;
    crossingInterval: CrossingInterval;
    dPre: CoveredInterval;
    dPost: CoveredInterval;
    crossings: Array<{ rule: CrossingRule; direction: string } & CoveredInterval>;
  }>;
}

/** One experiment of the study. */
export interface CoverageExperiment {
  /** Short name ('gaussian', 'switch', 'hover', 'xor', 'xor-own-graph'). */
  name: string;
  /** One line: what the runs are and where the truth comes from. */
  description: string;
  replications: number;
  seedsPerScale: number;
  scales: number[];
  /** Whether D(t) crosses 1 by design (false: crossing intervals cover when they allow no crossing). */
  crossing: boolean;
  truth: Omit<CoverageTruth, 'times' | 'D'>;
  truthIntervals: CoverageStudy['truthIntervals'];
  table: CoverageRow[];
  /** Per replication, for figures (kept for the experiments the notebook draws; empty for the others). */
  replicationSummaries: ReplicationSummary[];
}

/** The whole results file. */
export interface CoverageResults {
  version: number;
  /** ISO time the study finished, the git commit it ran on, and the command. */
  createdAt: string;
  gitCommit: string;
  command: string;
  wallSeconds: number;
  /** The plan settings of every replication: bootstrap size and seed, lasting rule, and the rule compared with the old one. */
  plan: { bootstrap: number; seed: number; lastingPoints: number; seedBootstrap: SeedBootstrap; crossingInterval: CrossingInterval };
  experiments: CoverageExperiment[];
}

/** The interval kinds of a coverage table that a rule makes, in the order the notebook shows them. */
export const COVERAGE_KINDS = ['D before onset', 'D after onset', 'D(t) band, one point', 'lasting crossing', 'first crossing'] as const;

/** A way of making intervals: how seeds are resampled and how a crossing's interval is made. */
export interface IntervalRule {
  seedBootstrap: SeedBootstrap;
  crossingInterval: CrossingInterval;
}

/** The rule of every notebook before the coverage study: plain percentile intervals of D and of the replicates' crossing times. */
export const RULE_BEFORE_STUDY: IntervalRule = { seedBootstrap: 'plain', crossingInterval: 'percentile' };

/**
 * Whether a coverage row is the interval `rule` produces: rows of D, its seed bootstrap;
 * crossings, also its interval method; the band of D(t), the pointwise band.
 */
export function isRowOfRule(row: CoverageRow, rule: IntervalRule): boolean {
  if (row.seedBootstrap !== rule.seedBootstrap) return false;
  if (row.interval.endsWith('crossing')) return row.method === rule.crossingInterval;
  if (row.interval.startsWith('D(t) band')) return row.method === 'pointwise';
  return true;
}

/** The row of one kind of interval under one rule (undefined when the table has none). */
export function coverageRowOf(rows: CoverageRow[], kind: string, rule: IntervalRule): CoverageRow | undefined {
  return rows.find((r) => r.interval === kind && isRowOfRule(r, rule));
}

/** One experiment and kind of interval: its coverage row under the rule before the study and under the rule now. */
export interface CoverageComparison {
  experiment: string;
  replications: number;
  interval: (typeof COVERAGE_KINDS)[number];
  /** RULE_BEFORE_STUDY's row, and the row of the rule now (undefined when the table has none). */
  before: CoverageRow | undefined;
  now: CoverageRow | undefined;
}

/**
 * Every experiment × kind of interval of the stored study (crossings only where D(t) crosses 1
 * by design), in the order of COVERAGE_KINDS: the rows of the rule before the study and of `now`
 * [the rule the study was run with, results.plan].
 */
export function coverageComparison(results: CoverageResults, now: IntervalRule = results.plan): CoverageComparison[] {
  return results.experiments.flatMap((e) =>
    COVERAGE_KINDS.filter((kind) => e.crossing || !kind.endsWith('crossing')).map((kind) => ({
      experiment: e.name,
      replications: e.replications,
      interval: kind,
      before: coverageRowOf(e.table, kind, RULE_BEFORE_STUDY),
      now: coverageRowOf(e.table, kind, now),
    })),
  );
}

/** Where the full study's results live: bench/results/coverage.json in the project. */
export function coverageResultsPath(): string {
  return path.join(projectRoot(), 'bench', 'results', 'coverage.json');
}

/** The study's compact per-replication summary for the 'before' rule and the plan's rule. */
export function replicationSummaries(study: CoverageStudy, after: IntervalRule): ReplicationSummary[] {
  const rules = [
    { rule: 'before' as const, ...RULE_BEFORE_STUDY },
    { rule: 'after' as const, ...after },
  ];
  return study.results.map((r) => ({
    replication: r.replication,
    truth: { dPre: r.truth.dPre, dPost: r.truth.dPost, lasting: r.truth.lasting, first: r.truth.first },
    rules: rules.flatMap((rule) => {
      const i = r.intervals.find((x) => x.seedBootstrap === rule.seedBootstrap);
      if (!i) return [];
      const crossings = i.crossings
        .filter((c) => c.method === rule.crossingInterval)
        .map((c) => ({ rule: c.rule, direction: c.direction, estimate: c.estimate, low: c.low, high: c.high, covered: c.covered }));
      return [{ ...rule, dPre: i.dPre, dPost: i.dPost, crossings }];
    }),
  }));
}

/**
 * One experiment of the results file from its study: the pooled truth without its D(t) curve,
 * the coverage table, and (with `keepReplications`) the per-replication summaries of the rule
 * before the study and of `rule`, which the figures draw (~10 kB per replication).
 * @param name short name of the experiment; @param description one line, what the runs are
 * @param crossing whether D(t) crosses 1 by design (as passed to coverageStudy)
 */
export function coverageExperiment(
  name: string,
  description: string,
  study: CoverageStudy,
  options: { crossing: boolean; rule: IntervalRule; keepReplications?: boolean },
): CoverageExperiment {
  const { times: _times, D: _D, ...truth } = study.truth;
  return {
    name,
    description,
    replications: study.replications,
    seedsPerScale: study.seedsPerScale,
    scales: study.scales,
    crossing: options.crossing,
    truth,
    truthIntervals: study.truthIntervals,
    table: study.table,
    replicationSummaries: options.keepReplications ? replicationSummaries(study, options.rule) : [],
  };
}

/** The results as JSON text: Infinity and NaN as strings, other numbers to 6 significant digits (far below any interval's width). */
export function coverageResultsJson(results: CoverageResults): string {
  const replacer = (_key: string, value: unknown) =>
    typeof value !== 'number' ? value : !Number.isFinite(value) ? String(value) : Number.isInteger(value) ? value : Number(value.toPrecision(6));
  return JSON.stringify(results, replacer, 1) + '\n';
}

/** Parses results written by {@link coverageResultsJson}, checking the version. */
export function parseCoverageResults(text: string): CoverageResults {
  const parsed = JSON.parse(text, (_key, value) =>
    value === 'Infinity' || value === '-Infinity' || value === 'NaN' ? Number(value) : value,
  ) as CoverageResults;
  if (parsed?.version !== COVERAGE_RESULTS_VERSION || !Array.isArray(parsed.experiments))
    throw new InvalidOptionError(
      'coverage results',
      `expected version ${COVERAGE_RESULTS_VERSION} with an experiments array, got version ${String(parsed?.version)}`,
    );
  return parsed;
}

/** Writes the results atomically (temporary file, then rename). */
export function writeCoverageResults(results: CoverageResults, file = coverageResultsPath()): void {
  atomicWriteFile(file, coverageResultsJson(results));
}

/** The stored results, or null when the study has not been run (`npm run coverage` writes them). */
export function readCoverageResults(file = coverageResultsPath()): CoverageResults | null {
  if (!fs.existsSync(file)) return null;
  return parseCoverageResults(fs.readFileSync(file, 'utf8'));
}
