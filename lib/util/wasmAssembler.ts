/**
 * A minimal WebAssembly assembler: just enough to write a numeric kernel as structured,
 * readable expressions (`i32.add(get(a), get(b))`, `whileLoop('pop', cond, ...body)`) and get
 * the bytes of a module that imports one memory (`env.memory`) and exports its functions.
 * Used by the probe's relaxation kernel (lib/probe/relaxKernel.ts) and the training step's one-hot
 * layer (lib/train/oneHotKernel.ts). Only the instructions the kernels need are here; the encoding
 * follows the WebAssembly 1.0 binary format (§5 of the spec) and, for `v128`, the fixed-width SIMD
 * extension (prefix 0xfd, opcodes from its binary-encoding table).
 */

/** Value types (v128: the 128-bit SIMD vector of the fixed-width SIMD proposal, in every current engine). */
export type ValueType = 'i32' | 'f32' | 'f64' | 'v128';
const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** A parameter or local of the function being assembled. */
export interface Local {
  readonly name: string;
  readonly type: ValueType;
  readonly index: number;
}

/** One piece of code: appends its bytes (and those of its operands) when emitted. */
export type Code = (out: Emitter) => void;

/** Collects bytes and resolves label names to branch depths. */
export class Emitter {
  readonly bytes: number[] = [];
  private readonly labels: string[] = [];
  push(...bytes: number[]): void {
    for (const b of bytes) this.bytes.push(b);
  }
  enter(label: string): void {
    this.labels.push(label);
  }
  leave(): void {
    this.labels.pop();
  }
  /** Branch depth of the innermost enclosing block/loop called `label`. */
  depth(label: string): number {
    const at = this.labels.lastIndexOf(label);
    if (at < 0) throw new Error(`wasm assembler: no enclosing block or loop '${label}'`);
    return this.labels.length - 1 - at;
  }
}

/** Unsigned LEB128. */
function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const op =
  (code: number, ...operands: Code[]): Code =>
  (out) => {
    for (const operand of operands) operand(out);
    out.push(code);
  };
/** Memory access: operands, opcode, alignment exponent, constant byte offset. */
const memoryOp =
  (code: number, align: number, offset: number, ...operands: Code[]): Code =>
  (out) => {
    for (const operand of operands) operand(out);
    out.push(code, align, ...unsignedLeb(offset));
  };

/** Value of a local. */
export const get =
  (local: Local): Code =>
  (out) =>
    out.push(0x20, ...unsignedLeb(local.index));
/** local = value. */
export const set =
  (local: Local, value: Code): Code =>
  (out) => {
    value(out);
    out.push(0x21, ...unsignedLeb(local.index));
  };
/** local = value, and the value stays on the stack. */
export const tee =
  (local: Local, value: Code): Code =>
  (out) => {
    value(out);
    out.push(0x22, ...unsignedLeb(local.index));
  };

/** 32-bit integer instructions (signed comparisons unless the name says _u). */
export const i32 = {
  const:
    (value: number): Code =>
    (out) =>
      out.push(0x41, ...signedLeb(value)),
  add: (a: Code, b: Code): Code => op(0x6a, a, b),
  sub: (a: Code, b: Code): Code => op(0x6b, a, b),
  mul: (a: Code, b: Code): Code => op(0x6c, a, b),
  and: (a: Code, b: Code): Code => op(0x71, a, b),
  or: (a: Code, b: Code): Code => op(0x72, a, b),
  shl: (a: Code, b: Code): Code => op(0x74, a, b),
  shr_u: (a: Code, b: Code): Code => op(0x76, a, b),
  eqz: (a: Code): Code => op(0x45, a),
  eq: (a: Code, b: Code): Code => op(0x46, a, b),
  ne: (a: Code, b: Code): Code => op(0x47, a, b),
  lt_s: (a: Code, b: Code): Code => op(0x48, a, b),
  lt_u: (a: Code, b: Code): Code => op(0x49, a, b),
  gt_s: (a: Code, b: Code): Code => op(0x4a, a, b),
  le_s: (a: Code, b: Code): Code => op(0x4c, a, b),
  ge_s: (a: Code, b: Code): Code => op(0x4e, a, b),
  /** 4-byte load from byte address `address + offset`. */
  load: (address: Code, offset = 0): Code => memoryOp(0x28, 2, offset, address),
  /** 4-byte store of `value` at byte address `address + offset`. */
  store: (address: Code, value: Code, offset = 0): Code => memoryOp(0x36, 2, offset, address, value),
};

