/** Run files of the exchange format written for tests (with the library's own writers). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NpyContent } from '../../lib/exchange/npy';
import { encodeNpz } from '../../lib/exchange/npz';
import { Random } from '../../lib/util/random';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'exchange');

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `grokfss-${prefix}-`));
}

export const f64 = (shape: number[], values: ArrayLike<number>): NpyContent => ({ kind: 'f', size: 8, shape, values });
export const i64 = (shape: number[], values: ArrayLike<number>): NpyContent => ({ kind: 'i', size: 8, shape, values });

/**
 * The arrays of a valid run: i.i.d. standard normal grads [T, P] (seeded by P and seed), epochs
 * 0, 100, …, train_acc that reaches 1 at epoch 300 (acc_epochs every 50), seed.
 */
export function runArrays(P: number, seed: number, T = 6): Record<string, NpyContent> {
  const random = new Random(`exchange-test-${P}-${seed}`);
  const accEpochs = Array.from({ length: 2 * T - 1 }, (_, i) => 50 * i);
  return {
    grads: f64(
      [T, P],
      Float64Array.from({ length: T * P }, () => random.normal()),
    ),
    epochs: i64(
      [T],
      Array.from({ length: T }, (_, t) => 100 * t),
    ),
    acc_epochs: i64([accEpochs.length], accEpochs),
    train_acc: f64(
      [accEpochs.length],
      accEpochs.map((e) => (e >= 300 ? 1 : 0.5)),
    ),
    seed: i64([], [seed]),
  };
}

/** Writes `<dir>/<name>` (.npz) holding the arrays; returns its path. */
export function writeRun(dir: string, name: string, arrays: Record<string, NpyContent>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, encodeNpz(Object.entries(arrays)));
  return file;
}

/** A directory of valid runs: scales P (one file per P × seed). */
export function runDirectory(prefix: string, scales = [40, 80, 160], seeds = [0, 1]): string {
  const dir = tempDir(prefix);
  for (const P of scales) for (const seed of seeds) writeRun(dir, `run-P${P}-s${seed}.npz`, runArrays(P, seed));
  return dir;
}
