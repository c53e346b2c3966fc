import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGraph, TOPOLOGY_NAMES } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';

test('makeGraph: every generated topology is deterministic for a seed', () => {
  for (const kind of TOPOLOGY_NAMES) {
    if (kind === 'network') continue;
    const a = makeGraph(kind, 201, 9);
    const b = makeGraph({ kind } as never, 201, 9);
    assert.deepEqual(Buffer.from(a.neighbours.buffer), Buffer.from(b.neighbours.buffer), kind);
  }
});

test('makeGraph: unknown kinds and parameters are rejected, naming the allowed ones', () => {
  assert.throws(
    () => makeGraph('scale-free' as never, 10, 0),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'graph.kind' && /"ba"/.test((e as Error).message),
  );
  assert.throws(() => makeGraph({ kind: 'ba', k: 3 } as never, 10, 0), /graph.k: is not a parameter of topology 'ba'; allowed: m/);
  assert.throws(() => makeGraph('ring', 0, 0), InvalidOptionError);
  assert.throws(() => makeGraph('ring', 10, 0.5), InvalidOptionError);
});
