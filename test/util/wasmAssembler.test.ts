import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleModule, br, brIf, f64, FunctionBuilder, get, i32, ifElse, set, tee, whileLoop, block, loop } from '../../lib/util/wasmAssembler';

// WebAssembly is a global of Node; the project compiles without DOM types.
const wasm = (globalThis as unknown as { WebAssembly: any }).WebAssembly;

function instantiate(functions: Parameters<typeof assembleModule>[0]): { exports: Record<string, (...args: number[]) => number>; memory: any } {
  const bytes = assembleModule(functions);
  assert.ok(wasm.validate(bytes), 'module validates');
  const memory = new wasm.Memory({ initial: 1 });
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  return { exports: instance.exports, memory };
}

test('constants of every LEB128 length come back unchanged (i32 and f64)', () => {
  const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 20, -(2 ** 27), 2 ** 31 - 1, -(2 ** 31)];
  const functions = values.map((v, i) => {
    const fn = new FunctionBuilder(`c${i}`, 'i32');
    return { builder: fn, body: [i32.const(v)] };
  });
  const fx = new FunctionBuilder('pi', 'f64');
  functions.push({ builder: fx, body: [f64.const(-Math.PI)] });
  const { exports } = instantiate(functions);
  values.forEach((v, i) => assert.equal(exports[`c${i}`](), v, `i32.const ${v}`));
  assert.equal(exports.pi(), -Math.PI);
});

test('loops, labels and branches: triangular numbers, first index over a limit', () => {
  // sum(n) = 0 + 1 + … + (n − 1) with whileLoop.
  const sum = new FunctionBuilder('sum', 'i32');
  const n = sum.param('n', 'i32');
  const i = sum.local('i', 'i32');
  const total = sum.local('total', 'i32');
  const sumBody = [whileLoop('l', i32.lt_s(get(i), get(n)), set(total, i32.add(get(total), get(i))), set(i, i32.add(get(i), i32.const(1)))), get(total)];
  // firstOver(limit): smallest k with 0 + 1 + … + k > limit, leaving the loop by a br from inside an if.
  const over = new FunctionBuilder('firstOver', 'i32');
  const limit = over.param('limit', 'i32');
  const k = over.local('k', 'i32');
  const acc = over.local('acc', 'i32');
  const overBody = [
    block(
      'done',
      loop('next', ifElse(i32.gt_s(tee(acc, i32.add(get(acc), get(k))), get(limit)), [br('done')]), set(k, i32.add(get(k), i32.const(1))), br('next')),
    ),
    get(k),
  ];
  const { exports } = instantiate([
    { builder: sum, body: sumBody },
    { builder: over, body: overBody },
  ]);
  for (const m of [0, 1, 2, 10, 1000]) assert.equal(exports.sum(m), (m * Math.max(m - 1, 0)) / 2);
  for (const m of [0, 1, 3, 5, 6, 99, 100]) {
    let j = 0;
    while ((j * (j + 1)) / 2 <= m) j++;
    assert.equal(exports.firstOver(m), j, `limit ${m}`);
  }
});

