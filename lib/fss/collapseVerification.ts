import { activeProfile, ProfileName } from '../util/profile';
import { autoscaleCollapse, binCollapseCurves } from './collapse';
import { CollapseCoverage, collapseCoverage, Proportion } from './collapseCoverage';
import { RecoveryPoint } from './collapseFigures';
import { DataCollapseOptions } from './collapseOptions';
import { collapseEstimate, dataCollapse, DataCollapseResult } from './dataCollapse';
import { SyntheticCollapseOptions, syntheticCollapseSizes } from './syntheticCollapse';

/**
 * The verification of the data collapse against known answers (notebook 09): synthetic
 * avalanche sizes P_N(s) ∝ s^(−τ) e^(−s/(c N^D)) at the paper's eight scales, with and without a
 * non-scaling small-size region, run through dataCollapse; recovered (τ, D) against the truth,
 * coverage of the 95 % intervals over replications, and cases without scaling.
 */

/** One synthetic case: a label and the data options (everything but the seed). */
export interface CollapseVerificationCase {
  label: string;
  truth: Omit<SyntheticCollapseOptions, 'seed'>;
}

/** What a profile verifies. */
export interface CollapseVerificationPlan {
  profile: ProfileName;
  /** The case shown in detail (window, candidates, quality profile). */
  example: CollapseVerificationCase;
  /** Cases whose recovered (τ, D) are compared with the truth [smoke 1, quick 4, paper 8]. */
  cases: CollapseVerificationCase[];
  /** Cases whose data have no collapse: the verdict must say so. */
  noScaling: CollapseVerificationCase[];
  /** dataCollapse options of every run (bootstrap: smoke 20, quick 100, paper 200). */
  collapse: DataCollapseOptions;
  /** Coverage study: cases and replications per case [smoke 1, quick 10, paper 40]. */
  coverage: { cases: CollapseVerificationCase[]; replications: number };
  /** Seed of the data of every case (coverage replications derive their own) [0]. */
  seed: number;
}

function label(t: Omit<SyntheticCollapseOptions, 'seed'>): string {
  const extra = t.nonScalingFraction ? `, ${Math.round(100 * t.nonScalingFraction)} % non-scaling` : '';
  return `τ ${t.tau}, D ${t.D}, n ${t.avalanches ?? 20000}${extra}`;
}

function makeCase(truth: Omit<SyntheticCollapseOptions, 'seed'>): CollapseVerificationCase {
  return { label: label(truth), truth };
}

/**
 * The verification plan of a profile (GROKFSS_PROFILE when omitted). τ and D span the paper's
 * range (τ 1.2 … 1.8, D 0.8 … 1.6); the non-scaling region is 20 % of avalanches from a
 * geometric distribution with mean 2 (sizes ≲ 10, the same at every N).
 */
export function collapseVerificationPlan(profile?: string): CollapseVerificationPlan {
  const name = activeProfile(profile);
  const n = 20000;
  const bump = { nonScalingFraction: 0.2, nonScalingMean: 2 };
  // smoke: one pair (the example is the other); quick: two pairs; paper: four.
  const pairs: Array<[number, number]> = name === 'paper' ? [[1.2, 0.8], [1.5, 1.0], [1.8, 0.8], [1.3, 1.4]] : name === 'quick' ? [[1.2, 0.8], [1.5, 1.0]] : [[1.2, 0.8]];
  const cases = pairs.flatMap(([tau, D]) => (name === 'smoke' ? [makeCase({ tau, D, avalanches: n })] : [makeCase({ tau, D, avalanches: n }), makeCase({ tau, D, avalanches: n, ...bump })]));
  return {
    profile: name,
    example: makeCase({ tau: 1.5, D: 1.0, avalanches: n, ...bump }),
    cases,
    noScaling: [
      { label: 'same distribution at every N (D = 0)', truth: { tau: 1.5, D: 0, cutoffAmplitude: 300, avalanches: n } },
      { label: 'τ changes with N (1.2 … 1.9)', truth: { tau: 1.5, D: 1, tauPerScale: [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], avalanches: n } },
    ],
    collapse: { bootstrap: name === 'smoke' ? 20 : name === 'quick' ? 100 : 200 },
    coverage: { cases: name === 'paper' ? [cases[0], cases[3]] : [cases[cases.length - 1]], replications: name === 'smoke' ? 1 : name === 'quick' ? 10 : 40 },
    seed: 0,
  };
}

