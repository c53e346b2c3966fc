/**
 * Tables, headline and closing paragraph of the training stage (notebooks 01 and 05): the plan
 * as a table, onsets per scale, which scales grok, and the numbers of the sweep — from the runs
 * table and the per-scale Gini peaks (lib/analysis/runs, lib/analysis/training).
 */
import * as aq from 'arquero';
import { GroksOptions, groksTable, GrokVerdict, OnsetField, onsetsByScale, runRows, RunsInput } from '../analysis/runs';
import { layerSizesOf, resolveTrainConfig, TrainConfig } from '../train/config';
import { parameterCount } from '../train/layout';
import type { TrainingPlan } from '../train/profiles';
import { InvalidOptionError } from '../util/errors';
import { significant as fmt } from '../util/format';

/**
 * The training plan as a table, one row per hidden width: h, N (parameter count of the MLP),
 * seeds, runs (= seeds), epochs, snapshots (count), and the recipe (activation, optimiser,
 * learning rate, weight decay) that every row shares.
 */
export function planTable(plan: TrainingPlan): aq.ColumnTable {
  if (!plan || !Array.isArray(plan.scales) || plan.scales.length === 0)
    throw new InvalidOptionError('plan.scales', 'must be a non-empty array of hidden widths (see trainingPlan)');
  if (!Array.isArray(plan.seeds) || plan.seeds.length === 0) throw new InvalidOptionError('plan.seeds', 'must be a non-empty array of seeds');
  const rows = plan.scales.map((h) => {
    const config: TrainConfig = resolveTrainConfig({ ...plan.base, hidden: h, seed: plan.seeds[0] });
    const snapshots = 'count' in config.snapshots ? config.snapshots.count : config.snapshots.epochs.length;
    return {
      task: config.task.name,
      h,
      N: parameterCount({ layerSizes: layerSizesOf(config), bias: config.model.bias }),
      seeds: plan.seeds.length,
      epochs: config.epochs,
      snapshots,
      activation: config.model.activation,
      optimizer: config.optimizer.name,
      lr: config.optimizer.lr,
      weightDecay: config.optimizer.weightDecay,
    };
  });
  return aq.from(rows);
}

/**
 * The per-scale onsets a notebook shows: {@link onsetsByScale} without the test-set columns when
 * no run has a test set (XOR), and without the gap column when no gap exists.
 */
export function onsetSummaryTable(runs: RunsInput): aq.ColumnTable {
  const rows = runRows(runs);
  const table = onsetsByScale(rows);
  const hasTestSet = rows.some((r) => r.task !== 'xor');
  const anyGap = (table.array('gapMedian') as Array<number | null>).some((v) => v !== null);
  const drop = new Set<string>();
  if (!hasTestSet) ['testReached', 'testOnsetMedian', 'testOnsetMin', 'testOnsetMax'].forEach((n) => drop.add(n));
  if (!anyGap) drop.add('gapMedian');
  return table.select(table.columnNames().filter((n) => !drop.has(n)));
}

/** Headline numbers of a training sweep (for recordResults and the "what this shows" cell). */
export interface TrainingHeadline {
  task: string;
  runs: number;
  complete: number;
  failed: number;
  cacheHits: number;
  /** Hidden widths h and parameter counts N, ascending. */
  scales: number[];
  N: number[];
  /** Which onset the medians are about (trainOnset for XOR, testOnset for a task with a test split). */
  onsetField: OnsetField;
  /** Completed runs whose onset exists. */
  runsReachingOnset: number;
  /** Median onset epoch per scale, keyed by h (null: no run of that scale reached it). */
  onsetMedians: Record<string, number | null>;
  /** Median train onset per scale (also for tasks with a test split). */
  trainOnsetMedians: Record<string, number | null>;
  /** Median grokking gap (test / train onset) per scale; empty without a test split. */
  gapMedians: Record<string, number | null>;
  /** Gini peaks: scales where most runs have a transition peak (not early, not still rising), and per-scale medians over those runs. */
  giniTransitionScales: number;
  giniPeakOverOnsetMedians: Record<string, number | null>;
  giniPeakEpochMedians: Record<string, number | null>;
}

/**
 * Collects the headline numbers of a sweep from its runs table and the per-scale Gini peaks
 * (giniPeaksByScale; optional). `onsetField`: which onset the medians are about [testOnset
 * when the runs have a test split, else trainOnset].
 */
export function trainingHeadline(runs: RunsInput, peaksByScale?: aq.ColumnTable, onsetField?: OnsetField): TrainingHeadline {
  const rows = runRows(runs);
  const hasTestSet = rows.some((r) => r.task !== 'xor');
  const field = onsetField ?? (hasTestSet ? 'testOnset' : 'trainOnset');
  const byScale = onsetsByScale(rows).objects() as Array<Record<string, number | null>>;
  const peaks = peaksByScale ? (peaksByScale.objects() as Array<Record<string, number | null>>) : [];
  const keyed = (list: Array<Record<string, number | null>>, column: string) => Object.fromEntries(list.map((r) => [String(r.h), r[column]]));
  return {
    task: rows[0].task,
    runs: rows.length,
    complete: rows.filter((r) => r.status === 'complete').length,
    failed: rows.filter((r) => r.status !== 'complete').length,
    cacheHits: rows.filter((r) => r.cacheHit).length,
    scales: byScale.map((r) => r.h as number),
    N: byScale.map((r) => r.N as number),
    onsetField: field,
    runsReachingOnset: rows.filter((r) => r.status === 'complete' && r[field] != null).length,
    onsetMedians: keyed(byScale, field === 'trainOnset' ? 'trainOnsetMedian' : 'testOnsetMedian'),
    trainOnsetMedians: keyed(byScale, 'trainOnsetMedian'),
    gapMedians: hasTestSet ? keyed(byScale, 'gapMedian') : {},
    giniTransitionScales: peaks.filter((r) => (r.transitionPeaks as number) * 2 > (r.runs as number)).length,
    giniPeakOverOnsetMedians: keyed(peaks, 'peakOverOnsetMedian'),
    giniPeakEpochMedians: keyed(peaks, 'peakEpochMedian'),
  };
}

