import { checkInteger, InvalidOptionError } from '../util/errors';
import { Random } from '../util/random';
import { EdgeList, Graph, graphFromEdges } from './graph';

/**
 * Random k-regular simple graph by stub pairing with local retries: every node gets k stubs;
 * the unpaired stubs are shuffled and paired consecutively; a pair that would make a
 * self-loop or a repeated edge is returned to the pool and the pool is paired again; if the
 * pool can no longer form any valid pair, the attempt restarts from scratch (after
 * `maxAttempts` restarts an Error is thrown). This is the pairing scheme of Steger & Wormald
 * (1999) in its simple "shuffle the remaining pool" form; it is asymptotically uniform for
 * fixed k, which is all the probe needs (a random graph with every degree exactly k).
 *
 * @param n number of nodes (> k, n·k even)
 * @param k degree (≥ 1) [6 in makeGraph]
 */
export function randomRegular(n: number, k: number, rng: Random, maxAttempts = 100): Graph {
  checkInteger('graph.k', k, 1);
  checkInteger('graph.n', n, 1, 94906265);
  if (n <= k) throw new InvalidOptionError('graph.n', `must be > k = ${k}, got ${n}`);
  if ((n * k) % 2 !== 0) throw new InvalidOptionError('graph.n', `n·k must be even for a k-regular graph, got n = ${n}, k = ${k}`);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const edges = tryPairing(n, k, rng);
    if (edges) return graphFromEdges(n, edges.pairs());
  }
  throw new Error(`randomRegular: no simple ${k}-regular graph on ${n} nodes found in ${maxAttempts} attempts`);
}

function tryPairing(n: number, k: number, rng: Random): EdgeList | null {
  const present = new Set<number>();
  const key = (a: number, b: number): number => (a < b ? a * n + b : b * n + a);
  const edges = new EdgeList((n * k) / 2);
  const pool = new Int32Array(n * k);
  for (let i = 0; i < n * k; i++) pool[i] = Math.floor(i / k);
  let poolSize = pool.length;
  while (poolSize > 0) {
    const stubs = pool.subarray(0, poolSize);
    rng.shuffle(stubs);
    let rejected = 0;
    for (let p = 0; p < poolSize; p += 2) {
      const a = stubs[p];
      const b = stubs[p + 1];
      if (a !== b && !present.has(key(a, b))) {
        present.add(key(a, b));
        edges.add(a, b);
      } else {
        // Rejected stubs move to the front of the pool (the write index never passes p).
        pool[rejected++] = a;
        pool[rejected++] = b;
      }
    }
    if (rejected === poolSize && !anyValidPair(pool.subarray(0, rejected), present, key)) return null;
    poolSize = rejected;
  }
  return edges;
}

/** Whether some two stubs of the pool belong to distinct, not yet adjacent nodes. */
function anyValidPair(pool: Int32Array, present: Set<number>, key: (a: number, b: number) => number): boolean {
  const nodes = Array.from(new Set(pool));
  for (let x = 0; x < nodes.length; x++) {
    for (let y = x + 1; y < nodes.length; y++) if (!present.has(key(nodes[x], nodes[y]))) return true;
  }
  return false;
}