/** Runs dataCollapse on one case's data (seeded with `seed`). */
export function runVerificationCase(c: CollapseVerificationCase, collapse: DataCollapseOptions, seed = 0): DataCollapseResult {
  return dataCollapse(syntheticCollapseSizes({ ...c.truth, seed }), { ...collapse, seed });
}

/** Recovered (τ, D) with intervals against the truth, one row per case. */
export interface RecoveryRow extends RecoveryPoint {
  sMin: number;
  S: number;
  holds: boolean;
  tauCovered: boolean;
  DCovered: boolean;
  note: string;
}

/** Runs every case and tabulates recovered against true exponents. */
export function collapseRecovery(cases: CollapseVerificationCase[], collapse: DataCollapseOptions, seed = 0): RecoveryRow[] {
  return cases.map((c) => {
    const r = runVerificationCase(c, collapse, seed);
    return {
      label: c.label,
      truthTau: c.truth.tau,
      truthD: c.truth.D,
      ...collapseEstimate(r),
      sMin: r.sMin,
      S: r.S,
      holds: r.holds,
      tauCovered: r.tauLow <= c.truth.tau && c.truth.tau <= r.tauHigh,
      DCovered: r.DLow <= c.truth.D && c.truth.D <= r.DHigh,
      note: r.note,
    };
  });
}

/** Coverage studies of the plan's coverage cases (collapseCoverage), in order. */
export function collapseCoverageStudies(plan: CollapseVerificationPlan, onReplication?: (caseLabel: string, index: number) => void): Array<{ label: string; coverage: CollapseCoverage }> {
  return plan.coverage.cases.map((c) => ({
    label: c.label,
    coverage: collapseCoverage({ truth: c.truth, replications: plan.coverage.replications, seed: plan.seed, collapse: plan.collapse, onReplication: (_, i) => onReplication?.(c.label, i) }),
  }));
}

function share(p: Proportion): string {
  return `${p.count}/${p.of} = ${p.fraction.toFixed(2)} ± ${p.standardError.toFixed(2)}`;
}

/** One row per coverage study: coverage of τ, D and both (k/n = fraction ± binomial SE), recovery within tolerance, bias, RMSE, median widths. */
export function coverageTable(studies: Array<{ label: string; coverage: CollapseCoverage }>): Array<Record<string, unknown>> {
  return studies.map(({ label: l, coverage: c }) => ({
    case: l,
    replications: c.replications,
    tauCovered: share(c.tauCovered),
    DCovered: share(c.DCovered),
    bothCovered: share(c.bothCovered),
    [`within ${c.tolerance}`]: share(c.withinTolerance),
    holds: share(c.holds),
    tauBias: c.tauBias,
    tauRmse: c.tauRmse,
    DBias: c.DBias,
    DRmse: c.DRmse,
    tauWidth: c.tauMedianWidth,
    DWidth: c.DMedianWidth,
  }));
}

/** One row per no-scaling case: the verdict and why. */
export function verdictTable(cases: CollapseVerificationCase[], results: DataCollapseResult[]): Array<Record<string, unknown>> {
  return cases.map((c, i) => ({ case: c.label, tau: results[i].tau, D: results[i].D, S: results[i].S, sMin: results[i].sMin, holds: results[i].holds, why: results[i].note || '—' }));
}

