/**
 * The probe's relaxation loop (steps 4–6 of runProbe) as a WebAssembly kernel, and the memory
 * it works in.
 *
 * Why WebAssembly: V8's optimised JavaScript re-checks every typed array's map and bounds at
 * every access inside the loop (and on large graphs, where random memory access dominates,
 * the extra instructions also leave fewer cache misses in flight). The same loop in
 * WebAssembly (addresses checked by guard pages, not per access) ran about twice as fast as the
 * best JavaScript version measured, and faster than a numba build of the rules
 * (`npm run bench -- probe`). WebAssembly is already required by the project (tfjs-wasm). Arithmetic is IEEE 754 double precision with
 * the same operations in the same order as the rule, so results are identical to the bit
 * (test/probe/fixtures.test.ts against an independent Python reference, and
 * test/probe/regression.test.ts).
 *
 * Memory traffic decides the speed, so the kernel keeps per-node state small:
 * - a queued node is marked by the sign of its load: it holds −F_j while queued (F_j > θ > 0;
 *   −a − s = −(a + s) exactly in IEEE arithmetic, so the loads are bit for bit those of the
 *   rule), so no flag is read per neighbour;
 * - the generation travels in the queue next to the node (sequential access);
 * - "already toppled in this avalanche" (for the area) is a bit set of N bits, small enough to
 *   stay in cache, cleared after each avalanche from the list of nodes it marked.
 */
import { InvalidOptionError } from '../util/errors';
import {
  assembleModule,
  br,
  brIf,
  Code,
  compileWasm,
  f64,
  FunctionBuilder,
  get,
  i32,
  ifElse,
  instantiateWasm,
  Local,
  newWasmMemory,
  set,
  tee,
  WasmMemory,
  WasmModule,
  whileLoop,
} from '../util/wasmAssembler';

/** What the relaxation returns (fresh arrays, one entry per avalanche in seed order). */
export interface Relaxation {
  avalancheCount: number;
  totalTopplings: number;
  totalDissipated: number;
  truncated: boolean;
  loadTransfers: number;
  sizes: Int32Array;
  areas: Int32Array;
  durations: Int32Array;
  seedNodes: Int32Array;
}

/** Neighbour updates per pass of the inner loop (1, 2 or 4; the order of updates is unchanged). */
const NEIGHBOUR_UNROLL = 2;

/**
 * The kernel: relax(pointers…, seedCount, threshold, alpha, maxTopplings) → avalanche count.
 * All pointers are byte addresses in the imported memory; see {@link ProbeMemory} for the layout.
 */
