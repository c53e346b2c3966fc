import { Graph } from '../graphs/graph';
import { checkFiniteArray, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';
import { ProbeOptions, ResolvedProbeOptions, resolveProbeOptions } from './options';
import { adjacentOrderStatistics, sortIndicesByDescendingKey } from './orderStatistics';
import { ProbeMemory } from './relaxKernel';
import { numpyLerp, quantilePosition } from './quantile';

/** Everything one probe run measures. Counts are topplings (dimensionless). */
export interface ProbeResult {
  /** Number of nodes N. */
  n: number;
  /** The options actually used (defaults filled in). */
  options: ResolvedProbeOptions;
  /** θ: the thresholdQuantile of the initial loads (numpy 'linear'). */
  threshold: number;
  /** Σ of initial loads. */
  initialLoad: number;
  /** Per avalanche, in seed order: number of topplings. */
  sizes: Int32Array;
  /** Per avalanche: number of distinct nodes toppled (≤ size). */
  areas: Int32Array;
  /** Per avalanche: number of generations (max generation + 1; the seed is generation 0). */
  durations: Int32Array;
  /** Per avalanche: the node that started it. */
  seedNodes: Int32Array;
  /** Number of avalanches (= sizes.length). */
  avalancheCount: number;
  /** S_total: topplings summed over all avalanches. */
  totalTopplings: number;
  /** s_max: the largest avalanche size (0 if there was none). */
  sMax: number;
  /** Load removed from the system: Σ over topplings of e − k·(α·e)/k (all of e at degree 0). */
  totalDissipated: number;
  /** True when one avalanche reached maxTopplings and the probe stopped there. */
  truncated: boolean;
  /** Number of neighbour load updates (Σ of degree over topplings): the probe's work, for benchmarks. */
  loadTransfers: number;
  /** Loads left on the nodes at the end (node order). */
  loads: Float64Array;
}

/**
 * The TDU-OFC avalanche probe, exactly as specified (see the probe issue):
 * 1. loads F_i = |x_i| ('abs') or x_i² ('square'), on node i (or on node i the value
 *    x[π(i)] of a seeded permutation π with `mapping: 'shuffled'`);
 * 2. θ = thresholdQuantile of F (numpy 'linear' interpolation); θ must be > 0;
 * 3. seeds = nodes with F_i > θ, by descending F_i, ties to the lower index;
 * 4. each seed still above θ starts one avalanche, relaxed with a FIFO queue: pop i (no longer
 *    queued), e = F_i, F_i = 0, one toppling; each neighbour j (ascending index) of a node of
 *    degree k > 0 gets F_j += (α·e)/k and is queued if F_j > θ and not already queued;
 *    e − k·(α·e)/k is dissipated (all of e at degree 0);
 * 5. size = topplings, area = distinct nodes toppled, duration = generations;
 * 6. when one avalanche reaches maxTopplings the whole probe stops with truncated = true.
 *
 * Double precision throughout, sums in the order above, so results are reproducible to the
 * bit. Steps 1–3 are small functions over typed arrays (V8 optimises each as a whole, not
 * mid-loop); steps 4–6 run in a WebAssembly kernel (relaxKernel.ts). Working memory is kept
 * between calls of a thread, so a batch of thousands of probes does not allocate it each time.
 * @param values the snapshot (length N = graph.n, all finite)
 * @param graph the topology (CSR, see graphFromEdges / makeGraph)
 * @param options see {@link ProbeOptions} (defaults: abs, q 0.9, α 0.95, 100·N, identity)
 * @throws InvalidOptionError (before any work) on non-finite values, a length mismatch, an
 *   option out of range, or θ ≤ 0
 */
export function runProbe(values: ArrayLike<number>, graph: Graph, options: ProbeOptions = {}): ProbeResult {
  if (!graph || !(graph.offsets instanceof Int32Array) || !(graph.neighbours instanceof Int32Array) || graph.offsets.length !== graph.n + 1) {
    throw new InvalidOptionError('probe.graph', 'must be a CSR graph { n, offsets: Int32Array(n + 1), neighbours: Int32Array } (see graphFromEdges)');
  }
  const n = graph.n;
  if (!values || values.length !== n) throw new InvalidOptionError('probe.values', `length ${values?.length} does not match the graph's ${n} nodes`);
  if (n === 0) throw new InvalidOptionError('probe.values', 'must hold at least one value');
  checkFiniteArray('probe.values', values);
  const opts = resolveProbeOptions(options, n);
  const memory = ProbeMemory.forProbe(n, graph.neighbours.length);

  // 1. Loads, and their sum (left to right), written where the kernel reads them.
  const loads = memory.loads;
  const permutation = opts.mapping === 'shuffled' ? new Random(deriveSeed(opts.mappingSeed, 'probe-mapping', n)).permutation(n) : null;
  const square = opts.transform === 'square';
  const initialLoad = permutation
    ? fillPermutedLoads(values, permutation, square, loads)
    : values instanceof Float64Array
      ? fillLoads(values, square, loads)
      : fillLoadsGeneric(values, square, loads);
  if (!(initialLoad < Infinity)) checkFiniteArray('probe.loads', loads); // x² can overflow to Infinity
  // 2. Threshold: the two order statistics around position (N − 1)·q, found by selection
  // (O(N)); identical to reading them from a fully sorted copy.
  const position = quantilePosition(n, opts.thresholdQuantile);
  const [below, above] = adjacentOrderStatistics(loads, position.lower, memory.scratch);
  const threshold = numpyLerp(below, position.upper === position.lower ? below : above, position.t);
  if (!(threshold > 0)) {
    throw new InvalidOptionError(
      'probe.values',
      `threshold θ = ${threshold} (the ${opts.thresholdQuantile}-quantile of the loads) is not > 0: too many zero values for this thresholdQuantile`,
    );
  }
  // 3. Seeds, descending load, ties to the lower index.
  const seedCount = collectAbove(loads, threshold, memory.seeds);
  sortIndicesByDescendingKey(memory.seeds.subarray(0, seedCount), loads);

  // 4–6. Relaxation (relaxKernel.ts).
  const relaxation = memory.relax(graph, seedCount, threshold, opts.alpha, opts.maxTopplings);
  const sizes = relaxation.sizes;
  let sMax = 0;
  for (let a = 0; a < sizes.length; a++) if (sizes[a] > sMax) sMax = sizes[a];
  return {
    n,
    options: opts,
    threshold,
    initialLoad,
    sizes,
    areas: relaxation.areas,
    durations: relaxation.durations,
    seedNodes: relaxation.seedNodes,
    avalancheCount: relaxation.avalancheCount,
    totalTopplings: relaxation.totalTopplings,
    sMax,
    totalDissipated: relaxation.totalDissipated,
    truncated: relaxation.truncated,
    loadTransfers: relaxation.loadTransfers,
    loads: loads.slice(),
  };
}

/** Step 1 for a Float64Array on the identity mapping; @returns Σ loads (left to right). */
function fillLoads(values: Float64Array, square: boolean, loads: Float64Array): number {
  let sum = 0;
  const n = loads.length;
  if (square) {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      const f = x * x;
      loads[i] = f;
      sum += f;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const f = Math.abs(values[i]);
      loads[i] = f;
      sum += f;
    }
  }
  return sum;
}

/** Step 1 for any other array-like on the identity mapping (kept apart so fillLoads stays monomorphic). */
function fillLoadsGeneric(values: ArrayLike<number>, square: boolean, loads: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < loads.length; i++) {
    const x = values[i];
    const f = square ? x * x : Math.abs(x);
    loads[i] = f;
    sum += f;
  }
  return sum;
}

/** Step 1 with `mapping: 'shuffled'`: node i carries values[permutation[i]]. */
function fillPermutedLoads(values: ArrayLike<number>, permutation: ArrayLike<number>, square: boolean, loads: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < loads.length; i++) {
    const x = values[permutation[i]];
    const f = square ? x * x : Math.abs(x);
    loads[i] = f;
    sum += f;
  }
  return sum;
}

/** Step 3: writes the indices i with loads[i] > threshold, ascending, to `out`; @returns their count. */
function collectAbove(loads: Float64Array, threshold: number, out: Int32Array): number {
  let count = 0;
  for (let i = 0; i < loads.length; i++) if (loads[i] > threshold) out[count++] = i;
  return count;
}
