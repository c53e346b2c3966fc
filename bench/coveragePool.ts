/**
 * The XOR pool of the coverage study (bench/coverage.ts): XOR runs of the quick profile's
 * configuration, trained seed by seed at all eight widths and probed with the quick analysis
 * plan, kept as probe rows only. Each training seed is one store entry (stage 'coverage-pool'),
 * so an interrupted study resumes where it stopped and a rerun reads every finished seed back
 * (checksummed); designPoolReplication keeps the synthetic replications the same way. The runs themselves are trained in a scratch store that is deleted once their
 * snapshots are probed: a pool of 600 seeds would otherwise hold ~4.5 GB of snapshots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as aq from 'arquero';
import { CoverageDesign, designRows } from '../lib/analysis/coverageDesigns';
import { analysisPlan } from '../lib/analysis/plan';
import { ProbeRow, probeRows } from '../lib/analysis/phase';
import { sweepSnapshots } from '../lib/analysis/runs';
import { probeSnapshots } from '../lib/probe/probeSnapshots';
import { cached, storeRoot, tableToArrow } from '../lib/store/index';
import { trainingPlan } from '../lib/train/profiles';
import { trainScales } from '../lib/train/trainScales';

/** Bumped when the pool's rows for a given seed could change. */
export const XOR_POOL_VERSION = 1;

/** Options of {@link xorPoolSeed}. */
export interface XorPoolOptions {
  /** Training seeds of one replication group: run seed s is also probed on the graph of group ⌊s / groupSize⌋ [6]. */
  groupSize?: number;
  /** Store root of the pool entries [storeRoot()]. */
  root?: string;
}

/**
 * Probe rows of one training seed at every XOR width of the quick profile (2000 epochs, 51
 * snapshots): every snapshot is probed on the quick plan's graph (graph seed 0, the one every
 * notebook uses) and on the graph of its replication group (graph seed 1 + ⌊seed / groupSize⌋),
 * so that the study can compare replications on one shared graph with replications that each
 * draw their own graph, as an independent lab does. Rows carry the run's train onset and phase.
 * @returns the rows and whether they were read from the store
 */
export async function xorPoolSeed(seed: number, options: XorPoolOptions = {}): Promise<{ rows: ProbeRow[]; hit: boolean }> {
  const groupSize = options.groupSize ?? 6;
  const root = options.root ?? storeRoot();
  const plan = analysisPlan('quick');
  const sweep = trainingPlan('xor', 'quick');
  const graphSeeds = [0, 1 + Math.floor(seed / groupSize)];
  const key = {
    version: XOR_POOL_VERSION,
    base: sweep.base,
    scales: sweep.scales,
    seed,
    topology: plan.topology,
    probeOptions: plan.probeOptions,
    graphSeeds,
  };
  const { entry, hit } = await cached(
    'coverage-pool',
    key,
    async () => {
      const scratch = path.join(path.dirname(root), `tmp-coverage-train-${process.pid}`);
      try {
        const runs = await trainScales({ base: sweep.base, scales: sweep.scales, seeds: [seed] }, { workers: 1, root: scratch });
        const probe = await probeSnapshots(sweepSnapshots(runs, { root: scratch }), {
          topology: plan.topology,
          options: plan.probeOptions,
          seeds: graphSeeds,
          keepAvalanches: false,
          workers: 0,
        });
        const rows = probeRows(probe.summary, runs);
        return { 'rows.arrow': tableToArrow(aq.from(rows)) };
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
    { root },
  );
  const rows = entry.table('rows.arrow').objects() as unknown as ProbeRow[];
  return { rows: rows.map((r) => ({ ...r, truncated: Boolean(r.truncated), onset: r.onset ?? NaN })), hit };
}

/** Bumped when the stored rows of a synthetic replication could change. */
export const DESIGN_POOL_VERSION = 1;

/**
 * Probe rows of one replication of a synthetic design (designRows with these seeds and epochs on
 * the quick plan's graph), kept in the store (stage 'coverage-design') so that a rerun of the
 * study, or a study resumed after an interruption, probes each replication once.
 */
export async function designPoolReplication(
  design: CoverageDesign,
  seeds: number[],
  epochs: number[],
  options: { root?: string } = {},
): Promise<{ rows: ProbeRow[]; hit: boolean }> {
  const plan = analysisPlan('quick');
  const key = { version: DESIGN_POOL_VERSION, design, seeds, epochs, topology: plan.topology, probeOptions: plan.probeOptions, graphSeeds: plan.graphSeeds };
  const { entry, hit } = await cached(
    'coverage-design',
    key,
    async () => ({ 'rows.arrow': tableToArrow(aq.from(designRows(design, plan, { seeds, epochs }))) }),
    { root: options.root ?? storeRoot() },
  );
  const rows = entry.table('rows.arrow').objects() as unknown as ProbeRow[];
  return { rows: rows.map((r) => ({ ...r, truncated: Boolean(r.truncated) })), hit };
}
