import { Graph } from '../../lib/graphs/graph';

/** Sorted "u-v" strings (u < v) of a graph's edges, for exact comparisons. */
export function edgeSet(g: Graph): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < g.n; i++) for (let p = g.offsets[i]; p < g.offsets[i + 1]; p++) if (i < g.neighbours[p]) out.add(`${i}-${g.neighbours[p]}`);
  return out;
}

/** Neighbour list of node i as a plain array. */
export function neighboursOf(g: Graph, i: number): number[] {
  return Array.from(g.neighbours.subarray(g.offsets[i], g.offsets[i + 1]));
}

/** Number of connected components (breadth-first search). */
export function componentCount(g: Graph): number {
  const seen = new Uint8Array(g.n);
  const stack: number[] = [];
  let components = 0;
  for (let s = 0; s < g.n; s++) {
    if (seen[s]) continue;
    components++;
    seen[s] = 1;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      for (let p = g.offsets[i]; p < g.offsets[i + 1]; p++) {
        const j = g.neighbours[p];
        if (!seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
  }
  return components;
}
