/**
 * The one-hot first layer of the training step (see Mlp), forward and backward, in two
 * implementations that give the same bits:
 * - JavaScript over typed arrays (`oneHotForwardJs`, `oneHotBackwardJs`): the reference, and the
 *   path for tanh (whose derivative JavaScript computes in double precision);
 * - a WebAssembly SIMD kernel (`OneHotKernel`), four float32 lanes at a time, for x², relu and no
 *   activation. Every operation is the float32 (or float64) operation that the JavaScript version
 *   rounds to, in the same order, so both give identical results (test/train/oneHotKernel.test.ts
 *   compares them bit for bit). It is about three times faster: at h = 500 these loops were
 *   about a third of a modular-addition training step.
 *
 * Forward: z[r, :] = Σ_b W[active[r, b], :] (+ bias), exactly the one-hot product, and a = act(z).
 * Backward: δ[r, :] = dA[r, :] ⊙ act′(z[r, :]) rounded to float32 like every δ; then
 * ∂W[active[r, b], :] += δ[r, :] and ∂b += δ[r, :], summed over r in float64.
 */
import { Activation } from './config';
import {
  assembleModule,
  Code,
  compileWasm,
  f32,
  f64,
  FunctionBuilder,
  get,
  i32,
  ifElse,
  instantiateWasm,
  Local,
  newWasmMemory,
  set,
  v128,
  WASM_PAGE_BYTES,
  WasmMemory,
  WasmModule,
  whileLoop,
} from '../util/wasmAssembler';

/** Forward in JavaScript: z and (when `activation` is given) a = act(z), row by row. */
export function oneHotForwardJs(
  w: Float32Array,
  bias: Float32Array | null,
  active: Int32Array,
  n: number,
  width: number,
  activation: Activation | null,
  z: Float32Array,
  a: Float32Array | null,
): void {
  const blocks = active.length / n;
  for (let r = 0; r < n; r++) {
    const out = r * width;
    const first = active[r * blocks] * width;
    if (blocks === 2) {
      const second = active[r * blocks + 1] * width;
      for (let j = 0; j < width; j++) z[out + j] = w[first + j] + w[second + j];
    } else {
      for (let j = 0; j < width; j++) z[out + j] = w[first + j];
      for (let b = 1; b < blocks; b++) {
        const row = active[r * blocks + b] * width;
        for (let j = 0; j < width; j++) z[out + j] += w[row + j];
      }
    }
    if (bias) for (let j = 0; j < width; j++) z[out + j] += bias[j];
    if (a) activateRange(activation as Activation, z, a, out, out + width);
  }
}

/** a[i] = act(z[i]) for i in [from, to): relu z > 0 ? z : 0, tanh, x² z·z. */
export function activateRange(activation: Activation, z: Float32Array, a: Float32Array, from: number, to: number): void {
  if (activation === 'relu') for (let i = from; i < to; i++) a[i] = z[i] > 0 ? z[i] : 0;
  else if (activation === 'tanh') for (let i = from; i < to; i++) a[i] = Math.tanh(z[i]);
  else for (let i = from; i < to; i++) a[i] = z[i] * z[i];
}

/**
 * Backward in JavaScript: grad[wOffset + active[r, b]·width + j] and grad[bOffset + j] (when
 * bOffset ≥ 0) receive the float64 sums of δ; `rows` = rows of W (units of the input layer).
 */
