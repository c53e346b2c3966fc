/**
 * Seeded pseudo-random numbers shared by every stage (initialisation, graph generators,
 * synthetic nulls, bootstrap). One algorithm everywhere, so that "same config and seed →
 * identical bytes" holds across stages and machines.
 *
 * Generator: xoshiro128** (Blackman & Vigna), state seeded through splitmix32 so that nearby
 * integer seeds give unrelated streams. All arithmetic is 32-bit integer arithmetic with
 * `Math.imul`, which is exact and identical on every JavaScript engine.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = 0;
  private hasSpareNormal = false;

  /**
   * @param seed any integer (or a string key, hashed); streams for sub-tasks should be
   *   derived with {@link deriveSeed} rather than by adding small offsets.
   */
  constructor(seed: number | string) {
    let x = typeof seed === 'number' ? seedFromNumber(seed) : seedFromString(seed);
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is absorbing
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform double in the open interval (0, 1): safe inside a logarithm. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for n ≤ 2^32. */
  integer(n: number): number {
    if (!(n >= 1) || n > 4294967296 || !Number.isInteger(n)) throw new RangeError(`Random.integer: n must be an integer in 1 … 2^32, got ${n}`);
    if (n === 4294967296) return this.nextUint32();
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Standard normal deviate (Marsaglia polar method; the spare value is kept for the next call). */
  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    this.hasSpareNormal = true;
    return u * factor;
  }

  /** Exponential deviate with rate 1. */
  exponential(): number {
    return -Math.log(this.uniformOpen());
  }

  /** Gamma(shape, 1) deviate (Marsaglia & Tsang 2000; shape < 1 by the boosting identity). */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`Random.gamma: shape must be > 0, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniformOpen(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformOpen();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Student-t deviate with `df` degrees of freedom (normal / sqrt(chi² / df)). */
  studentT(df: number): number {
    const chiSquare = 2 * this.gamma(df / 2);
    return this.normal() / Math.sqrt(chiSquare / df);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A uniformly random permutation of 0 … n−1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function seedFromNumber(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`Random: seed must be a finite number, got ${seed}`);
  // Fold the high part of large integer seeds into 32 bits.
  const low = seed | 0;
  const high = Math.floor(seed / 4294967296) | 0;
  return (low ^ Math.imul(high, 0x27d4eb2d)) | 0;
}

function seedFromString(key: string): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * A seed for an independent sub-stream, derived from a base seed and any number of keys
 * (e.g. `deriveSeed(seed, 'graph', n)`), so that changing one stage's draws never shifts another's.
 */
export function deriveSeed(seed: number, ...keys: Array<string | number>): number {
  return seedFromString(`${seed}|${keys.join('|')}`) >>> 0;
}
