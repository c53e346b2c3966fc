/**
 * A pandas-style view for researchers who think in DataFrames: an arquero table (or rows)
 * converted to a danfojs DataFrame. danfojs-node is loaded only when this is called (it pulls
 * in a second copy of tfjs and takes about a second).
 */
import * as aq from 'arquero';

/** The danfojs DataFrame of a table, columns in the same order. */
export function toDataFrame(table: aq.ColumnTable | Array<Record<string, unknown>>): unknown {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const danfo = require('danfojs-node') as { DataFrame: new (data: unknown, options?: unknown) => unknown };
  const rows = Array.isArray(table) ? table : (table.objects() as Array<Record<string, unknown>>);
  const columns = Array.isArray(table) ? (rows.length ? Object.keys(rows[0]) : []) : table.columnNames();
  // danfojs wants plain arrays without null: nulls become NaN in numeric columns.
  const data: Record<string, unknown[]> = {};
  for (const name of columns) data[name] = rows.map((row) => (row[name] === null || row[name] === undefined ? NaN : row[name]));
  return new danfo.DataFrame(data, { columns });
}
