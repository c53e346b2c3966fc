import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { EdgeList, Graph, graphFromEdges } from './graph';

/**
 * Parameter layout of a dense feed-forward network (one row per scalar parameter, in the
 * same order as the gradient snapshot's values), from which the `network` topology is built.
 *
 * Conventions (exact):
 * - Levels of units are numbered 0 … L: level 0 = the inputs, level L = the outputs.
 *   `layerSizes[level]` = number of units of that level (length L + 1).
 * - Parameter p belongs to layer `layer[p]` = l in 0 … L−1, which maps level l to level l + 1.
 * - `kind[p]` = 'weight' or 0 for a weight, 'bias' or 1 for a bias.
 * - A weight of layer l joins input unit (level l, index a) to output unit (level l + 1, index b).
 *   With `weightOrientation: 'inOut'` [default; tfjs Dense kernels are shaped [fanIn, fanOut]]
 *   a = row[p], b = col[p]. With 'outIn' (PyTorch nn.Linear, W shaped [out, in]) b = row[p],
 *   a = col[p].
 * - A bias of layer l touches only unit (level l + 1, index row[p]); its col[p] must be 0
 *   (a bias vector is a single column whatever the orientation).
 * Two parameters are adjacent in the `network` graph when they touch a common unit.
 */
export interface NetworkLayout {
  layer: ArrayLike<number>;
  kind: ArrayLike<number> | ReadonlyArray<'weight' | 'bias' | 0 | 1>;
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  /** Units per level, inputs first, outputs last (length = number of layers + 1). */
  layerSizes: ArrayLike<number>;
}

/** How parameters that share a unit are joined. */
export type NetworkMode = 'clique' | 'ring';
export const NETWORK_MODES: readonly NetworkMode[] = ['clique', 'ring'];
export type WeightOrientation = 'inOut' | 'outIn';
export const WEIGHT_ORIENTATIONS: readonly WeightOrientation[] = ['inOut', 'outIn'];

/** Options of {@link networkGraph}. */
export interface NetworkGraphOptions {
  /** ['inOut'] see {@link NetworkLayout}. */
  weightOrientation?: WeightOrientation;
  /**
   * ['clique'] 'clique': exactly the rule "adjacent when they touch the same unit" (every unit
   * makes its parameters a clique; a hidden unit of an a → h → b net has degree ≈ a + b, an
   * output unit joins all h of its incoming weights, so edges grow like Σ units c(c−1)/2).
   * 'ring': a sparse surrogate in which the parameters of each unit, in ascending parameter
   * index, form a cycle (a path for two): same connected structure along units, degree ≤ 4.
   */
  mode?: NetworkMode;
  /** [30 000 000] refuse to build a clique graph with more undirected edges than this. */
  maxEdges?: number;
}

/**
 * The layout of a dense MLP with the given level sizes, in tfjs `model.getWeights()` order:
 * for each layer, the kernel row-major as [fanIn, fanOut] (row = input unit, col = output
 * unit), then (if `bias`) the bias vector (row = output unit, col = 0).
 * Returned with `weightOrientation` 'inOut'.
 */
export function denseLayout(layerSizes: ArrayLike<number>, options: { bias?: boolean } = {}): NetworkLayout {
  const bias = options.bias ?? true;
  checkLayerSizes(layerSizes);
  const layer: number[] = [];
  const kind: number[] = [];
  const row: number[] = [];
  const col: number[] = [];
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    for (let a = 0; a < layerSizes[l]; a++) {
      for (let b = 0; b < layerSizes[l + 1]; b++) {
        layer.push(l);
        kind.push(0);
        row.push(a);
        col.push(b);
      }
    }
    if (bias) {
      for (let b = 0; b < layerSizes[l + 1]; b++) {
        layer.push(l);
        kind.push(1);
        row.push(b);
        col.push(0);
      }
    }
  }
  return {
    layer: Int32Array.from(layer),
    kind: Uint8Array.from(kind),
    row: Int32Array.from(row),
    col: Int32Array.from(col),
    layerSizes: Int32Array.from(layerSizes),
  };
}

function checkLayerSizes(layerSizes: ArrayLike<number>): void {
  if (!layerSizes || layerSizes.length < 2) throw new InvalidOptionError('layout.layerSizes', 'must list at least two levels (inputs and outputs)');
  for (let i = 0; i < layerSizes.length; i++) checkInteger(`layout.layerSizes[${i}]`, layerSizes[i], 1);
}

/**
 * For each parameter, the (one or two) global unit ids it touches: `first[p]`, and `second[p]`
 * (−1 for a bias). Unit id = (sum of layerSizes of lower levels) + index within its level.
 * @throws InvalidOptionError naming the first parameter that breaks the conventions
 */
