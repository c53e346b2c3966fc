import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onsetSummary, phaseFits, trajectoryAnalysis } from '../../lib/analysis/index';
import { crossingTable, leaveOneOutTable, scalingFitTable, scalingHeadline, scalingSummaryMarkdown } from '../../lib/report/scaling';
import { planWith, threePhaseInputs } from '../analysis/fixtures';
import type { CollapseAnalysis } from '../../lib/analysis/collapse';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { collapseVerdict } from '../../lib/report/collapse';

test('fit tables: one row per fit in order, leave-one-scale-out rows, caveats from counts and flags', () => {
  const { rows } = threePhaseInputs();
  const fits = phaseFits(rows, planWith(20));
  const table = scalingFitTable(fits).objects() as any[];
  assert.deepEqual(
    table.map((r) => `${r.observable} ${r.phase}`),
    ['S_total before onset', 'S_total after onset', 's_max before onset', 's_max after onset'],
  );
  assert.equal(leaveOneOutTable(fits.slice(0, 2)).numRows(), 8);
  const oneSeed = phaseFits(
    rows.filter((r) => r.seed === 0),
    planWith(5),
  );
  assert.match((scalingFitTable(oneSeed).objects() as any[])[0].note, /one training seed at some scale/);
});

test('headline and closing markdown take their numbers from the results; same input gives the same bytes', () => {
  const { runs, rows } = threePhaseInputs();
  const plan = planWith(50, 3);
  const build = () => {
    const fits = phaseFits(rows, plan);
    const trajectories = (['totalTopplings', 'sMax'] as const).map((o) => trajectoryAnalysis(rows, o, plan));
    return scalingHeadline({ fits, trajectories, onset: onsetSummary(runs), collapse: null });
  };
  const h = build();
  assert.equal(JSON.stringify(h), JSON.stringify(build()));
  assert.ok(Math.abs(h.dPre! - 0.85) < 1e-9 && Math.abs(h.dPost! - (1.1 + 1.2 + 1.25) / 3) < 1e-9);
  assert.equal(h.onset, 250);
  assert.equal(h.crossingDirection, 'up');
  const md = scalingSummaryMarkdown(h);
  assert.match(md, /D before onset\*\* = 0\.85/);
  assert.match(md, /lasting crossing of D = 1 .* is upward at epoch \*\*250\*\*/);
  assert.match(md, /0\.90 → 1\.20/);
  assert.ok(h.dPreCI[0] !== null && h.crossingCI[0] !== null);
  // One seed per scale: no CI in the headline (a zero-width interval would look like certainty).
  const oneSeedRows = rows.filter((r) => r.seed === 0);
  const single = scalingHeadline({
    fits: phaseFits(oneSeedRows, planWith(20)),
    trajectories: [trajectoryAnalysis(oneSeedRows, 'totalTopplings', planWith(20))],
    onset: onsetSummary(runs),
  });
  assert.deepEqual(single.dPreCI, [null, null]);
  assert.deepEqual(single.crossingCI, [null, null]);
  assert.ok(single.dPre !== null && single.crossing !== null);
  assert.match(scalingSummaryMarkdown(single), /D before onset\*\* = 0\.85 no CI/);
  assert.match(scalingSummaryMarkdown({ ...h, dPre: 0.5 }), /D before onset\*\* = 0\.50/);
  const table = crossingTable([trajectoryAnalysis(rows, 'totalTopplings', planWith(10))], onsetSummary(runs)).objects() as any[];
  assert.ok(Math.abs(table[0].lastingMinusOnset) < 1e-9);
  assert.equal(table[0].lastingDirection, 'up');
});

test('the headline quotes the collapse: τ, D with bootstrap intervals, s_min, the edge flag and the verdict', () => {
  const result = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1, avalanches: 3000, seed: 1 }), { sMin: 2, bootstrap: 10 });
  const collapse: CollapseAnalysis = {
    phase: 'post',
    avalanches: [],
    result,
    curves: result.curves,
    scaled: result.collapsed,
    profiles: [],
    leftOut: { truncatedProbes: 0 },
    holds: result.holds,
    reason: null,
  };
  const { runs, rows } = threePhaseInputs();
  const headline = (c: CollapseAnalysis) => scalingHeadline({ fits: phaseFits(rows, planWith(0)), trajectories: [], onset: onsetSummary(runs), collapse: c });
  const h = headline(collapse);
  assert.deepEqual(h.collapse.tauCI, [result.tauLow, result.tauHigh]);
  assert.deepEqual(h.collapse.DCI, [result.DLow, result.DHigh]);
  assert.equal(h.collapse.sMin, 2);
  assert.equal(h.collapse.onBoundary, result.onBoundary);
  assert.equal(h.collapse.holds, result.holds);
  assert.ok(scalingSummaryMarkdown(h).includes(collapseVerdict(result)));
  const failed = headline({
    ...collapse,
    holds: false,
    result: { ...result, holds: false, note: 'S = 9.00 > 2: the curves do not agree within their errors' },
  });
  assert.ok(failed.notes.includes('collapse: does not hold (S = 9.00 > 2: the curves do not agree within their errors)'));
  assert.match(scalingSummaryMarkdown(failed), /The collapse does not hold: S = 9\.00 > 2/);
  const none = headline({ ...collapse, result: null, holds: null, reason: 'not enough data: 2 scale(s)' });
  assert.equal(none.collapse.verdict, null);
  assert.match(scalingSummaryMarkdown(none), /- Collapse: not enough data: 2 scale\(s\)\./);
});