/** "ranges from a (N = …) to b (N = …)", or "is a (N = …)" for a single scale. */
function extremes(values: Record<string, number | null>, N: Record<string, number>): string | null {
  const entries = Object.entries(values).filter((e): e is [string, number] => e[1] !== null && Number.isFinite(e[1]));
  if (entries.length === 0) return null;
  const sorted = [...entries].sort((a, b) => a[1] - b[1]);
  const say = ([h, v]: [string, number]) => `${fmt(v)} (N = ${N[h]})`;
  return sorted.length === 1 ? `is ${say(sorted[0])}` : `ranges from ${say(sorted[0])} to ${say(sorted[sorted.length - 1])}`;
}

/**
 * A short markdown paragraph stating the sweep's numbers: runs, failures, cache use, how many
 * runs reached the onset, the range of per-scale median onsets (and gaps), and where the Gini
 * peak sits relative to the onset. Every number comes from `headline`.
 */
export function trainingSummaryMarkdown(headline: TrainingHeadline): string {
  const N = Object.fromEntries(headline.scales.map((h, i) => [String(h), headline.N[i]]));
  const onsetName = headline.onsetField === 'trainOnset' ? 'train-accuracy onset' : 'test-accuracy onset';
  const lines: string[] = [];
  lines.push(
    `**Sweep.** ${headline.runs} run${headline.runs === 1 ? '' : 's'} of ${headline.task} at ${headline.scales.length} scale${headline.scales.length === 1 ? '' : 's'} ` +
      `(N = ${headline.N.join(', ')}); ${headline.complete} completed, ${headline.failed} failed; ${headline.cacheHits} read from the store.`,
  );
  const onset = extremes(headline.onsetMedians, N);
  lines.push(
    `**Onset** (first epoch from which accuracy stays ≥ 0.99): ${headline.runsReachingOnset} of ${headline.complete} completed runs reach the ${onsetName}` +
      (onset ? `; the per-scale median ${onset} epochs.` : '; no scale has an onset.'),
  );
  const never = headline.scales.filter((h) => headline.onsetMedians[String(h)] === null);
  if (never.length) lines.push(`Scales without any run reaching the ${onsetName}: ${never.map((h) => `N = ${N[String(h)]} (h = ${h})`).join(', ')}.`);
  const gap = extremes(headline.gapMedians, N);
  if (gap) lines.push(`**Grokking gap** (test onset / train onset): the per-scale median ${gap}.`);
  const ratios = Object.values(headline.giniPeakOverOnsetMedians).filter((v): v is number => v !== null && Number.isFinite(v));
  if (Object.keys(headline.giniPeakEpochMedians).length) {
    const before = ratios.filter((r) => r < 1).length;
    const ratio = extremes(headline.giniPeakOverOnsetMedians, N);
    lines.push(
      `**Gini of |θ|:** in ${headline.giniTransitionScales} of ${headline.scales.length} scales most runs have a peak after the first 5 % of training and before its end. ` +
        (ratio
          ? `Over those runs the median peak epoch / onset ${ratio}: the peak comes before the onset in ${before} and at or after it in ${ratios.length - before} of ${ratios.length} scales.`
          : 'No onset to compare the peak with.'),
    );
  }
  return lines.join('\n\n');
}

/**
 * One paragraph on which scales grok (from {@link groksTable}): those that never do, those where
 * only some seeds do, and which scales are excluded from / enter the later fits.
 */
export function groksMarkdown(runs: RunsInput, options: GroksOptions = {}): string {
  const rows = groksTable(runs, options).objects() as Array<{
    h: number;
    N: number;
    grokked: number;
    complete: number;
    verdict: GrokVerdict;
    included: boolean;
  }>;
  const field = options.field ?? 'testOnset';
  const what = field === 'testOnset' ? 'test' : 'train';
  const list = (r: typeof rows) => r.map((x) => `N = ${x.N} (h = ${x.h})`).join(', ');
  const never = rows.filter((r) => r.verdict === 'never');
  const partial = rows.filter((r) => r.verdict === 'partial');
  const excluded = rows.filter((r) => !r.included);
  const included = rows.filter((r) => r.included);
  const parts = [
    never.length
      ? `**Never grok** (no completed seed keeps ${what} accuracy ≥ 0.99 to the end): ${list(never)}.`
      : `Every scale has at least one seed that reaches the ${what}-accuracy onset.`,
    partial.length ? `**Partly:** ${partial.map((x) => `N = ${x.N} (h = ${x.h}, ${x.grokked} of ${x.complete} seeds)`).join(', ')}.` : '',
    excluded.length ? `Excluded from the fits below: ${list(excluded)}.` : 'No scale is excluded from the fits below.',
    included.length ? `Entering them: ${list(included)}.` : 'No scale enters them.',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
