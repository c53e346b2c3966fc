import { Graph } from '../graphs/graph';
import { checkFiniteArray, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';
import { ProbeOptions, ResolvedProbeOptions, resolveProbeOptions } from './options';
import { adjacentOrderStatistics, sortIndicesByDescendingKey } from './orderStatistics';
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
 * Double precision throughout; the relaxation loop works on typed arrays and allocates nothing.
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

  // 1. Loads.
  const loads = new Float64Array(n);
  const permutation = opts.mapping === 'shuffled' ? new Random(deriveSeed(opts.mappingSeed, 'probe-mapping', n)).permutation(n) : null;
  const square = opts.transform === 'square';
  for (let i = 0; i < n; i++) {
    const x = permutation ? values[permutation[i]] : values[i];
    loads[i] = square ? x * x : Math.abs(x);
  }
  checkFiniteArray('probe.loads', loads); // x² can overflow to Infinity
  // 2. Threshold: the two order statistics around position (N − 1)·q, found by selection
  // (O(N)); identical to reading them from a fully sorted copy.
  const position = quantilePosition(n, opts.thresholdQuantile);
  const [below, above] = adjacentOrderStatistics(loads, position.lower, new Float64Array(n));
  const threshold = numpyLerp(below, position.upper === position.lower ? below : above, position.t);
  if (!(threshold > 0)) {
    throw new InvalidOptionError('probe.values', `threshold θ = ${threshold} (the ${opts.thresholdQuantile}-quantile of the loads) is not > 0: too many zero values for this thresholdQuantile`);
  }
  let initialLoad = 0;
  for (let i = 0; i < n; i++) initialLoad += loads[i];
  // 3. Seeds, descending load, ties to the lower index.
  let seedCount = 0;
  for (let i = 0; i < n; i++) if (loads[i] > threshold) seedCount++;
  const seeds = new Int32Array(seedCount);
  for (let i = 0, s = 0; i < n; i++) if (loads[i] > threshold) seeds[s++] = i;
  sortIndicesByDescendingKey(seeds, loads);

  // 4–6. Relaxation.
  const sizes = new Int32Array(seedCount);
  const areas = new Int32Array(seedCount);
  const durations = new Int32Array(seedCount);
  const seedNodes = new Int32Array(seedCount);
  const relaxation = relax(loads, graph, threshold, opts.alpha, opts.maxTopplings, seeds, sizes, areas, durations, seedNodes);
  const count = relaxation.avalancheCount;
  let sMax = 0;
  for (let a = 0; a < count; a++) if (sizes[a] > sMax) sMax = sizes[a];
  return {
    n,
    options: opts,
    threshold,
    initialLoad,
    sizes: sizes.slice(0, count),
    areas: areas.slice(0, count),
    durations: durations.slice(0, count),
    seedNodes: seedNodes.slice(0, count),
    avalancheCount: count,
    totalTopplings: relaxation.totalTopplings,
    sMax,
    totalDissipated: relaxation.totalDissipated,
    truncated: relaxation.truncated,
    loadTransfers: relaxation.loadTransfers,
    loads,
  };
}

/**
 * The relaxation loop (steps 4–6) on prepared typed arrays; `loads` is updated in place and the
 * per-avalanche outputs are written to the given arrays (capacity = number of seeds).
 * Kept separate and monomorphic so V8 optimises it as one tight function.
 */
function relax(
  loads: Float64Array,
  graph: Graph,
  threshold: number,
  alpha: number,
  maxTopplings: number,
  seeds: Int32Array,
  sizes: Int32Array,
  areas: Int32Array,
  durations: Int32Array,
  seedNodes: Int32Array,
): { avalancheCount: number; totalTopplings: number; totalDissipated: number; truncated: boolean; loadTransfers: number } {
  const n = graph.n;
  const offsets = graph.offsets;
  const neighbours = graph.neighbours;
  // FIFO ring buffer: a node is in the queue at most once at a time, so n slots suffice.
  const queue = new Int32Array(n);
  // Per-node state packed side by side so that one cache line serves both (random access
  // dominates the cost on large graphs):
  //   state[2i]     = generation of i while queued, −1 when not queued;
  //   state[2i + 1] = 1 + index of the last avalanche in which i toppled (for the area).
  const state = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) state[2 * i] = -1;
  let avalancheCount = 0;
  let totalTopplings = 0;
  let totalDissipated = 0;
  let truncated = false;
  let loadTransfers = 0;
  for (let s = 0; s < seeds.length; s++) {
    const seed = seeds[s];
    if (!(loads[seed] > threshold)) continue;
    const stamp = avalancheCount + 1;
    let head = 0;
    let tail = 0;
    let queueLength = 1;
    queue[tail] = seed;
    tail = tail + 1 === n ? 0 : tail + 1;
    state[2 * seed] = 0;
    let size = 0;
    let area = 0;
    let maxGeneration = 0;
    while (queueLength > 0) {
      const i = queue[head];
      head = head + 1 === n ? 0 : head + 1;
      queueLength--;
      const g = state[2 * i];
      state[2 * i] = -1;
      const e = loads[i];
      loads[i] = 0;
      size++;
      if (state[2 * i + 1] !== stamp) {
        state[2 * i + 1] = stamp;
        area++;
      }
      if (g > maxGeneration) maxGeneration = g;
      const start = offsets[i];
      const end = offsets[i + 1];
      const k = end - start;
      if (k > 0) {
        const share = (alpha * e) / k;
        totalDissipated += e - k * share;
        loadTransfers += k;
        const next = g + 1;
        for (let p = start; p < end; p++) {
          const j = neighbours[p];
          const f = loads[j] + share;
          loads[j] = f;
          if (f > threshold && state[2 * j] < 0) {
            state[2 * j] = next;
            queue[tail] = j;
            tail = tail + 1 === n ? 0 : tail + 1;
            queueLength++;
          }
        }
      } else {
        totalDissipated += e;
      }
      if (size >= maxTopplings) {
        truncated = true;
        break;
      }
    }
    sizes[avalancheCount] = size;
    areas[avalancheCount] = area;
    durations[avalancheCount] = maxGeneration + 1;
    seedNodes[avalancheCount] = seed;
    avalancheCount++;
    totalTopplings += size;
    if (truncated) break;
  }
  return { avalancheCount, totalTopplings, totalDissipated, truncated, loadTransfers };
}