function relaxFunction(): { builder: FunctionBuilder; body: Code[] } {
  const fn = new FunctionBuilder('relax', 'i32');
  // Parameters: where everything lies in memory, and the rule's numbers.
  const offsets = fn.param('offsets', 'i32'); // Int32 [n + 1], CSR
  const neighbours = fn.param('neighbours', 'i32'); // Int32 [m], CSR
  const loads = fn.param('loads', 'i32'); // Float64 [n], updated in place
  const queue = fn.param('queue', 'i32'); // Int32 pairs (node, generation), ring of queueMask + 1 bytes
  const queueMask = fn.param('queueMask', 'i32'); // ring size in bytes − 1 (a power of two − 1)
  const toppled = fn.param('toppled', 'i32'); // bit set of n bits, all zero on entry and on exit
  const toppledList = fn.param('toppledList', 'i32'); // Int32 [n]
  const seeds = fn.param('seeds', 'i32'); // Int32 [seedCount], in seed order
  const seedCount = fn.param('seedCount', 'i32');
  const sizes = fn.param('sizes', 'i32'); // Int32 [seedCount] out, and the next three
  const areas = fn.param('areas', 'i32');
  const durations = fn.param('durations', 'i32');
  const seedNodes = fn.param('seedNodes', 'i32');
  const totals = fn.param('totals', 'i32'); // out: Float64 topplings, dissipated, transfers; Int32 truncated
  const threshold = fn.param('threshold', 'f64');
  const alpha = fn.param('alpha', 'f64');
  const maxTopplings = fn.param('maxTopplings', 'i32');
  // Locals (addresses are byte addresses; head and tail are byte offsets into the queue).
  const s = fn.local('s', 'i32');
  const seed = fn.local('seed', 'i32');
  const head = fn.local('head', 'i32');
  const tail = fn.local('tail', 'i32');
  const size = fn.local('size', 'i32');
  const area = fn.local('area', 'i32');
  const maxGeneration = fn.local('maxGeneration', 'i32');
  const node = fn.local('node', 'i32');
  const generation = fn.local('generation', 'i32');
  const start = fn.local('start', 'i32');
  const degree = fn.local('degree', 'i32');
  const at = fn.local('at', 'i32'); // address of the current neighbour index
  const stop = fn.local('stop', 'i32');
  const stopUnrolled = fn.local('stopUnrolled', 'i32');
  const j = fn.local('j', 'i32');
  const loadAt = fn.local('loadAt', 'i32');
  const next = fn.local('next', 'i32');
  const word = fn.local('word', 'i32');
  const bit = fn.local('bit', 'i32');
  const marks = fn.local('marks', 'i32');
  const count = fn.local('count', 'i32');
  const truncated = fn.local('truncated', 'i32');
  const a = fn.local('a', 'i32');
  const address = fn.local('address', 'i32');
  const e = fn.local('e', 'f64');
  const share = fn.local('share', 'f64');
  const old = fn.local('old', 'f64');
  const f = fn.local('f', 'f64');
  const k = fn.local('k', 'f64');
  const seedLoad = fn.local('seedLoad', 'f64');
  const totalTopplings = fn.local('totalTopplings', 'f64');
  const totalDissipated = fn.local('totalDissipated', 'f64');
  const loadTransfers = fn.local('loadTransfers', 'f64');

  // Address of element `index` of an Int32 / Float64 array at `base`; a queue offset's next pair.
  const int32At = (base: Local, index: Code): Code => i32.add(get(base), i32.shl(index, i32.const(2)));
  const float64At = (base: Local, index: Code): Code => i32.add(get(base), i32.shl(index, i32.const(3)));
  const advance = (offset: Local): Code => set(offset, i32.and(i32.add(get(offset), i32.const(8)), get(queueMask)));
  // One neighbour j = neighbours[at + byteOffset]: F_j += share; queue j when it crosses θ.
  const neighbourUpdate = (byteOffset: number): Code[] => [
    set(j, i32.load(get(at), byteOffset)),
    set(loadAt, float64At(loads, get(j))),
    ifElse(
      f64.lt(tee(old, f64.load(get(loadAt))), f64.const(0)),
      [f64.store(get(loadAt), f64.sub(get(old), get(share)))], // queued: −(F_j + share)
      [
        ifElse(
          f64.gt(tee(f, f64.add(get(old), get(share))), get(threshold)),
          [
            f64.store(get(loadAt), f64.neg(get(f))),
            set(address, i32.add(get(queue), get(tail))),
            i32.store(get(address), get(j)),
            i32.store(get(address), get(next), 4),
            advance(tail),
          ],
          [f64.store(get(loadAt), get(f))],
        ),
      ],
    ),
  ];

  const body: Code[] = [
    whileLoop(
      'seeds',
      i32.lt_s(get(s), get(seedCount)),
      set(seed, i32.load(int32At(seeds, get(s)))),
      set(s, i32.add(get(s), i32.const(1))),
      // Only a seed still above θ starts an avalanche: queue it (negative load), generation 0.
      set(address, float64At(loads, get(seed))),
      ifElse(f64.gt(tee(seedLoad, f64.load(get(address))), get(threshold)), [
        f64.store(get(address), f64.neg(get(seedLoad))),
        i32.store(get(queue), get(seed)),
        i32.store(get(queue), i32.const(0), 4),
        set(head, i32.const(0)),
        set(tail, i32.const(8)),
        set(size, i32.const(0)),
        set(area, i32.const(0)),
        set(maxGeneration, i32.const(0)),
        whileLoop(
          'avalanche',
          i32.ne(get(head), get(tail)),
          // Pop (node, generation); e = F_node, F_node = 0, one toppling.
          set(address, i32.add(get(queue), get(head))),
          set(node, i32.load(get(address))),
          set(generation, i32.load(get(address), 4)),
          advance(head),
          set(address, float64At(loads, get(node))),
          set(e, f64.neg(f64.load(get(address)))),
          f64.store(get(address), f64.const(0)),
          set(size, i32.add(get(size), i32.const(1))),
          // Area: count the node the first time it topples in this avalanche.
          set(word, i32.add(get(toppled), i32.shl(i32.shr_u(get(node), i32.const(5)), i32.const(2)))),
          set(bit, i32.shl(i32.const(1), get(node))), // shift count taken mod 32
          ifElse(i32.eqz(i32.and(tee(marks, i32.load(get(word))), get(bit))), [
            i32.store(get(word), i32.or(get(marks), get(bit))),
            i32.store(int32At(toppledList, get(area)), get(node)),
            set(area, i32.add(get(area), i32.const(1))),
          ]),
          ifElse(i32.gt_s(get(generation), get(maxGeneration)), [set(maxGeneration, get(generation))]),
          // Neighbours, ascending: F_j += (α·e)/k, queue j when it crosses θ.
          set(address, int32At(offsets, get(node))),
          set(start, i32.load(get(address))),
          set(degree, i32.sub(i32.load(get(address), 4), get(start))),
          ifElse(
            i32.gt_s(get(degree), i32.const(0)),
            [
              set(k, f64.fromI32(get(degree))),
              set(share, f64.div(f64.mul(get(alpha), get(e)), get(k))),
              set(totalDissipated, f64.add(get(totalDissipated), f64.sub(get(e), f64.mul(get(k), get(share))))),
              set(loadTransfers, f64.add(get(loadTransfers), get(k))),
              set(next, i32.add(get(generation), i32.const(1))),
              set(at, int32At(neighbours, get(start))),
              set(stop, i32.add(get(at), i32.shl(get(degree), i32.const(2)))),
              // Unrolled by NEIGHBOUR_UNROLL (fewer loop checks per update), then the remainder.
              set(stopUnrolled, i32.sub(get(stop), i32.const(4 * (NEIGHBOUR_UNROLL - 1)))),
              whileLoop(
                'neighbours',
                i32.lt_u(get(at), get(stopUnrolled)),
                ...Array.from({ length: NEIGHBOUR_UNROLL }, (_, u) => neighbourUpdate(4 * u)).flat(),
                set(at, i32.add(get(at), i32.const(4 * NEIGHBOUR_UNROLL))),
              ),
              whileLoop('remainder', i32.lt_u(get(at), get(stop)), ...neighbourUpdate(0), set(at, i32.add(get(at), i32.const(4)))),
            ],
            [set(totalDissipated, f64.add(get(totalDissipated), get(e)))], // degree 0: all of e
          ),
          ifElse(i32.ge_s(get(size), get(maxTopplings)), [set(truncated, i32.const(1)), br('avalanche:exit')]),
        ),
        // Truncated: the nodes left in the queue get their loads' sign back.
        whileLoop(
          'restore',
          i32.ne(get(head), get(tail)),
          set(address, float64At(loads, i32.load(i32.add(get(queue), get(head))))),
          f64.store(get(address), f64.neg(f64.load(get(address)))),
          advance(head),
        ),
        // Clear the bit set for the next avalanche.
        set(a, i32.const(0)),
        whileLoop(
          'clear',
          i32.lt_s(get(a), get(area)),
          i32.store(i32.add(get(toppled), i32.shl(i32.shr_u(i32.load(int32At(toppledList, get(a))), i32.const(5)), i32.const(2))), i32.const(0)),
          set(a, i32.add(get(a), i32.const(1))),
        ),
        i32.store(int32At(sizes, get(count)), get(size)),
        i32.store(int32At(areas, get(count)), get(area)),
        i32.store(int32At(durations, get(count)), i32.add(get(maxGeneration), i32.const(1))),
        i32.store(int32At(seedNodes, get(count)), get(seed)),
        set(count, i32.add(get(count), i32.const(1))),
        set(totalTopplings, f64.add(get(totalTopplings), f64.fromI32(get(size)))),
        brIf('seeds:exit', get(truncated)),
      ]),
    ),
    f64.store(get(totals), get(totalTopplings)),
    f64.store(get(totals), get(totalDissipated), 8),
    f64.store(get(totals), get(loadTransfers), 16),
    i32.store(get(totals), get(truncated), 24),
    get(count),
  ];
  return { builder: fn, body };
}

