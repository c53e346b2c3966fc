import { InvalidOptionError } from '../util/errors';

/** FSS input: an array of plain row objects, or an arquero table (anything with `.objects()`). */
export type FssRows = ReadonlyArray<Record<string, unknown>> | { objects(): Array<Record<string, unknown>> };

/** Plain row objects from an array or an arquero table. */
export function rowsToObjects(rows: FssRows, field = 'rows'): Array<Record<string, unknown>> {
  if (Array.isArray(rows)) return rows as Array<Record<string, unknown>>;
  if (rows != null && typeof (rows as { objects?: unknown }).objects === 'function') return (rows as { objects(): Array<Record<string, unknown>> }).objects();
  throw new InvalidOptionError(field, 'must be an array of row objects or an arquero table');
}

/** Reads a numeric column entry, naming the row and column when it is missing or not a number. */
export function numberField(row: Record<string, unknown>, name: string, index: number): number {
  const v = row[name];
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new InvalidOptionError(name, `row ${index} has ${JSON.stringify(v)}; expected a number in column "${name}"`);
  }
  return v;
}

/** ln(value) of a column entry that must be finite and > 0. */
export function logPositiveField(row: Record<string, unknown>, name: string, index: number): number {
  const v = numberField(row, name, index);
  if (!(v > 0) || !Number.isFinite(v)) throw new InvalidOptionError(name, `row ${index} has ${v}; values must be finite and > 0 (their logarithm is taken)`);
  return Math.log(v);
}

/** Seed key of a row (number or string column `seed`). */
export function seedKey(row: Record<string, unknown>, index: number): string {
  const v = row.seed;
  if (typeof v !== 'number' && typeof v !== 'string')
    throw new InvalidOptionError('seed', `row ${index} has ${JSON.stringify(v)}; every row needs a seed (number or string)`);
  return String(v);
}
