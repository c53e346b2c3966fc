/**
 * The verification of the data collapse against known answers (notebook 10): synthetic
 * avalanche sizes P_N(s) ∝ s^(−τ) e^(−s/(c N^D)) at the paper's eight scales, with and without a
 * non-scaling small-size region, run through dataCollapse; recovered (τ, D) against the truth,
 * coverage of the 95 % intervals over replications, and cases without scaling. Tables and prose
 * are in lib/report/collapseVerification.ts, figures in lib/figures/dataCollapse.ts.
 */
import { AutoscaleResult, autoscaleCollapse, binCollapseCurves } from '../fss/collapse';
import { CollapseCoverage, collapseCoverage } from '../fss/collapseCoverage';
import { DataCollapseOptions } from '../fss/collapseOptions';
import { CollapseEstimate, collapseEstimate, dataCollapse, DataCollapseResult } from '../fss/dataCollapse';
import { SyntheticCollapseOptions, syntheticCollapseSizes } from '../fss/syntheticCollapse';
import { activeProfile, ProfileName } from '../util/profile';

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
  /** dataCollapse options of every run (bootstrap: smoke 20, quick and paper 100). */
  collapse: DataCollapseOptions;
  /**
   * Coverage study: cases and replications per case [smoke 1, quick and paper 10]. Ten only show
   * that the study runs and roughly where it lands; the measurement (six cases × 40) is
   * `npm run bench -- collapse`, whose results dataCollapse's doc comment quotes. 40 per case here
   * would take over an hour of the paper profile's 30-minute budget.
   */
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
 * range; 20 000 avalanches per scale (the cost grows with the number of bins, not of
 * avalanches); the non-scaling region is 20 % of avalanches from a geometric distribution with
 * mean 2 (sizes ≲ 10, the same at every N).
 */
export function collapseVerificationPlan(profile?: string): CollapseVerificationPlan {
  const name = activeProfile(profile);
  const n = 20000;
  const bump = { nonScalingFraction: 0.2, nonScalingMean: 2 };
  // smoke: one pair (the example is the other); quick: two pairs; paper: four.
  const pairs: Array<[number, number]> =
    name === 'paper'
      ? [
          [1.2, 0.8],
          [1.5, 1.0],
          [1.8, 0.8],
          [1.3, 1.4],
        ]
      : name === 'quick'
        ? [
            [1.2, 0.8],
            [1.5, 1.0],
          ]
        : [[1.2, 0.8]];
  const cases = pairs.flatMap(([tau, D]) =>
    name === 'smoke' ? [makeCase({ tau, D, avalanches: n })] : [makeCase({ tau, D, avalanches: n }), makeCase({ tau, D, avalanches: n, ...bump })],
  );
  return {
    profile: name,
    example: makeCase({ tau: 1.5, D: 1.0, avalanches: n, ...bump }),
    cases,
    noScaling: [
      { label: 'same distribution at every N (D = 0)', truth: { tau: 1.5, D: 0, cutoffAmplitude: 300, avalanches: n } },
      { label: 'τ changes with N (1.2 … 1.9)', truth: { tau: 1.5, D: 1, tauPerScale: [1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], avalanches: n } },
    ],
    collapse: { bootstrap: name === 'smoke' ? 20 : 100 },
    coverage: { cases: [cases[cases.length - 1]], replications: name === 'smoke' ? 1 : 10 },
    seed: 0,
  };
}

/** Runs dataCollapse on one case's data (seeded with `seed`). */
export function runVerificationCase(c: CollapseVerificationCase, collapse: DataCollapseOptions, seed = 0): DataCollapseResult {
  return dataCollapse(syntheticCollapseSizes({ ...c.truth, seed }), { ...collapse, seed });
}

/** Recovered (τ, D) with intervals against the truth, one row per case. */
export interface RecoveryRow extends CollapseEstimate {
  label: string;
  truthTau: number;
  truthD: number;
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
export function collapseCoverageStudies(
  plan: CollapseVerificationPlan,
  onReplication?: (caseLabel: string, index: number) => void,
): Array<{ label: string; coverage: CollapseCoverage }> {
  return plan.coverage.cases.map((c) => ({
    label: c.label,
    coverage: collapseCoverage({
      truth: c.truth,
      replications: plan.coverage.replications,
      seed: plan.seed,
      collapse: plan.collapse,
      onReplication: (_, i) => onReplication?.(c.label, i),
    }),
  }));
}

/** The same sizes through the older procedures, next to `result` (see collapseMethodTable). */
export interface CollapseMethodComparison {
  /** autoscaleCollapse with its defaults (window from s = 1, search box start ± radius), from `start`. */
  legacy: AutoscaleResult;
  start: { tau: number; D: number };
  /** The textbook collapse (amplitude 'none') over s ≥ 1, no bootstrap. */
  textbook: DataCollapseResult;
  result: DataCollapseResult;
}

/** Runs the older procedures on the sizes behind `result` (same binning). */
export function collapseMethodComparison(
  sizes: ReadonlyArray<{ scaleN: number; sizes: ArrayLike<number> }>,
  result: DataCollapseResult,
  start: { tau: number; D: number } = { tau: 1.5, D: 1 },
): CollapseMethodComparison {
  const legacy = autoscaleCollapse(binCollapseCurves([...sizes], { binsPerDecade: result.options.binsPerDecade }), start);
  const textbook = dataCollapse(sizes, { ...result.options, sMin: 1, amplitude: 'none', bootstrap: 0 });
  return { legacy, start, textbook, result };
}
