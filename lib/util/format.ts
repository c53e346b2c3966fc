/**
 * Number formats of figure text, tables, headlines and sentences, in one place.
 */

/** A finite number, or null (JSON-friendly: headlines recorded with recordResults). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** ∞ or −∞ for an infinite number (an open end of an interval), else null. */
function infinity(x: unknown): string | null {
  return x === Infinity ? '∞' : x === -Infinity ? '−∞' : null;
}

/** `x` with `digits` [2] decimals; ∞ for an infinite value; `missing` ['n/a'] when null or NaN. */
export function fixed(x: number | null | undefined, digits = 2, missing = 'n/a'): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : (infinity(x) ?? missing);
}

/** `x` to `digits` [3] significant digits (integers in full); ∞ for an infinite value; '—' when null or NaN. */
export function significant(x: unknown, digits = 3): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return infinity(x) ?? '—';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(digits)));
}

/**
 * `[low, high]` with `digits` [2] decimals; `[low, ∞)` for an interval open to the right (a
 * crossing the band does not rule out after the last snapshot); `missing` ['no CI'] when either
 * end is missing.
 */
export function interval(low: number | null | undefined, high: number | null | undefined, digits = 2, missing = 'no CI'): string {
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  if (ok(low) && high === Infinity) return `[${low.toFixed(digits)}, ∞)`;
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
