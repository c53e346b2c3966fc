import { checkInteger, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';
import { EdgeList, Graph, graphFromEdges } from './graph';

/**
 * Barabási–Albert preferential-attachment graph.
 *
 * Rule: start from a complete graph on the first m + 1 nodes; each later node v = m+1 … n−1
 * attaches to m distinct existing nodes, each drawn with probability proportional to its
 * current degree (uniform draws from the list of all edge endpoints, repeats rejected; the
 * list is the one before v's own edges are added). Hence every node has degree ≥ m, and the
 * edge count is exactly m(m+1)/2 + m(n − m − 1), i.e. degree sum m(m+1) + 2m(n − m − 1).
 *
 * @param n number of nodes (≥ m + 1)
 * @param m edges added per new node (≥ 1) [3 in makeGraph]
 * @param rng seeded generator
 */
export function barabasiAlbert(n: number, m: number, rng: Random): Graph {
  checkInteger('graph.m', m, 1);
  checkInteger('graph.n', n, 1);
  if (n < m + 1) throw new InvalidOptionError('graph.n', `Barabási–Albert needs n ≥ m + 1 = ${m + 1}, got ${n}`);
  const edgeTotal = (m * (m + 1)) / 2 + m * (n - m - 1);
  const edges = new EdgeList(edgeTotal);
  const endpoints = new Int32Array(2 * edgeTotal);
  let endpointCount = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = i + 1; j <= m; j++) {
      edges.add(i, j);
      endpoints[endpointCount++] = i;
      endpoints[endpointCount++] = j;
    }
  }
  const targets = new Int32Array(m);
  for (let v = m + 1; v < n; v++) {
    let chosen = 0;
    while (chosen < m) {
      const t = endpoints[rng.integer(endpointCount)];
      let repeat = false;
      for (let c = 0; c < chosen; c++) if (targets[c] === t) repeat = true;
      if (!repeat) targets[chosen++] = t;
    }
    for (let c = 0; c < m; c++) {
      edges.add(v, targets[c]);
      endpoints[endpointCount++] = v;
      endpoints[endpointCount++] = targets[c];
    }
  }
  return graphFromEdges(n, edges.pairs());
}
