import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, graphFromEdges } from '../../lib/graphs/graph';
import { makeGraph } from '../../lib/graphs/makeGraph';
import { ProbeResult, runProbe } from '../../lib/probe/runProbe';
import { syntheticGradients } from '../../lib/probe/syntheticGradients';
import { InvalidOptionError } from '../../lib/util/errors';
import { deriveSeed, Random } from '../../lib/util/random';

const path3 = graphFromEdges(3, [0, 1, 1, 2]);
const star5 = graphFromEdges(5, [0, 1, 0, 2, 0, 3, 0, 4]);

test('hand-worked: path of 3 nodes, α = 0.5', () => {
  // Loads [3, 8, 6]; q = 0.5 → θ = median = 6. Only node 1 exceeds θ.
  // pop 1 (gen 0): e = 8, share 8·0.5/2 = 2 → F = [5, 0, 8]; node 2 (8 > 6) queued, gen 1; dissipated 4.
  // pop 2 (gen 1): e = 8, share 4 → F = [5, 4, 0]; dissipated 4. Queue empty.
  const r = runProbe(Float64Array.from([3, -8, 6]), path3, { thresholdQuantile: 0.5, alpha: 0.5 });
  assert.equal(r.threshold, 6);
  assert.deepEqual(Array.from(r.seedNodes), [1]);
  assert.deepEqual(Array.from(r.sizes), [2]);
  assert.deepEqual(Array.from(r.areas), [2]);
  assert.deepEqual(Array.from(r.durations), [2]);
  assert.equal(r.totalTopplings, 2);
  assert.equal(r.totalDissipated, 8);
  assert.deepEqual(Array.from(r.loads), [5, 4, 0]);
  assert.equal(r.truncated, false);
});

test('hand-worked: path of 3 nodes, α = 1, cycles forever and is truncated at maxTopplings', () => {
  // Loads [3, 8, 6], θ = 6, conservative. pop 1: F = [7, 0, 10], both ends queued (gen 1);
  // pop 0: F = [0, 7, 10], 1 queued (gen 2); pop 2: F = [0, 17, 0]; pop 1: F = [8.5, 0, 8.5]
  // (gen 3 for both) … the pattern 1, 0, 2 repeats with period 3. After 10 topplings
  // (1 0 2 1 0 2 1 0 2 1) F = [8.5, 0, 8.5]; generations 0 1 1 2 3 3 4 5 5 6 → duration 7.
  const r = runProbe(Float64Array.from([3, 8, 6]), path3, { thresholdQuantile: 0.5, alpha: 1, maxTopplings: 10 });
  assert.equal(r.truncated, true);
  assert.deepEqual(Array.from(r.sizes), [10]);
  assert.deepEqual(Array.from(r.areas), [3]);
  assert.deepEqual(Array.from(r.durations), [7]);
  assert.deepEqual(Array.from(r.loads), [8.5, 0, 8.5]);
  assert.equal(r.totalDissipated, 0);
});

test('hand-worked: star with centre 0 and four leaves, α = 0.5', () => {
  // Loads [2, 9, 1, 3, 5]; θ = median = 3; seeds by load: 1 (9), 4 (5).
  // pop 1 (g0): e 9, k 1, share 4.5 → F0 = 6.5 > 3 queued (g1); dissipated 4.5
  // pop 0 (g1): e 6.5, k 4, share 0.8125 → F = [0, .8125, 1.8125, 3.8125, 5.8125]; 3 and 4 queued (g2); dissipated 3.25
  // pop 3 (g2): e 3.8125, share 1.90625 → F0 = 1.90625; dissipated 1.90625
  // pop 4 (g2): e 5.8125, share 2.90625 → F0 = 4.8125 queued (g3); dissipated 2.90625
  // pop 0 (g3): e 4.8125, share 0.6015625 → F = [0, 1.4140625, 2.4140625, .6015625, .6015625]; dissipated 2.40625
  // Seed 4 now holds 0.6015625 ≤ θ: skipped. One avalanche: size 5, area 4, duration 4.
  const r = runProbe(Float64Array.from([2, 9, -1, 3, 5]), star5, { thresholdQuantile: 0.5, alpha: 0.5 });
  assert.equal(r.threshold, 3);
  assert.deepEqual(Array.from(r.seedNodes), [1]);
  assert.deepEqual(Array.from(r.sizes), [5]);
  assert.deepEqual(Array.from(r.areas), [4]);
  assert.deepEqual(Array.from(r.durations), [4]);
  assert.equal(r.totalDissipated, 14.96875);
  assert.deepEqual(Array.from(r.loads), [0, 1.4140625, 2.4140625, 0.6015625, 0.6015625]);
  assert.equal(r.initialLoad, 20);
});

