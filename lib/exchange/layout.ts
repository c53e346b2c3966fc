/**
 * The `layout` of an exchange file: the model's parameter tensors (name and shape) in the order
 * in which they were flattened into each gradient row. It lets the probe run on the model's own
 * wiring (topology 'network'), which needs a dense MLP: 2-D weight matrices, each with an optional
 * 1-D bias next to it (all biases after their weights, or all before, as jax.tree_leaves
 * orders flax's {'bias', 'kernel'}).
 *
 * As JSON, either a list of [name, shape] pairs — PyTorch's orientation, nn.Linear weights
 * shaped [out, in] — or an object {"orientation": "out_in" | "in_out", "tensors": [[name, shape], …]}
 * ("in_out": weights shaped [in, out], as flax Dense kernels and this project's tfjs models).
 * Tensors may also be written {"name": …, "shape": […]}.
 */
import type { ParameterLayout } from '../train/layout';

/** Weight orientation of a layout: PyTorch's [out, in] or flax's / tfjs's [in, out]. */
export const LAYOUT_ORIENTATIONS = ['out_in', 'in_out'] as const;
export type LayoutOrientation = (typeof LAYOUT_ORIENTATIONS)[number];

/** One parameter tensor of a layout. */
export interface LayoutTensor {
  name: string;
  shape: number[];
}

/** A parsed layout. */
export interface ExchangeLayout {
  orientation: LayoutOrientation;
  tensors: LayoutTensor[];
}

/**
 * Parses a layout JSON string (see the file comment).
 * @throws Error with the reason (the caller names the file)
 */
export function parseLayout(text: string): ExchangeLayout {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`is not JSON (${(error as Error).message})`);
  }
  let orientation: LayoutOrientation = 'out_in';
  let list: unknown = value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const unknown = Object.keys(object).filter((k) => k !== 'orientation' && k !== 'tensors');
    if (unknown.length) throw new Error(`has unknown key(s) ${unknown.join(', ')}; allowed: orientation, tensors`);
    if (object.orientation !== undefined) {
      if (!(LAYOUT_ORIENTATIONS as readonly unknown[]).includes(object.orientation))
        throw new Error(`has orientation ${JSON.stringify(object.orientation)}; allowed values: "out_in" (PyTorch), "in_out" (flax, tfjs)`);
      orientation = object.orientation as LayoutOrientation;
    }
    list = object.tensors;
  }
  if (!Array.isArray(list) || list.length === 0) throw new Error('must be a non-empty list of [name, shape] pairs, or {"orientation": …, "tensors": [...]}');
  const tensors = list.map((item, i): LayoutTensor => {
    const [name, shape] = Array.isArray(item) ? item : [(item as { name?: unknown })?.name, (item as { shape?: unknown })?.shape];
    if (typeof name !== 'string') throw new Error(`tensor ${i}: the name must be a string, got ${JSON.stringify(name)}`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 1))
      throw new Error(`tensor ${i} (${name}): the shape must be a list of integers ≥ 1, got ${JSON.stringify(shape)}`);
    return { name, shape: shape as number[] };
  });
  return { orientation, tensors };
}

