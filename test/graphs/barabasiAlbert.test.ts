import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, edgeCount, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';
import { componentCount } from './helpers';

test('BA: exact edge count m(m+1)/2 + m(n−m−1), minimum degree m, connected, simple', () => {
  for (const [n, m] of [
    [500, 3],
    [81, 1],
    [2001, 5],
  ]) {
    const g = makeGraph({ kind: 'ba', m }, n, 7);
    validateGraph(g);
    assert.equal(edgeCount(g), (m * (m + 1)) / 2 + m * (n - m - 1));
    const d = degrees(g);
    assert.equal(Math.min(...d), m);
    assert.equal(componentCount(g), 1);
  }
});

test('BA: preferential attachment makes hubs of early nodes (heavy-tailed degrees)', () => {
  const n = 5000;
  const g = makeGraph('ba', n, 1);
  const d = degrees(g);
  let early = 0;
  for (let i = 0; i < 20; i++) early += d[i];
  let late = 0;
  for (let i = n - 1000; i < n; i++) late += d[i];
  // Expected degree of node i grows like sqrt(n / i): early nodes are an order of magnitude above late ones.
  assert.ok(early / 20 > 8 * (late / 1000), `early mean ${early / 20}, late mean ${late / 1000}`);
  assert.ok(Math.max(...d) > 60, `max degree ${Math.max(...d)}`); // ~ m·sqrt(n) ≈ 200 for a pure power law; Poisson-like graphs would give < 20
});

test('BA: same seed gives identical arrays, another seed another graph', () => {
  const a = makeGraph('ba', 300, 4);
  const b = makeGraph('ba', 300, 4);
  const c = makeGraph('ba', 300, 5);
  assert.deepEqual(Buffer.from(a.neighbours.buffer), Buffer.from(b.neighbours.buffer));
  assert.notDeepEqual(Array.from(a.neighbours), Array.from(c.neighbours));
});

test('BA: n must be at least m + 1', () => {
  assert.throws(
    () => makeGraph({ kind: 'ba', m: 3 }, 3, 0),
    (e: unknown) => e instanceof InvalidOptionError && /n ≥ m \+ 1/.test((e as Error).message),
  );
  assert.throws(() => makeGraph({ kind: 'ba', m: 0 }, 10, 0), InvalidOptionError);
});
