import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { cracklingCaveats, cracklingSummaryMarkdown } from '../../lib/report/crackling';

test('cracklingSummaryMarkdown calls a pass resting on flagged fits a weak check (caveats from the row, not from text)', () => {
  const base = {
    sample: 'x',
    minTail: 10,
    avalanches: 100,
    tau: 2,
    tauLow: 1.9,
    tauHigh: 2.1,
    tauXmin: 1,
    tauTail: 80,
    alphaT: 3,
    alphaTLow: 2.9,
    alphaTHigh: 3.1,
    alphaTXmin: 1,
    alphaTTail: 80,
    durationMax: 100,
    durationDecades: 2,
    areaExponent: 2,
    areaLow: 1.9,
    areaHigh: 2.1,
    areaXmin: 1,
    areaTail: 80,
    gamma: 2,
    gammaLow: 1,
    gammaHigh: 3,
    gammaBins: 8,
    gammaR2: 0.9,
    predicted: 2,
    predictedLow: 1.9,
    predictedHigh: 2.1,
    difference: 0,
    differenceLow: -1,
    differenceHigh: 1,
    holds: true,
    reason: null,
  };
  const rows = [
    { ...base, gammaBins: 2 },
    { ...base, sample: 'y' },
    { ...base, sample: 'z', durationDecades: 0.5, tauTail: 5 },
  ];
  assert.deepEqual(cracklingCaveats(rows[0] as never), ['γ from only 2 duration bins']);
  assert.deepEqual(cracklingCaveats(rows[2] as never), ['duration tail spans 0.50 decades (T 1–100)', 'τ fit uses 5 of 100 avalanches (xmin 1)']);
  const md = cracklingSummaryMarkdown({ table: aq.from(rows) });
  assert.match(
    md,
    /\*\*x\*\*.*holds within the 95 % CI\*\* \(holds: γ − predicted = 0\.000 \[-1\.000, 1\.000\] covers 0\), but this is a weak check.*Caveats: γ from only 2 duration bins\./,
  );
  assert.match(md, /\*\*y\*\*.*holds within the 95 % CI\*\* \(holds: .*covers 0\)\.\n/);
});
