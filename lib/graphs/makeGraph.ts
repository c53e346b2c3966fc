import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { deriveSeed, Random } from '../util/random';
import { barabasiAlbert } from './barabasiAlbert';
import { erdosRenyi } from './erdosRenyi';
import { Graph } from './graph';
import { lattice2d, LatticeBoundary } from './lattice2d';
import { NetworkLayout, networkGraph, NetworkMode, WeightOrientation } from './network';
import { randomRegular } from './randomRegular';
import { ringLattice } from './ringLattice';
import { wattsStrogatz } from './wattsStrogatz';

/** The seven topology names accepted by {@link makeGraph}. */
export const TOPOLOGY_NAMES = ['ba', 'erdos-renyi', 'watts-strogatz', 'ring', 'lattice2d', 'regular', 'network'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

/**
 * A topology and its parameters. Defaults give mean degree ≈ 6 everywhere except the 2D
 * lattice (4) and `network` (set by the model):
 * - `{ kind: 'ba', m = 3 }` Barabási–Albert
 * - `{ kind: 'erdos-renyi', meanDegree = 6 }` G(n, p), p = meanDegree/(n−1)
 * - `{ kind: 'watts-strogatz', k = 6, beta = 0.1 }`
 * - `{ kind: 'ring', k = 6 }` ring lattice
 * - `{ kind: 'lattice2d', width = round(√n), boundary = 'helical' }`
 * - `{ kind: 'regular', k = 6 }` random k-regular
 * - `{ kind: 'network', layout, mode = 'clique', weightOrientation = 'inOut' }` the model's wiring
 * A bare name (e.g. `'ba'`) means that topology with its defaults (`'network'` needs a layout).
 */
export type GraphSpec =
  | TopologyName
  | { kind: 'ba'; m?: number }
  | { kind: 'erdos-renyi'; meanDegree?: number }
  | { kind: 'watts-strogatz'; k?: number; beta?: number }
  | { kind: 'ring'; k?: number }
  | { kind: 'lattice2d'; width?: number; boundary?: LatticeBoundary }
  | { kind: 'regular'; k?: number }
  | { kind: 'network'; layout?: NetworkLayout; mode?: NetworkMode; weightOrientation?: WeightOrientation; maxEdges?: number };

const ALLOWED_KEYS: Record<TopologyName, string[]> = {
  ba: ['m'],
  'erdos-renyi': ['meanDegree'],
  'watts-strogatz': ['k', 'beta'],
  ring: ['k'],
  lattice2d: ['width', 'boundary'],
  regular: ['k'],
  network: ['layout', 'mode', 'weightOrientation', 'maxEdges'],
};

/** Normalises a spec to object form and rejects unknown kinds or parameters. */
export function normaliseGraphSpec(spec: GraphSpec): Exclude<GraphSpec, string> {
  const object = typeof spec === 'string' ? ({ kind: spec } as Exclude<GraphSpec, string>) : spec;
  if (!object || typeof object !== 'object')
    throw new InvalidOptionError('graph.kind', `spec must be a topology name or an object with a kind; got ${String(spec)}`);
  const kind = checkChoice('graph.kind', object.kind, TOPOLOGY_NAMES);
  for (const key of Object.keys(object)) {
    if (key !== 'kind' && !ALLOWED_KEYS[kind].includes(key)) {
      throw new InvalidOptionError(`graph.${key}`, `is not a parameter of topology '${kind}'; allowed: ${ALLOWED_KEYS[kind].join(', ') || '(none)'}`);
    }
  }
  return object;
}

/**
 * Builds the graph of a topology on n nodes. Random topologies draw from
 * `new Random(deriveSeed(seed, 'graph', kind, n))`, so the same (spec, n, seed) always gives
 * the same graph and different n or kinds use unrelated streams.
 * @param spec topology name or spec object (see {@link GraphSpec})
 * @param n number of nodes; for 'network' it must equal the layout's parameter count
 * @param seed graph seed (integer)
 */
export function makeGraph(spec: GraphSpec, n: number, seed = 0): Graph {
  const s = normaliseGraphSpec(spec);
  checkInteger('graph.n', n, 1);
  checkInteger('graph.seed', seed, -(2 ** 53), 2 ** 53);
  const rng = new Random(deriveSeed(seed, 'graph', s.kind, n));
  switch (s.kind) {
    case 'ba':
      return barabasiAlbert(n, s.m ?? 3, rng);
    case 'erdos-renyi':
      return erdosRenyi(n, s.meanDegree ?? 6, rng);
    case 'watts-strogatz':
      return wattsStrogatz(n, s.k ?? 6, s.beta ?? 0.1, rng);
    case 'ring':
      return ringLattice(n, s.k ?? 6);
    case 'lattice2d':
      return lattice2d(n, { width: s.width, boundary: s.boundary });
    case 'regular':
      return randomRegular(n, s.k ?? 6, rng);
    case 'network': {
      if (!s.layout) throw new InvalidOptionError('graph.layout', "topology 'network' needs the parameter layout table (see NetworkLayout)");
      if (s.layout.layer.length !== n)
        throw new InvalidOptionError('graph.n', `topology 'network': n = ${n} but the layout has ${s.layout.layer.length} parameters`);
      return networkGraph(s.layout, { mode: s.mode, weightOrientation: s.weightOrientation, maxEdges: s.maxEdges });
    }
  }
}
