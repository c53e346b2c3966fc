import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphFromEdges, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { denseLayout, NetworkLayout, networkGraph, parameterUnits } from '../../lib/graphs/network';
import { InvalidOptionError } from '../../lib/util/errors';
import { Random } from '../../lib/util/random';
import { neighboursOf } from './helpers';

// A 2 → 2 → 1 net in tfjs order: W0 (row = input, col = hidden), b0, W1, b1.
//   p0 W0[in0→h0]  p1 W0[in0→h1]  p2 W0[in1→h0]  p3 W0[in1→h1]  p4 b0[h0]  p5 b0[h1]
//   p6 W1[h0→out]  p7 W1[h1→out]  p8 b1[out]
// Units: in0 {0,1}, in1 {2,3}, h0 {0,2,4,6}, h1 {1,3,5,7}, out {6,7,8}.
const tiny = denseLayout([2, 2, 1]);

test('denseLayout lists kernels [fanIn, fanOut] row-major then biases, as tfjs getWeights()', () => {
  assert.deepEqual(Array.from(tiny.layer), [0, 0, 0, 0, 0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(tiny.kind as Uint8Array), [0, 0, 0, 0, 1, 1, 0, 0, 1]);
  assert.deepEqual(Array.from(tiny.row), [0, 0, 1, 1, 0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(tiny.col), [0, 1, 0, 1, 0, 0, 0, 0, 0]);
});

test('network (clique): parameters adjacent exactly when they touch a common unit (hand-worked 2→2→1)', () => {
  const g = makeGraph({ kind: 'network', layout: tiny }, 9, 0);
  validateGraph(g);
  const expected = [
    [1, 2, 4, 6],
    [0, 3, 5, 7],
    [0, 3, 4, 6],
    [1, 2, 5, 7],
    [0, 2, 6],
    [1, 3, 7],
    [0, 2, 4, 7, 8],
    [1, 3, 5, 6, 8],
    [6, 7],
  ];
  expected.forEach((list, p) => assert.deepEqual(neighboursOf(g, p), list, `parameter ${p}`));
});

test("network: 'outIn' orientation with transposed rows/cols and string kinds gives the same graph", () => {
  const transposed: NetworkLayout = {
    layer: Array.from(tiny.layer),
    kind: Array.from(tiny.kind as Uint8Array, (k) => (k === 1 ? 'bias' : 'weight')),
    row: Array.from(tiny.row, (r, p) => (tiny.kind[p] === 1 ? r : tiny.col[p])),
    col: Array.from(tiny.col, (c, p) => (tiny.kind[p] === 1 ? 0 : tiny.row[p])),
    layerSizes: [2, 2, 1],
  };
  const a = networkGraph(tiny);
  const b = networkGraph(transposed, { weightOrientation: 'outIn' });
  assert.deepEqual(Array.from(b.neighbours), Array.from(a.neighbours));
});

test('network (ring): each unit’s parameters form a cycle in ascending index order (hand-worked)', () => {
  const g = makeGraph({ kind: 'network', layout: tiny, mode: 'ring' }, 9, 0);
  validateGraph(g);
  const expected = [
    [1, 2, 6],
    [0, 3, 7],
    [0, 3, 4],
    [1, 2, 5],
    [2, 6],
    [3, 7],
    [0, 4, 7, 8],
    [1, 5, 6, 8],
    [6, 7],
  ];
  expected.forEach((list, p) => assert.deepEqual(neighboursOf(g, p), list, `parameter ${p}`));
});

test('network (clique) equals the brute-force rule on a shuffled 3 → 5 → 4 → 2 layout', () => {
  const base = denseLayout([3, 5, 4, 2]);
  const n = base.layer.length;
  const order = new Random(5).permutation(n); // parameter order need not follow layers
  const layout: NetworkLayout = {
    layer: Array.from(order, (p) => base.layer[p]),
    kind: Array.from(order, (p) => (base.kind as Uint8Array)[p]),
    row: Array.from(order, (p) => base.row[p]),
    col: Array.from(order, (p) => base.col[p]),
    layerSizes: [3, 5, 4, 2],
  };
  // Unit names straight from the definition, independent of parameterUnits.
  const units = (p: number): string[] =>
    layout.kind[p] === 1 ? [`${layout.layer[p] + 1}:${layout.row[p]}`] : [`${layout.layer[p]}:${layout.row[p]}`, `${layout.layer[p] + 1}:${layout.col[p]}`];
  const edges: number[] = [];
  for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) if (units(p).some((u) => units(q).includes(u))) edges.push(p, q);
  const expected = graphFromEdges(n, edges);
  const g = networkGraph(layout);
  assert.deepEqual(Array.from(g.offsets), Array.from(expected.offsets));
  assert.deepEqual(Array.from(g.neighbours), Array.from(expected.neighbours));
});

test('network: layouts breaking the conventions are rejected with the parameter named', () => {
  const bad = (patch: Partial<NetworkLayout>): NetworkLayout => ({ ...tiny, ...patch });
  assert.throws(() => parameterUnits(bad({ col: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 0, 0]) })), /bias entry 5 .*col = 0/);
  assert.throws(() => parameterUnits(bad({ row: Int32Array.from([0, 0, 1, 2, 0, 1, 0, 1, 0]) })), /weight entry 3/);
  assert.throws(() => parameterUnits(bad({ layer: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 2, 1]) })), /layout.layer: entry 7/);
  assert.throws(() => parameterUnits(bad({ kind: [0, 0, 0, 0, 1, 1, 0, 0, 'gain' as never] })), /entry 8/);
  assert.throws(() => parameterUnits(bad({ row: Int32Array.from([0, 0]) })), /same length/);
  assert.throws(
    () => networkGraph(bad({ row: Int32Array.from([0, 0, 1, 0, 0, 1, 0, 1, 0]), col: Int32Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0]) })),
    /same weight/,
  );
  assert.throws(
    () => networkGraph(tiny, { maxEdges: 5 }),
    (e: unknown) => e instanceof InvalidOptionError && /mode 'ring'/.test((e as Error).message),
  );
  assert.throws(() => makeGraph({ kind: 'network', layout: tiny }, 10, 0), /layout has 9 parameters/);
  assert.throws(() => makeGraph('network', 9, 0), /needs the parameter layout/);
});

test('network: the XOR net 2 → h → 1 (h = 500) has 4h + 1 nodes and the expected clique edge count', () => {
  const h = 500;
  const layout = denseLayout([2, h, 1]);
  const g = networkGraph(layout);
  assert.equal(g.n, 4 * h + 1);
  // Units: 2 inputs (h weights each), h hidden units (2 in-weights, 1 bias, 1 out-weight: 4), 1 output (h + 1).
  const expectedEdges = 2 * ((h * (h - 1)) / 2) + h * 6 + ((h + 1) * h) / 2;
  assert.equal(g.neighbours.length / 2, expectedEdges);
});
