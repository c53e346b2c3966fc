/**
 * Tables and closing paragraph of notebook 07 (crackling noise), from avalancheSamples and
 * cracklingAnalysis.
 */
import type { AvalancheSample, AvalancheSamples, CracklingAnalysis, CracklingRow } from '../analysis/crackling';
import { fixed } from '../util/format';

/** One row per sample: its label, number of avalanches and the largest s, T and A (0 when empty); a last row counts the real avalanches of runs without an onset, in no sample. */
export function avalancheSampleTable(
  samples: AvalancheSamples | AvalancheSample[],
): Array<{ sample: string; avalanches: number; maxSize: number; maxDuration: number; maxArea: number }> {
  const list = Array.isArray(samples) ? samples : samples.samples;
  const max = (values: Float64Array) => values.reduce((m, v) => (v > m ? v : m), 0);
  const rows = list.map((s) => ({ sample: s.label, avalanches: s.sizes.length, maxSize: max(s.sizes), maxDuration: max(s.durations), maxArea: max(s.areas) }));
  if (!Array.isArray(samples) && samples.realCounts.none > 0)
    rows.push({
      sample: `real, ${samples.realCounts.runsWithoutOnset} run(s) without onset (left out)`,
      avalanches: samples.realCounts.none,
      maxSize: NaN,
      maxDuration: NaN,
      maxArea: NaN,
    });
  return rows;
}

function rowsOf(analysis: Pick<CracklingAnalysis, 'table'>): CracklingRow[] {
  return analysis.table.objects() as unknown as CracklingRow[];
}

/** The verdict of one row in words: holds / violated with γ − prediction and its CI, or why there is none. */
export function cracklingVerdict(r: CracklingRow): string {
  if (r.reason) return r.reason;
  const ci = `${fixed(r.difference, 3)} [${fixed(r.differenceLow, 3, '—')}, ${fixed(r.differenceHigh, 3, '—')}]`;
  if (r.holds === null) return `no CI: γ − predicted = ${fixed(r.difference, 3)}`;
  return r.holds ? `holds: γ − predicted = ${ci} covers 0` : `violated: γ − predicted = ${ci} excludes 0`;
}

/** Warnings about the fits behind a row: few duration bins, a duration tail shorter than a decade, tails holding < 10 % of the sample. */
export function cracklingCaveats(r: CracklingRow): string[] {
  if (r.tau === null) return [];
  const out: string[] = [];
  if (r.gammaBins !== null && r.gammaBins < 4) out.push(`γ from only ${r.gammaBins} duration bins`);
  if (r.durationDecades !== null && r.durationDecades < 1)
    out.push(`duration tail spans ${r.durationDecades.toFixed(2)} decades (T ${r.alphaTXmin}–${r.durationMax})`);
  for (const [name, tail, xmin] of [
    ['τ', r.tauTail, r.tauXmin],
    ['α_T', r.alphaTTail, r.alphaTXmin],
    ['area', r.areaTail, r.areaXmin],
  ] as const) {
    if (tail !== null && tail < 0.1 * r.avalanches) out.push(`${name} fit uses ${tail} of ${r.avalanches} avalanches (xmin ${xmin})`);
  }
  return out;
}

const estimate = (value: number | null, low: number | null, high: number | null, digits: number) =>
  value === null ? '—' : `${value.toFixed(digits)} [${fixed(low, digits, '—')}, ${fixed(high, digits, '—')}]`;

/** The crackling table for reading: each estimate as "value [CI low, CI high]" with its xmin, the verdict and the caveats. */
export function cracklingDisplayTable(analysis: Pick<CracklingAnalysis, 'table'>, digits = 3): Array<Record<string, string | number>> {
  return rowsOf(analysis).map((r) => ({
    sample: r.sample,
    minTail: r.minTail,
    avalanches: r.avalanches,
    'τ [95% CI]': estimate(r.tau, r.tauLow, r.tauHigh, digits),
    s_min: r.tauXmin ?? '—',
    'α_T [95% CI]': estimate(r.alphaT, r.alphaTLow, r.alphaTHigh, digits),
    T_min: r.alphaTXmin ?? '—',
    'area exp. [95% CI]': estimate(r.areaExponent, r.areaLow, r.areaHigh, digits),
    'γ fitted [95% CI]': estimate(r.gamma, r.gammaLow, r.gammaHigh, digits),
    '(α_T−1)/(τ−1) [95% CI]': estimate(r.predicted, r.predictedLow, r.predictedHigh, digits),
    verdict: cracklingVerdict(r),
    caveats: cracklingCaveats(r).join('; '),
  }));
}

