/**
 * The analysis plan shared by every notebook: which topology, probe options, graph seeds,
 * bootstrap sizes and crossing rule a profile uses. One definition, so that notebooks 02–08
 * probe the same snapshots the same way, reuse each other's store entries and apply the same
 * rules; every analysis function that takes a plan reads its settings from here.
 */
import { SeedBootstrap, SEED_BOOTSTRAPS } from '../fss/clusters';
import { CrossingInterval, CROSSING_INTERVALS } from '../fss/trajectory';
import { GraphSpec } from '../graphs/makeGraph';
import { ProbeOptions } from '../probe/options';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { activeProfile, ProfileName } from '../util/profile';
import { Observable, OBSERVABLES } from './observables';

/** What a profile's analysis uses. */
export interface AnalysisPlan {
  profile: ProfileName;
  /** Graph on which the probe runs [Barabási–Albert, m = 3]. */
  topology: GraphSpec;
  /** Probe options [q = 0.9, α = 0.95, |x| loads, identity mapping]. */
  probeOptions: ProbeOptions;
  /** Graph seeds: each snapshot is probed on each [smoke/quick: [0]; paper: [0, 1, 2]]. */
  graphSeeds: number[];
  /** Bootstrap replicates of every CI of D and of crossing times (seeds resampled within scales) [smoke 200, quick 1000, paper 2000]. */
  bootstrap: number;
  /** Synthetic data sets of each power-law goodness-of-fit p-value [smoke 20, quick 100, paper 1000]. */
  pValueBootstrap: number;
  /** Resamples of whole avalanches for the CIs of the crackling-noise exponents [smoke 40, quick 200, paper 400]. */
  avalancheBootstrap: number;
  /** Resamples of the avalanches for the data collapse's intervals (dataCollapse redoes the s_min choice on each; ≥ 20) [smoke 20, quick 100, paper 200]. */
  collapseBootstrap: number;
  /** The primary observable for D ['totalTopplings']. */
  observable: Observable;
  /** The seven topologies of the topology comparison, with their parameters (mean degree ≈ 6). */
  topologies: GraphSpec[];
  /** Seed of every bootstrap and null draw [0]. */
  seed: number;
  /**
   * The lasting crossing of D = 1: D(t) must stay on the new side for this many snapshots (or
   * time bins), the crossing point included — an integer ≥ 1, or Infinity: to the last one, like
   * an accuracy onset that holds to the end [Infinity]. D(t) hovers near 1 for a while, and the
   * first sign change is often noise; the first crossing is reported beside the lasting one.
   */
  lastingPoints: number;
  /**
   * How the bootstrap over training seeds (resampled within each scale) makes every interval of
   * D: 'studentized' (bootstrap-t), 'rescaled' (percentiles of replicates with unbiased spread,
   * Rao & Wu 1988) or 'plain' (percentiles of the replicates as drawn) ['studentized']. With six
   * seeds a scale, percentile intervals are too narrow; notebook 11 measures what each covers.
   */
  seedBootstrap: SeedBootstrap;
  /**
   * How the interval of a crossing time of D = 1 is made: 'pointwise-band' (every crossing time
   * of a D(t) inside the pointwise 95 % band), 'band' (the same inside the simultaneous band), or
   * 'percentile' (percentiles of the bootstrap replicates' crossing times) ['pointwise-band'].
   * The percentile interval of the lasting crossing covers the truth far less than 95 % of the
   * time when D(t) hovers near 1 (notebook 11).
   */
  crossingInterval: CrossingInterval;
}

const PLAN_KEYS = [
  'profile',
  'topology',
  'probeOptions',
  'graphSeeds',
  'bootstrap',
  'pValueBootstrap',
  'avalancheBootstrap',
  'collapseBootstrap',
  'observable',
  'topologies',
  'seed',
  'lastingPoints',
  'seedBootstrap',
  'crossingInterval',
] as const;

/**
 * The analysis plan of a profile (GROKFSS_PROFILE when omitted; default 'quick').
 * Every field can be overridden in a notebook's parameters cell: `{ ...analysisPlan(), bootstrap: 500 }`.
 */
export function analysisPlan(profile?: string): AnalysisPlan {
  const name = activeProfile(profile);
  const bySize = <T>(smoke: T, quick: T, paper: T): T => (name === 'smoke' ? smoke : name === 'quick' ? quick : paper);
  return {
    profile: name,
    topology: { kind: 'ba', m: 3 },
    probeOptions: { thresholdQuantile: 0.9, alpha: 0.95, transform: 'abs', mapping: 'identity' },
    graphSeeds: name === 'paper' ? [0, 1, 2] : [0],
    bootstrap: bySize(200, 1000, 2000),
    pValueBootstrap: bySize(20, 100, 1000),
    avalancheBootstrap: bySize(40, 200, 400),
    collapseBootstrap: bySize(20, 100, 200),
    observable: 'totalTopplings',
    topologies: [
      { kind: 'ba', m: 3 },
      { kind: 'erdos-renyi', meanDegree: 6 },
      { kind: 'watts-strogatz', k: 6, beta: 0.1 },
      { kind: 'ring', k: 6 },
      { kind: 'regular', k: 6 },
      { kind: 'lattice2d' },
      { kind: 'network' },
    ],
    seed: 0,
    lastingPoints: Infinity,
    seedBootstrap: 'studentized',
    crossingInterval: 'pointwise-band',
  };
}

/**
 * Checks a plan (e.g. one edited in a parameters cell) before any work: unknown keys, bootstrap
 * sizes (integers ≥ 0; p-values ≥ 1), seed, lastingPoints (integer ≥ 1 or Infinity), observable,
 * seedBootstrap and crossingInterval.
 * @returns the same plan
 * @throws InvalidOptionError naming the field
 */
export function checkAnalysisPlan(plan: AnalysisPlan): AnalysisPlan {
  if (plan == null || typeof plan !== 'object') throw new InvalidOptionError('plan', 'must be an analysis plan (see analysisPlan)');
  for (const key of Object.keys(plan)) checkChoice('plan', key, PLAN_KEYS);
  checkInteger('plan.bootstrap', plan.bootstrap, 0);
  checkInteger('plan.pValueBootstrap', plan.pValueBootstrap, 1);
  checkInteger('plan.avalancheBootstrap', plan.avalancheBootstrap, 0);
  checkInteger('plan.collapseBootstrap', plan.collapseBootstrap, 0);
  checkInteger('plan.seed', plan.seed, 0, 2 ** 31 - 1);
  if (plan.lastingPoints !== Infinity) checkInteger('plan.lastingPoints', plan.lastingPoints, 1);
  checkChoice('plan.observable', plan.observable, OBSERVABLES);
  checkChoice('plan.seedBootstrap', plan.seedBootstrap, SEED_BOOTSTRAPS);
  checkChoice('plan.crossingInterval', plan.crossingInterval, CROSSING_INTERVALS);
  if (!Array.isArray(plan.graphSeeds) || plan.graphSeeds.length === 0)
    throw new InvalidOptionError('plan.graphSeeds', 'must be a non-empty array of integer seeds');
  return plan;
}
