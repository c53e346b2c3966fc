/**
 * The probe step of every notebook: snapshots probed with the analysis plan's topology, options
 * and graph seeds through the store cache, so that notebooks 02–08 share one probe per batch.
 */
import { GraphSpec } from '../graphs/makeGraph';
import { ProbeOptions } from '../probe/options';
import { probeSnapshots, ProbeSnapshotsResult, SnapshotInput } from '../probe/probeSnapshots';
import type { AnalysisPlan } from './plan';
import { RunsInput, sweepSnapshots } from './runs';

/** What {@link probeSweep} may change from the plan for one call. */
export interface ProbeSweepOverrides {
  /** Topology of this batch [plan.topology]. */
  topology?: GraphSpec;
  /** Probe options, merged over plan.probeOptions [none]. */
  probeOptions?: ProbeOptions;
  /** Graph seeds [plan.graphSeeds]. */
  graphSeeds?: number[];
  /** Keep the per-avalanche table [true]. */
  keepAvalanches?: boolean;
}

/**
 * Probes every snapshot of a sweep (or the given snapshots) with the plan's topology, options
 * and graph seeds, through the store cache (stage 'probe', keyed by every input). Returns the
 * probe's summary and avalanche tables and whether they were read from the store.
 * @param source a runs table (snapshots are read from the store) or snapshot inputs (e.g. nulls,
 *   or snapshots of runs trained elsewhere)
 */
export async function probeSweep(source: RunsInput | SnapshotInput[], plan: AnalysisPlan, overrides: ProbeSweepOverrides = {}): Promise<ProbeSnapshotsResult> {
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
