/**
 * Every bad input of the exchange format is refused before any work, with a message naming the
 * file (and the array, and the first bad index), and nothing is written: not by the library, not
 * by `grokking-fss analyze` (no store entry, no JSON, no figures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunDirectory } from '../../lib/exchange/directory';
import { ExchangeFileError } from '../../lib/exchange/arrays';
import { importedRunsAnalysis } from '../../lib/analysis/importedRuns';
import { analysisPlan } from '../../lib/analysis/plan';
import { InvalidOptionError } from '../../lib/util/errors';
import { f64, i64, runArrays, runDirectory, tempDir, writeRun } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

type Case = {
  name: string;
  /** Spoils a valid directory (3 scales × 2 seeds, P = 40, 80, 160); returns the file the message must name. */
  spoil: (dir: string) => string;
  message: RegExp;
  options?: Parameters<typeof readRunDirectory>[1];
};

/** Replaces arrays of one run of the directory. */
function edit(dir: string, P: number, seed: number, change: (arrays: ReturnType<typeof runArrays>) => void): string {
  const arrays = runArrays(P, seed);
  change(arrays);
  return writeRun(dir, `run-P${P}-s${seed}.npz`, arrays);
}

function withValue(P: number, t: number, p: number, value: number) {
  return (a: ReturnType<typeof runArrays>) => {
    const values = Float64Array.from((a.grads as { values: ArrayLike<number> }).values);
    values[t * P + p] = value;
    a.grads = f64([6, P], values);
  };
}

