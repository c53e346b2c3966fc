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
    if (hi - lo < 16) {
      insertionSort(a, lo, hi);
      return a[k];
    }
    if (budget-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    // Median of three as pivot.
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
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

/** Sorts a[lo..hi] (inclusive) ascending in place; for short ranges. */
function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
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
 * Up to this many indices a merge sort (random key lookups, but few and in cache) beats the
 * radix sort's 8 passes over 256 buckets; above it the radix sort's sequential passes win.
 */
const MERGE_SORT_MAX = 4096;
/** Runs of this length are insertion-sorted before merging. */
const RUN = 32;

/**
 * Indices of `keys` (all ≥ 0, finite, no −0) listed by descending key, ties by ascending index.
 * Up to {@link MERGE_SORT_MAX} indices: stable merge sort (insertion-sorted runs, then
 * bottom-up merges). Beyond: stable least-significant-digit radix sort on the complemented
 * IEEE-754 bit pattern (for non-negative doubles, bit order = numeric order), O(8·(n + 256)).
 * Scratch memory is kept between calls. `indices` must arrive in ascending order; it is
 * sorted in place.
 */
export function sortIndicesByDescendingKey(indices: Int32Array, keys: Float64Array): void {
  const n = indices.length;
  if (n < 2) return;
  const scratch = SortScratch.forLength(n);
  if (n <= MERGE_SORT_MAX) mergeSortDescending(indices, keys, scratch.indices2);
  else radixSortDescending(indices, keys, scratch);
}

/** a goes before b: larger key, or equal key and smaller index. */
function before(a: number, keyA: number, b: number, keyB: number): boolean {
  return keyA > keyB || (keyA === keyB && a < b);
}

function mergeSortDescending(indices: Int32Array, keys: Float64Array, buffer: Int32Array): void {
  const n = indices.length;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = lo + RUN < n ? lo + RUN : n;
    for (let a = lo + 1; a < hi; a++) {
      const index = indices[a];
      const key = keys[index];
      let b = a - 1;
      while (b >= lo) {
        const other = indices[b];
        if (before(other, keys[other], index, key)) break;
        indices[b + 1] = other;
        b--;
      }
      indices[b + 1] = index;
    }
  }
  let from = indices;
  let to = buffer;
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + 2 * width < n ? lo + 2 * width : n;
      let i = lo;
      let j = mid;
      let out = lo;
      if (j < hi) {
        let left = from[i];
        let right = from[j];
        let leftKey = keys[left];
        let rightKey = keys[right];
        for (;;) {
          if (before(right, rightKey, left, leftKey)) {
            to[out++] = right;
            if (++j === hi) break;
            right = from[j];
            rightKey = keys[right];
          } else {
            to[out++] = left;
            if (++i === mid) break;
            left = from[i];
            leftKey = keys[left];
          }
        }
      }
      while (i < mid) to[out++] = from[i++];
      while (j < hi) to[out++] = from[j++];
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== indices) indices.set(from.subarray(0, n));
}

/** Buffers of the sorts, kept between calls up to 2^20 entries (20 MiB). */
class SortScratch {
  private static kept: SortScratch | null = null;
  readonly words: Uint32Array; // complemented key halves, (low, high) per entry, and a second copy
  readonly words2: Uint32Array;
  readonly indices2: Int32Array;
  readonly count = new Int32Array(256);
  readonly key = new Float64Array(1);
  readonly keyBits = new Uint32Array(this.key.buffer);
  private constructor(readonly capacity: number) {
    this.words = new Uint32Array(2 * capacity);
    this.words2 = new Uint32Array(2 * capacity);
    this.indices2 = new Int32Array(capacity);
  }
  static forLength(n: number): SortScratch {
    const kept = SortScratch.kept;
    if (kept && kept.capacity >= n) return kept;
    const scratch = new SortScratch(n);
    if (n <= 1 << 20) SortScratch.kept = scratch;
    return scratch;
  }
}

/** True on little-endian machines (the low word of a double comes first). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function radixSortDescending(indices: Int32Array, keys: Float64Array, scratch: SortScratch): void {
  const n = indices.length;
  const { count, key, keyBits } = scratch;
  const loIndex = LITTLE_ENDIAN ? 0 : 1;
  const hiIndex = 1 - loIndex;
  // Complemented key halves per position (a descending key = ascending complement).
  let words = scratch.words;
  let words2 = scratch.words2;
  let idx: Int32Array = indices;
  let idx2: Int32Array = scratch.indices2;
  for (let p = 0; p < n; p++) {
    key[0] = keys[indices[p]];
    words[2 * p] = ~keyBits[loIndex] >>> 0;
    words[2 * p + 1] = ~keyBits[hiIndex] >>> 0;
  }
  for (let pass = 0; pass < 8; pass++) {
    const half = pass < 4 ? 0 : 1;
    const shift = (pass % 4) * 8;
    count.fill(0);
    for (let p = 0; p < n; p++) count[(words[2 * p + half] >>> shift) & 255]++;
    if (count[(words[half] >>> shift) & 255] === n) continue; // all equal in this digit
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let p = 0; p < n; p++) {
      const q = count[(words[2 * p + half] >>> shift) & 255]++;
      words2[2 * q] = words[2 * p];
      words2[2 * q + 1] = words[2 * p + 1];
      idx2[q] = idx[p];
    }
    [words, words2] = [words2, words];
    [idx, idx2] = [idx2, idx];
  }
  if (idx !== indices) indices.set(idx.subarray(0, n));
}
