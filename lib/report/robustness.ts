/**
 * Tables, headline and closing paragraph of notebook 06 (robustness), from robustnessSweep's table.
 */
import * as aq from 'arquero';
import { Observable, OBSERVABLES } from '../analysis/observables';
import { ROBUSTNESS_CHOICES } from '../analysis/robustness';
import { OBSERVABLE_SYMBOLS, ROBUSTNESS_CHOICE_LABELS } from '../plot/names';
import { fixed, span } from '../util/format';

type Row = Record<string, any>;

/** Rows of the robustness table with truncated probes (choice, value, count, fraction) — for showing them. */
export function truncationTable(table: aq.ColumnTable): aq.ColumnTable {
  const all = table.objects() as Row[];
  const first = all.some((r) => r.observable === OBSERVABLES[0]) ? OBSERVABLES[0] : all[0]?.observable;
  const rows = all.filter((r) => r.observable === first);
  return aq.from(
    rows.map((r) => ({
      choice: r.choice,
      value: r.value,
      probes: r.probes,
      truncated: r.truncatedCount,
      fraction: r.probes > 0 ? r.truncatedCount / r.probes : NaN,
    })),
  );
}

/**
 * Largest |change| of D_pre, D_post (and the lasting crossing, in epochs since onset) from the
 * baseline row, per choice and observable — the one-line summary of the robustness study.
 */
export function robustnessSpread(table: aq.ColumnTable): aq.ColumnTable {
  const objects = table.objects() as Row[];
  const out: Array<Record<string, unknown>> = [];
  for (const observable of OBSERVABLES) {
    for (const choice of ROBUSTNESS_CHOICES) {
      const rows = objects.filter((r) => r.choice === choice && r.observable === observable);
      const base = rows.find((r) => r.isBaseline);
      if (!base || rows.length < 2) continue;
      const spread = (field: string) => {
        const deltas = rows.filter((r) => r !== base && Number.isFinite(r[field]) && Number.isFinite(base[field])).map((r) => Math.abs(r[field] - base[field]));
        return deltas.length ? Math.max(...deltas) : NaN;
      };
      out.push({
        observable,
        choice,
        values: rows.length,
        maxDeltaDPre: spread('dPre'),
        maxDeltaDPost: spread('dPost'),
        maxDeltaCrossing: spread('crossingSinceOnset'),
        truncated: rows.reduce((c, r) => c + r.truncatedCount, 0),
      });
    }
  }
  return aq.from(out);
}

/**
 * The closing "what this shows" paragraph of notebook 06 for one observable, every number from
 * the table: the baseline D_pre / D_post, for each choice the range of D_pre, D_post and the
 * lasting crossing (relative to onset) over its values, how many values keep D_pre < 1 < D_post,
 * and the truncated probes.
 */
export function robustnessSummaryMarkdown(table: aq.ColumnTable, observable: Observable = 'totalTopplings'): string {
  const objects = (table.objects() as Row[]).filter((r) => r.observable === observable);
  const symbol = OBSERVABLE_SYMBOLS[observable];
  if (objects.length === 0) return `No robustness rows for ${symbol}.`;
  const base = objects.find((r) => r.isBaseline);
  const lines: string[] = [];
  if (base)
    lines.push(
      `**Baseline (${symbol}).** D_pre = ${fixed(base.dPre)} [${fixed(base.dPreLow)}, ${fixed(base.dPreHigh)}], D_post = ${fixed(base.dPost)} [${fixed(base.dPostLow)}, ${fixed(base.dPostHigh)}], lasting crossing of D = 1 (D stays past 1 afterwards) at ${fixed(base.crossingSinceOnset, 0)} epochs from the median onset (CI ${fixed(base.crossingSinceOnsetLow, 0)} to ${fixed(base.crossingSinceOnsetHigh, 0)}).`,
    );
  if (objects.some((r) => r.oneSeedPerScale === true))
    lines.push('*One training seed per scale in this run: every CI has zero width, so "clear of 1" below means only the point estimate.*');
  const noOnset = Math.max(0, ...objects.map((r) => r.noOnset ?? 0));
  if (noOnset > 0) lines.push(`*${noOnset} probed snapshot(s) of runs that never reached their onset are in neither phase and left out of D_pre and D_post.*`);
  for (const choice of ROBUSTNESS_CHOICES) {
    const rows = objects.filter((r) => r.choice === choice);
    if (rows.length === 0) continue;
    const straddle = rows.filter((r) => r.dPreHigh < 1 && r.dPostLow > 1).length;
    const truncated = rows.reduce((c, r) => c + r.truncatedCount, 0);
    lines.push(
      `- **${ROBUSTNESS_CHOICE_LABELS[choice]}** (${rows.map((r) => r.value).join(', ')}): D_pre ${span(
        rows.map((r) => r.dPre),
        2,
        ' to ',
      )}, D_post ${span(
        rows.map((r) => r.dPost),
        2,
        ' to ',
      )}; ` +
        `D_pre < 1 < D_post with both CIs clear of 1 for ${straddle} of ${rows.length} values; lasting crossing − onset ${span(
          rows.map((r) => r.crossingSinceOnset),
          0,
          ' to ',
        )} epochs` +
        (truncated > 0
          ? `; ${truncated} truncated probes (${rows
              .filter((r) => r.truncatedCount > 0)
              .map((r) => `value ${r.value}: ${r.truncatedCount} of ${r.probes}`)
              .join(', ')}), left out of the fits`
          : '') +
        '.',
    );
  }
  return lines.join('\n');
}

/** Headline numbers of a robustness table for recordResults (S_total unless `observable`). */
export function robustnessHeadline(table: aq.ColumnTable, observable: Observable = 'totalTopplings'): Record<string, unknown> {
  const objects = (table.objects() as Row[]).filter((r) => r.observable === observable);
  const base = objects.find((r) => r.isBaseline);
  const spanOf = (rows: Row[], field: string): [number, number] => {
    const finite = rows.map((r) => r[field] as number).filter(Number.isFinite);
    return finite.length ? [Math.min(...finite), Math.max(...finite)] : [NaN, NaN];
  };
  const per = (field: string) =>
    Object.fromEntries(
      ROBUSTNESS_CHOICES.filter((c) => objects.some((r) => r.choice === c)).map((c) => [
        c,
        spanOf(
          objects.filter((r) => r.choice === c),
          field,
        ),
      ]),
    );
  return {
    observable,
    baselineDPre: base?.dPre ?? NaN,
    baselineDPost: base?.dPost ?? NaN,
    baselineCrossingSinceOnset: base?.crossingSinceOnset ?? NaN,
    dPreRange: per('dPre'),
    dPostRange: per('dPost'),
    crossingSinceOnsetRange: per('crossingSinceOnset'),
    truncatedProbes: Object.fromEntries(objects.filter((r) => r.truncatedCount > 0).map((r) => [`${r.choice}=${r.value}`, r.truncatedCount])),
  };
}