/** Parameters described by a layout (Σ over tensors of the product of the shape). */
export function layoutParameterCount(layout: ExchangeLayout): number {
  return layout.tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * The probe's NetworkLayout (as a ParameterLayout; weightOrientation 'inOut': row = input unit, col = output unit) of
 * a dense-MLP layout:
 *  1. tensors are grouped into layers: each 2-D weight with the 1-D bias next to it — after it,
 *     or before it when the first tensor is a bias;
 *  2. a weight [a, b] has fanIn = a, fanOut = b ('in_out') or fanIn = b, fanOut = a ('out_in');
 *     a bias must have fanOut entries, and each layer's fanIn must equal the previous fanOut;
 *  3. every parameter gets its layer, kind, and (for a weight) input and output unit from its
 *     row-major position in its tensor (for an 'out_in' weight, index o·fanIn + i is output o, input i).
 * @throws Error with the reason when the layout is not a dense MLP
 */
export function networkLayoutOf(layout: ExchangeLayout): ParameterLayout {
  const { tensors, orientation } = layout;
  const biasFirst = tensors[0].shape.length === 1;
  const layers: Array<{ weight: LayoutTensor; bias: LayoutTensor | null }> = [];
  for (let i = 0; i < tensors.length;) {
    const [first, second] = [tensors[i], tensors[i + 1]];
    const weight = biasFirst ? second : first;
    const bias = biasFirst ? first : second?.shape.length === 1 ? second : undefined;
    if (!weight || weight.shape.length !== 2)
      throw new Error(
        `is not a dense MLP: tensor ${JSON.stringify((weight ?? first).name)} has shape [${(weight ?? first).shape.join(', ')}] where a 2-D weight is expected (the 'network' topology needs dense layers; use another topology for this model)`,
      );
    if (biasFirst && (!bias || bias.shape.length !== 1)) throw new Error(`is not a dense MLP: biases come first, but ${JSON.stringify(first.name)} is not 1-D`);
    layers.push({ weight, bias: bias ?? null });
    i += bias ? 2 : 1;
  }
  const fans = layers.map(({ weight }) =>
    orientation === 'in_out' ? { fanIn: weight.shape[0], fanOut: weight.shape[1] } : { fanIn: weight.shape[1], fanOut: weight.shape[0] },
  );
  layers.forEach(({ weight, bias }, l) => {
    if (bias && bias.shape[0] !== fans[l].fanOut)
      throw new Error(
        `is not a dense MLP: bias ${JSON.stringify(bias.name)} has ${bias.shape[0]} entries, but weight ${JSON.stringify(weight.name)} has ${fans[l].fanOut} outputs (orientation ${orientation})`,
      );
    if (l > 0 && fans[l].fanIn !== fans[l - 1].fanOut)
      throw new Error(
        `is not a dense MLP: ${JSON.stringify(weight.name)} takes ${fans[l].fanIn} inputs but the layer before has ${fans[l - 1].fanOut} outputs (orientation ${orientation}; PyTorch weights are [out, in], flax kernels [in, out])`,
      );
  });
  const n = layoutParameterCount(layout);
  const out = { layer: new Int32Array(n), kind: new Uint8Array(n), row: new Int32Array(n), col: new Int32Array(n) };
  let p = 0;
  const add = (l: number, kind: number, row: number, col: number): void => {
    out.layer[p] = l;
    out.kind[p] = kind;
    out.row[p] = row;
    out.col[p] = col;
    p++;
  };
  layers.forEach(({ weight, bias }, l) => {
    const { fanOut } = fans[l];
    const addBias = (): void => {
      for (let j = 0; bias && j < fanOut; j++) add(l, 1, j, 0);
    };
    if (biasFirst) addBias();
    const [rows, columns] = weight.shape;
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) orientation === 'in_out' ? add(l, 0, r, c) : add(l, 0, c, r);
    if (!biasFirst) addBias();
  });
  return { ...out, layerSizes: [fans[0].fanIn, ...fans.map((f) => f.fanOut)] };
}

/**
 * The layout JSON of one of this project's MLPs (tfjs order: per layer the kernel [fanIn, fanOut],
 * then the bias), orientation 'in_out', tensors named `dense_<l>.kernel` and `dense_<l>.bias`.
 */
export function layoutJsonOf(layout: Pick<ParameterLayout, 'layerSizes' | 'kind'>): string {
  const sizes = layout.layerSizes;
  const hasBias = Array.from(layout.kind).some((k) => k === 1);
  const tensors: Array<[string, number[]]> = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    tensors.push([`dense_${l}.kernel`, [sizes[l], sizes[l + 1]]]);
    if (hasBias) tensors.push([`dense_${l}.bias`, [sizes[l + 1]]]);
  }
  return JSON.stringify({ orientation: 'in_out', tensors });
}
