import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_STUDENT_T_DF, syntheticGradients } from '../../lib/probe/syntheticGradients';
import { InvalidOptionError } from '../../lib/util/errors';

test('gaussian: mean 0, variance 1 (n = 200 000, ~5σ bounds), deterministic per seed', () => {
  const x = syntheticGradients('gaussian', 200_000, 3);
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  s /= x.length - 1;
  assert.ok(Math.abs(m) < 0.012, `mean ${m}`);
  assert.ok(Math.abs(s - 1) < 0.016, `variance ${s}`);
  assert.deepEqual(Buffer.from(syntheticGradients('gaussian', 1000, 3).buffer), Buffer.from(syntheticGradients('gaussian', 1000, 3).buffer));
  assert.notDeepEqual(Array.from(syntheticGradients('gaussian', 10, 3)), Array.from(syntheticGradients('gaussian', 10, 4)));
});

test('student-t: P(|T| ≤ 1) and P(|T| ≤ 3) match scipy for df = 1.5 and 3', () => {
  // scipy.stats.t.cdf: df 1.5 → 0.548865, 0.866452; df 3 → 0.608998, 0.942331.
  const expected: Record<number, [number, number]> = { 1.5: [0.5488646327232893, 0.8664522457450867], 3: [0.6089977810442295, 0.9423311143775626] };
  for (const df of [1.5, 3]) {
    const n = 100_000;
    const x = syntheticGradients('student-t', n, 9, { df });
    let within1 = 0;
    let within3 = 0;
    for (const v of x) {
      if (Math.abs(v) <= 1) within1++;
      if (Math.abs(v) <= 3) within3++;
    }
    // Binomial sd ≤ 0.0016; 5σ bound.
    assert.ok(Math.abs(within1 / n - expected[df][0]) < 0.008, `df ${df}: ${within1 / n}`);
    assert.ok(Math.abs(within3 / n - expected[df][1]) < 0.008, `df ${df}: ${within3 / n}`);
  }
});

test('permuted: the same multiset in a different, seeded order', () => {
  const real = syntheticGradients('student-t', 5000, 1, { df: 2 });
  const p = syntheticGradients('permuted', 5000, 7, { snapshot: real });
  assert.deepEqual(
    Array.from(p).sort((a, b) => a - b),
    Array.from(real).sort((a, b) => a - b),
  );
  let fixedPoints = 0;
  for (let i = 0; i < real.length; i++) if (p[i] === real[i]) fixedPoints++;
  assert.ok(fixedPoints < 15, `${fixedPoints} values kept their place (≈ 1 expected)`);
  assert.deepEqual(Array.from(syntheticGradients('permuted', 5000, 7, { snapshot: real })), Array.from(p));
});

test('matched: i.i.d. draws from the empirical distribution (values from the snapshot, uniform frequencies)', () => {
  const real = Float64Array.from([-2, 0.5, 1, 7]);
  const n = 40_000;
  const m = syntheticGradients('matched', n, 2, { snapshot: real });
  const counts = new Map<number, number>();
  for (const v of m) counts.set(v, (counts.get(v) ?? 0) + 1);
  assert.deepEqual(
    Array.from(counts.keys()).sort((a, b) => a - b),
    [-2, 0.5, 1, 7],
  );
  for (const c of counts.values()) assert.ok(Math.abs(c - n / 4) < 5 * Math.sqrt(n * 0.1875), `count ${c}`);
});

test('bad arguments are rejected, naming the field', () => {
  assert.throws(
    () => syntheticGradients('permuted', 10, 0),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.snapshot',
  );
  assert.throws(() => syntheticGradients('permuted', 10, 0, { snapshot: new Float64Array(9).fill(1) }), /equal to the snapshot length 9/);
  assert.throws(() => syntheticGradients('matched', 10, 0, { snapshot: Float64Array.from([1, NaN]) }), /entry 1 is NaN/);
  assert.throws(() => syntheticGradients('cauchy' as never, 10, 0), /allowed values/);
  assert.throws(() => syntheticGradients('student-t', 10, 0, { df: 0 }), InvalidOptionError);
  assert.throws(() => syntheticGradients('gaussian', 0, 0), InvalidOptionError);
});

test('tiny df, huge scale and unknown options are refused naming the field; every draw is finite', () => {
  // Fault injection: df = 0.001 used to return ~69 % Infinity without an error.
  for (const df of [0.001, 0.05, -1, Infinity, NaN]) {
    assert.throws(
      () => syntheticGradients('student-t', 1000, 0, { df }),
      (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.df' && /finite number ≥ 0\.1/.test(e.message),
      `df ${df}`,
    );
  }
  assert.equal(MIN_STUDENT_T_DF, 0.1);
  // At the smallest allowed df, a million draws are all finite.
  const heavy = syntheticGradients('student-t', 1_000_000, 1, { df: MIN_STUDENT_T_DF });
  for (let i = 0; i < heavy.length; i++) assert.ok(Number.isFinite(heavy[i]), `entry ${i} is ${heavy[i]}`);
  assert.throws(
    () => syntheticGradients('gaussian', 100_000, 1, { scale: 1e308 }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.scale' && /overflow/.test(e.message),
  );
  assert.throws(
    () => syntheticGradients('student-t', 100_000, 1, { df: 0.2, scale: 1e290 }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.df',
  );
  assert.throws(
    () => syntheticGradients('gaussian', 10, 1, { dof: 3 } as never),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.dof' && /allowed: snapshot, df, scale/.test(e.message),
  );
  assert.throws(
    () => syntheticGradients('gaussian', 10, 1, { scale: Infinity }),
    (e: unknown) => e instanceof InvalidOptionError && e.field === 'synthetic.scale',
  );
});
