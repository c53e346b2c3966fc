import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, edgeCount, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';
import { edgeSet } from './helpers';

test('WS: β = 0 is exactly the ring lattice', () => {
  const ws = makeGraph({ kind: 'watts-strogatz', k: 6, beta: 0 }, 201, 3);
  const ring = makeGraph({ kind: 'ring', k: 6 }, 201, 0);
  assert.deepEqual(Array.from(ws.offsets), Array.from(ring.offsets));
  assert.deepEqual(Array.from(ws.neighbours), Array.from(ring.neighbours));
});

test('WS: rewiring keeps n·k/2 edges, keeps the graph simple, and rewires a fraction ≈ β', () => {
  const n = 2000;
  const k = 6;
  const beta = 0.3;
  const g = makeGraph({ kind: 'watts-strogatz', k, beta }, n, 11);
  validateGraph(g);
  assert.equal(edgeCount(g), (n * k) / 2);
  const ring = edgeSet(makeGraph({ kind: 'ring', k }, n, 0));
  let rewired = 0;
  for (const e of edgeSet(g)) if (!ring.has(e)) rewired++;
  // Binomial(6000, 0.3): mean 1800, sd 35.
  assert.ok(Math.abs(rewired - 1800) < 220, `rewired ${rewired}`);
  // Every node keeps at least its k/2 un-rewired "own" edges or gained some: degree ≥ 1 here.
  assert.ok(Math.min(...degrees(g)) >= 1);
});

test('WS: β = 1 still simple with n·k/2 edges; bad β rejected', () => {
  const g = makeGraph({ kind: 'watts-strogatz', k: 4, beta: 1 }, 100, 2);
  validateGraph(g);
  assert.equal(edgeCount(g), 200);
  assert.throws(() => makeGraph({ kind: 'watts-strogatz', beta: 1.5 }, 100, 0), InvalidOptionError);
  assert.throws(() => makeGraph({ kind: 'watts-strogatz', k: 5 }, 100, 0), /even/);
});