export function parameterUnits(
  layout: NetworkLayout,
  weightOrientation: WeightOrientation = 'inOut',
): { first: Int32Array; second: Int32Array; unitCount: number } {
  checkChoice('layout.weightOrientation', weightOrientation, WEIGHT_ORIENTATIONS);
  checkLayerSizes(layout.layerSizes);
  const count = layout.layer.length;
  for (const name of ['kind', 'row', 'col'] as const) {
    if (!layout[name] || layout[name].length !== count)
      throw new InvalidOptionError(`layout.${name}`, `must have the same length as layout.layer (${count}), got ${layout[name]?.length}`);
  }
  const levels = layout.layerSizes.length;
  const levelStart = new Int32Array(levels + 1);
  for (let l = 0; l < levels; l++) levelStart[l + 1] = levelStart[l] + layout.layerSizes[l];
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    const l = layout.layer[p];
    if (!Number.isInteger(l) || l < 0 || l >= levels - 1)
      throw new InvalidOptionError('layout.layer', `entry ${p} is ${String(l)}; layers are 0 … ${levels - 2} (layerSizes has ${levels} levels)`);
    const rawKind = layout.kind[p] as unknown;
    const isBias = rawKind === 'bias' || rawKind === 1;
    if (!isBias && rawKind !== 'weight' && rawKind !== 0)
      throw new InvalidOptionError('layout.kind', `entry ${p} is ${JSON.stringify(rawKind)}; allowed: 'weight' or 0, 'bias' or 1`);
    const r = layout.row[p];
    const c = layout.col[p];
    const inSize = layout.layerSizes[l];
    const outSize = layout.layerSizes[l + 1];
    if (isBias) {
      if (!Number.isInteger(r) || r < 0 || r >= outSize || c !== 0) {
        throw new InvalidOptionError(
          'layout.row',
          `bias entry ${p} of layer ${l} has (row ${r}, col ${c}); a bias uses row = output unit in 0 … ${outSize - 1} and col = 0`,
        );
      }
      first[p] = levelStart[l + 1] + r;
      second[p] = -1;
    } else {
      const a = weightOrientation === 'inOut' ? r : c;
      const b = weightOrientation === 'inOut' ? c : r;
      if (!Number.isInteger(a) || a < 0 || a >= inSize || !Number.isInteger(b) || b < 0 || b >= outSize) {
        throw new InvalidOptionError(
          'layout.row',
          `weight entry ${p} of layer ${l} has (row ${r}, col ${c}); with weightOrientation '${weightOrientation}' it must lie in a ${weightOrientation === 'inOut' ? `${inSize} × ${outSize}` : `${outSize} × ${inSize}`} matrix`,
        );
      }
      first[p] = levelStart[l] + a;
      second[p] = levelStart[l + 1] + b;
    }
  }
  return { first, second, unitCount: levelStart[levels] };
}

/**
 * The `network` topology: one node per parameter (node p = layout row p, matching the value
 * order of the gradient snapshot), adjacent when two parameters touch a common unit
 * (see {@link NetworkLayout}; `mode` chooses the exact clique rule or the sparse ring surrogate).
 */
export function networkGraph(layout: NetworkLayout, options: NetworkGraphOptions = {}): Graph {
  const mode = checkChoice('graph.mode', options.mode ?? 'clique', NETWORK_MODES);
  const maxEdges = options.maxEdges ?? 30_000_000;
  const { first, second, unitCount } = parameterUnits(layout, options.weightOrientation ?? 'inOut');
  const n = first.length;
  // Members of every unit, ascending parameter index (counting sort by unit).
  const memberStart = new Int32Array(unitCount + 1);
  for (let p = 0; p < n; p++) {
    memberStart[first[p] + 1]++;
    if (second[p] >= 0) memberStart[second[p] + 1]++;
  }
  for (let u = 0; u < unitCount; u++) memberStart[u + 1] += memberStart[u];
  const members = new Int32Array(memberStart[unitCount]);
  const fill = memberStart.slice(0, unitCount);
  for (let p = 0; p < n; p++) {
    members[fill[first[p]]++] = p;
    if (second[p] >= 0) members[fill[second[p]]++] = p;
  }
  if (mode === 'ring') {
    const edges = new EdgeList(members.length);
    for (let u = 0; u < unitCount; u++) {
      const start = memberStart[u];
      const size = memberStart[u + 1] - start;
      for (let t = 0; t + 1 < size; t++) edges.add(members[start + t], members[start + t + 1]);
      if (size >= 3) edges.add(members[start + size - 1], members[start]);
    }
    return graphFromEdges(n, edges.pairs());
  }
  // Clique rule, built directly in CSR form. Two distinct parameters share at most one unit
  // (sharing both units of a weight would make them the same weight), so the neighbour list
  // of p is the disjoint union of its units' member lists minus p itself: a sorted merge.
  let edgeTotal = 0;
  for (let u = 0; u < unitCount; u++) {
    const c = memberStart[u + 1] - memberStart[u];
    edgeTotal += (c * (c - 1)) / 2;
  }
  if (edgeTotal > maxEdges) {
    throw new InvalidOptionError(
      'graph.mode',
      `the clique network graph would have ${edgeTotal} edges (> maxEdges = ${maxEdges}); use mode 'ring' or raise maxEdges`,
    );
  }
  const offsets = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) {
    let d = memberStart[first[p] + 1] - memberStart[first[p]] - 1;
    if (second[p] >= 0) d += memberStart[second[p] + 1] - memberStart[second[p]] - 1;
    offsets[p + 1] = offsets[p] + d;
  }
  const neighbours = new Int32Array(offsets[n]);
  for (let p = 0; p < n; p++) {
    let w = offsets[p];
    let a = memberStart[first[p]];
    const aEnd = memberStart[first[p] + 1];
    let b = second[p] >= 0 ? memberStart[second[p]] : 0;
    const bEnd = second[p] >= 0 ? memberStart[second[p] + 1] : 0;
    let previous = -1;
    while (a < aEnd || b < bEnd) {
      let v: number;
      if (b >= bEnd || (a < aEnd && members[a] < members[b])) v = members[a++];
      else v = members[b++];
      if (v === previous && v !== p) throw new InvalidOptionError('layout', `parameters ${p} and ${v} describe the same weight (same layer, row and col)`);
      previous = v;
      if (v !== p) neighbours[w++] = v;
    }
  }
  return { n, offsets, neighbours };
}
