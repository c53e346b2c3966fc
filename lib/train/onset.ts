import * as aq from 'arquero';
import { checkInteger, InvalidOptionError } from '../util/errors';

/** A metrics series: a table with an `epoch` column, or plain column arrays. */
export type MetricsLike = aq.ColumnTable | { epoch: ArrayLike<number>; [metric: string]: ArrayLike<number> };

/** Options of {@link onsetEpoch}. */
export interface OnsetOptions {
  /** Column to test, e.g. 'trainAccuracy' or 'testAccuracy'. */
  metric: string;
  /** [0.99] the metric must be ≥ this. */
  threshold?: number;
  /**
   * [Infinity] number of consecutive evaluations (counting the onset itself) for which the
   * metric must stay ≥ threshold; a series that ends while still above counts as sustained.
   * Infinity = it must hold until the end of the series ("the first epoch from which it stays").
   */
  sustain?: number;
}

function column(metrics: MetricsLike, name: string): ArrayLike<number> {
  if (typeof (metrics as aq.ColumnTable).columnNames === 'function') {
    const table = metrics as aq.ColumnTable;
    if (!table.columnNames().includes(name))
      throw new InvalidOptionError('onset.metric', `no column ${JSON.stringify(name)}; columns: ${table.columnNames().join(', ')}`);
    return table.array(name) as ArrayLike<number>;
  }
  const value = (metrics as Record<string, ArrayLike<number>>)[name];
  if (!value) throw new InvalidOptionError('onset.metric', `no column ${JSON.stringify(name)}; columns: ${Object.keys(metrics).join(', ')}`);
  return value;
}

/**
 * The first epoch from which `metric` stays ≥ `threshold` for `sustain` consecutive
 * evaluations (see {@link OnsetOptions}), or null if it never does. NaN never counts as ≥.
 */
export function onsetEpoch(metrics: MetricsLike, options: OnsetOptions): number | null {
  const threshold = options.threshold ?? 0.99;
  const sustain = options.sustain ?? Infinity;
  if (sustain !== Infinity) checkInteger('onset.sustain', sustain, 1);
  const epochs = column(metrics, 'epoch');
  const values = column(metrics, options.metric);
  const n = values.length;
  // Scan backwards: run[i] = length of the run of ≥ threshold starting at i.
  let run = 0;
  let onset: number | null = null;
  for (let i = n - 1; i >= 0; i--) {
    run = values[i] >= threshold ? run + 1 : 0;
    const reachesEnd = i + run === n;
    if (run > 0 && (run >= sustain || reachesEnd)) onset = epochs[i];
  }
  return onset;
}

/** Grokking-aligned time: epoch − onset for every epoch (null onset → null). */
export function epochsSinceOnset(epochs: ArrayLike<number>, onset: number | null): Float64Array | null {
  if (onset === null) return null;
  return Float64Array.from(epochs, (e) => e - onset);
}

/** Grokking-aligned time: epoch / onset for every epoch (null onset → null; onset must be > 0). */
export function epochsOverOnset(epochs: ArrayLike<number>, onset: number | null): Float64Array | null {
  if (onset === null) return null;
  if (!(onset > 0)) throw new InvalidOptionError('onset', `must be > 0 to divide by it, got ${onset}`);
  return Float64Array.from(epochs, (e) => e / onset);
}
