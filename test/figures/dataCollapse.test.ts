import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { collapseQualityProfile } from '../../lib/fss/collapseProfile';
import { collapseCandidatesFigure, collapseProfileFigure, collapseRecoveryFigure, dataCollapseFigure } from '../../lib/figures/dataCollapse';

const result = dataCollapse(syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 3000, seed: 1 }), { sMin: 2, bootstrap: 10 });

test('dataCollapseFigure: measured panel with s_min line, collapsed panel at (τ, D, A_N) with intervals in the title', () => {
  const fig = dataCollapseFigure(result);
  const collapsed = fig.data.filter((t) => t.xaxis === 'x2');
  assert.equal(collapsed.length, result.curves.length);
  // The collapsed coordinates are exactly s/N^D and A_N s^τ P_N(s) of the window curves.
  const c = result.curves[0];
  assert.equal((collapsed[0].x as number[])[0], c.s[0] / Math.pow(c.scaleN, result.D));
  assert.equal((collapsed[0].y as number[])[0], result.amplitudes[0] * Math.pow(c.s[0], result.tau) * c.p[0]);
  const sMinLine = fig.data.find((t) => String(t.name).startsWith('s_min'));
  assert.deepEqual(sMinLine?.x, [result.sMin, result.sMin]);
  const titles = (fig.layout!.annotations as Array<{ text: string }>).map((a) => a.text);
  assert.match(titles[1], new RegExp(`τ = ${result.tau.toFixed(2)} \\[${result.tauLow.toFixed(2)}, ${result.tauHigh.toFixed(2)}\\]`));
  assert.throws(() => dataCollapseFigure({ ...result, tau: NaN, curves: [] }), /result: has no collapse to draw/);
});

test('candidate, quality-profile and recovery figures: one trace set per panel; bad input named', () => {
  const candidates = collapseCandidatesFigure(result, { truth: { tau: 1.5, D: 1 } });
  assert.ok(candidates.data.some((t) => t.name === 'true value'));
  const profiles = [collapseQualityProfile(result, { parameter: 'tau', points: 11 }), collapseQualityProfile(result, { parameter: 'D', points: 11 })];
  const quality = collapseProfileFigure(result, profiles);
  const optimum = quality.data.filter((t) => t.name === 'optimum');
  assert.deepEqual(
    optimum.map((t) => (t.x as number[])[0]),
    [profiles[0].optimum, profiles[1].optimum],
  );
  assert.throws(() => collapseProfileFigure(result, [profiles[0]]), /profiles: needs one profile of 'tau' and one of 'D'/);
  const point = { label: 'a', truthTau: 1.5, truthD: 1, tau: 1.55, tauLow: 1.4, tauHigh: 1.7, D: 0.9, DLow: 0.7, DHigh: 1.1 };
  const recovery = collapseRecoveryFigure([point]);
  const markers = recovery.data.filter((t) => t.mode === 'markers');
  assert.ok(Math.abs((markers[0].y as number[])[0] - 0.05) < 1e-12 && Math.abs((markers[1].y as number[])[0] + 0.1) < 1e-12);
  assert.throws(() => collapseRecoveryFigure([]), /points: must be a non-empty array/);
});