const CASES: Case[] = [
  {
    name: 'NaN in grads',
    spoil: (d) => edit(d, 80, 1, withValue(80, 3, 17, NaN)),
    message: /array 'grads': entry \[3, 17\] \(snapshot 3, parameter 17\) is NaN/,
  },
  {
    name: 'NaN in float32 grads',
    spoil: (d) =>
      edit(d, 160, 0, (a) => {
        const values = new Float64Array(6 * 160).fill(0.5);
        values[4 * 160 + 100] = NaN;
        a.grads = { kind: 'f', size: 4, shape: [6, 160], values };
      }),
    message: /array 'grads': entry \[4, 100\] .* is NaN/,
  },
  { name: 'Inf in grads', spoil: (d) => edit(d, 40, 0, withValue(40, 0, 39, -Infinity)), message: /array 'grads': entry \[0, 39\] .* is -Infinity/ },
  {
    name: 'NaN in params when they are probed',
    spoil: (d) =>
      edit(d, 160, 0, (a) => {
        const values = new Float64Array(6 * 160);
        values[5 * 160 + 2] = NaN;
        a.params = f64([6, 160], values);
      }),
    message: /array 'params': entry \[5, 2\]/,
    options: { quantity: 'parameter' },
  },
  { name: 'no grads', spoil: (d) => edit(d, 40, 1, (a) => delete a.grads), message: /has no array 'grads'/ },
  {
    name: '1-D grads',
    spoil: (d) => edit(d, 40, 1, (a) => (a.grads = f64([40], new Float64Array(40)))),
    message: /array 'grads': has shape \[40\]; it must be 2-D/,
  },
  {
    name: 'integer grads',
    spoil: (d) => edit(d, 40, 1, (a) => (a.grads = i64([6, 40], new Float64Array(240)))),
    message: /array 'grads': has dtype <i8; gradients must be float32 or float64/,
  },
  {
    name: 'one snapshot',
    spoil: (d) =>
      edit(d, 80, 0, (a) => {
        a.grads = f64([1, 80], new Float64Array(80));
        a.epochs = i64([1], [0]);
      }),
    message: /array 'grads': has 1 snapshot\(s\); at least 2 are needed/,
  },
  {
    name: 'epochs of the wrong length',
    spoil: (d) => edit(d, 80, 0, (a) => (a.epochs = i64([5], [0, 1, 2, 3, 4]))),
    message: /array 'epochs': has shape \[5\]; it must be 1-D with 6 entries/,
  },
  {
    name: 'epochs not increasing',
    spoil: (d) => edit(d, 80, 0, (a) => (a.epochs = i64([6], [0, 10, 20, 20, 30, 40]))),
    message: /array 'epochs': must increase strictly: entry 3 \(20\) follows 20/,
  },
  {
    name: 'float epochs',
    spoil: (d) => edit(d, 80, 0, (a) => (a.epochs = f64([6], [0, 1, 2, 3, 4, 5]))),
    message: /array 'epochs': has dtype <f8; it must hold integers/,
  },
  {
    name: 'params of another shape',
    spoil: (d) => edit(d, 80, 0, (a) => (a.params = f64([6, 79], new Float64Array(6 * 79)))),
    message: /array 'params': has shape \[6, 79\]; it must match grads, \[6, 80\]/,
  },
  { name: 'accuracies without acc_epochs', spoil: (d) => edit(d, 80, 0, (a) => delete a.acc_epochs), message: /has train_acc but no 'acc_epochs'/ },
  {
    name: 'accuracies in percent',
    spoil: (d) => edit(d, 80, 0, (a) => (a.train_acc = f64([11], new Array(11).fill(50)))),
    message: /array 'train_acc': entry 0 is 50; accuracies must be fractions in \[0, 1\]/,
  },
  {
    name: 'accuracy of the wrong length',
    spoil: (d) => edit(d, 80, 0, (a) => (a.test_acc = f64([10], new Array(10).fill(1)))),
    message: /array 'test_acc': has shape \[10\]; it must be 1-D with 11 entries, one per acc_epochs/,
  },
  { name: 'a non-integer seed', spoil: (d) => edit(d, 80, 0, (a) => (a.seed = f64([], [1.5]))), message: /array 'seed': must be an integer scalar/ },
  {
    name: 'a layout of the wrong size',
    spoil: (d) => edit(d, 80, 0, (a) => (a.layout = { kind: 'U', text: '[["w", [10, 7]]]' })),
    message: /array 'layout': describes 70 parameters, but grads has P = 80/,
  },
  {
    name: 'a layout that is not JSON',
    spoil: (d) => edit(d, 80, 0, (a) => (a.layout = { kind: 'U', text: '[w: 80]' })),
    message: /array 'layout': is not JSON/,
  },
  {
    name: 'inconsistent P within a scale',
    spoil: (d) => edit(d, 80, 1, (a) => ((a.grads = f64([6, 81], new Float64Array(6 * 81))), (a.n_params = i64([], [80])))),
    message: /array 'grads': has P = 81 parameters per snapshot, but .*run-P80-s0.npz of the same scale N = 80 has P = 80/,
  },
  {
    name: 'one P with two n_params',
    spoil: (d) => edit(d, 160, 1, (a) => (a.n_params = i64([], [1000]))),
    message: /array 'n_params': is 1000, but .*run-P160-s0.npz with the same P = 160 has n_params 160/,
  },
  {
    name: 'two runs with one seed',
    spoil: (d) => edit(d, 40, 1, (a) => (a.seed = i64([], [0]))),
    message: /array 'seed': is 0, as in .*run-P40-s0.npz of the same scale N = 40/,
  },
  {
    name: 'a truncated file',
    spoil: (d) => {
      const file = path.join(d, 'run-P80-s0.npz');
      fs.truncateSync(file, 500);
      return file;
    },
    message: /is not a ZIP archive/,
  },
  {
    name: 'a damaged file (CRC-32)',
    spoil: (d) => {
      const file = path.join(d, 'run-P160-s1.npz');
      const bytes = fs.readFileSync(file);
      bytes[400] ^= 0x01; // inside grads' data
      fs.writeFileSync(file, bytes);
      return file;
    },
    message: /CRC-32/,
  },
  // Files are read in name order: run-P160-s0.npz is the first without test_acc.
  {
    name: "onset 'test' without test_acc",
    spoil: (d) => path.join(d, 'run-P160-s0.npz'),
    message: /has no test_acc, which onset 'test' needs in every run/,
    options: { onset: 'test' },
  },
];

