/**
 * Tables, headline and closing paragraph of notebook 02 (gradient avalanches), from
 * avalancheAnalysis and powerLawTable.
 */
import * as aq from 'arquero';
import type { AvalancheAnalysis, PowerLawRow } from '../analysis/avalanches';
import { Phase, PhaseCounts, PHASES, SnapshotPhase } from '../analysis/phase';
import { significant } from '../util/format';

const ALTERNATIVE_NAMES: Record<string, string> = {
  truncated: 'truncated power law',
  stretched: 'stretched exponential',
  lognormal: 'lognormal',
  exponential: 'exponential',
};

/** The verdict of one power-law row in words: plausible or rejected, and the alternatives favoured over it. */
export function powerLawVerdict(row: Pick<PowerLawRow, 'plausible' | 'favoured' | 'reason'>): string {
  if (row.plausible === null) return row.reason ?? 'no fit';
  const favoured = (row.favoured ?? []).map((a) => ALTERNATIVE_NAMES[a] ?? a);
  return `power law ${row.plausible ? 'plausible' : 'rejected'} (p ${row.plausible ? '>' : '≤'} 0.1)${favoured.length ? `; favoured over it: ${favoured.join(', ')}` : ''}`;
}

/** The fits for reading: N, phase, avalanches, xmin, α ± s.e., tail size, KS distance, bootstrap p and the verdict. */
export function powerLawFitTable(fits: aq.ColumnTable): Array<Record<string, unknown>> {
  return (fits.objects() as PowerLawRow[]).map((r) => ({
    N: r.N,
    phase: r.phase,
    avalanches: r.avalanches,
    xmin: r.xmin,
    alpha: r.alpha,
    alphaSE: r.alphaSE,
    nTail: r.nTail,
    ks: r.ks,
    p: r.p,
    verdict: powerLawVerdict(r),
  }));
}

/** The likelihood-ratio comparisons: N, phase, and R_<alt> (> 0 favours the power law) with p_<alt> per alternative. */
export function powerLawComparisonTable(fits: aq.ColumnTable): aq.ColumnTable {
  const columns = fits.columnNames().filter((c) => /^[Rp]_/.test(c));
  return fits.select('N', 'phase', ...columns);
}

/** Headline numbers of a power-law table, for a notebook's closing summary. */
export interface PowerLawFindings {
  /** Rows with a fit / rows with "not enough data". */
  fitted: number;
  notEnoughData: number;
  /** Fitted rows with bootstrap p > 0.1 (power law plausible). */
  plausible: number;
  /** Per phase: the range of α over fitted scales, and α at the largest fitted scale. */
  alphaRange: Record<Phase, [number, number] | null>;
  alphaLargest: Record<Phase, { N: number; alpha: number; alphaSE: number } | null>;
  /** Per phase: median over fitted scales of the share of avalanches in the fitted tail (nTail / avalanches), and the largest xmin. */
  tailShareMedian: Record<Phase, number | null>;
  xminMax: Record<Phase, number | null>;
  /** Per alternative: fitted rows in which it is significantly favoured over the power law (p < 0.1, R < 0). */
  favouredCounts: Record<string, number>;
}

/** Counts and ranges of a power-law table (see {@link PowerLawFindings}). */
export function powerLawFindings(table: aq.ColumnTable): PowerLawFindings {
  const rows = table.objects() as PowerLawRow[];
  const fittedRows = rows.filter((r) => r.alpha !== null && r.alpha !== undefined);
  const alphaRange = {} as PowerLawFindings['alphaRange'];
  const alphaLargest = {} as PowerLawFindings['alphaLargest'];
  const tailShareMedian = {} as PowerLawFindings['tailShareMedian'];
  const xminMax = {} as PowerLawFindings['xminMax'];
  for (const ph of PHASES) {
    const own = fittedRows.filter((r) => r.phase === ph);
    const shares = own.map((r) => r.nTail! / r.avalanches).sort((a, b) => a - b);
    const m = shares.length;
    tailShareMedian[ph] = m === 0 ? null : m % 2 ? shares[(m - 1) / 2] : (shares[m / 2 - 1] + shares[m / 2]) / 2;
    xminMax[ph] = m === 0 ? null : Math.max(...own.map((r) => r.xmin!));
    alphaRange[ph] = own.length ? [Math.min(...own.map((r) => r.alpha!)), Math.max(...own.map((r) => r.alpha!))] : null;
    const last = own.reduce<PowerLawRow | null>((best, r) => (best === null || r.N > best.N ? r : best), null);
    alphaLargest[ph] = last ? { N: last.N, alpha: last.alpha!, alphaSE: last.alphaSE! } : null;
  }
  const favouredCounts: Record<string, number> = {};
  for (const column of table.columnNames().filter((c) => c.startsWith('R_'))) {
    const alt = column.slice(2);
    favouredCounts[alt] = fittedRows.filter((r) => (r.favoured ?? []).includes(alt)).length;
  }
  return {
    fitted: fittedRows.length,
    notEnoughData: rows.length - fittedRows.length,
    plausible: fittedRows.filter((r) => r.plausible === true).length,
    alphaRange,
    alphaLargest,
    tailShareMedian,
    xminMax,
    favouredCounts,
  };
}

