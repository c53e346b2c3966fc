import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { procStat } from '../../lib/store/owner';

const ROOT = path.join(__dirname, '..', '..', '..');
const HAS_NPX = spawnSync('npx', ['--version'], { encoding: 'utf8' }).status === 0 && fs.existsSync('/proc/self/stat');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Pids of the processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => Number(procStat(p)?.[1]) === pid);
}

function descendantsOf(pid: number): number[] {
  const children = childrenOf(pid);
  return [...children, ...children.flatMap(descendantsOf)];
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat[0] !== 'Z';
}

test('npx grokking-fss in a checkout runs the local build: nothing is installed into the npx cache', { skip: !HAS_NPX && 'needs npx and /proc' }, () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-npx-cache-'));
  const run = spawnSync('npx', ['grokking-fss', '--help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_cache: cache } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^usage: grokking-fss train/);
  assert.equal(fs.existsSync(path.join(cache, '_npx')), false, 'npx installed a copy of the package into its cache');
  fs.rmSync(cache, { recursive: true, force: true });
});

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`killing npx with ${signal} stops the trainer it launched`, { skip: !HAS_NPX && 'needs npx and /proc' }, async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-npx-kill-'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-npx-cache-'));
    const npx = spawn(
      'npx',
      ['grokking-fss', 'train', '--task', 'xor', '--scales', '200', '--seeds', '0', '--epochs', '1000000', '--workers', '1', '--store', store],
      {
        cwd: ROOT,
        stdio: 'ignore',
        detached: true,
        env: { ...process.env, npm_config_cache: cache },
      },
    );
    const started: number[] = [npx.pid!];
    try {
      // npx → sh → node: wait until the trainer runs (it has written its first checkpoint).
      let trainer = -1;
      for (let waited = 0; waited < 90_000 && trainer < 0; waited += 200) {
        await sleep(200);
        if (!fs.existsSync(path.join(store, 'train-checkpoints'))) continue;
        trainer = descendantsOf(npx.pid!).find((pid) => /grokking-fss\0train\0/.test(cmdline(pid))) ?? -1;
      }
      assert.ok(trainer > 0, 'the trainer never started');
      started.push(...descendantsOf(npx.pid!));
      process.kill(npx.pid!, signal);
      let stopped = false;
      for (let waited = 0; waited < 20_000 && !stopped; waited += 100) {
        await sleep(100);
        stopped = !alive(trainer);
      }
      assert.ok(stopped, `the trainer (pid ${trainer}) still runs after npx got ${signal}`);
    } finally {
      for (const pid of started) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      fs.rmSync(store, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
}