for (const c of CASES) {
  test(`refused: ${c.name} (the message names the file)`, () => {
    const dir = runDirectory('refuse');
    const file = c.spoil(dir);
    assert.throws(
      () => readRunDirectory(dir, c.options),
      (e: unknown) => {
        assert.ok(e instanceof ExchangeFileError, `an ExchangeFileError, got ${String(e)}`);
        assert.ok(e.message.startsWith(file), `the message starts with ${file}: ${e.message}`);
        assert.match(e.message, c.message);
        return true;
      },
    );
  });
}

test('refused directories: fewer than 3 scales, no run files, not a directory, bad options', () => {
  const two = runDirectory('two-scales', [40, 80]);
  assert.throws(
    () => readRunDirectory(two),
    /holds 2 scale\(s\) \(N = 40, 80; runs are grouped by parameter count P, or n_params\); finite-size scaling needs at least 3/,
  );
  assert.equal(readRunDirectory(two, { minScales: 2 }).scales.length, 2);
  assert.throws(() => readRunDirectory(two, { minScales: 1 }), /minScales: must be an integer in 2 … ∞/);
  const empty = tempDir('empty');
  fs.writeFileSync(path.join(empty, 'notes.txt'), 'hello');
  assert.throws(() => readRunDirectory(empty), /holds no .npz or .safetensors files/);
  assert.throws(() => readRunDirectory(path.join(empty, 'notes.txt')), /is not a directory/);
  assert.throws(() => readRunDirectory(two, { onset: 'sometimes' as 'auto' }), /onset: got "sometimes"; allowed values: "auto", "train", "test", "none"/);
  assert.throws(() => readRunDirectory(two, { minScale: 2 } as object), /readRunDirectory option: got "minScale"/);
});

test("topology 'network' needs a dense-MLP layout in every run, checked before any probe", async () => {
  process.env.GROKFSS_DATA = tempDir('network-store');
  const dir = runDirectory('network');
  const sweep = readRunDirectory(dir);
  await assert.rejects(importedRunsAnalysis(sweep, analysisPlan('smoke'), { topology: { kind: 'network' } }), (e: unknown) => {
    assert.ok(e instanceof ExchangeFileError && e.message.startsWith(path.join(dir, 'run-P40-s0.npz')) && /has no 'layout'/.test(e.message), String(e));
    return true;
  });
  edit(dir, 40, 0, (a) => (a.layout = { kind: 'U', text: '[["conv", [2, 2, 10]]]' }));
  await assert.rejects(
    importedRunsAnalysis(readRunDirectory(dir), analysisPlan('smoke'), { topology: { kind: 'network' } }),
    /array 'layout': is not a dense MLP/,
  );
  await assert.rejects(importedRunsAnalysis(sweep, analysisPlan('smoke'), { nulls: ['uniform' as 'gaussian'] }), InvalidOptionError);
  assert.deepEqual(fs.readdirSync(process.env.GROKFSS_DATA), [], 'nothing in the store');
});

test('grokking-fss analyze: a refused directory exits 2 naming the file, and writes no store entry, JSON or figure', () => {
  const dir = runDirectory('cli-refuse');
  const file = edit(dir, 80, 1, withValue(80, 2, 5, NaN));
  const out = tempDir('cli-out');
  const store = path.join(out, 'store');
  const run = spawnSync(
    process.execPath,
    [CLI, 'analyze', dir, '--store', store, '--json', path.join(out, 's.json'), '--figures', path.join(out, 'figs'), '--profile', 'smoke'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: array 'grads': entry \\[2, 5\\]`));
  assert.deepEqual(fs.readdirSync(out), [], 'nothing written');
  const flags = spawnSync(process.execPath, [CLI, 'analyze', dir, '--observable', 'S_max'], { encoding: 'utf8' });
  assert.equal(flags.status, 2);
  assert.match(flags.stderr, /--observable: got "S_max"; allowed values: "S_total", "s_max"/);
  const missing = spawnSync(process.execPath, [CLI, 'analyze', '--profile', 'smoke'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /<dir>: is missing/);
  const twice = spawnSync(process.execPath, [CLI, 'analyze', dir, dir], { encoding: 'utf8' });
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /unexpected ".*" after the command "analyze"/);
});