test('hand-worked: ties go to the lower index; a degree-0 node dissipates all its load', () => {
  // Nodes 0–1 joined, 2 and 3 isolated. Loads [1, 1, 5, 5]; q = 0.5 → θ = 3. Seeds 2, 3 (tie → 2 first).
  const g = graphFromEdges(4, [0, 1]);
  const r = runProbe(Float64Array.from([1, 1, 5, 5]), g, { thresholdQuantile: 0.5, alpha: 0.9 });
  assert.equal(r.threshold, 3);
  assert.deepEqual(Array.from(r.seedNodes), [2, 3]);
  assert.deepEqual(Array.from(r.sizes), [1, 1]);
  assert.equal(r.totalDissipated, 10);
  assert.deepEqual(Array.from(r.loads), [1, 1, 0, 0]);
});

test("transform 'square' uses x² as load", () => {
  const r = runProbe(Float64Array.from([3, -8, 6]), path3, { thresholdQuantile: 0.5, alpha: 0.5, transform: 'square' });
  assert.equal(r.threshold, 36);
  assert.equal(r.initialLoad, 9 + 64 + 36);
});

function checkInvariants(r: ProbeResult, graph: Graph, label: string): void {
  const { sizes, areas, durations } = r;
  let sum = 0;
  let max = 0;
  for (let a = 0; a < r.avalancheCount; a++) {
    assert.ok(sizes[a] >= areas[a] && areas[a] >= 1, `${label}: size ${sizes[a]} ≥ area ${areas[a]} ≥ 1`);
    assert.ok(durations[a] >= 1 && durations[a] <= sizes[a], `${label}: 1 ≤ duration ${durations[a]} ≤ size`);
    assert.ok(areas[a] <= graph.n);
    sum += sizes[a];
    max = Math.max(max, sizes[a]);
  }
  assert.equal(r.totalTopplings, sum);
  assert.equal(r.sMax, max);
  let finalLoad = 0;
  for (const f of r.loads) finalLoad += f;
  // Load accounting: initial = final + dissipated, to rounding.
  assert.ok(
    Math.abs(finalLoad + r.totalDissipated - r.initialLoad) <= 1e-9 * r.initialLoad,
    `${label}: ${finalLoad} + ${r.totalDissipated} vs ${r.initialLoad}`,
  );
  if (!r.truncated) for (let i = 0; i < graph.n; i++) assert.ok(r.loads[i] <= r.threshold, `${label}: node ${i} above θ after the probe`);
  // Seeds are distinct nodes that started above θ, in non-increasing order of their initial load.
  assert.equal(new Set(r.seedNodes).size, r.avalancheCount);
}

test('invariants on random inputs: size ≥ area ≥ 1, duration ≥ 1, accounting, nothing left above θ', () => {
  let cases = 0;
  for (const kind of ['ba', 'erdos-renyi', 'ring', 'lattice2d', 'watts-strogatz', 'regular'] as const) {
    for (const dist of ['gaussian', 'student-t'] as const) {
      for (const alpha of [1, 0.95, 0.6]) {
        const n = 500 + 37 * cases;
        const graph = makeGraph(kind, n, cases);
        const values = syntheticGradients(dist, n, cases, { df: 2.5 });
        const r = runProbe(values, graph, { alpha, thresholdQuantile: 0.85 });
        checkInvariants(r, graph, `${kind}/${dist}/α=${alpha}`);
        if (alpha === 1) {
          // Conservative: the only loss is rounding in e − k·(e/k).
          assert.ok(Math.abs(r.totalDissipated) <= 1e-12 * r.initialLoad * Math.max(1, r.totalTopplings));
        } else {
          // Every toppling sheds (1 − α)·e with e > θ: dissipation ≥ (1 − α)·θ·S_total.
          assert.ok(r.totalDissipated >= (1 - alpha) * r.threshold * r.totalTopplings * (1 - 1e-12));
        }
        cases++;
      }
    }
  }
});

test('with α < 1 the dissipated amount equals the sum of (1 − α)·e over topplings (isolated-free graph)', () => {
  // On a ring every node has degree k > 0, so the dissipation is exactly (1 − α)·Σe, and with
  // loads all ≤ θ at the end, Σe = initial − final + … ; check it against an explicit count:
  // F_final = F_initial − Σe + α·Σe  ⇒  Σe = (initial − final) / (1 − α).
  const n = 3001;
  const graph = makeGraph('ring', n, 0);
  const values = syntheticGradients('gaussian', n, 4);
  const alpha = 0.8;
  const r = runProbe(values, graph, { alpha });
  let finalLoad = 0;
  for (const f of r.loads) finalLoad += f;
  const toppledLoad = (r.initialLoad - finalLoad) / (1 - alpha);
  assert.ok(Math.abs(r.totalDissipated - (1 - alpha) * toppledLoad) < 1e-9 * r.initialLoad);
  // Each toppled load exceeds θ, each is below the largest possible load.
  assert.ok(toppledLoad > r.threshold * r.totalTopplings);
});