/** The closing paragraph of notebook 09, every number taken from the arguments. */
export function collapseVerificationMarkdown(parts: { recovery: RecoveryRow[]; coverage: Array<{ label: string; coverage: CollapseCoverage }>; noScaling: DataCollapseResult[]; tolerance?: number }): string {
  const tolerance = parts.tolerance ?? 0.1;
  const within = parts.recovery.filter((r) => Math.abs(r.tau - r.truthTau) <= tolerance && Math.abs(r.D - r.truthD) <= tolerance).length;
  const covered = parts.recovery.filter((r) => r.tauCovered && r.DCovered).length;
  const lines = [
    `**Recovery.** ${within} of ${parts.recovery.length} cases recover both τ and D within ${tolerance}; in ${covered} of ${parts.recovery.length} the 95 % bootstrap intervals contain both true values.`,
    ...parts.coverage.map(({ label: l, coverage: c }) => `**Coverage (${l}).** Over ${c.replications} replications the 95 % intervals contain the true τ in ${share(c.tauCovered)}, the true D in ${share(c.DCovered)}, both in ${share(c.bothCovered)} (binomial standard errors).`),
    `**No scaling.** ${parts.noScaling.filter((r) => !r.holds).length} of ${parts.noScaling.length} data sets without a collapse are reported as not collapsing.`,
  ];
  return lines.join('\n\n');
}

/**
 * The headline numbers of one collapse as a table row: τ and D with their intervals, β, the
 * window [s_min, largest size used], S (and S of the curves as measured), the verdict and notes.
 * Notebook 03 shows the real-data collapse with the same row.
 */
export function collapseResultRow(result: DataCollapseResult): Record<string, unknown> {
  return {
    ...collapseEstimate(result),
    beta: result.beta,
    sMin: result.sMin,
    sMinRule: result.sMinRule,
    largestSize: result.sMaxUsed,
    S: result.S,
    uncollapsedS: result.uncollapsedS,
    onBoundary: result.onBoundary,
    holds: result.holds,
    notes: result.note || '—',
  };
}

/**
 * The same sizes through three procedures, one row each: the old autoscaleCollapse with its
 * defaults (window from s = 1, search box around the start), the textbook collapse (amplitude
 * 'none') at s ≥ 1, and `result` (dataCollapse as configured).
 */
export function collapseMethodTable(sizes: ReadonlyArray<{ scaleN: number; sizes: ArrayLike<number> }>, result: DataCollapseResult, start: { tau: number; D: number } = { tau: 1.5, D: 1 }): Array<Record<string, unknown>> {
  const legacy = autoscaleCollapse(binCollapseCurves([...sizes], { binsPerDecade: result.options.binsPerDecade }), start);
  const textbook = dataCollapse(sizes, { ...result.options, sMin: 1, amplitude: 'none', bootstrap: 0 });
  return [
    { procedure: `autoscaleCollapse (old defaults, start τ ${start.tau}, D ${start.D})`, sMin: 1, tau: legacy.tau, D: legacy.D, S: legacy.S, interval: `±${legacy.tauStandardError.toFixed(2)}, ±${legacy.DStandardError.toFixed(2)} (S + 1)` },
    { procedure: 'textbook collapse (no amplitude), s ≥ 1', sMin: 1, tau: textbook.tau, D: textbook.D, S: textbook.S, interval: '—' },
    { procedure: `dataCollapse (${result.amplitude} amplitude, s_min ${result.sMinRule})`, sMin: result.sMin, tau: result.tau, D: result.D, S: result.S, interval: `τ [${result.tauLow.toFixed(2)}, ${result.tauHigh.toFixed(2)}], D [${result.DLow.toFixed(2)}, ${result.DHigh.toFixed(2)}]` },
  ];
}

/** The s_min candidates of a collapse as table rows (window, fit, bootstrap SDs, plateau rule). */
export function collapseCandidateRows(result: DataCollapseResult): Array<Record<string, unknown>> {
  return result.candidates.map((c) => ({
    sMin: c.sMin,
    scales: c.scales,
    bins: c.points,
    tau: c.tau,
    tauSD: c.tauBootstrapError,
    D: c.D,
    DSD: c.DBootstrapError,
    beta: c.beta,
    S: c.S,
    agrees: c.agrees,
    chosen: c.chosen,
  }));
}