/** Headline of a crackling table per sample (first minTail): for recordResults. */
export function cracklingFindings(
  analysis: Pick<CracklingAnalysis, 'table'>,
): Array<
  Pick<
    CracklingRow,
    'sample' | 'minTail' | 'tau' | 'alphaT' | 'areaExponent' | 'gamma' | 'predicted' | 'difference' | 'differenceLow' | 'differenceHigh' | 'holds' | 'reason'
  > & { caveats: string[] }
> {
  const seen = new Set<string>();
  return rowsOf(analysis)
    .filter((r) => (seen.has(r.sample) ? false : (seen.add(r.sample), true)))
    .map((r) => ({
      sample: r.sample,
      minTail: r.minTail,
      tau: r.tau,
      alphaT: r.alphaT,
      areaExponent: r.areaExponent,
      gamma: r.gamma,
      predicted: r.predicted,
      difference: r.difference,
      differenceLow: r.differenceLow,
      differenceHigh: r.differenceHigh,
      holds: r.holds,
      reason: r.reason,
      caveats: cracklingCaveats(r),
    }));
}

/**
 * Notebook 07's closing paragraph: per sample, the exponents with 95 % CIs and whether the
 * scaling relation holds within the CI at the first minTail, the caveats, and for every other
 * minTail whether the verdict changes. Every number comes from the table.
 */
export function cracklingSummaryMarkdown(analysis: Pick<CracklingAnalysis, 'table'>): string {
  const rows = rowsOf(analysis);
  const labels = [...new Set(rows.map((r) => r.sample))];
  const est = (v: number | null, lo: number | null, hi: number | null) => estimate(v, lo, hi, 2);
  return labels
    .map((label) => {
      const own = rows.filter((r) => r.sample === label);
      const r = own[0];
      if (r.tau === null) return `**${label}** (${r.avalanches} avalanches): ${cracklingVerdict(r)}.`;
      const flagged = cracklingCaveats(r);
      const weak = r.holds === true && flagged.length > 0;
      let text =
        `**${label}** (${r.avalanches} avalanches, minTail ${r.minTail}): τ = ${est(r.tau, r.tauLow, r.tauHigh)}, α_T = ${est(r.alphaT, r.alphaTLow, r.alphaTHigh)}, ` +
        `area exponent ${est(r.areaExponent, r.areaLow, r.areaHigh)}; γ fitted ${est(r.gamma, r.gammaLow, r.gammaHigh)} vs (α_T − 1)/(τ − 1) = ${est(r.predicted, r.predictedLow, r.predictedHigh)}. ` +
        `The relation **${r.holds === null ? 'could not be checked' : r.holds ? 'holds within the 95 % CI' : 'does not hold'}** (${cracklingVerdict(r)})` +
        (weak ? ', but this is a weak check: the interval is wide because the fits rest on the short tails listed below.' : '.');
      if (flagged.length) text += ` Caveats: ${flagged.join('; ')}.`;
      const others = own
        .slice(1)
        .map(
          (o) =>
            `minTail ${o.minTail}: ${o.holds === null ? cracklingVerdict(o) : o.holds ? 'holds' : 'violated'}${o.gamma !== null ? ` (γ ${o.gamma.toFixed(2)} vs ${o.predicted!.toFixed(2)})` : ''}`,
        );
      if (others.length) text += ` Sensitivity to the fit range — ${others.join('; ')}.`;
      return text;
    })
    .join('\n\n');
}