export function oneHotBackwardJs(
  dA: Float32Array,
  z: Float32Array | null,
  a: Float32Array | null,
  activation: Activation | null,
  active: Int32Array,
  n: number,
  width: number,
  rows: number,
  grad: Float32Array,
  wOffset: number,
  bOffset: number,
): void {
  const blocks = active.length / n;
  const sums = new Float64Array(rows * width);
  const biasSums = new Float64Array(width);
  const d = new Float32Array(width);
  for (let r = 0; r < n; r++) {
    const src = r * width;
    // δ for this row (rounded to float32 by the store into d).
    if (activation === 'quadratic') for (let j = 0; j < width; j++) d[j] = dA[src + j] * 2 * (z as Float32Array)[src + j];
    else if (activation === 'relu') for (let j = 0; j < width; j++) d[j] = (z as Float32Array)[src + j] > 0 ? dA[src + j] : 0;
    else if (activation === 'tanh') {
      for (let j = 0; j < width; j++) {
        const t = (a as Float32Array)[src + j];
        d[j] = dA[src + j] * (1 - t * t);
      }
    } else for (let j = 0; j < width; j++) d[j] = dA[src + j];
    if (bOffset >= 0) for (let j = 0; j < width; j++) biasSums[j] += d[j];
    for (let b = 0; b < blocks; b++) {
      const dst = active[r * blocks + b] * width;
      for (let j = 0; j < width; j++) sums[dst + j] += d[j];
    }
  }
  for (let i = 0; i < sums.length; i++) grad[wOffset + i] = sums[i];
  if (bOffset >= 0) for (let j = 0; j < width; j++) grad[bOffset + j] = biasSums[j];
}

/** Activation codes of the kernel: 0 none, 1 x², 2 relu (tanh stays in JavaScript). */
const ACTIVATION_CODE: Partial<Record<Activation | 'none', number>> = { none: 0, quadratic: 1, relu: 2 };

/**
 * for (j = 0; j < width; …) over the elements of a row: `vector` handles 4 lanes at j while 4
 * more remain, `scalar` the 0–3 left over; both get the element index j as code.
 */
function lanes(j: Local, width: Local, vector: (k: Code) => Code[], scalar: (k: Code) => Code[], label: string): Code[] {
  // j counts elements; the bodies get the element index as code.
  return [
    set(j, i32.const(0)),
    whileLoop(`${label}:v`, i32.le_s(i32.add(get(j), i32.const(4)), get(width)), ...vector(get(j)), set(j, i32.add(get(j), i32.const(4)))),
    whileLoop(`${label}:s`, i32.lt_s(get(j), get(width)), ...scalar(get(j)), set(j, i32.add(get(j), i32.const(1)))),
  ];
}

/** Byte address base + 4·index. */
const at4 = (base: Code, index: Code): Code => i32.add(base, i32.shl(index, i32.const(2)));
/** Byte address base + 8·index. */
const at8 = (base: Code, index: Code): Code => i32.add(base, i32.shl(index, i32.const(3)));

/** dst[k] = src[k] for the `width` float32 elements of two rows (byte addresses in locals). */
function copyRow(j: Local, width: Local, dst: Local, src: Local, label: string): Code[] {
  return lanes(
    j,
    width,
    (k) => [v128.store(at4(get(dst), k), v128.load(at4(get(src), k)))],
    (k) => [f32.store(at4(get(dst), k), f32.load(at4(get(src), k)))],
    label,
  );
}

/** dst[k] += src[k] for the `width` float32 elements of two rows (byte addresses in locals). */
function addRow(j: Local, width: Local, dst: Local, src: Local, label: string): Code[] {
  return lanes(
    j,
    width,
    (k) => [v128.store(at4(get(dst), k), v128.f32x4Add(v128.load(at4(get(dst), k)), v128.load(at4(get(src), k))))],
    (k) => [f32.store(at4(get(dst), k), f32.add(f32.load(at4(get(dst), k)), f32.load(at4(get(src), k))))],
    label,
  );
}

