import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';
import { neighboursOf } from './helpers';

test('lattice2d (helical, default): degree 4 for every n ≥ 10, neighbours i ± 1, i ± round(√n)', () => {
  for (let n = 10; n <= 400; n++) {
    const g = makeGraph('lattice2d', n, 0);
    assert.ok(
      degrees(g).every((d) => d === 4),
      `n = ${n}`,
    );
  }
  for (const h of [20, 32, 50, 80, 126, 200, 316, 500]) {
    const n = 4 * h + 1;
    const g = makeGraph('lattice2d', n, 0);
    validateGraph(g);
    const w = Math.round(Math.sqrt(n));
    for (const i of [0, 1, w, n - 1, Math.floor(n / 2)]) {
      const expected = [(i + 1) % n, (i - 1 + n) % n, (i + w) % n, (i - w + n) % n].sort((a, b) => a - b);
      assert.deepEqual(neighboursOf(g, i), expected, `n = ${n}, node ${i}`);
    }
  }
});

test('lattice2d (helical): interior nodes see the square-lattice neighbourhood', () => {
  // n = 129, width 11: node (row 5, col 4) = 59 touches (5,3), (5,5), (4,4), (6,4).
  const g = makeGraph('lattice2d', 129, 0);
  assert.deepEqual(neighboursOf(g, 59), [48, 58, 60, 70]);
});

test('lattice2d (torus): exact torus on width × height, wrapping each row and column on itself', () => {
  const g = makeGraph({ kind: 'lattice2d', boundary: 'torus', width: 9 }, 81, 0);
  validateGraph(g);
  assert.ok(degrees(g).every((d) => d === 4));
  // Node (row 0, col 8) = 8: right wraps to (0,0) = 0, up wraps to (8,8) = 80.
  assert.deepEqual(neighboursOf(g, 8), [0, 7, 17, 80]);
  const rect = makeGraph({ kind: 'lattice2d', boundary: 'torus', width: 43 }, 129, 0); // 3 × 43
  // Node (row 1, col 0) = 43: left wraps to (1, 42) = 85.
  assert.deepEqual(neighboursOf(rect, 43), [0, 44, 85, 86]);
});

test('lattice2d (torus) needs n divisible by width', () => {
  assert.throws(
    () => makeGraph({ kind: 'lattice2d', boundary: 'torus' }, 129, 0),
    (e: unknown) => e instanceof InvalidOptionError && /divisible/.test((e as Error).message),
  );
  assert.throws(() => makeGraph({ kind: 'lattice2d', boundary: 'mobius' as never }, 81, 0), /allowed values/);
});