type RelaxExport = (...args: number[]) => number;

let compiled: WasmModule | null = null;
function kernelModule(): WasmModule {
  if (!compiled) compiled = compileWasm(assembleModule([relaxFunction()]));
  return compiled;
}

const PAGE = 65536;
/** WebAssembly (32-bit) memories hold at most 2^16 pages of 64 KiB. */
const MAX_BYTES = 65536 * PAGE;

/**
 * Graphs that nobody can modify (built and held by the batch's GraphCache, never handed out):
 * their CSR arrays may stay in kernel memory from one probe to the next instead of being
 * copied in again. Any other graph is copied in at every probe.
 */
const sealedGraphs = new WeakSet<object>();

/** Marks a graph as never modified from now on (see {@link sealedGraphs}); for internal owners only. */
export function sealGraph(graph: object): void {
  sealedGraphs.add(graph);
}

/** A kernel instance and its memory. */
interface Kernel {
  memory: WasmMemory;
  relax: RelaxExport;
  /** The last layout made in this memory (reused while n, m and the buffer are the same). */
  last: ProbeMemory | null;
}

/**
 * The kernel's memory for one probe of n nodes and m neighbour entries, and typed views on
 * it. Layout (byte offsets, 8-aligned): offsets, neighbours, loads, scratch (the copy that the
 * selection of θ reorders), queue, toppled bits, toppled list, seeds, sizes, areas, durations,
 * seed nodes, totals. One memory per thread is kept between probes up to
 * {@link ProbeMemory.KEEP_BYTES}; a larger probe gets a memory of its own, dropped afterwards.
 * Views stay valid until the next {@link ProbeMemory.forProbe} of this thread.
 */
