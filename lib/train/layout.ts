import * as aq from 'arquero';
import { checkInteger } from '../util/errors';

/**
 * Canonical parameter order of an MLP with levels `layerSizes` = [inputs, hidden…, outputs]
 * (the order of every flattened gradient and parameter snapshot, and tfjs's own
 * `model.getWeights()` order for Dense layers):
 *
 *   for layer l = 0 … L−1 (level l → level l+1, fanIn = layerSizes[l], fanOut = layerSizes[l+1]):
 *     the weight matrix W_l, shaped [fanIn, fanOut] (a tfjs kernel), row-major:
 *       index of W_l[i][j] = offset_l + i·fanOut + j
 *     then, if the model has biases, the bias vector b_l [fanOut].
 *
 * Layout convention (the one the probe's `network` graph reads): for a weight, row = input
 * unit i (level l) and col = output unit j (level l+1); for a bias, row = its output unit j,
 * col = 0. kind: 0 = weight, 1 = bias. For an XOR net 2 → h → 1 with biases,
 * N = 2h + h + h + 1 = 4h + 1.
 */
export interface ParameterLayout {
  layer: Int32Array;
  /** 0 = weight, 1 = bias. */
  kind: Uint8Array;
  row: Int32Array;
  col: Int32Array;
  /** Units per level, inputs first, outputs last. */
  layerSizes: number[];
}

/** What {@link parameterLayout} needs: the level sizes and whether biases exist. */
export interface LayoutSpec {
  layerSizes: number[];
  bias: boolean;
}

/** Shape of each parameter tensor, in canonical order: [fanIn, fanOut] then [fanOut] per layer. */
export function parameterShapes(spec: LayoutSpec): number[][] {
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < spec.layerSizes.length; l++) {
    shapes.push([spec.layerSizes[l], spec.layerSizes[l + 1]]);
    if (spec.bias) shapes.push([spec.layerSizes[l + 1]]);
  }
  return shapes;
}

/** Total number of parameters N. */
export function parameterCount(spec: LayoutSpec): number {
  let n = 0;
  for (let l = 0; l + 1 < spec.layerSizes.length; l++) n += spec.layerSizes[l] * spec.layerSizes[l + 1] + (spec.bias ? spec.layerSizes[l + 1] : 0);
  return n;
}

/** The index → (layer, kind, row, col) arrays of the canonical order (see {@link ParameterLayout}). */
export function parameterLayout(spec: LayoutSpec): ParameterLayout {
  if (!Array.isArray(spec.layerSizes) || spec.layerSizes.length < 2) throw new RangeError('parameterLayout: layerSizes needs at least two levels');
  spec.layerSizes.forEach((s, i) => checkInteger(`layerSizes[${i}]`, s, 1));
  const n = parameterCount(spec);
  const layer = new Int32Array(n);
  const kind = new Uint8Array(n);
  const row = new Int32Array(n);
  const col = new Int32Array(n);
  let p = 0;
  for (let l = 0; l + 1 < spec.layerSizes.length; l++) {
    const fanIn = spec.layerSizes[l];
    const fanOut = spec.layerSizes[l + 1];
    for (let i = 0; i < fanIn; i++) {
      for (let j = 0; j < fanOut; j++, p++) {
        layer[p] = l;
        row[p] = i;
        col[p] = j;
      }
    }
    if (spec.bias) {
      for (let j = 0; j < fanOut; j++, p++) {
        layer[p] = l;
        kind[p] = 1;
        row[p] = j;
      }
    }
  }
  return { layer, kind, row, col, layerSizes: [...spec.layerSizes] };
}

/**
 * The layout as an arquero table with columns index, layer, kind ('weight' | 'bias'), row, col.
 * For weights row = input unit and col = output unit (tfjs kernels are [fanIn, fanOut]);
 * for biases row = output unit, col = 0. `layerSizes` is not a column: keep it from
 * {@link parameterLayout} (it is also in each run's summary.json).
 */
export function layoutTable(layout: ParameterLayout): aq.ColumnTable {
  const n = layout.layer.length;
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const kind = Array.from(layout.kind, (k) => (k === 0 ? 'weight' : 'bias'));
  return aq.table({ index, layer: layout.layer, kind, row: layout.row, col: layout.col });
}
