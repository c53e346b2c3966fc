/**
 * Power-law fitting speed: a full CSN xmin scan on 100 000 discrete samples, and one
 * semi-parametric bootstrap p-value with 1 000 replicates (each a full rescan).
 * Set STATS_BENCH_PVALUE_N to change the p-value sample size (default 10 000).
 */
import { Random } from '../lib/util/random';
import { fitPowerLaw } from '../lib/stats/powerLaw';
import { powerLawPValue } from '../lib/stats/powerLawPValue';
import { sampleContinuousPowerLaw, sampleDiscretePowerLaw } from '../lib/stats/samplers';

function time<T>(f: () => T): { value: T; ms: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

for (const alpha of [1.5, 2.5]) {
  const x = sampleDiscretePowerLaw(100000, alpha, 1, new Random(1));
  fitPowerLaw(x.subarray(0, 5000), { discrete: true }); // warm-up
  const runs = [0, 1, 2].map(() => time(() => fitPowerLaw(x, { discrete: true })));
  const best = Math.min(...runs.map((r) => r.ms));
  const f = runs[0].value;
  console.log(
    `fitPowerLaw discrete n=100000 α=${alpha}: ${best.toFixed(1)} ms (best of 3); ${f.candidates} candidate xmins, ${f.fullKsEvaluations} full KS evaluations; α̂=${f.alpha.toFixed(4)}, xmin=${f.xmin}`,
  );
}
{
  // Continuous data: every value is a candidate and the KS pruning is weaker (see report); n = 20 000.
  const x = sampleContinuousPowerLaw(20000, 2.5, 1, new Random(2));
  const r = time(() => fitPowerLaw(x, { discrete: false }));
  console.log(
    `fitPowerLaw continuous n=20000 α=2.5: ${r.ms.toFixed(1)} ms; ${r.value.candidates} candidates, ${r.value.fullKsEvaluations} full KS evaluations`,
  );
}
{
  const n = Number(process.env.STATS_BENCH_PVALUE_N ?? 10000);
  const x = sampleDiscretePowerLaw(n, 2.5, 1, new Random(3));
  const fit = fitPowerLaw(x, { discrete: true });
  const r = time(() => powerLawPValue(x, fit, { bootstrap: 1000, seed: 1 }));
  console.log(`powerLawPValue discrete n=${n}, 1000 replicates (xmin rescanned): ${(r.ms / 1000).toFixed(2)} s, p=${r.value.pValue}`);
  const fixed = fitPowerLaw(x, { discrete: true, xmin: fit.xmin });
  const rf = time(() => powerLawPValue(x, fixed, { bootstrap: 1000, seed: 1 }));
  console.log(`powerLawPValue discrete n=${n}, 1000 replicates (xmin fixed): ${(rf.ms / 1000).toFixed(2)} s`);
}
{
  const x = sampleDiscretePowerLaw(100000, 2.5, 1, new Random(4));
  const fit = fitPowerLaw(x, { discrete: true });
  const r = time(() => powerLawPValue(x, fit, { bootstrap: 20, seed: 1 }));
  console.log(`powerLawPValue discrete n=100000: ${(r.ms / 20).toFixed(0)} ms per replicate (→ ${(((r.ms / 20) * 1000) / 1000).toFixed(0)} s for 1000)`);
}
