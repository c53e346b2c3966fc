/**
 * Data collapse (`npm run bench -- collapse`):
 * 1. cost of one dataCollapse (s_min rule + bootstrap) next to the old autoscaleCollapse on the
 *    same synthetic data, in this process;
 * 2. the coverage study behind dataCollapse's doc comment: for each case (the paper's eight
 *    scales, τ, D in the paper's range, with and without a non-scaling small-size region),
 *    COLLAPSE_BENCH_REPLICATIONS synthetic data sets (default 40), each with
 *    COLLAPSE_BENCH_BOOTSTRAP resamples (default 100): the fraction of 95 % intervals that
 *    contain the truth (± binomial SE), recovery within 0.1, bias, RMSE, median widths.
 * Set COLLAPSE_BENCH_CASES to a comma-separated list of case numbers (1-based) to run a subset.
 * Takes tens of minutes on one core with the defaults.
 */
import { autoscaleCollapse, binCollapseCurves } from '../lib/fss/collapse';
import { collapseCoverage } from '../lib/fss/collapseCoverage';
import { dataCollapse } from '../lib/fss/dataCollapse';
import { SyntheticCollapseOptions, syntheticCollapseSizes } from '../lib/fss/syntheticCollapse';

function seconds<T>(f: () => T): { value: T; s: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const replications = Number(process.env.COLLAPSE_BENCH_REPLICATIONS ?? 40);
const bootstrap = Number(process.env.COLLAPSE_BENCH_BOOTSTRAP ?? 100);
const bump = { nonScalingFraction: 0.2, nonScalingMean: 2 };
const cases: Array<Omit<SyntheticCollapseOptions, 'seed'>> = [
  { tau: 1.5, D: 1.0, avalanches: 20000 },
  { tau: 1.2, D: 0.8, avalanches: 20000 },
  { tau: 1.5, D: 1.0, avalanches: 20000, ...bump },
  { tau: 1.2, D: 0.8, avalanches: 2000, ...bump },
  { tau: 1.3, D: 1.4, avalanches: 50000, ...bump },
  { tau: 1.8, D: 0.8, avalanches: 20000 },
];
const only = (process.env.COLLAPSE_BENCH_CASES ?? '').split(',').filter(Boolean).map(Number);

{
  const data = syntheticCollapseSizes({ tau: 1.5, D: 1.0, avalanches: 20000, seed: 1 });
  const legacy = seconds(() => autoscaleCollapse(binCollapseCurves(data, { binsPerDecade: 10 }), { tau: 1.5, D: 1 }));
  const fixed = seconds(() => dataCollapse(data, { sMin: 1, bootstrap: 0 }));
  const full = seconds(() => dataCollapse(data, { bootstrap }));
  console.log(`one data set (τ 1.5, D 1.0, 8 × 20 000 avalanches):`);
  console.log(
    `  autoscaleCollapse (old, defaults, window s ≥ 1):        ${legacy.s.toFixed(2)} s  τ ${legacy.value.tau.toFixed(3)}, D ${legacy.value.D.toFixed(3)}`,
  );
  console.log(
    `  dataCollapse, s_min = 1, no bootstrap:                   ${fixed.s.toFixed(2)} s  τ ${fixed.value.tau.toFixed(3)}, D ${fixed.value.D.toFixed(3)}  (${(fixed.s / legacy.s).toFixed(1)}× the old)`,
  );
  console.log(
    `  dataCollapse, s_min rule + ${bootstrap} resamples:       ${full.s.toFixed(2)} s  τ ${full.value.tau.toFixed(3)} [${full.value.tauLow.toFixed(3)}, ${full.value.tauHigh.toFixed(3)}], D ${full.value.D.toFixed(3)} [${full.value.DLow.toFixed(3)}, ${full.value.DHigh.toFixed(3)}], s_min ${full.value.sMin}, ${full.value.evaluations} evaluations of S`,
  );
}

const share = (p: { count: number; of: number; fraction: number; standardError: number }) =>
  `${p.count}/${p.of} = ${p.fraction.toFixed(3)} ± ${p.standardError.toFixed(3)}`;
console.log(`\ncoverage of the 95 % intervals: ${replications} replications per case, ${bootstrap} resamples each`);
cases.forEach((truth, index) => {
  if (only.length && !only.includes(index + 1)) return;
  const label = `${index + 1}. τ ${truth.tau}, D ${truth.D}, n ${truth.avalanches}${truth.nonScalingFraction ? `, ${truth.nonScalingFraction * 100} % non-scaling (mean ${truth.nonScalingMean})` : ''}`;
  const run = seconds(() => collapseCoverage({ truth, replications, seed: 2026, collapse: { bootstrap } }));
  const c = run.value;
  console.log(`${label}  [${run.s.toFixed(0)} s]`);
  console.log(
    `   τ covered ${share(c.tauCovered)}, D covered ${share(c.DCovered)}, both ${share(c.bothCovered)}; within 0.1 ${share(c.withinTolerance)}; holds ${share(c.holds)}`,
  );
  console.log(
    `   τ bias ${c.tauBias.toFixed(3)}, RMSE ${c.tauRmse.toFixed(3)}, median width ${c.tauMedianWidth.toFixed(3)}; D bias ${c.DBias.toFixed(3)}, RMSE ${c.DRmse.toFixed(3)}, median width ${c.DMedianWidth.toFixed(3)}; median s_min ${[...c.rows.map((r) => r.sMin)].sort((a, b) => a - b)[c.rows.length >> 1]}`,
  );
});