test('memory loads and stores at byte offsets; f64 arithmetic is IEEE double precision', () => {
  // scale(address, count, factor): x[i] = x[i] · factor / 3 − 0.1 + (i as double), in place.
  const fn = new FunctionBuilder('scale', 'i32');
  const address = fn.param('address', 'i32');
  const count = fn.param('count', 'i32');
  const factor = fn.param('factor', 'f64');
  const p = fn.local('p', 'i32');
  const x = fn.local('x', 'f64');
  const body = [
    whileLoop(
      'items',
      i32.lt_s(get(p), get(count)),
      set(x, f64.load(i32.add(get(address), i32.shl(get(p), i32.const(3))))),
      f64.store(
        i32.add(get(address), i32.shl(get(p), i32.const(3))),
        f64.add(f64.sub(f64.div(f64.mul(get(x), get(factor)), f64.const(3)), f64.const(0.1)), f64.fromI32(get(p))),
      ),
      set(p, i32.add(get(p), i32.const(1))),
    ),
    // Return the int at byte 4 of the first double (its high word), read with a constant offset.
    i32.load(get(address), 4),
  ];
  const { exports, memory } = instantiate([{ builder: fn, body }]);
  const values = [1.5, -2.25, 1e300, 5e-324, 0.1, -0];
  new Float64Array(memory.buffer, 64, values.length).set(values);
  const high = exports.scale(64, values.length, 7);
  const out = new Float64Array(memory.buffer, 64, values.length);
  values.forEach((v, i) => assert.ok(Object.is(out[i], (v * 7) / 3 - 0.1 + i), `entry ${i}`));
  assert.equal(high, new Int32Array(memory.buffer, 64, 2)[1]);
});

test('signed and unsigned comparisons, shifts and bit operations', () => {
  const names = ['lt_s', 'lt_u', 'gt_s', 'ge_s', 'eq', 'ne', 'and', 'or', 'shl', 'shr_u', 'sub'] as const;
  const functions = names.map((name) => {
    const fn = new FunctionBuilder(name, 'i32');
    const a = fn.param('a', 'i32');
    const b = fn.param('b', 'i32');
    return { builder: fn, body: [i32[name](get(a), get(b))] };
  });
  const eqz = new FunctionBuilder('eqz', 'i32');
  const z = eqz.param('z', 'i32');
  functions.push({ builder: eqz, body: [i32.eqz(get(z))] });
  const flt = new FunctionBuilder('flt', 'i32');
  const fa = flt.param('a', 'f64');
  const fb = flt.param('b', 'f64');
  functions.push({ builder: flt, body: [i32.add(i32.shl(f64.lt(get(fa), get(fb)), i32.const(1)), f64.gt(get(fa), get(fb)))] });
  const neg = new FunctionBuilder('neg', 'f64');
  const na = neg.param('a', 'f64');
  functions.push({ builder: neg, body: [f64.neg(get(na))] });
  const exit = new FunctionBuilder('exitEarly', 'i32');
  const e = exit.param('e', 'i32');
  functions.push({ builder: exit, body: [block('b', brIf('b', get(e)), set(e, i32.const(42))), get(e)] });
  const { exports } = instantiate(functions);
  assert.equal(exports.lt_s(-1, 1), 1);
  assert.equal(exports.lt_u(-1, 1), 0); // 0xffffffff unsigned
  assert.equal(exports.gt_s(3, -3), 1);
  assert.equal(exports.ge_s(2, 2), 1);
  assert.equal(exports.eq(5, 5), 1);
  assert.equal(exports.ne(5, 5), 0);
  assert.equal(exports.and(0b1100, 0b1010), 0b1000);
  assert.equal(exports.or(0b1100, 0b1010), 0b1110);
  assert.equal(exports.shl(1, 33), 2); // shift count mod 32
  assert.equal(exports.shr_u(-8, 1), 0x7ffffffc);
  assert.equal(exports.sub(3, 5), -2);
  assert.equal(exports.eqz(0), 1);
  assert.equal(exports.flt(1, 2), 2);
  assert.equal(exports.flt(2, 1), 1);
  assert.ok(Object.is(exports.neg(0), -0));
  assert.equal(exports.exitEarly(7), 7);
  assert.equal(exports.exitEarly(0), 42);
});

test('a branch to a label that is not open is refused when assembling', () => {
  const fn = new FunctionBuilder('bad', null);
  assert.throws(() => assembleModule([{ builder: fn, body: [block('a', br('b'))] }]), /no enclosing block or loop 'b'/);
  const late = new FunctionBuilder('late', null);
  late.local('x', 'i32');
  assert.throws(() => late.param('p', 'i32'), /declare every param before the first local/);
});
