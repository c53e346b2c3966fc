import { checkInteger, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';
import { Graph, graphFromEdges } from './graph';
import { checkRingParameters } from './ringLattice';

/**
 * Watts–Strogatz small world: the ring lattice of degree k (i joined to i+1 … i+k/2 mod n),
 * then each lattice edge (u, u+j), taken for j = 1 … k/2 and, within j, for u = 0 … n−1, is
 * rewired with probability β: its far end becomes a uniformly drawn node w ≠ u not already
 * adjacent to u (redrawn until so; left alone if u is already adjacent to every node).
 * The edge count n·k/2 is preserved; β = 0 gives the ring lattice exactly.
 *
 * @param n number of nodes (> k)
 * @param k even lattice degree [6 in makeGraph]
 * @param beta rewiring probability in [0, 1] [0.1 in makeGraph]
 */
export function wattsStrogatz(n: number, k: number, beta: number, rng: Random): Graph {
  checkRingParameters(n, k);
  if (typeof beta !== 'number' || !(beta >= 0 && beta <= 1)) throw new InvalidOptionError('graph.beta', `must be a number in [0, 1], got ${String(beta)}`);
  checkInteger('graph.n', n, 1, 94906265); // keeps u·n + v exact in a double
  const half = k / 2;
  const edgeTotal = n * half;
  const ends = new Int32Array(2 * edgeTotal);
  const degree = new Int32Array(n).fill(k);
  const present = new Set<number>();
  const key = (a: number, b: number): number => (a < b ? a * n + b : b * n + a);
  for (let j = 1; j <= half; j++) {
    for (let u = 0; u < n; u++) {
      const e = (j - 1) * n + u;
      const v = (u + j) % n;
      ends[2 * e] = u;
      ends[2 * e + 1] = v;
      present.add(key(u, v));
    }
  }
  for (let j = 1; j <= half; j++) {
    for (let u = 0; u < n; u++) {
      if (!(rng.uniform() < beta)) continue;
      if (degree[u] >= n - 1) continue;
      const e = (j - 1) * n + u;
      const v = ends[2 * e + 1];
      let w = rng.integer(n);
      while (w === u || present.has(key(u, w))) w = rng.integer(n);
      present.delete(key(u, v));
      present.add(key(u, w));
      ends[2 * e + 1] = w;
      degree[v]--;
      degree[w]++;
    }
  }
  return graphFromEdges(n, ends);
}
