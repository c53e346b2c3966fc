import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, edgeCount, graphFromEdges, hasEdge, validateGraph } from '../../lib/graphs/graph';
import { InvalidOptionError } from '../../lib/util/errors';

test('graphFromEdges drops self-loops, merges duplicates and sorts neighbour lists', () => {
  const g = graphFromEdges(5, [3, 0, 0, 1, 1, 0, 2, 2, 3, 1, 1, 3, 0, 3, 4, 4]);
  assert.deepEqual(Array.from(g.offsets), [0, 2, 4, 4, 6, 6]);
  assert.deepEqual(Array.from(g.neighbours), [1, 3, 0, 3, 0, 1]);
  assert.equal(edgeCount(g), 3);
  assert.deepEqual(Array.from(degrees(g)), [2, 2, 0, 2, 0]);
  assert.ok(hasEdge(g, 3, 0) && hasEdge(g, 0, 3) && !hasEdge(g, 2, 2) && !hasEdge(g, 0, 4));
  assert.ok(g.offsets instanceof Int32Array && g.neighbours instanceof Int32Array);
  validateGraph(g);
});

test('graphFromEdges accepts typed arrays and an empty edge list', () => {
  const g = graphFromEdges(3, new Int32Array(0));
  assert.deepEqual(Array.from(g.offsets), [0, 0, 0, 0]);
  assert.equal(g.neighbours.length, 0);
});

test('graphFromEdges rejects odd lengths and out-of-range endpoints', () => {
  assert.throws(
    () => graphFromEdges(3, [0, 1, 2]),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'graph.edges',
  );
  assert.throws(() => graphFromEdges(3, [0, 3]), /entry 1 is 3/);
  assert.throws(() => graphFromEdges(3, [0, 1.5]), InvalidOptionError);
  assert.throws(() => graphFromEdges(-1, []), InvalidOptionError);
});

test('validateGraph catches an asymmetric or unsorted hand-built graph', () => {
  assert.throws(() => validateGraph({ n: 2, offsets: Int32Array.from([0, 1, 1]), neighbours: Int32Array.from([1]) }), /not symmetric/);
  assert.throws(() => validateGraph({ n: 3, offsets: Int32Array.from([0, 2, 3, 4]), neighbours: Int32Array.from([2, 1, 0, 0]) }), /not strictly ascending/);
});
