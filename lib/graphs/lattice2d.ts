import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { EdgeList, Graph, graphFromEdges } from './graph';

/** Boundary rule of the 2D periodic lattice. */
export type LatticeBoundary = 'helical' | 'torus';
export const LATTICE_BOUNDARIES: readonly LatticeBoundary[] = ['helical', 'torus'];

/**
 * 2D periodic square lattice on n nodes, for any n (the paper's sizes n = 4h + 1 are rarely
 * perfect squares).
 *
 * Nodes are laid out row by row in rows of `width` columns [round(√n)].
 * - `boundary: 'helical'` [default]: node i is joined to i ± 1 and i ± width (mod n). This is
 *   the square lattice with helical periodic boundary conditions (Newman & Barkema, *Monte Carlo
 *   Methods in Statistical Physics*, §13.1): stepping right off the end of a row lands on the
 *   start of the next row, stepping down off the last (possibly partial) row lands in the first.
 *   Works for every n, and every node has degree exactly 4 whenever the four offsets
 *   ±1, ±width are distinct mod n (true for n ≥ 10 with the default width). The graph is
 *   vertex-transitive (a circulant), so no node is special. For n = width² it differs from the
 *   torus only in the row-end wrap, which is shifted by one row.
 * - `boundary: 'torus'`: the exact torus, rows and columns each wrapped on themselves;
 *   requires n divisible by width (height = n / width); degree 4 when width, height ≥ 3.
 *
 * @param n number of nodes (≥ 1)
 * @param options.width row length (integer in 1 … n) [round(√n)]
 * @param options.boundary 'helical' | 'torus' ['helical']
 */
export function lattice2d(n: number, options: { width?: number; boundary?: LatticeBoundary } = {}): Graph {
  checkInteger('graph.n', n, 1);
  const boundary = checkChoice('graph.boundary', options.boundary ?? 'helical', LATTICE_BOUNDARIES);
  const width = options.width ?? Math.max(1, Math.round(Math.sqrt(n)));
  checkInteger('graph.width', width, 1, n);
  const edges = new EdgeList(2 * n);
  if (boundary === 'helical') {
    for (let i = 0; i < n; i++) {
      edges.add(i, (i + 1) % n);
      edges.add(i, (i + width) % n);
    }
  } else {
    if (n % width !== 0)
      throw new InvalidOptionError('graph.width', `boundary 'torus' needs n divisible by width; n = ${n}, width = ${width} (use boundary 'helical' for any n)`);
    const height = n / width;
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const i = r * width + c;
        edges.add(i, r * width + ((c + 1) % width));
        edges.add(i, ((r + 1) % height) * width + c);
      }
    }
  }
  return graphFromEdges(n, edges.pairs());
}