/** 64-bit float instructions (IEEE 754, round to nearest even, exactly as JavaScript numbers). */
export const f64 = {
  const:
    (value: number): Code =>
    (out) =>
      out.push(0x44, ...new Uint8Array(new Float64Array([value]).buffer)),
  add: (a: Code, b: Code): Code => op(0xa0, a, b),
  sub: (a: Code, b: Code): Code => op(0xa1, a, b),
  mul: (a: Code, b: Code): Code => op(0xa2, a, b),
  div: (a: Code, b: Code): Code => op(0xa3, a, b),
  neg: (a: Code): Code => op(0x9a, a),
  lt: (a: Code, b: Code): Code => op(0x63, a, b),
  gt: (a: Code, b: Code): Code => op(0x64, a, b),
  /** The exact double of a signed 32-bit integer. */
  fromI32: (a: Code): Code => op(0xb7, a),
  /** 8-byte load from byte address `address + offset`. */
  load: (address: Code, offset = 0): Code => memoryOp(0x2b, 3, offset, address),
  /** 8-byte store of `value` at byte address `address + offset`. */
  store: (address: Code, value: Code, offset = 0): Code => memoryOp(0x39, 3, offset, address, value),
};

/** 32-bit float instructions (IEEE 754 single precision, round to nearest even). */
export const f32 = {
  add: (a: Code, b: Code): Code => op(0x92, a, b),
  mul: (a: Code, b: Code): Code => op(0x94, a, b),
  gt: (a: Code, b: Code): Code => op(0x5e, a, b),
  /** The exact double of a float. */
  promote: (a: Code): Code => op(0xbb, a),
  /** 4-byte load from byte address `address + offset`. */
  load: (address: Code, offset = 0): Code => memoryOp(0x2a, 2, offset, address),
  /** 4-byte store of `value` at byte address `address + offset`. */
  store: (address: Code, value: Code, offset = 0): Code => memoryOp(0x38, 2, offset, address, value),
  const:
    (value: number): Code =>
    (out) =>
      out.push(0x43, ...new Uint8Array(new Float32Array([value]).buffer)),
};

/** A SIMD instruction: its operands, the 0xfd prefix and the opcode (LEB128). */
const simdOp =
  (code: number, ...operands: Code[]): Code =>
  (out) => {
    for (const operand of operands) operand(out);
    out.push(0xfd, ...unsignedLeb(code));
  };
const simdMemoryOp =
  (code: number, align: number, offset: number, ...operands: Code[]): Code =>
  (out) => {
    for (const operand of operands) operand(out);
    out.push(0xfd, ...unsignedLeb(code), align, ...unsignedLeb(offset));
  };

/** 128-bit SIMD instructions on four f32 lanes (f32x4), two f64 lanes (f64x2) or raw bits (v128). */
export const v128 = {
  /** 16-byte load from byte address `address + offset` (no alignment required). */
  load: (address: Code, offset = 0): Code => simdMemoryOp(0x00, 0, offset, address),
  /** 8-byte load into the low lanes, the high lanes zero. */
  load64Zero: (address: Code, offset = 0): Code => simdMemoryOp(0x5d, 0, offset, address),
  store: (address: Code, value: Code, offset = 0): Code => simdMemoryOp(0x0b, 0, offset, address, value),
  and: (a: Code, b: Code): Code => simdOp(0x4e, a, b),
  f32x4Splat: (a: Code): Code => simdOp(0x13, a),
  f32x4Add: (a: Code, b: Code): Code => simdOp(0xe4, a, b),
  f32x4Mul: (a: Code, b: Code): Code => simdOp(0xe6, a, b),
  /** Lane-wise a > b: all ones where true, zero where false (NaN compares false). */
  f32x4Gt: (a: Code, b: Code): Code => simdOp(0x44, a, b),
  f64x2Add: (a: Code, b: Code): Code => simdOp(0xf0, a, b),
  /** The two low f32 lanes as exact f64 lanes. */
  f64x2PromoteLowF32x4: (a: Code): Code => simdOp(0x5f, a),
};

const sequence =
  (body: Code[]) =>
  (out: Emitter): void => {
    for (const code of body) code(out);
  };

/** A block: `br(label)` inside jumps to its end. */
export const block =
  (label: string, ...body: Code[]): Code =>
  (out) => {
    out.push(0x02, 0x40);
    out.enter(label);
    sequence(body)(out);
    out.leave();
    out.push(0x0b);
  };

/** A loop: `br(label)` inside jumps back to its start. */
export const loop =
  (label: string, ...body: Code[]): Code =>
  (out) => {
    out.push(0x03, 0x40);
    out.enter(label);
    sequence(body)(out);
    out.leave();
    out.push(0x0b);
  };

