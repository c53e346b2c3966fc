import { checkInteger, InvalidOptionError } from '../util/errors';

/**
 * An undirected simple graph in compressed sparse row (CSR) form.
 *
 * The neighbours of node `i` are `neighbours[offsets[i]] … neighbours[offsets[i + 1] - 1]`,
 * sorted ascending, with no self-loops and no repeats. Every edge appears twice (once in each
 * endpoint's list), so the edge count is `neighbours.length / 2`.
 */
export interface Graph {
  /** Number of nodes. */
  readonly n: number;
  /** Length n + 1; offsets[0] = 0, offsets[n] = neighbours.length. */
  readonly offsets: Int32Array;
  /** Concatenated, ascending neighbour lists. */
  readonly neighbours: Int32Array;
}

/**
 * Builds a {@link Graph} from a flat list of endpoint pairs `[u0, v0, u1, v1, …]`.
 * Self-loops are dropped, duplicate edges (in either orientation) merged, neighbour lists
 * sorted ascending.
 * @param n number of nodes (integer ≥ 0)
 * @param edges flat pairs of node indices in 0 … n−1 (even length)
 * @throws InvalidOptionError on an odd length or an endpoint out of range
 */
export function graphFromEdges(n: number, edges: ArrayLike<number>): Graph {
  checkInteger('graph.n', n, 0, 2 ** 31 - 2);
  if (edges.length % 2 !== 0) throw new InvalidOptionError('graph.edges', `must hold pairs (even length), got length ${edges.length}`);
  for (let e = 0; e < edges.length; e++) {
    const v = edges[e];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new InvalidOptionError('graph.edges', `entry ${e} is ${String(v)}; endpoints must be integers in 0 … ${n - 1}`);
    }
  }
  // Degrees counting both orientations, self-loops excluded.
  const counts = new Int32Array(n + 1);
  for (let e = 0; e < edges.length; e += 2) {
    const u = edges[e];
    const v = edges[e + 1];
    if (u === v) continue;
    counts[u + 1]++;
    counts[v + 1]++;
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const raw = new Int32Array(counts[n]);
  const fill = counts.slice(0, n);
  for (let e = 0; e < edges.length; e += 2) {
    const u = edges[e];
    const v = edges[e + 1];
    if (u === v) continue;
    raw[fill[u]++] = v;
    raw[fill[v]++] = u;
  }
  // Sort each list and squeeze out repeats, compacting in place.
  const offsets = new Int32Array(n + 1);
  let write = 0;
  for (let i = 0; i < n; i++) {
    const start = counts[i];
    const end = counts[i + 1];
    if (end - start > 1) raw.subarray(start, end).sort();
    offsets[i] = write;
    let previous = -1;
    for (let p = start; p < end; p++) {
      const v = raw[p];
      if (v !== previous) {
        raw[write++] = v;
        previous = v;
      }
    }
  }
  offsets[n] = write;
  return { n, offsets, neighbours: write === raw.length ? raw : raw.slice(0, write) };
}

/** Degree of every node (Int32Array of length n). */
export function degrees(graph: Graph): Int32Array {
  const out = new Int32Array(graph.n);
  for (let i = 0; i < graph.n; i++) out[i] = graph.offsets[i + 1] - graph.offsets[i];
  return out;
}

/** Number of undirected edges. */
export function edgeCount(graph: Graph): number {
  return graph.neighbours.length / 2;
}

/** True when `i` and `j` are adjacent (binary search in i's sorted list). */
export function hasEdge(graph: Graph, i: number, j: number): boolean {
  let lo = graph.offsets[i];
  let hi = graph.offsets[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = graph.neighbours[mid];
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Checks the CSR invariants (offsets monotone, lists strictly ascending, no self-loops,
 * symmetric adjacency); throws an Error describing the first violation. Used by tests and by
 * callers that build a Graph by hand.
 */
export function validateGraph(graph: Graph): void {
  const { n, offsets, neighbours } = graph;
  if (offsets.length !== n + 1 || offsets[0] !== 0 || offsets[n] !== neighbours.length) {
    throw new InvalidOptionError('graph.offsets', `must have length n + 1 = ${n + 1}, start at 0 and end at neighbours.length`);
  }
  for (let i = 0; i < n; i++) {
    if (offsets[i + 1] < offsets[i]) throw new InvalidOptionError('graph.offsets', `decreases at node ${i}`);
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const j = neighbours[p];
      if (j < 0 || j >= n) throw new InvalidOptionError('graph.neighbours', `node ${i} has out-of-range neighbour ${j}`);
      if (j === i) throw new InvalidOptionError('graph.neighbours', `node ${i} has a self-loop`);
      if (p > offsets[i] && neighbours[p - 1] >= j) throw new InvalidOptionError('graph.neighbours', `list of node ${i} is not strictly ascending`);
      if (!hasEdge(graph, j, i)) throw new InvalidOptionError('graph.neighbours', `edge ${i}–${j} is not symmetric`);
    }
  }
}

/**
 * A growable flat list of edge endpoint pairs (Int32Array storage), used by the generators so
 * that building graphs of 10^5–10^6 edges does not go through JavaScript number arrays.
 */
export class EdgeList {
  private data: Int32Array;
  private length = 0;
  constructor(capacityPairs = 16) {
    this.data = new Int32Array(Math.max(2, capacityPairs * 2));
  }
  /** Appends the edge u–v. */
  add(u: number, v: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = u;
    this.data[this.length++] = v;
  }
  /** The pairs added so far (a view; do not keep it across further adds). */
  pairs(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