function forwardFunction(): { builder: FunctionBuilder; body: Code[] } {
  const fn = new FunctionBuilder('forward', null);
  const w = fn.param('w', 'i32'); // Float32 [rows, width]
  const bias = fn.param('bias', 'i32'); // Float32 [width], or 0
  const active = fn.param('active', 'i32'); // Int32 [n, blocks]
  const z = fn.param('z', 'i32'); // Float32 [n, width] out
  const a = fn.param('a', 'i32'); // Float32 [n, width] out, or 0
  const n = fn.param('n', 'i32');
  const width = fn.param('width', 'i32');
  const blocks = fn.param('blocks', 'i32');
  const act = fn.param('act', 'i32');
  const r = fn.local('r', 'i32');
  const b = fn.local('b', 'i32');
  const j = fn.local('j', 'i32');
  const zRow = fn.local('zRow', 'i32');
  const aRow = fn.local('aRow', 'i32');
  const wRow = fn.local('wRow', 'i32');
  const zero = v128.f32x4Splat(f32.const(0));
  const scalarZero = f32.const(0);
  const rowOf = (blockIndex: Code): Code =>
    i32.add(get(w), i32.shl(i32.mul(i32.load(at4(get(active), i32.add(i32.mul(get(r), get(blocks)), blockIndex))), get(width)), i32.const(2)));
  const body: Code[] = [
    set(r, i32.const(0)),
    whileLoop(
      'rows',
      i32.lt_s(get(r), get(n)),
      set(zRow, at4(get(z), i32.mul(get(r), get(width)))),
      set(aRow, at4(get(a), i32.mul(get(r), get(width)))),
      // First block: copy its row of W.
      set(wRow, rowOf(i32.const(0))),
      ...copyRow(j, width, zRow, wRow, 'copy'),
      // Further blocks: add their rows, in block order.
      set(b, i32.const(1)),
      whileLoop(
        'blocks',
        i32.lt_s(get(b), get(blocks)),
        set(wRow, rowOf(get(b))),
        ...addRow(j, width, zRow, wRow, 'add'),
        set(b, i32.add(get(b), i32.const(1))),
      ),
      ifElse(i32.ne(get(bias), i32.const(0)), addRow(j, width, zRow, bias, 'bias')),
      ifElse(i32.eq(get(act), i32.const(1)), [
        ...lanes(
          j,
          width,
          (k) => [v128.store(at4(get(aRow), k), v128.f32x4Mul(v128.load(at4(get(zRow), k)), v128.load(at4(get(zRow), k))))],
          (k) => [f32.store(at4(get(aRow), k), f32.mul(f32.load(at4(get(zRow), k)), f32.load(at4(get(zRow), k))))],
          'square',
        ),
      ]),
      ifElse(i32.eq(get(act), i32.const(2)), [
        ...lanes(
          j,
          width,
          // z > 0 ? z : 0 — the mask keeps z where z > 0 (NaN compares false), +0 elsewhere.
          (k) => [v128.store(at4(get(aRow), k), v128.and(v128.load(at4(get(zRow), k)), v128.f32x4Gt(v128.load(at4(get(zRow), k)), zero)))],
          (k) => [
            ifElse(
              f32.gt(f32.load(at4(get(zRow), k)), scalarZero),
              [f32.store(at4(get(aRow), k), f32.load(at4(get(zRow), k)))],
              [f32.store(at4(get(aRow), k), scalarZero)],
            ),
          ],
          'relu',
        ),
      ]),
      set(r, i32.add(get(r), i32.const(1))),
    ),
  ];
  return { builder: fn, body };
}

