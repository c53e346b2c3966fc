/** A hand-made sweep of two scales × two seeds, shared by the training tests. */
import * as aq from 'arquero';
import { RunRow } from '../../lib/train/runFiles';

/** A run row with defaults for the fields a test does not care about. */
export function run(h: number, seed: number, extra: Partial<RunRow> = {}): RunRow {
  return {
    task: 'modular-addition',
    h,
    N: 10 * h,
    seed,
    key: `k${h}-${seed}`,
    status: 'complete',
    trainOnset: null,
    testOnset: null,
    wallSeconds: 1,
    cacheHit: false,
    error: null,
    ...extra,
  };
}

/**
 * A hand-made long metrics table: scales h = 2 (N 20) and 5 (N 50), two seeds each, epochs 0…4.
 * trainAccuracy of (h, seed) at epoch e = min(1, 0.5 + 0.1·e + 0.1·seed + 0.01·h); gini rises to a
 * peak at epoch 2 for h = 2 and rises to the end for h = 5.
 */
export function handMetrics(): aq.ColumnTable {
  const rows: Array<Record<string, number | string>> = [];
  for (const h of [2, 5])
    for (const seed of [0, 1])
      for (let e = 0; e <= 4; e++) {
        rows.push({
          task: 'xor',
          h,
          N: 10 * h,
          seed,
          epoch: e,
          trainAccuracy: Math.min(1, 0.5 + 0.1 * e + 0.1 * seed + 0.01 * h),
          testAccuracy: Math.min(1, 0.3 + 0.1 * e + 0.01 * h),
          trainLoss: 1 / (1 + e),
          gini: h === 2 ? [0.1, 0.3, 0.5 + 0.01 * seed, 0.4, 0.35][e] : 0.1 + 0.1 * e,
        });
      }
  // Shuffle the rows: every function must sort by epoch itself.
  return aq.from(rows.reverse());
}
