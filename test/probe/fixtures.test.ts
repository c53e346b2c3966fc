import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphFromEdges } from '../../lib/graphs/graph';
import { runProbe } from '../../lib/probe/runProbe';
import { quantileLinear } from '../../lib/probe/quantile';
import { ProbeOptions } from '../../lib/probe/options';

// Produced by test/fixtures/make_probe.py: an independent Python implementation of the probe
// rules, and numpy.quantile. The compiled test runs from build/test/probe, the JSON stays in
// the source tree.
const fixtureFile = path.resolve(__dirname, '../../../test/fixtures/probe_cases.json');
interface Case {
  name: string;
  n: number;
  edges: number[];
  values: number[];
  options: ProbeOptions;
  expected: {
    threshold: number;
    initialLoad: number;
    sizes: number[];
    areas: number[];
    durations: number[];
    seedNodes: number[];
    totalTopplings: number;
    sMax: number;
    totalDissipated: number;
    truncated: boolean;
    loads: number[];
  };
}
const fixtures = JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as { cases: Case[]; quantiles: Array<{ values: number[]; q: number; expected: number }> };

test('threshold quantile matches numpy.quantile bit for bit (320 cases)', () => {
  // === rather than Object.is: numpy and typed-array sorting may order −0 and +0 differently
  // (the probe's loads are never −0, they are |x| or x²).
  for (const { values, q, expected } of fixtures.quantiles)
    assert.ok(quantileLinear(values, q) === expected, `q = ${q}, values = ${values}: ${quantileLinear(values, q)} ≠ ${expected}`);
});

for (const c of fixtures.cases) {
  test(`probe agrees with the Python reference: ${c.name}`, () => {
    const result = runProbe(Float64Array.from(c.values), graphFromEdges(c.n, c.edges), c.options);
    const e = c.expected;
    assert.equal(result.threshold, e.threshold);
    assert.deepEqual(Array.from(result.sizes), e.sizes);
    assert.deepEqual(Array.from(result.areas), e.areas);
    assert.deepEqual(Array.from(result.durations), e.durations);
    assert.deepEqual(Array.from(result.seedNodes), e.seedNodes);
    assert.equal(result.totalTopplings, e.totalTopplings);
    assert.equal(result.sMax, e.sMax);
    assert.equal(result.truncated, e.truncated);
    // Same operations in the same order: identical doubles, not merely close ones.
    assert.equal(result.totalDissipated, e.totalDissipated);
    assert.deepEqual(Array.from(result.loads), e.loads);
  });
}
