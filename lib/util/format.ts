/**
 * Number formats of figure text, tables, headlines and sentences, in one place.
 */

/** A finite number, or null (JSON-friendly: headlines recorded with recordResults). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** `x` with `digits` [2] decimals; `missing` ['n/a'] when null or not finite. */
export function fixed(x: number | null | undefined, digits = 2, missing = 'n/a'): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : missing;
}

/** `x` to `digits` [3] significant digits (integers in full); '—' when null or not finite. */
export function significant(x: unknown, digits = 3): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(digits)));
}

/** `[low, high]` with `digits` [2] decimals, or `missing` ['no CI'] when either end is missing. */
export function interval(low: number | null | undefined, high: number | null | undefined, digits = 2, missing = 'no CI'): string {
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  return ok(low) && ok(high) ? `[${low.toFixed(digits)}, ${high.toFixed(digits)}]` : missing;
}

/** "value [low, high]" with `digits` [2] decimals; the interval is left out when missing. */
export function withInterval(value: number | null | undefined, low: number | null | undefined, high: number | null | undefined, digits = 2): string {
  const ci = interval(low, high, digits, '');
  return `${fixed(value, digits)}${ci ? ` ${ci}` : ''}`;
}

/** "min–max" of the finite values with `digits` [2] decimals, 'n/a' when none. */
export function span(values: Array<number | null | undefined>, digits = 2, separator = '–'): string {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return finite.length ? `${Math.min(...finite).toFixed(digits)}${separator}${Math.max(...finite).toFixed(digits)}` : 'n/a';
}
