/**
 * Driver of the compiled probe reference (bench/probe_numba.py) for the probe benchmark: one
 * long-lived Python process, so that numba compiles once and each timed call is a warm one.
 * The graph and values travel as raw little-endian files in a temp folder.
 */
import { ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Graph } from '../lib/graphs/graph';
import { ResolvedProbeOptions } from '../lib/probe/options';
import { ProbeResult } from '../lib/probe/runProbe';

/** The Python with numpy/numba: GROKFSS_PYTHON, else Debian's /usr/bin/python3, else python3. */
function pythonExecutable(): string {
  if (process.env.GROKFSS_PYTHON) return process.env.GROKFSS_PYTHON;
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** The script lives in the source tree (bench/), the compiled bench runs from build/bench. */
const SCRIPT = path.resolve(__dirname, '../../bench/probe_numba.py');

export class NumbaReference {
  private lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  private folder = '';

  private constructor(
    /** True when python3 with numba started. */
    readonly available: boolean,
    /** Versions when available, the reason when not. */
    readonly reason: string,
    private readonly child: ChildProcessByStdio<Writable, Readable, null> | null,
  ) {
    if (!child) return;
    const reader = readline.createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) waiting.resolve(line);
      else this.lines.push(line);
    });
    child.on('exit', (code) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(new Error(`numba reference exited (code ${code})`));
    });
  }

  /** Starts the reference process, or returns an unavailable one saying why. */
  static async start(): Promise<NumbaReference> {
    const python = pythonExecutable();
    const probe = spawnSync(python, ['-c', 'import numba, numpy; print(numba.__version__, numpy.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) return new NumbaReference(false, `${python} cannot import numba`, null);
    const [numba, numpy] = probe.stdout.trim().split(' ');
    const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new NumbaReference(true, `${python}, numba ${numba}, numpy ${numpy}`, child);
  }

  private ask(command: string): Promise<string> {
    const answer = new Promise<string>((resolve, reject) => {
      const queued = this.lines.shift();
      if (queued !== undefined) return resolve(queued);
      this.waiting = { resolve, reject };
    });
    this.child!.stdin.write(`${command}\n`);
    return answer;
  }

  /**
   * Hands the graph, values and options to the reference and runs it once (this first call
   * includes numba's compile time on the first workload). @returns the first call's ms
   */
  async load(graph: Graph, values: Float64Array, options: ResolvedProbeOptions): Promise<number> {
    if (options.mapping !== 'identity') throw new Error("the numba reference implements mapping 'identity' only");
    if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
    this.folder = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-bench-probe-'));
    const write = (name: string, a: ArrayBufferView): void =>
      fs.writeFileSync(path.join(this.folder, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    write('offsets.i32', graph.offsets);
    write('neighbours.i32', graph.neighbours);
    write('values.f64', values);
    fs.writeFileSync(path.join(this.folder, 'params.json'), JSON.stringify(options));
    const answer = await this.ask(`load ${this.folder}`);
    if (!answer.startsWith('ready ')) throw new Error(`numba reference: ${answer}`);
    return Number(answer.slice(6));
  }

  /** Times one more warm call on the loaded input: wall and process CPU time, in ms. */
  async time(): Promise<{ wall: number; cpu: number }> {
    const answer = await this.ask('run');
    if (!answer.startsWith('ms ')) throw new Error(`numba reference: ${answer}`);
    const [wall, cpu] = answer.slice(3).split(' ').map(Number);
    return { wall, cpu };
  }

  /** Compares the reference's outputs of the last load with ours; null when identical in every bit. */
  compare(ours: ProbeResult): string | null {
    const read = (name: string): Buffer => fs.readFileSync(path.join(this.folder, name));
    const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const scalars = read('scalars.f64');
    const result = JSON.parse(read('result.json').toString('utf8')) as { totalTopplings: number; truncated: boolean; loadTransfers: number };
    const checks: Array<[string, boolean]> = [
      ['threshold, initial load, dissipated load', scalars.equals(bytes(Float64Array.from([ours.threshold, ours.initialLoad, ours.totalDissipated])))],
      ['S_total', result.totalTopplings === ours.totalTopplings],
      ['truncated', result.truncated === ours.truncated],
      ['load transfers', result.loadTransfers === ours.loadTransfers],
      ['avalanche sizes', read('sizes.i32').equals(bytes(ours.sizes))],
      ['areas', read('areas.i32').equals(bytes(ours.areas))],
      ['durations', read('durations.i32').equals(bytes(ours.durations))],
      ['seed nodes', read('seeds.i32').equals(bytes(ours.seedNodes))],
      ['final loads', read('loads.f64').equals(bytes(ours.loads))],
    ];
    const failed = checks.filter(([, ok]) => !ok).map(([name]) => name);
    return failed.length === 0 ? null : `differs in ${failed.join(', ')}`;
  }

  /** Stops the process and removes the temp folder. */
  close(): void {
    if (this.child) {
      this.child.stdin.end('quit\n');
      this.child.kill();
    }
    if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
  }
}