test('α = 1 with heavy-tailed input whose total load exceeds N·θ must be truncated, and says so', () => {
  const n = 2001;
  const graph = makeGraph('ba', n, 1);
  const values = syntheticGradients('student-t', n, 3, { df: 1.5 });
  const r = runProbe(values, graph, { alpha: 1, thresholdQuantile: 0.5, maxTopplings: 20 * n });
  // A stable state needs every load ≤ θ, hence a total ≤ N·θ; conservation forbids reaching it.
  assert.ok(r.initialLoad > n * r.threshold);
  assert.equal(r.truncated, true);
  assert.equal(r.sizes[r.avalancheCount - 1], 20 * n);
  checkInvariants(r, graph, 'truncated');
});

test('same inputs give identical bytes; shuffled mapping is a seeded permutation of the values', () => {
  const n = 2001;
  const values = syntheticGradients('student-t', n, 8, { df: 3 });
  const a = runProbe(values, makeGraph('ba', n, 2), { mapping: 'shuffled', mappingSeed: 5 });
  const b = runProbe(values, makeGraph('ba', n, 2), { mapping: 'shuffled', mappingSeed: 5 });
  for (const key of ['sizes', 'areas', 'durations', 'seedNodes', 'loads'] as const) {
    assert.deepEqual(Buffer.from(a[key].buffer), Buffer.from(b[key].buffer), key);
  }
  assert.equal(a.totalDissipated, b.totalDissipated);
  const c = runProbe(values, makeGraph('ba', n, 2), { mapping: 'shuffled', mappingSeed: 6 });
  assert.notDeepEqual(Array.from(a.seedNodes), Array.from(c.seedNodes));
  assert.equal(a.threshold, c.threshold); // same multiset of loads
  // Documented rule: node i carries values[π(i)], π = Random(deriveSeed(mappingSeed, 'probe-mapping', n)).permutation(n).
  const pi = new Random(deriveSeed(5, 'probe-mapping', n)).permutation(n);
  const manual = runProbe(
    Float64Array.from(pi, (p) => values[p]),
    makeGraph('ba', n, 2),
  );
  assert.deepEqual(Array.from(manual.sizes), Array.from(a.sizes));
  assert.deepEqual(Array.from(manual.loads), Array.from(a.loads));
});

test('bad input is rejected before any work, naming the field', () => {
  const g = makeGraph('ring', 20, 0);
  const ok = syntheticGradients('gaussian', 20, 1);
  const field = (f: string) => (e: unknown) => e instanceof InvalidOptionError && e.field === f;
  assert.throws(
    () =>
      runProbe(
        Float64Array.from(ok, (v, i) => (i === 7 ? NaN : v)),
        g,
      ),
    (e: unknown) => field('probe.values')(e) && /entry 7 is NaN/.test((e as Error).message),
  );
  assert.throws(
    () =>
      runProbe(
        Float64Array.from(ok, (v, i) => (i === 3 ? -Infinity : v)),
        g,
      ),
    field('probe.values'),
  );
  assert.throws(() => runProbe(ok.subarray(0, 19), g), /does not match the graph's 20 nodes/);
  assert.throws(
    () =>
      runProbe(
        new Float64Array(20).fill(0).map((_, i) => (i === 0 ? 1 : 0)),
        g,
      ),
    /θ = 0 .* is not > 0/,
  );
  assert.throws(() => runProbe(ok, g, { alpha: 0 }), field('probe.alpha'));
  assert.throws(() => runProbe(ok, g, { alpha: 1.01 }), field('probe.alpha'));
  assert.throws(() => runProbe(ok, g, { thresholdQuantile: 1 }), field('probe.thresholdQuantile'));
  assert.throws(() => runProbe(ok, g, { thresholdQuantile: 0 }), field('probe.thresholdQuantile'));
  assert.throws(() => runProbe(ok, g, { maxTopplings: 0 }), field('probe.maxTopplings'));
  assert.throws(
    () => runProbe(ok, g, { transform: 'cube' as never }),
    (e: unknown) => field('probe.transform')(e) && /"abs", "square"/.test((e as Error).message),
  );
  assert.throws(() => runProbe(ok, g, { mapping: 'random' as never }), field('probe.mapping'));
  assert.throws(() => runProbe(ok, g, { threshold: 2 } as never), /unknown option/);
  assert.throws(() => runProbe(Float64Array.from([1e200, 1, 2]), path3, { transform: 'square' }), field('probe.loads'));
});
