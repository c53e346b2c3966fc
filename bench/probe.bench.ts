/**
 * Probe benchmark (`npm run bench -- probe`):
 * 1. single-thread topplings per second on a BA graph (m = 3) with N = 200 001 and
 *    heavy-tailed input (Student-t, df 1.5), default options (q 0.9, α 0.95);
 * 2. the time of a full batch of 8 scales × 6 seeds × 51 snapshots (Gaussian stand-ins with
 *    N = 4h + 1, h = 20 … 500) through probeSnapshots, in this thread and with workers;
 * 3. the Gaussian and Student-t D table per topology (S_total and s_max).
 */
import * as os from 'node:os';
import { makeGraph, TopologyName } from '../lib/graphs/makeGraph';
import { edgeCount, Graph } from '../lib/graphs/graph';
import { ProbeOptions } from '../lib/probe/options';
import { runProbe } from '../lib/probe/runProbe';
import { syntheticGradients } from '../lib/probe/syntheticGradients';
import { probeSnapshots, SnapshotInput } from '../lib/probe/probeSnapshots';
import { meanLogSlope } from '../lib/probe/slope';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`);

  // ---- 1. topplings per second
  // Reported per workload: end-to-end runProbe time (median of 7), the setup share (a run
  // with maxTopplings = 1: loads, θ by selection, seed ordering, allocations), topplings/s
  // over the relaxation only, and neighbour load updates/s (the real unit of work: a toppling
  // of a node of degree k costs k updates, and BA hubs have degree in the thousands).
  const n = 200_001;
  let t = now();
  const graph = makeGraph('ba', n, 1);
  console.log(`BA graph N = ${n}, m = 3: ${edgeCount(graph)} edges, built in ${(now() - t).toFixed(0)} ms`);
  const heavy = syntheticGradients('student-t', n, 2, { df: 1.5 });
  const workloads: Array<[string, Graph, Float64Array, ProbeOptions]> = [
    ['BA, Student-t df 1.5, defaults (q 0.9, α 0.95)', graph, heavy, {}],
    ['BA, Gaussian, defaults', graph, syntheticGradients('gaussian', n, 2), {}],
    ['BA, Student-t df 1.5, α = 1, q = 0.5 (runs to the guard, 20·N topplings)', graph, heavy, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n }],
    ['ring k 6, Student-t df 1.5, α = 1, q = 0.5 (same, local graph)', makeGraph('ring', n, 1), heavy, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n }],
    ['random 6-regular, same (random graph, no hubs)', makeGraph('regular', n, 1), heavy, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n }],
  ];
  for (const [label, g, values, options] of workloads) {
    runProbe(values, g, options); // warm-up (JIT)
    const reps = options.alpha === 1 ? 3 : 7;
    const times: number[] = [];
    let r = runProbe(values, g, options);
    for (let rep = 0; rep < reps; rep++) {
      t = now();
      r = runProbe(values, g, options);
      times.push(now() - t);
    }
    const setup: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      t = now();
      runProbe(values, g, { ...options, maxTopplings: 1 });
      setup.push(now() - t);
    }
    const ms = median(times);
    const relaxMs = Math.max(1e-3, ms - median(setup));
    console.log(
      `  ${label}:\n    S_total ${r.totalTopplings} topplings (${r.avalancheCount} avalanches${r.truncated ? ', truncated' : ''}), ` +
        `${(r.loadTransfers / r.totalTopplings).toFixed(1)} updates/toppling; runProbe ${ms.toFixed(1)} ms (setup ${median(setup).toFixed(1)} ms) → ` +
        `${(r.totalTopplings / ms / 1e3).toFixed(1)} M topplings/s end to end, ${(r.totalTopplings / relaxMs / 1e3).toFixed(1)} M topplings/s and ` +
        `${(r.loadTransfers / relaxMs / 1e3).toFixed(0)} M updates/s in the relaxation`,
    );
  }

  // ---- 2. full batch
  const hs = [20, 32, 50, 80, 126, 200, 316, 500];
  const snapshots: SnapshotInput[] = [];
  for (const h of hs) for (let seed = 0; seed < 6; seed++) for (let s = 0; s < 51; s++) snapshots.push({ scaleN: 4 * h + 1, seed, snapshot: s, epoch: 20 * s, values: syntheticGradients('gaussian', 4 * h + 1, 10_000 * h + 100 * seed + s) });
  const values = snapshots.reduce((sum, s) => sum + s.values.length, 0);
  for (const workers of [0, 0, 2]) {
    t = now();
    const { summary, avalanches } = await probeSnapshots(snapshots, { topology: 'ba', seeds: [0], workers });
    const ms = now() - t;
    let topplings = 0;
    for (const x of summary.array('totalTopplings') as Float64Array) topplings += x;
    console.log(`batch 8 scales × 6 seeds × 51 snapshots (${snapshots.length} probes, ${values} values, ${topplings} topplings, ${avalanches!.numRows()} avalanches), BA, workers ${workers}: ${ms.toFixed(0)} ms`);
  }

  // ---- 3. D table
  const seeds = 20;
  console.log(`\nD = OLS slope of mean log(observable) vs log N, N = 4h+1, h ∈ {${hs.join(', ')}}, ${seeds} seeds per size, defaults (q 0.9, α 0.95)`);
  console.log('topology        | Gaussian D(S_total) | Gaussian D(s_max) | Student-t 1.5 D(S_total) | D(s_max)');
  const topologies: TopologyName[] = ['ba', 'erdos-renyi', 'watts-strogatz', 'ring', 'regular', 'lattice2d'];
  for (const topology of topologies) {
    const row: string[] = [];
    for (const kind of ['gaussian', 'student-t'] as const) {
      const scales: number[] = [];
      const totals: number[] = [];
      const maxima: number[] = [];
      for (const h of hs) {
        const size = 4 * h + 1;
        for (let s = 0; s < seeds; s++) {
          const r = runProbe(syntheticGradients(kind, size, 500 + s, { df: 1.5 }), makeGraph(topology, size, s));
          scales.push(size);
          totals.push(r.totalTopplings);
          maxima.push(r.sMax);
        }
      }
      row.push(meanLogSlope(scales, totals).slope.toFixed(3), meanLogSlope(scales, maxima).slope.toFixed(3));
    }
    console.log(`${topology.padEnd(15)} | ${row[0].padStart(19)} | ${row[1].padStart(17)} | ${row[2].padStart(24)} | ${row[3].padStart(8)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
