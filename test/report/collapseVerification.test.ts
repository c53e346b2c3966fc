import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseMethodComparison, collapseRecovery, collapseVerificationPlan } from '../../lib/analysis/collapseVerification';
import { collapseCoverage } from '../../lib/fss/collapseCoverage';
import { dataCollapse } from '../../lib/fss/dataCollapse';
import { syntheticCollapseSizes } from '../../lib/fss/syntheticCollapse';
import { collapseResultRow, collapseUncertaintyTable, collapseVerdict } from '../../lib/report/collapse';
import { collapseMethodTable, collapseVerificationMarkdown, coverageTable, recoveryTable, verdictTable } from '../../lib/report/collapseVerification';

const truth = { tau: 1.5, D: 1.0, avalanches: 3000, seed: 1 };
const sizes = syntheticCollapseSizes(truth);
const result = dataCollapse(sizes, { sMin: 2, bootstrap: 10 });

test('uncertainty table puts the bootstrap interval beside the S + 1 curvature error; the verdict sentence says whether the collapse holds', () => {
  const [tau, D] = collapseUncertaintyTable(result);
  assert.equal(tau.exponent, 'τ');
  assert.equal(tau['bootstrap 95 % interval'], `[${result.tauLow.toFixed(3)}, ${result.tauHigh.toFixed(3)}]`);
  assert.equal(tau['S + 1 curvature error'], result.tauStandardError);
  assert.equal(D.bootstrapSD, result.DBootstrapError);
  assert.equal(D.onEdge, 'no');
  assert.equal(collapseUncertaintyTable({ ...result, DEdge: 'upper' })[1].onEdge, 'upper');
  const verdict = collapseVerdict(result);
  assert.match(verdict, result.holds ? /^The collapse holds: τ = / : /^The collapse does not hold: /);
  assert.ok(verdict.includes(`s_min = 2 (fixed)`));
  assert.ok(verdict.includes(`D = ${result.D.toFixed(2)} [${result.DLow.toFixed(2)}, ${result.DHigh.toFixed(2)}]`));
  const failed = collapseVerdict({ ...result, holds: false, note: 'D at the upper edge of its allowed range [0, 4]: the optimum may lie outside' });
  assert.match(failed, /^The collapse does not hold: D at the upper edge .*\. Best fit: τ = /);
});

test('collapseResultRow and collapseMethodTable take their numbers from the results', () => {
  const row = collapseResultRow(result);
  assert.equal(row.tau, result.tau);
  assert.equal(row.DHigh, result.DHigh);
  assert.equal(row.sMin, 2);
  assert.equal(row.sMinRule, 'fixed');
  assert.equal(row.holds, result.holds);
  const table = collapseMethodTable(collapseMethodComparison(sizes, result));
  assert.equal(table.length, 3);
  assert.equal(table[2].tau, result.tau);
  assert.match(String(table[2].uncertainty), new RegExp(`τ \\[${result.tauLow.toFixed(2)}, ${result.tauHigh.toFixed(2)}\\]`));
  assert.equal(table[0].sMin, 1);
});

test('verification plan per profile; recovery, coverage and verdict tables and the closing paragraph count what they are given', () => {
  const smoke = collapseVerificationPlan('smoke');
  assert.equal(smoke.cases.length, 1);
  assert.equal(collapseVerificationPlan('quick').cases.length, 4);
  assert.equal(collapseVerificationPlan('paper').cases.length, 8);
  assert.equal(collapseVerificationPlan('paper').coverage.replications, 10);
  assert.throws(() => collapseVerificationPlan('fast'), /profile: got "fast"/);
  const small = [{ label: 'small', truth: { tau: 1.5, D: 1.0, avalanches: 3000 } }];
  const recovery = collapseRecovery(small, { sMin: 2, bootstrap: 10 }, 1);
  assert.equal(recovery[0].tau, result.tau); // same data and seed as `result`
  assert.equal(recoveryTable(recovery)[0].case, 'small');
  const coverage = [{ label: 'small', coverage: collapseCoverage({ truth: small[0].truth, replications: 2, collapse: { sMin: 2, bootstrap: 10 } }) }];
  const c = coverage[0].coverage;
  assert.equal(
    coverageTable(coverage)[0].tauCovered,
    `${c.tauCovered.count}/2 = ${c.tauCovered.fraction.toFixed(2)} ± ${c.tauCovered.standardError.toFixed(2)}`,
  );
  const noScaling = [{ ...result, holds: false, note: 'why' }];
  assert.equal(verdictTable([{ label: 'flat' }], noScaling)[0].why, 'why');
  const md = collapseVerificationMarkdown({ recovery, coverage, noScaling });
  const within = Math.abs(recovery[0].tau - 1.5) <= 0.1 && Math.abs(recovery[0].D - 1) <= 0.1 ? 1 : 0;
  assert.match(md, new RegExp(`${within} of 1 cases recover both τ and D within 0.1`));
  assert.match(md, /1 of 1 data sets without a collapse are reported as not collapsing/);
});