function backwardFunction(): { builder: FunctionBuilder; body: Code[] } {
  const fn = new FunctionBuilder('backward', null);
  const dA = fn.param('dA', 'i32'); // Float32 [n, width]
  const z = fn.param('z', 'i32'); // Float32 [n, width] (x², relu)
  const active = fn.param('active', 'i32'); // Int32 [n, blocks]
  const sums = fn.param('sums', 'i32'); // Float64 [rows, width], zero on entry
  const biasSums = fn.param('biasSums', 'i32'); // Float64 [width], zero on entry, or 0
  const d = fn.param('d', 'i32'); // Float32 [width] scratch
  const n = fn.param('n', 'i32');
  const width = fn.param('width', 'i32');
  const blocks = fn.param('blocks', 'i32');
  const act = fn.param('act', 'i32');
  const r = fn.local('r', 'i32');
  const b = fn.local('b', 'i32');
  const j = fn.local('j', 'i32');
  const src = fn.local('src', 'i32');
  const zSrc = fn.local('zSrc', 'i32');
  const dst = fn.local('dst', 'i32');
  const two = v128.f32x4Splat(f32.const(2));
  const zero = v128.f32x4Splat(f32.const(0));
  /** target[k], target[k+1] (float64) += d[k], d[k+1] (float32), while two remain; then one. */
  const accumulate = (target: Local, label: string): Code[] => [
    set(j, i32.const(0)),
    whileLoop(
      `${label}:v`,
      i32.le_s(i32.add(get(j), i32.const(2)), get(width)),
      v128.store(at8(get(target), get(j)), v128.f64x2Add(v128.load(at8(get(target), get(j))), v128.f64x2PromoteLowF32x4(v128.load64Zero(at4(get(d), get(j)))))),
      set(j, i32.add(get(j), i32.const(2))),
    ),
    whileLoop(
      `${label}:s`,
      i32.lt_s(get(j), get(width)),
      f64.store(at8(get(target), get(j)), f64.add(f64.load(at8(get(target), get(j))), f32.promote(f32.load(at4(get(d), get(j)))))),
      set(j, i32.add(get(j), i32.const(1))),
    ),
  ];
  const body: Code[] = [
    set(r, i32.const(0)),
    whileLoop(
      'rows',
      i32.lt_s(get(r), get(n)),
      set(src, at4(get(dA), i32.mul(get(r), get(width)))),
      set(zSrc, at4(get(z), i32.mul(get(r), get(width)))),
      // δ row: dA·2·z (x²), dA where z > 0 (relu), or dA.
      ifElse(
        i32.eq(get(act), i32.const(1)),
        lanes(
          j,
          width,
          (k) => [v128.store(at4(get(d), k), v128.f32x4Mul(v128.f32x4Mul(v128.load(at4(get(src), k)), two), v128.load(at4(get(zSrc), k))))],
          (k) => [f32.store(at4(get(d), k), f32.mul(f32.mul(f32.load(at4(get(src), k)), f32.const(2)), f32.load(at4(get(zSrc), k))))],
          'dsq',
        ),
        [
          ifElse(
            i32.eq(get(act), i32.const(2)),
            lanes(
              j,
              width,
              (k) => [v128.store(at4(get(d), k), v128.and(v128.load(at4(get(src), k)), v128.f32x4Gt(v128.load(at4(get(zSrc), k)), zero)))],
              (k) => [
                ifElse(
                  f32.gt(f32.load(at4(get(zSrc), k)), f32.const(0)),
                  [f32.store(at4(get(d), k), f32.load(at4(get(src), k)))],
                  [f32.store(at4(get(d), k), f32.const(0))],
                ),
              ],
              'drelu',
            ),
            copyRow(j, width, d, src, 'dcopy'),
          ),
        ],
      ),
      ifElse(i32.ne(get(biasSums), i32.const(0)), accumulate(biasSums, 'bias')),
      set(b, i32.const(0)),
      whileLoop(
        'blocks',
        i32.lt_s(get(b), get(blocks)),
        set(dst, at8(get(sums), i32.mul(i32.load(at4(get(active), i32.add(i32.mul(get(r), get(blocks)), get(b)))), get(width)))),
        ...accumulate(dst, 'scatter'),
        set(b, i32.add(get(b), i32.const(1))),
      ),
      set(r, i32.add(get(r), i32.const(1))),
    ),
  ];
  return { builder: fn, body };
}

type KernelExport = (...args: number[]) => void;

let compiled: WasmModule | null | undefined;
/** The compiled module, or null where WebAssembly SIMD is not available (the JavaScript path is used). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = compileWasm(assembleModule([forwardFunction(), backwardFunction()]));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Where one layer's arrays lie in kernel memory (byte addresses, 16-byte aligned). */
interface Layout {
  n: number;
  width: number;
  rows: number;
  blocks: number;
  w: number;
  bias: number;
  active: number;
  z: number;
  a: number;
  dA: number;
  sums: number;
  biasSums: number;
  d: number;
  bytes: number;
}

