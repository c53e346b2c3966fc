import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';
import { edgeSet } from './helpers';

test('regular: every node has degree exactly k, graph simple, for the paper sizes and odd k', () => {
  for (const n of [81, 129, 2001, 20001]) {
    const g = makeGraph('regular', n, 3);
    validateGraph(g);
    assert.ok(
      degrees(g).every((d) => d === 6),
      `n = ${n}`,
    );
  }
  const odd = makeGraph({ kind: 'regular', k: 3 }, 100, 1);
  validateGraph(odd);
  assert.ok(degrees(odd).every((d) => d === 3));
  const dense = makeGraph({ kind: 'regular', k: 9 }, 10, 1); // only K10 is 9-regular on 10 nodes
  assert.equal(edgeSet(dense).size, 45);
});

test('regular: random (different seeds, different graphs), deterministic for one seed', () => {
  const a = makeGraph('regular', 500, 1);
  const b = makeGraph('regular', 500, 1);
  const c = makeGraph('regular', 500, 2);
  assert.deepEqual(Array.from(a.neighbours), Array.from(b.neighbours));
  const ea = edgeSet(a);
  let shared = 0;
  for (const e of edgeSet(c)) if (ea.has(e)) shared++;
  assert.ok(shared < 30, `two random 6-regular graphs on 500 nodes share ${shared} of 1500 edges (expected ≈ 9)`);
});

test('regular: n·k odd or n ≤ k rejected', () => {
  assert.throws(
    () => makeGraph({ kind: 'regular', k: 3 }, 81, 0),
    (e: unknown) => e instanceof InvalidOptionError && /even/.test((e as Error).message),
  );
  assert.throws(() => makeGraph({ kind: 'regular', k: 6 }, 6, 0), InvalidOptionError);
});
