/**
 * Errors raised for bad input, before any work is done.
 *
 * Every message names the offending field and, where the set is finite, the allowed values,
 * so that a researcher reading a failed notebook cell knows what to change.
 */
export class InvalidOptionError extends Error {
  /** The option or field that was rejected, e.g. `probe.thresholdQuantile`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidOptionError';
    this.field = field;
  }
}

/** Throws unless `value` is one of `allowed`; returns it typed as the union. */
export function checkChoice<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(field, `got ${JSON.stringify(value)}; allowed values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** Throws unless `value` is a finite number strictly greater than zero. */
export function checkPositive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(field: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'} … ${Number.isFinite(max) ? max : '∞'}`;
    throw new InvalidOptionError(field, `must be an integer in ${range}, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in the open interval (low, high). */
export function checkOpenInterval(field: string, value: unknown, low: number, high: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= low || value >= high) {
    throw new InvalidOptionError(field, `must be a number in the open interval (${low}, ${high}), got ${String(value)}`);
  }
  return value;
}

/** Throws unless every entry is finite; names the first bad index. */
export function checkFiniteArray(field: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new InvalidOptionError(field, `entry ${i} is ${String(v)}; all values must be finite (no NaN or Inf)`);
    }
  }
}
