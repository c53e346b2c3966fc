import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degrees, edgeCount, validateGraph } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { InvalidOptionError } from '../../lib/util/errors';

test('ER: mean degree and Poisson-like degree variance match the target', () => {
  const n = 4000;
  for (const [meanDegree, seed] of [
    [6, 1],
    [2.5, 2],
  ]) {
    const g = makeGraph({ kind: 'erdos-renyi', meanDegree }, n, seed);
    validateGraph(g);
    const d = degrees(g);
    const mean = (2 * edgeCount(g)) / n;
    // Edge count ~ Binomial(n(n−1)/2, p): sd of the mean degree ≈ sqrt(2·meanDegree / n) ≈ 0.055.
    assert.ok(Math.abs(mean - meanDegree) < 0.25, `mean degree ${mean}`);
    let v = 0;
    for (const x of d) v += (x - mean) ** 2;
    v /= n - 1;
    const expectedVariance = meanDegree * (1 - meanDegree / (n - 1));
    assert.ok(Math.abs(v / expectedVariance - 1) < 0.12, `degree variance ${v}, expected ≈ ${expectedVariance}`);
  }
});

test('ER: every pair equally likely (pairs in the first and last block are hit at the same rate)', () => {
  // The geometric skipping walks pairs in order; a bug in the carry would bias early or late pairs.
  const n = 400;
  let firstBlock = 0;
  let lastBlock = 0;
  for (let seed = 0; seed < 20; seed++) {
    const g = makeGraph({ kind: 'erdos-renyi', meanDegree: 8 }, n, seed);
    for (let i = 0; i < n; i++) {
      for (let p = g.offsets[i]; p < g.offsets[i + 1]; p++) {
        const j = g.neighbours[p];
        if (i < j && j < 100) firstBlock++;
        if (i >= 300 && i < j) lastBlock++;
      }
    }
  }
  // Each block holds 4950 pairs; p = 8/399 → mean ≈ 99 per graph, 1985 over 20 graphs, sd ≈ 44.
  assert.ok(Math.abs(firstBlock - lastBlock) < 300, `${firstBlock} vs ${lastBlock}`);
  assert.ok(Math.abs(firstBlock - 1985) < 250 && Math.abs(lastBlock - 1985) < 250);
});

test('ER: meanDegree = n − 1 gives the complete graph; bad meanDegree is rejected', () => {
  assert.equal(edgeCount(makeGraph({ kind: 'erdos-renyi', meanDegree: 9 }, 10, 0)), 45);
  assert.throws(() => makeGraph({ kind: 'erdos-renyi', meanDegree: 10 }, 10, 0), InvalidOptionError);
  assert.throws(() => makeGraph({ kind: 'erdos-renyi', meanDegree: 0 }, 10, 0), InvalidOptionError);
});
