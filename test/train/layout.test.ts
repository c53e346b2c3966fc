import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denseLayout } from '../../lib/graphs/network';
import { DEFAULT_SCALES, layerSizesOf, resolveTrainConfig } from '../../lib/train/config';
import { layoutTable, parameterCount, parameterLayout, parameterShapes } from '../../lib/train/layout';

test('XOR 2 → h → 1 with biases has N = 4h + 1 parameters at every default scale', () => {
  for (const h of DEFAULT_SCALES) {
    const config = resolveTrainConfig({ task: 'xor', hidden: h });
    assert.equal(parameterCount({ layerSizes: layerSizesOf(config), bias: true }), 4 * h + 1);
  }
  assert.deepEqual(
    DEFAULT_SCALES.map((h) => 4 * h + 1),
    [81, 129, 201, 321, 505, 801, 1265, 2001],
  );
});

test('canonical order: W0 row-major [fanIn, fanOut], b0, W1, b1 with row = input unit, col = output unit', () => {
  const layout = parameterLayout({ layerSizes: [2, 3, 1], bias: true });
  assert.equal(layout.layer.length, 13);
  // W0[i][j] at index i·3 + j.
  assert.deepEqual([layout.layer[5], layout.kind[5], layout.row[5], layout.col[5]], [0, 0, 1, 2]);
  // b0 at 6 … 8: row = output unit, col 0.
  assert.deepEqual([layout.layer[7], layout.kind[7], layout.row[7], layout.col[7]], [0, 1, 1, 0]);
  // W1 [3, 1] at 9 … 11, b1 at 12.
  assert.deepEqual([layout.layer[10], layout.kind[10], layout.row[10], layout.col[10]], [1, 0, 1, 0]);
  assert.deepEqual([layout.layer[12], layout.kind[12], layout.row[12], layout.col[12]], [1, 1, 0, 0]);
  assert.deepEqual(parameterShapes({ layerSizes: [2, 3, 1], bias: true }), [[2, 3], [3], [3, 1], [1]]);
});

test('the layout agrees entry by entry with the probe stage’s denseLayout (same convention)', () => {
  for (const [sizes, bias] of [
    [[2, 5, 1], true],
    [[46, 7, 23], false],
    [[4, 3, 2, 2], true],
  ] as const) {
    const ours = parameterLayout({ layerSizes: [...sizes], bias });
    const theirs = denseLayout(sizes, { bias });
    assert.equal(ours.layer.length, theirs.layer.length);
    for (let i = 0; i < ours.layer.length; i++) {
      assert.equal(ours.layer[i], theirs.layer[i]);
      assert.equal(ours.kind[i], theirs.kind[i]);
      assert.equal(ours.row[i], theirs.row[i]);
      assert.equal(ours.col[i], theirs.col[i]);
    }
  }
});

test('layoutTable: index, layer, kind as weight/bias, row, col', () => {
  const table = layoutTable(parameterLayout({ layerSizes: [2, 2, 1], bias: true }));
  assert.deepEqual(table.columnNames(), ['index', 'layer', 'kind', 'row', 'col']);
  assert.equal(table.numRows(), 9);
  assert.deepEqual(Array.from(table.array('kind') as ArrayLike<string>), ['weight', 'weight', 'weight', 'weight', 'bias', 'bias', 'weight', 'weight', 'bias']);
});
