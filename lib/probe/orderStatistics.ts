/**
 * Order statistics on typed arrays without a full sort: the threshold needs two adjacent
 * order statistics of N loads (O(N) by selection instead of O(N log N) by sorting), and the
 * seeds need a strict total order (descending load, ascending index), done by a stable
 * radix sort on the IEEE-754 bits. Both give exactly what a full sort would.
 */

/**
 * Rearranges `a` so that a[k] holds the k-th smallest value (0-based), everything before it
 * is ≤ a[k] and everything after is ≥ a[k] (quickselect with median-of-three pivots; falls
 * back to sorting a range that stops shrinking fast). Values must not be NaN.
 * @returns a[k]
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (hi - lo < 16 || budget-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    // Median of three as pivot.
    const mid = (lo + hi) >>> 1;
    let x = a[lo];
    let y = a[mid];
    let z = a[hi];
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    // Hoare partition.
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and lo..j, j+1..i−1 (all = pivot), i..hi.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The k-th and (k+1)-th smallest values of `values` (k+1 clipped to the last index), exactly
 * as a full ascending sort would give them. `scratch` (same length) is overwritten.
 */
export function adjacentOrderStatistics(values: Float64Array, k: number, scratch: Float64Array): [number, number] {
  scratch.set(values);
  const a = selectKth(scratch, k);
  if (k + 1 >= scratch.length) return [a, a];
  let b = Infinity;
  for (let i = k + 1; i < scratch.length; i++) if (scratch[i] < b) b = scratch[i];
  return [a, b];
}

/**
 * Indices of `keys` (all ≥ 0, finite) listed by descending key, ties by ascending index:
 * stable least-significant-digit radix sort on the complemented IEEE-754 bit pattern
 * (for non-negative doubles, bit order = numeric order). `indices` must arrive in ascending
 * order; it is sorted in place. O(8·(n + 256)).
 */
export function sortIndicesByDescendingKey(indices: Int32Array, keys: Float64Array): void {
  const n = indices.length;
  if (n < 2) return;
  // Complemented key halves per position in `indices` (a descending key = ascending complement).
  const bits = new Uint32Array(new Float64Array(1).buffer);
  const little = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
  const loIndex = little ? 0 : 1;
  const hiIndex = 1 - loIndex;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx: Int32Array = indices;
  const f = new Float64Array(bits.buffer);
  for (let p = 0; p < n; p++) {
    f[0] = keys[indices[p]];
    lo[p] = ~bits[loIndex] >>> 0;
    hi[p] = ~bits[hiIndex] >>> 0;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2: Int32Array = new Int32Array(n);
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? lo : hi;
    const shift = (pass % 4) * 8;
    count.fill(0);
    for (let p = 0; p < n; p++) count[(word[p] >>> shift) & 255]++;
    if (count[(word[0] >>> shift) & 255] === n) continue; // all equal in this digit
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let p = 0; p < n; p++) {
      const d = (word[p] >>> shift) & 255;
      const q = count[d]++;
      lo2[q] = lo[p];
      hi2[q] = hi[p];
      idx2[q] = idx[p];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  if (idx !== indices) indices.set(idx);
}
