/**
 * Tables and closing paragraph of the collapse verification (notebook 10); the tables of any one
 * collapse are in ./collapse.
 */
import type { CollapseMethodComparison, RecoveryRow } from '../analysis/collapseVerification';
import type { CollapseCoverage, Proportion } from '../fss/collapseCoverage';
import type { DataCollapseResult } from '../fss/dataCollapse';
import { interval } from '../util/format';

/** One row per procedure of a collapseMethodComparison: window, τ, D, S and the uncertainty each reports. */
export function collapseMethodTable(c: CollapseMethodComparison): Array<Record<string, unknown>> {
  const { legacy, textbook, result, start } = c;
  return [
    {
      procedure: `autoscaleCollapse (old defaults, start τ ${start.tau}, D ${start.D})`,
      sMin: 1,
      tau: legacy.tau,
      D: legacy.D,
      S: legacy.S,
      uncertainty: `±${legacy.tauStandardError.toFixed(2)}, ±${legacy.DStandardError.toFixed(2)} (S + 1)`,
    },
    { procedure: 'textbook collapse (no amplitude), s ≥ 1', sMin: 1, tau: textbook.tau, D: textbook.D, S: textbook.S, uncertainty: '—' },
    {
      procedure: `dataCollapse (${result.amplitude} amplitude, s_min ${result.sMinRule})`,
      sMin: result.sMin,
      tau: result.tau,
      D: result.D,
      S: result.S,
      uncertainty: `τ ${interval(result.tauLow, result.tauHigh)}, D ${interval(result.DLow, result.DHigh)}`,
    },
  ];
}

function share(p: Proportion): string {
  return `${p.count}/${p.of} = ${p.fraction.toFixed(2)} ± ${p.standardError.toFixed(2)}`;
}

/** One row per coverage study: coverage of τ, D and both (k/n = fraction ± binomial SE), recovery within tolerance, bias, RMSE, median widths. */
export function coverageTable(studies: Array<{ label: string; coverage: CollapseCoverage }>): Array<Record<string, unknown>> {
  return studies.map(({ label, coverage: c }) => ({
    case: label,
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

/** Recovered against true exponents as table rows (the figure's numbers). */
export function recoveryTable(rows: RecoveryRow[]): Array<Record<string, unknown>> {
  return rows.map(({ label, truthTau, truthD, ...rest }) => ({ case: label, ...rest }));
}

/** One row per case without a collapse: the verdict and why. */
export function verdictTable(cases: Array<{ label: string }>, results: DataCollapseResult[]): Array<Record<string, unknown>> {
  return cases.map((c, i) => ({
    case: c.label,
    tau: results[i].tau,
    D: results[i].D,
    S: results[i].S,
    sMin: results[i].sMin,
    holds: results[i].holds,
    why: results[i].note || '—',
  }));
}

/** The closing paragraph of notebook 10, every number taken from the arguments. */
export function collapseVerificationMarkdown(parts: {
  recovery: RecoveryRow[];
  coverage: Array<{ label: string; coverage: CollapseCoverage }>;
  noScaling: DataCollapseResult[];
  tolerance?: number;
}): string {
  const tolerance = parts.tolerance ?? 0.1;
  const within = parts.recovery.filter((r) => Math.abs(r.tau - r.truthTau) <= tolerance && Math.abs(r.D - r.truthD) <= tolerance).length;
  const covered = parts.recovery.filter((r) => r.tauCovered && r.DCovered).length;
  const lines = [
    `**Recovery.** ${within} of ${parts.recovery.length} cases recover both τ and D within ${tolerance}; in ${covered} of ${parts.recovery.length} the 95 % bootstrap intervals contain both true values.`,
    ...parts.coverage.map(
      ({ label, coverage: c }) =>
        `**Coverage (${label}).** Over ${c.replications} replications the 95 % intervals contain the true τ in ${share(c.tauCovered)}, the true D in ${share(c.DCovered)}, both in ${share(c.bothCovered)} (binomial standard errors).`,
    ),
    `**No scaling.** ${parts.noScaling.filter((r) => !r.holds).length} of ${parts.noScaling.length} data sets without a collapse are reported as not collapsing.`,
  ];
  return lines.join('\n\n');
}