function layoutOf(n: number, width: number, rows: number, blocks: number): Layout {
  let next = 16; // address 0 means "absent" to the kernel
  const take = (bytes: number): number => {
    const at = next;
    next += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const w = take(4 * rows * width);
  const bias = take(4 * width);
  const active = take(4 * n * blocks);
  const z = take(4 * n * width);
  const a = take(4 * n * width);
  const dA = take(4 * n * width);
  const sums = take(8 * rows * width);
  const biasSums = take(8 * width);
  const d = take(4 * width + 16);
  return { n, width, rows, blocks, w, bias, active, z, a, dA, sums, biasSums, d, bytes: next };
}

/** The result of {@link OneHotKernel.forward}: views into kernel memory, valid until the next forward. */
export interface OneHotForward {
  z: Float32Array;
  a: Float32Array | null;
  layout: Layout;
}

/**
 * The WebAssembly SIMD kernel of the one-hot layer and its memory (one per thread, grown as
 * needed and kept). `forward` leaves z in kernel memory for the `backward` of the same step.
 */
export class OneHotKernel {
  private memory: WasmMemory;
  private readonly forwardExport: KernelExport;
  private readonly backwardExport: KernelExport;

  private constructor(module: WasmModule) {
    this.memory = newWasmMemory(1);
    const exports = instantiateWasm(module, this.memory);
    this.forwardExport = exports.forward as KernelExport;
    this.backwardExport = exports.backward as KernelExport;
  }

  private static shared: OneHotKernel | null | undefined;
  /** The kernel for `activation`, or null when JavaScript must do it (tanh, or no WebAssembly SIMD). */
  static for(activation: Activation | null): OneHotKernel | null {
    if (ACTIVATION_CODE[activation ?? 'none'] === undefined) return null;
    if (OneHotKernel.shared === undefined) {
      const module = kernelModule();
      OneHotKernel.shared = module ? new OneHotKernel(module) : null;
    }
    return OneHotKernel.shared;
  }

  private ensure(bytes: number): ArrayBuffer {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
    return this.memory.buffer;
  }

  /** z = the one-hot product (+ bias) and a = act(z) (null without an activation), as views. */
  forward(w: Float32Array, bias: Float32Array | null, active: Int32Array, n: number, width: number, activation: Activation | null): OneHotForward {
    const rows = w.length / width;
    const blocks = active.length / n;
    const layout = layoutOf(n, width, rows, blocks);
    const buffer = this.ensure(layout.bytes);
    new Float32Array(buffer, layout.w, w.length).set(w);
    if (bias) new Float32Array(buffer, layout.bias, width).set(bias);
    new Int32Array(buffer, layout.active, active.length).set(active);
    const code = ACTIVATION_CODE[activation ?? 'none']!;
    this.forwardExport(layout.w, bias ? layout.bias : 0, layout.active, layout.z, activation ? layout.a : 0, n, width, blocks, activation ? code : 0);
    return { z: new Float32Array(buffer, layout.z, n * width), a: activation ? new Float32Array(buffer, layout.a, n * width) : null, layout };
  }

  /** The backward of the step whose forward is `step` (same activation), sums written into grad. */
  backward(step: OneHotForward, dA: Float32Array, activation: Activation | null, grad: Float32Array, wOffset: number, bOffset: number): void {
    const { layout } = step;
    const buffer = this.memory.buffer;
    new Float32Array(buffer, layout.dA, dA.length).set(dA);
    const sums = new Float64Array(buffer, layout.sums, layout.rows * layout.width);
    const biasSums = new Float64Array(buffer, layout.biasSums, layout.width);
    sums.fill(0);
    biasSums.fill(0);
    const code = ACTIVATION_CODE[activation ?? 'none']!;
    this.backwardExport(
      layout.dA,
      layout.z,
      layout.active,
      layout.sums,
      bOffset >= 0 ? layout.biasSums : 0,
      layout.d,
      layout.n,
      layout.width,
      layout.blocks,
      code,
    );
    for (let i = 0; i < sums.length; i++) grad[wOffset + i] = sums[i];
    if (bOffset >= 0) for (let j = 0; j < layout.width; j++) grad[bOffset + j] = biasSums[j];
  }
}