/** Headline numbers of notebook 02 (see {@link avalanchesHeadline}). */
export interface AvalanchesHeadline {
  /** Avalanches and snapshots (summary rows) per phase; 'none' = runs that never reached their onset. */
  avalanches: PhaseCounts;
  snapshots: PhaseCounts;
  /** The largest scale, and the mean of S_total and s_max over its snapshots per phase (NaN when none). */
  largestN: number;
  sTotalMean: Record<Phase, number>;
  sMaxMean: Record<Phase, number>;
  /** Counts and exponent ranges of the power-law table. */
  fits: PowerLawFindings;
}

/** The numbers notebook 02's closing paragraph states, from avalancheAnalysis and the power-law table. */
export function avalanchesHeadline(analysis: AvalancheAnalysis, fits: aq.ColumnTable): AvalanchesHeadline {
  const summary = analysis.summary;
  const scale = summary.array('scaleN') as ArrayLike<number>;
  const phase = summary.array('phase') as ArrayLike<SnapshotPhase>;
  const largestN = Math.max(...Array.from(scale));
  const meanAt = (column: string) => {
    const v = summary.array(column) as ArrayLike<number>;
    const out = {} as Record<Phase, number>;
    for (const ph of PHASES) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < v.length; i++) if (scale[i] === largestN && phase[i] === ph) ((sum += v[i]), n++);
      out[ph] = n ? sum / n : NaN;
    }
    return out;
  };
  return {
    avalanches: analysis.avalancheCounts,
    snapshots: analysis.snapshotCounts,
    largestN,
    sTotalMean: meanAt('totalTopplings'),
    sMaxMean: meanAt('sMax'),
    fits: powerLawFindings(fits),
  };
}

/** A short markdown paragraph of notebook 02's results; every number comes from `headline`. */
export function avalanchesSummaryMarkdown(headline: AvalanchesHeadline): string {
  const h = headline;
  const f = h.fits;
  const fmt = significant;
  const lines: string[] = [];
  const total = (c: PhaseCounts) => c.pre + c.post + c.none;
  lines.push(
    `**Avalanches.** ${total(h.avalanches)} avalanches from ${total(h.snapshots)} probed snapshots: ` +
      `${h.avalanches.pre} before onset (${h.snapshots.pre} snapshots), ${h.avalanches.post} after (${h.snapshots.post})` +
      (h.snapshots.none
        ? `; ${h.avalanches.none} avalanches (${h.snapshots.none} snapshots) of ${h.snapshots.runsWithoutOnset} run(s) that never reached their onset are in neither phase.`
        : '.'),
  );
  lines.push(
    `**Cascade size at the largest scale (N = ${h.largestN}).** Mean S_total ${fmt(h.sTotalMean.pre)} before onset vs ${fmt(h.sTotalMean.post)} after` +
      ` (ratio ${fmt(h.sTotalMean.post / h.sTotalMean.pre)}); mean s_max ${fmt(h.sMaxMean.pre)} vs ${fmt(h.sMaxMean.post)}.`,
  );
  const range = (ph: Phase) => {
    const r = f.alphaRange[ph];
    if (!r) return 'no fit';
    return r[0] === r[1] ? `a single fit` : `α from ${fmt(r[0])} to ${fmt(r[1])} over scales`;
  };
  const largest = (ph: Phase) =>
    f.alphaLargest[ph] ? `α = ${fmt(f.alphaLargest[ph]!.alpha)} ± ${fmt(f.alphaLargest[ph]!.alphaSE, 2)} at N = ${f.alphaLargest[ph]!.N}` : 'no fit';
  lines.push(
    `**Power-law fits of the avalanche sizes.** ${f.fitted} of ${f.fitted + f.notEnoughData} (scale, phase) groups could be fitted` +
      (f.notEnoughData ? ` (${f.notEnoughData} had not enough data)` : '') +
      `; the power law is plausible (bootstrap p > 0.1) in ${f.plausible} of ${f.fitted}. ` +
      `Before onset: ${range('pre')} (${largest('pre')}); after onset: ${range('post')} (${largest('post')}).`,
  );
  const tails = PHASES.filter((ph) => f.tailShareMedian[ph] !== null).map(
    (ph) => `${ph === 'pre' ? 'before' : 'after'} onset a median ${fmt(100 * f.tailShareMedian[ph]!, 2)} % of the avalanches (largest s_min ${f.xminMax[ph]})`,
  );
  if (tails.length)
    lines.push(
      `**How much of each sample the fits describe.** The fitted tails (s ≥ s_min) hold ${tails.join('; ')}: a fit on a small far tail describes the cutoff region rather than a scale-free range.`,
    );
  const favoured = Object.entries(f.favouredCounts).map(([alt, n]) => `${ALTERNATIVE_NAMES[alt] ?? alt} in ${n}`);
  if (favoured.length && f.fitted)
    lines.push(`**Alternatives favoured over the power law** (R < 0, p < 0.1), out of ${f.fitted} fits: ${favoured.join('; ')}.`);
  return lines.join('\n\n');
}
