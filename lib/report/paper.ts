/**
 * The closing paragraph of notebook 08 (figures for the paper), from the figures' inputs.
 */
import type { PaperFigureInputs } from '../figures/paper';
import type { Observable } from '../analysis/observables';
import { fixed, span, withInterval } from '../util/format';
import { PAPER_FSS } from './scaling';
import { collapseVerdict } from './collapse';
import { PAPER_GAUSSIAN_D } from './topologies';

/**
 * What each figure shows, with the numbers read from the figures' inputs (D before / after
 * onset, the lasting crossing of D = 1 vs the onset, the collapse, the range of D over
 * topologies for real post-onset and Gaussian input) and the files written.
 */
export function paperFiguresMarkdown(inputs: PaperFigureInputs, exported: Array<{ files: Partial<Record<string, string>> }>): string {
  const d = (o: Observable, p: 'pre' | 'post') => {
    const f = inputs.figure2.fits.find((x) => x.observable === o && x.phase === p)?.fit;
    return f ? withInterval(f.D, f.ciLow, f.ciHigh) : 'n/a';
  };
  const c = inputs.figure1.trajectory.crossings?.lasting;
  const onset = inputs.figure1.onset;
  const lines: string[] = ['**What this shows.**', ''];
  const crossing =
    c && Number.isFinite(c.time)
      ? `crosses 1 for good (${c.direction === 'up' ? 'upward' : 'downward'}) at epoch ${withInterval(c.time, c.ciLow, c.ciHigh, 0)}`
      : 'has no lasting crossing of 1';
  lines.push(
    `- **Figure 1**: D(t) of S_total ${crossing}; the median train onset is ${fixed(onset.median, 0)} (quartiles ${fixed(onset.q25, 0)}–${fixed(onset.q75, 0)}).`,
  );
  lines.push(
    `- **Figure 2**: S_total scales with D = ${d('totalTopplings', 'pre')} before and ${d('totalTopplings', 'post')} after the onset; s_max with ${d('sMax', 'pre')} → ${d('sMax', 'post')} (paper: ${PAPER_FSS.dPre.toFixed(2)} → ${PAPER_FSS.dPost.toFixed(2)}).`,
  );
  const collapse = inputs.figure2.collapse;
  lines.push(`  Collapse of the post-onset sizes: ${collapse.result ? collapseVerdict(collapse.result) : `${collapse.reason ?? 'no result'}.`}`);
  if (inputs.topologyTable) {
    const rows = inputs.topologyTable.objects() as Array<Record<string, any>>;
    const observable = inputs.figure3Observable ?? 'totalTopplings';
    const range = (kind: string, phase: string) => {
      const v = rows.filter((x) => x.observable === observable && x.kind === kind && x.phase === phase && Number.isFinite(x.D)).map((x) => x.D as number);
      return v.length ? `${span(v)} over ${v.length} topologies` : 'n/a';
    };
    lines.push(
      `- **Figure 3**: D of S_total for Gaussian input ${range('gaussian', 'all')} (paper: ${PAPER_GAUSSIAN_D.D} ± ${PAPER_GAUSSIAN_D.uncertainty}); real gradients before onset ${range('real', 'pre')}, after onset ${range('real', 'post')}; permuted real after onset ${range('permuted', 'post')}.`,
    );
  } else {
    lines.push('- Figure 3 was not drawn (no topology table).');
  }
  const files = exported.flatMap((e) => Object.values(e.files)).filter((f): f is string => typeof f === 'string');
  lines.push(
    '',
    `${exported.length} figure versions written (${files.length} files: ${['svg', 'pdf', 'png'].map((ext) => `${files.filter((f) => f.endsWith(`.${ext}`)).length} ${ext.toUpperCase()}`).join(', ')}).`,
  );
  return lines.join('\n');
}
