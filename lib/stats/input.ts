import { InvalidOptionError } from '../util/errors';

/**
 * Copies `values` to a Float64Array after checking that it is non-empty and every entry is
 * finite and > 0 (power-law and log-scale estimators take logarithms); with `integers`, also
 * that every entry is an integer (discrete fits).
 */
export function positiveSample(field: string, values: ArrayLike<number>, integers = false): Float64Array {
  if (values == null || typeof values.length !== 'number') throw new InvalidOptionError(field, 'must be an array of numbers');
  if (values.length === 0) throw new InvalidOptionError(field, 'is empty');
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InvalidOptionError(field, `entry ${i} is ${String(v)}; values must be finite and > 0`);
    }
    if (integers && !Number.isInteger(v)) {
      throw new InvalidOptionError(field, `entry ${i} is ${v}, not an integer; discrete: true needs integer data (use discrete: false for continuous data)`);
    }
    out[i] = v;
  }
  return out;
}