export class ProbeMemory {
  /** Largest memory kept for later probes (≈ 8·10^5 nodes on a graph of mean degree 6). */
  static readonly KEEP_BYTES = 64 * 2 ** 20;
  private static kept: Kernel | null = null;

  /** Loads (node order), where step 1 writes them and the relaxation updates them. */
  readonly loads: Float64Array;
  /** Scratch of n doubles for the selection of θ. */
  readonly scratch: Float64Array;
  /** Room for n seed indices. */
  readonly seeds: Int32Array;
  private readonly offsets: Int32Array;
  private readonly neighbours: Int32Array;
  private readonly toppled: Int32Array;
  private readonly sizes: Int32Array;
  private readonly areas: Int32Array;
  private readonly durations: Int32Array;
  private readonly seedNodes: Int32Array;
  private readonly totals: Float64Array;
  private readonly truncatedFlag: Int32Array;
  /** Kernel arguments before seedCount, and from sizes to totals (byte addresses). */
  private readonly head: number[];
  private readonly tail: number[];
  /** The sealed graph whose CSR arrays are in this layout's offsets and neighbours, if any. */
  private graphInMemory: object | null = null;

  private constructor(
    readonly n: number,
    readonly m: number,
    readonly buffer: ArrayBuffer,
    private readonly relaxExport: RelaxExport,
  ) {
    let pairs = 1;
    while (pairs <= n) pairs *= 2; // > n pairs: head = tail only when the queue is empty
    const queueBytes = 8 * pairs;
    const at = ProbeMemory.layout(n, m);
    this.offsets = new Int32Array(buffer, at.offsets, n + 1);
    this.neighbours = new Int32Array(buffer, at.neighbours, m);
    this.loads = new Float64Array(buffer, at.loads, n);
    this.scratch = new Float64Array(buffer, at.loads + 8 * n, n);
    this.toppled = new Int32Array(buffer, at.toppled, Math.ceil(n / 32));
    this.seeds = new Int32Array(buffer, at.seeds, n);
    this.sizes = new Int32Array(buffer, at.sizes, n);
    this.areas = new Int32Array(buffer, at.areas, n);
    this.durations = new Int32Array(buffer, at.durations, n);
    this.seedNodes = new Int32Array(buffer, at.seedNodes, n);
    this.totals = new Float64Array(buffer, at.totals, 3);
    this.truncatedFlag = new Int32Array(buffer, at.totals + 24, 1);
    this.head = [at.offsets, at.neighbours, at.loads, at.queue, queueBytes - 1, at.toppled, at.toppledList, at.seeds];
    this.tail = [at.sizes, at.areas, at.durations, at.seedNodes, at.totals];
  }

