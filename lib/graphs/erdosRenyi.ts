import { checkInteger, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';
import { EdgeList, Graph, graphFromEdges } from './graph';

/**
 * Erdős–Rényi G(n, p) with p = meanDegree / (n − 1): every one of the n(n−1)/2 pairs is an
 * edge independently with probability p, so the expected mean degree is `meanDegree`.
 * Pairs are visited in the order (1,0), (2,0), (2,1), (3,0), … and the gaps between chosen
 * pairs drawn as geometric variables (Batagelj & Brandes 2005), so the cost is O(n + edges).
 *
 * @param n number of nodes (≥ 2)
 * @param meanDegree expected mean degree, in (0, n − 1] [6 in makeGraph]
 */
export function erdosRenyi(n: number, meanDegree: number, rng: Random): Graph {
  checkInteger('graph.n', n, 2);
  if (typeof meanDegree !== 'number' || !(meanDegree > 0) || meanDegree > n - 1) {
    throw new InvalidOptionError('graph.meanDegree', `must be a number in (0, n − 1 = ${n - 1}], got ${String(meanDegree)}`);
  }
  const p = meanDegree / (n - 1);
  const edges = new EdgeList(Math.ceil((n * meanDegree) / 2 + 16));
  if (p >= 1) {
    for (let v = 1; v < n; v++) for (let w = 0; w < v; w++) edges.add(v, w);
    return graphFromEdges(n, edges.pairs());
  }
  const logQ = Math.log1p(-p);
  let v = 1;
  let w = -1;
  while (v < n) {
    // Number of pairs skipped before the next edge: geometric with success probability p.
    w += 1 + Math.floor(Math.log(rng.uniformOpen()) / logQ);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) edges.add(v, w);
  }
  return graphFromEdges(n, edges.pairs());
}
