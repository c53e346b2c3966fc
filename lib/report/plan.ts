/**
 * The analysis plan shared by every notebook: which topology, probe options, graph seeds and
 * bootstrap sizes a profile uses. One definition, so that notebooks 02–08 probe the same
 * snapshots the same way and reuse each other's store entries.
 */

import { GraphSpec } from '../graphs/index';
import { probeSnapshots, ProbeOptions, ProbeSnapshotsResult, SnapshotInput } from '../probe/index';
import { RunsInput, sweepSnapshots } from '../analysis/index';
import { activeProfile, ProfileName } from '../util/profile';

/** Observables of one snapshot's probe: S_total (primary, see science notes) and s_max. */
export const OBSERVABLES = ['totalTopplings', 'sMax'] as const;
export type Observable = (typeof OBSERVABLES)[number];

/** Human-readable names of the observables, for axis titles and tables. */
export const OBSERVABLE_LABELS: Record<Observable, string> = {
  totalTopplings: 'S_total (total topplings)',
  sMax: 's_max (largest avalanche)',
};

/** What a profile's analysis uses. */
export interface AnalysisPlan {
  profile: ProfileName;
  /** Graph on which the probe runs [Barabási–Albert, m = 3]. */
  topology: GraphSpec;
  /** Probe options [q = 0.9, α = 0.95, |x| loads, identity mapping]. */
  probeOptions: ProbeOptions;
  /** Graph seeds: each snapshot is probed on each [smoke/quick: [0]; paper: [0, 1, 2]]. */
  graphSeeds: number[];
  /** Bootstrap replicates for CIs of D [smoke 200, quick 1000, paper 2000]. */
  bootstrap: number;
  /** The primary observable for D ['totalTopplings']. */
  observable: Observable;
  /** The seven topologies of the topology comparison, with their parameters (mean degree ≈ 6). */
  topologies: GraphSpec[];
  /** Seed of every bootstrap and null draw [0]. */
  seed: number;
  /**
   * A crossing of D = 1 counts only if D(t) then stays on the new side for this many snapshots
   * [Infinity: to the last snapshot, like an accuracy onset that holds to the end]. D(t) hovers
   * near 1 for a while, and the first sign change is often noise.
   */
  crossingPersist: number;
}

/**
 * The analysis plan of a profile (GROKFSS_PROFILE when omitted; default 'quick').
 * Every field can be overridden in a notebook's parameters cell: `{ ...analysisPlan(), alpha… }`.
 */
export function analysisPlan(profile?: string): AnalysisPlan {
  const name = activeProfile(profile);
  return {
    profile: name,
    topology: { kind: 'ba', m: 3 },
    probeOptions: { thresholdQuantile: 0.9, alpha: 0.95, transform: 'abs', mapping: 'identity' },
    graphSeeds: name === 'paper' ? [0, 1, 2] : [0],
    bootstrap: name === 'smoke' ? 200 : name === 'quick' ? 1000 : 2000,
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
    crossingPersist: Infinity,
  };
}

/**
 * Probes every snapshot of a sweep (or the given snapshots) with the plan's topology, options
 * and graph seeds, through the store cache. Returns the probe's summary and avalanche tables.
 * @param source a runs table (snapshots are read from the store) or snapshot inputs (e.g. nulls)
 * @param overrides replace the plan's topology / probe options / graph seeds for this call
 */
export async function probeSweep(
  source: RunsInput | SnapshotInput[],
  plan: AnalysisPlan,
  overrides: { topology?: GraphSpec; probeOptions?: ProbeOptions; graphSeeds?: number[]; keepAvalanches?: boolean } = {},
): Promise<ProbeSnapshotsResult> {
  const snapshots = isSnapshotList(source) ? source : sweepSnapshots(source);
  return probeSnapshots(snapshots, {
    topology: overrides.topology ?? plan.topology,
    options: { ...plan.probeOptions, ...(overrides.probeOptions ?? {}) },
    seeds: overrides.graphSeeds ?? plan.graphSeeds,
    keepAvalanches: overrides.keepAvalanches ?? true,
    cache: true,
  });
}

function isSnapshotList(source: RunsInput | SnapshotInput[]): source is SnapshotInput[] {
  return Array.isArray(source) && (source.length === 0 || 'values' in (source[0] as object));
}


