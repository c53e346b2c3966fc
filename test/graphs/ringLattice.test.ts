import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';
import { neighboursOf } from './helpers';

test('ring: every node has degree k and neighbours i ± 1 … i ± k/2 (mod n)', () => {
  for (const [n, k] of [
    [81, 6],
    [10, 2],
    [9, 8],
  ]) {
    const g = makeGraph({ kind: 'ring', k }, n, 0);
    validateGraph(g);
    assert.ok(degrees(g).every((d) => d === k));
    for (const i of [0, 5, n - 1]) {
      const expected: number[] = [];
      for (let j = 1; j <= k / 2; j++) expected.push((i + j) % n, (i - j + n) % n);
      assert.deepEqual(
        neighboursOf(g, i),
        expected.sort((a, b) => a - b),
      );
    }
  }
});

test('ring: k odd or n ≤ k rejected', () => {
  assert.throws(() => makeGraph({ kind: 'ring', k: 3 }, 20, 0), InvalidOptionError);
  assert.throws(() => makeGraph({ kind: 'ring', k: 6 }, 6, 0), InvalidOptionError);
});
