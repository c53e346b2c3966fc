/**
 * Probe benchmark (`npm run bench -- probe`):
 * 1. runProbe side by side with a compiled (numba) implementation of the same rules
 *    (bench/probe_numba.py) on the same graph and input, outputs checked bit for bit: BA (m = 3),
 *    N = 200 001, heavy-tailed input (Student-t, df 1.5) with default options (q 0.9, α 0.95),
 *    and five more workloads (conservative α = 1 runs to the guard on three topologies, a small
 *    dense 'network' graph); median times and the ratio numba time / our time (≥ 1: ours is at
 *    least as fast). Without python3-numba, our probe is timed alone;
 * 2. the time of a full batch of 8 scales × 6 seeds × 51 snapshots (Gaussian stand-ins with
 *    N = 4h + 1, h = 20 … 500) through probeSnapshots, in this thread and with workers;
 * 3. the Gaussian and Student-t D table per topology (S_total and s_max).
 */
import * as os from 'node:os';
import { makeGraph, TopologyName } from '../lib/graphs/makeGraph';
import { denseLayout } from '../lib/graphs/network';
import { edgeCount, Graph } from '../lib/graphs/graph';
import { ProbeOptions, resolveProbeOptions } from '../lib/probe/options';
import { runProbe } from '../lib/probe/runProbe';
import { syntheticGradients } from '../lib/probe/syntheticGradients';
import { probeSnapshots, SnapshotInput } from '../lib/probe/probeSnapshots';
import { meanLogSlope } from '../lib/probe/slope';
import { NumbaReference } from './numbaReference';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time of this process (user + system), ms. */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e3;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** "wall 12.3 ms, CPU 11.9 ms (medians of 21)". */
function formatTimes(times: Timing[]): string {
  return `wall ${median(times.map((x) => x.wall)).toFixed(1)} ms, CPU ${median(times.map((x) => x.cpu)).toFixed(1)} ms (medians of ${times.length})`;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`);

  // ---- 1. our probe against a compiled (numba) implementation of the same rules
  // Same graph (our generator's CSR arrays, written to a temp folder), same values, same
  // options: the outputs must agree bit for bit, then both are timed alternately (one of ours,
  // one of numba's, order swapped every repetition) so that load on this shared machine hits
  // both alike. Numba's JIT compile time is excluded: its first call (compile + run) is reported
  // apart and only later calls are timed. Both times are one whole probe call, values to
  // results (ours also validates the input; the numba reference does not).
  const n = 200_001;
  let t = now();
  const graph = makeGraph('ba', n, 1);
  console.log(`BA graph N = ${n}, m = 3: ${edgeCount(graph)} edges, built in ${(now() - t).toFixed(0)} ms`);
  const heavy = syntheticGradients('student-t', n, 2, { df: 1.5 });
  const workloads: Array<[string, Graph, Float64Array, ProbeOptions, number]> = [
    ['BA, Student-t df 1.5, defaults (q 0.9, α 0.95)', graph, heavy, {}, 21],
    ['BA, Gaussian, defaults', graph, syntheticGradients('gaussian', n, 2), {}, 11],
    ['BA, Student-t df 1.5, α = 1, q = 0.5 (runs to the guard, 20·N topplings)', graph, heavy, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n }, 5],
    [
      'ring k 6, Student-t df 1.5, α = 1, q = 0.5 (same, local graph)',
      makeGraph('ring', n, 1),
      heavy,
      { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n },
      5,
    ],
    ['random 6-regular, same (random graph, no hubs)', makeGraph('regular', n, 1), heavy, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n }, 5],
    // Dense and small, as in the notebooks' 'network' topology: XOR 2 → 500 → 1 wired as cliques.
    [
      'network (2 → 500 → 1 clique wiring, N = 2001, mean degree 378), Student-t df 1.5, defaults',
      makeGraph({ kind: 'network', layout: denseLayout([2, 500, 1]) }, 2001, 0),
      syntheticGradients('student-t', 2001, 3, { df: 1.5 }),
      {},
      41,
    ],
  ];
  const reference = await NumbaReference.start();
  if (!reference.available)
    console.log(
      `numba reference not available (${reference.reason}); install it with \`sudo apt-get install python3-numba\` (Debian/Ubuntu) to time it side by side. Timing our probe only.`,
    );
  else console.log(`numba reference: bench/probe_numba.py (${reference.reason}); times exclude its JIT compile (first call reported apart)`);
  const ratios: string[] = [];
  try {
    for (const [label, g, values, options, reps] of workloads) {
      runProbe(values, g, options); // warm-up (JIT)
      let r = runProbe(values, g, options);
      let agreement = '';
      if (reference.available) {
        const first = await reference.load(g, values, resolveProbeOptions(options, g.n));
        const mismatch = reference.compare(r);
        if (mismatch) throw new Error(`${label}: numba reference disagrees with runProbe: ${mismatch}`);
        agreement = `; numba agrees bit for bit (compile + first call ${first.toFixed(0)} ms)`;
      }
      // Wall time and process CPU time per call; on a shared machine the CPU time is the steadier
      // of the two (it leaves out the time this process waits for a core).
      const ours: Timing[] = [];
      const theirs: Timing[] = [];
      for (let rep = 0; rep < reps; rep++) {
        if (reference.available && rep % 2 === 1) theirs.push(await reference.time());
        const wall = now();
        const cpu = cpuNow();
        r = runProbe(values, g, options);
        ours.push({ cpu: cpuNow() - cpu, wall: now() - wall });
        if (reference.available && rep % 2 === 0) theirs.push(await reference.time());
      }
      const ms = median(ours.map((x) => x.wall));
      console.log(
        `  ${label}:\n    S_total ${r.totalTopplings} topplings (${r.avalancheCount} avalanches${r.truncated ? ', truncated' : ''}), ` +
          `${(r.loadTransfers / r.totalTopplings).toFixed(1)} updates/toppling${agreement}\n` +
          `    runProbe ${formatTimes(ours)} → ${(r.totalTopplings / ms / 1e3).toFixed(1)} M topplings/s, ${(r.loadTransfers / ms / 1e3).toFixed(0)} M updates/s (wall)`,
      );
      if (reference.available) {
        const wallRatio = median(theirs.map((x) => x.wall)) / ms;
        const cpuRatio = median(theirs.map((x) => x.cpu)) / median(ours.map((x) => x.cpu));
        console.log(
          `    numba    ${formatTimes(theirs)}\n    ratio numba/ours: wall ${wallRatio.toFixed(2)}, CPU ${cpuRatio.toFixed(2)} (≥ 1: ours at least as fast)`,
        );
        ratios.push(`${label.split(' (')[0]}: wall ${wallRatio.toFixed(2)}, CPU ${cpuRatio.toFixed(2)}`);
      }
    }
  } finally {
    reference.close();
  }
  if (ratios.length > 0) console.log(`ratio numba time / our time (medians), per workload:\n  ${ratios.join('\n  ')}`);

  // ---- 2. full batch
  const hs = [20, 32, 50, 80, 126, 200, 316, 500];
  const snapshots: SnapshotInput[] = [];
  for (const h of hs)
    for (let seed = 0; seed < 6; seed++)
      for (let s = 0; s < 51; s++)
        snapshots.push({ scaleN: 4 * h + 1, seed, snapshot: s, epoch: 20 * s, values: syntheticGradients('gaussian', 4 * h + 1, 10_000 * h + 100 * seed + s) });
  const values = snapshots.reduce((sum, s) => sum + s.values.length, 0);
  for (const workers of [0, 0, 2]) {
    t = now();
    const { summary, avalanches } = await probeSnapshots(snapshots, { topology: 'ba', seeds: [0], workers });
    const ms = now() - t;
    let topplings = 0;
    for (const x of summary.array('totalTopplings') as Float64Array) topplings += x;
    console.log(
      `batch 8 scales × 6 seeds × 51 snapshots (${snapshots.length} probes, ${values} values, ${topplings} topplings, ${avalanches!.numRows()} avalanches), BA, workers ${workers}: ${ms.toFixed(0)} ms`,
    );
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
