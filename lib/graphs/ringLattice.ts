import { checkInteger, InvalidOptionError } from '../util/errors';
import { EdgeList, Graph, graphFromEdges } from './graph';

/**
 * Ring lattice: node i is joined to i ± 1, …, i ± k/2 (mod n), so every node has degree k.
 * @param n number of nodes (> k)
 * @param k even degree, 2 ≤ k < n [6 in makeGraph]
 */
export function ringLattice(n: number, k: number): Graph {
  checkRingParameters(n, k);
  const edges = new EdgeList((n * k) / 2);
  for (let j = 1; j <= k / 2; j++) for (let i = 0; i < n; i++) edges.add(i, (i + j) % n);
  return graphFromEdges(n, edges.pairs());
}

/** Validates k (even, ≥ 2) and n (> k) for ring-based graphs. */
export function checkRingParameters(n: number, k: number): void {
  checkInteger('graph.k', k, 2);
  if (k % 2 !== 0) throw new InvalidOptionError('graph.k', `must be even (k/2 neighbours on each side), got ${k}`);
  checkInteger('graph.n', n, 1);
  if (n <= k) throw new InvalidOptionError('graph.n', `must be > k = ${k}, got ${n}`);
}