/** if (condition ≠ 0) then … else …. */
export const ifElse =
  (condition: Code, then: Code[], otherwise: Code[] = []): Code =>
  (out) => {
    condition(out);
    out.push(0x04, 0x40);
    out.enter('');
    sequence(then)(out);
    if (otherwise.length > 0) {
      out.push(0x05);
      sequence(otherwise)(out);
    }
    out.leave();
    out.push(0x0b);
  };

/** Jump to the end of block `label` (or the start of loop `label`). */
export const br =
  (label: string): Code =>
  (out) =>
    out.push(0x0c, ...unsignedLeb(out.depth(label)));
/** Jump as `br` when condition ≠ 0. */
export const brIf =
  (label: string, condition: Code): Code =>
  (out) => {
    condition(out);
    out.push(0x0d, ...unsignedLeb(out.depth(label)));
  };

/**
 * while (condition) { body }: `br(label + ':exit')` leaves the loop, `br(label)` starts the next
 * iteration.
 */
export const whileLoop = (label: string, condition: Code, ...body: Code[]): Code =>
  block(`${label}:exit`, loop(label, brIf(`${label}:exit`, i32.eqz(condition)), ...body, br(label)));

/** A function under construction: declare params and locals, then give its body. */
export class FunctionBuilder {
  private readonly params: Local[] = [];
  private readonly locals: Local[] = [];
  private count = 0;
  constructor(
    readonly name: string,
    readonly result: ValueType | null,
  ) {}
  param(name: string, type: ValueType): Local {
    if (this.locals.length > 0) throw new Error('wasm assembler: declare every param before the first local');
    const local = { name, type, index: this.count++ };
    this.params.push(local);
    return local;
  }
  local(name: string, type: ValueType): Local {
    const local = { name, type, index: this.count++ };
    this.locals.push(local);
    return local;
  }
  /** Function type bytes (params → result). */
  typeBytes(): number[] {
    const results = this.result ? [1, TYPE_CODE[this.result]] : [0];
    return [0x60, ...unsignedLeb(this.params.length), ...this.params.map((p) => TYPE_CODE[p.type]), ...results];
  }
  /** Code entry bytes: size, local declarations (one per local), body, end. */
  codeBytes(body: Code[]): number[] {
    const out = new Emitter();
    out.push(...unsignedLeb(this.locals.length));
    for (const local of this.locals) out.push(1, TYPE_CODE[local.type]);
    sequence(body)(out);
    out.push(0x0b);
    return [...unsignedLeb(out.bytes.length), ...out.bytes];
  }
}

function section(id: number, entries: number[][]): number[] {
  const content = [...unsignedLeb(entries.length), ...entries.flat()];
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = Array.from(Buffer.from(text, 'utf8'));
  return [...unsignedLeb(bytes.length), ...bytes];
}

/**
 * Bytes of a module importing `env.memory` (at least `minimumPages` 64 KiB pages) and exporting
 * the given functions under their names.
 */
export function assembleModule(functions: Array<{ builder: FunctionBuilder; body: Code[] }>, minimumPages = 1): Uint8Array {
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // magic, version 1
    ...section(
      1,
      functions.map((f) => f.builder.typeBytes()),
    ),
    ...section(2, [[...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(minimumPages)]]),
    ...section(
      3,
      functions.map((_, i) => unsignedLeb(i)),
    ),
    ...section(
      7,
      functions.map((f, i) => [...name(f.builder.name), 0x00, ...unsignedLeb(i)]),
    ),
    ...section(
      10,
      functions.map((f) => f.builder.codeBytes(f.body)),
    ),
  ];
  return Uint8Array.from(bytes);
}

/** The part of the WebAssembly JavaScript API used here (the project compiles without DOM types). */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}

/** Bytes in one page of WebAssembly memory. */
export const WASM_PAGE_BYTES = 65536;

/** A WebAssembly memory: its buffer (replaced when it grows) and how to grow it by whole pages. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled module (opaque). */
export type WasmModule = object;

/** Compiles module bytes (validation errors throw here). */
export function compileWasm(bytes: Uint8Array): WasmModule {
  return new WebAssembly.Module(bytes);
}

/** A memory of `initial` pages that may grow to `maximum` pages [65536: 4 GiB]. */
export function newWasmMemory(initial: number, maximum = 65536): WasmMemory {
  return new WebAssembly.Memory({ initial, maximum });
}

/** Instantiates a module built by {@link assembleModule} on `memory`; returns its exports. */
export function instantiateWasm(module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  return new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory } }).exports;
}
