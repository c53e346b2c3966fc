/**
 * Reading the exchange format: a directory of runs written by numpy (np.savez, float32) is read
 * and checked by readRunDirectory (headers, then every value streamed: finite, CRC-32), then every
 * snapshot is read as doubles (runSnapshotInputs, what the probe gets), against what a user would
 * do in numpy: np.load each file, grads.astype(float64), np.isfinite(...).all(). Same files, one
 * process each, best of 3, reported as a ratio. Needs /usr/bin/python3 with numpy (skipped otherwise).
 * EXCHANGE_BENCH_P sets the parameters per snapshot [100 000]; 8 runs × 51 snapshots.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRunDirectory } from '../lib/exchange/directory';
import { runSnapshotInputs } from '../lib/exchange/runFile';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const P = Number(process.env.EXCHANGE_BENCH_P ?? 100_000);
const RUNS = 8;
const T = 51;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-exchange-bench-'));
const write = spawnSync(
  PYTHON,
  [
    '-c',
    `import numpy as np, sys
for r in range(${RUNS}):
    P = ${P} + r  # one scale per run
    np.savez(f"{sys.argv[1]}/run{r}.npz", grads=np.random.default_rng(r).standard_normal((${T}, P), dtype=np.float32), epochs=np.arange(${T}) * 10, seed=0)`,
    dir,
  ],
  { encoding: 'utf8' },
);
if (write.status !== 0) {
  console.log(`skipped: ${PYTHON} with numpy is needed to write the files (${(write.stderr || String(write.error)).trim().split('\n').pop()})`);
  process.exit(0);
}
const bytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);

function ours(): number {
  const t0 = process.hrtime.bigint();
  const sweep = readRunDirectory(dir, { minScales: 2, onset: 'none' });
  let sum = 0;
  for (const run of sweep.runs) for (const s of runSnapshotInputs(run)) sum += s.values[0];
  if (!Number.isFinite(sum)) throw new Error('not finite');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const numpyScript = `import numpy as np, sys, os, time
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    for f in sorted(os.listdir(sys.argv[1])):
        g = np.load(os.path.join(sys.argv[1], f))["grads"].astype(np.float64)
        assert np.isfinite(g).all()
    best = min(best, time.perf_counter() - t0)
print(best * 1000)`;
const numpy = spawnSync(PYTHON, ['-c', numpyScript, dir], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
ours(); // warm-up
const times = [ours(), ours(), ours()];
const best = Math.min(...times);
const numpyMs = Number(numpy.stdout.trim());
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(`${RUNS} runs × ${T} snapshots × ~${P} float32 parameters (${(bytes / 2 ** 20).toFixed(0)} MiB of .npz):`);
console.log(
  `  readRunDirectory (check every value + CRC) + read every snapshot as doubles: ${best.toFixed(0)} ms (best of 3; ${((2 * bytes) / 2 ** 20 / (best / 1000)).toFixed(0)} MiB/s read)`,
);
console.log(`  numpy np.load + astype(float64) + isfinite:                               ${numpyMs.toFixed(0)} ms (best of 3)`);
console.log(
  `  ratio ours / numpy: ${(best / numpyMs).toFixed(2)} (ours reads the files twice: check, then the probe's read); resident memory ${rss.toFixed(0)} MiB`,
);
fs.rmSync(dir, { recursive: true, force: true });