  /** Byte offsets of every region, and the total, for n nodes and m neighbour entries. */
  private static layout(
    n: number,
    m: number,
  ): Record<
    'offsets' | 'neighbours' | 'loads' | 'queue' | 'toppled' | 'toppledList' | 'seeds' | 'sizes' | 'areas' | 'durations' | 'seedNodes' | 'totals' | 'bytes',
    number
  > {
    let pairs = 1;
    while (pairs <= n) pairs *= 2;
    const align = (x: number) => Math.ceil(x / 8) * 8;
    const neighbours = align(4 * (n + 1));
    const loads = align(neighbours + 4 * m);
    const queue = loads + 16 * n; // loads, then scratch
    const toppled = queue + 8 * pairs;
    const toppledList = align(toppled + 4 * Math.ceil(n / 32));
    const seeds = toppledList + 4 * n;
    const sizes = seeds + 4 * n;
    const areas = sizes + 4 * n;
    const durations = areas + 4 * n;
    const seedNodes = durations + 4 * n;
    const totals = align(seedNodes + 4 * n);
    return { offsets: 0, neighbours, loads, queue, toppled, toppledList, seeds, sizes, areas, durations, seedNodes, totals, bytes: totals + 32 };
  }

  /**
   * Memory laid out for a probe of n nodes and m neighbour entries (the kept one, grown if
   * needed, or a new one for a very large probe).
   * @throws InvalidOptionError when the probe needs more than the 4 GiB a memory can hold
   */
  static forProbe(n: number, m: number): ProbeMemory {
    const kept = ProbeMemory.kept;
    const last = kept?.last;
    if (last && last.n === n && last.m === m && last.buffer === kept!.memory.buffer) return last;
    const bytes = ProbeMemory.layout(n, m).bytes;
    if (bytes > MAX_BYTES) {
      throw new InvalidOptionError(
        'probe.graph',
        `a probe of ${n} nodes and ${m / 2} edges needs ${(bytes / 2 ** 30).toFixed(1)} GiB of kernel memory, more than the 4 GiB a WebAssembly memory holds`,
      );
    }
    const pages = Math.ceil(bytes / PAGE);
    let kernel: Kernel;
    try {
      if (bytes > ProbeMemory.KEEP_BYTES) {
        kernel = instantiate(pages);
      } else if (!kept) {
        kernel = ProbeMemory.kept = instantiate(pages);
      } else {
        kernel = kept;
        if (kernel.memory.buffer.byteLength < bytes) kernel.memory.grow(pages - kernel.memory.buffer.byteLength / PAGE);
      }
    } catch (error) {
      throw new InvalidOptionError(
        'probe.graph',
        `a probe of ${n} nodes and ${m / 2} edges needs ${(bytes / 2 ** 20).toFixed(0)} MiB of kernel memory, which could not be allocated (${(error as Error).message})`,
      );
    }
    const memory = new ProbeMemory(n, m, kernel.memory.buffer, kernel.relax);
    kernel.last = memory;
    return memory;
  }

  /**
   * Steps 4–6 on the loads in {@link loads} and the first `seedCount` entries of
   * {@link seeds}: copies the graph in, runs the kernel, copies the per-avalanche results out.
   */
  relax(graph: { offsets: Int32Array; neighbours: Int32Array }, seedCount: number, threshold: number, alpha: number, maxTopplings: number): Relaxation {
    if (graph !== this.graphInMemory || !sealedGraphs.has(graph)) {
      this.offsets.set(graph.offsets);
      this.neighbours.set(graph.neighbours);
      this.graphInMemory = sealedGraphs.has(graph) ? graph : null;
    }
    this.toppled.fill(0);
    const count = this.relaxExport(...this.head, seedCount, ...this.tail, threshold, alpha, maxTopplings);
    return {
      avalancheCount: count,
      totalTopplings: this.totals[0],
      totalDissipated: this.totals[1],
      loadTransfers: this.totals[2],
      truncated: this.truncatedFlag[0] === 1,
      sizes: this.sizes.slice(0, count),
      areas: this.areas.slice(0, count),
      durations: this.durations.slice(0, count),
      seedNodes: this.seedNodes.slice(0, count),
    };
  }
}

function instantiate(pages: number): Kernel {
  const memory = newWasmMemory(pages);
  const exports = instantiateWasm(kernelModule(), memory);
  return { memory, relax: exports.relax as unknown as RelaxExport, last: null };
}
