/**
 * Rich display of tables, text and progress in a tslab notebook. Every function also works
 * outside a kernel (scripts, tests): tables and markdown print as text, progress is silent.
 */
import * as path from 'node:path';
import * as aq from 'arquero';
import { tslabDisplayWriter } from '../plot/show';
import { atomicWriteFile, projectRoot } from '../store/index';
import { checkInteger, InvalidOptionError } from '../util/errors';
import { resultsDir } from './results';

/**
 * A number as text with `digits` significant digits (integers in full, no exponent for
 * 1e-3 ≤ |x| < 1e6); null/undefined → '—', NaN → 'NaN', booleans and strings unchanged.
 */
export function formatValue(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(digits - 1);
    return String(Number(value.toPrecision(digits)));
  }
  return String(value);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A column with a cell longer than this (characters) holds sentences: left-aligned, at least LONG_TEXT_MIN_WIDTH_EM wide [40]. */
const LONG_TEXT_CHARS = 40;
/** Smallest width of such a column, em [24]. */
const LONG_TEXT_MIN_WIDTH_EM = 24;

/** Options of {@link showTable} and {@link tableHtml}. */
export interface TableDisplayOptions {
  /** Significant digits of non-integer numbers [4]. */
  digits?: number;
  /** Caption shown above the table. */
  caption?: string;
  /** At most this many rows are shown; the hidden ones are counted below the table [20]. */
  limit?: number;
  /**
   * The notebook's name, as given to recordResults (letters, digits, . _ -): a table cut by
   * `limit` is then written in full to `<resultsDir>/<notebook>/<name>.csv` and the note says
   * where [none: the full table is not written, and the note says how to get it].
   */
  notebook?: string;
  /** File name of the full table, without extension [from the caption's first six words, else 'table']. */
  name?: string;
}

/**
 * A danfojs DataFrame or Series, recognised by shape (danfojs is loaded lazily, never imported
 * here): `index` and `values` (rows of a frame, or the values of a series), `columns` of a frame.
 */
export interface DanfoLike {
  columns?: string[];
  index: Array<string | number>;
  values: unknown[];
}

function isDanfoLike(value: unknown): value is DanfoLike {
  const v = value as DanfoLike;
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray(v.index) &&
    Array.isArray(v.values) &&
    typeof (value as { objects?: unknown }).objects !== 'function'
  );
}

/** What showTable accepts: an arquero table, an array of row objects, or a danfojs DataFrame / Series. */
export type DisplayTable = aq.ColumnTable | Array<Record<string, unknown>> | DanfoLike;

/**
 * Columns and rows of any table showTable accepts. A danfojs frame's index becomes a first
 * column named '' (as pandas prints it) unless it is the default 0, 1, 2, …; a Series becomes
 * one column named after it.
 */
export function tableRows(table: DisplayTable): { columns: string[]; rows: Array<Record<string, unknown>> } {
  if (Array.isArray(table)) return { columns: table.length ? Object.keys(table[0]) : [], rows: table };
  if (isDanfoLike(table)) {
    const isSeries = !Array.isArray(table.columns) || (table.values.length > 0 && !Array.isArray(table.values[0]));
    const columns = isSeries ? [table.columns?.length === 1 ? String(table.columns[0]) : 'value'] : table.columns!.map(String);
    const defaultIndex = table.index.every((label, i) => label === i);
    const rows = table.values.map((row, i) => {
      const out: Record<string, unknown> = defaultIndex ? {} : { '': table.index[i] };
      const cells = isSeries ? [row] : (row as unknown[]);
      columns.forEach((name, j) => (out[name] = cells[j]));
      return out;
    });
    return { columns: defaultIndex ? columns : ['', ...columns], rows };
  }
  return { columns: table.columnNames(), rows: table.objects() as Array<Record<string, unknown>> };
}

/** The default file name of a table: the caption's first six words, lower case, joined by '-'. */
export function tableFileName(caption: string | undefined): string {
  const words = (caption ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  return words.length ? words.join('-') : 'table';
}

/** Writes every row of a table as CSV (arquero's format, full precision) atomically; returns the path. */
export function writeFullTable(table: DisplayTable, notebook: string, name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(notebook))
    throw new InvalidOptionError('notebook', `must be a plain name (letters, digits, . _ -), got ${JSON.stringify(notebook)}`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new InvalidOptionError('name', `must be a plain file name (letters, digits, . _ -), got ${JSON.stringify(name)}`);
  const { columns, rows } = tableRows(table);
  const file = path.join(resultsDir(), notebook, `${name}.csv`);
  const data: Record<string, unknown[]> = {};
  for (const column of columns) data[column] = rows.map((row) => row[column] ?? null);
  atomicWriteFile(file, aq.table(data).toCSV() + '\n');
  return file;
}

/** A path for the reader: relative to the project when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(projectRoot(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * The HTML and plain-text renderings of a table (numbers rounded to `digits`; numbers and short
 * text right-aligned on one line, a column of sentences left-aligned and at least 24em wide). A table longer
 * than `limit` shows its first `limit` rows and a note with the number of hidden rows and, when
 * `notebook` is given, where the full table was written (see writeFullTable).
 */
export function tableHtml(table: DisplayTable, options: TableDisplayOptions = {}): { html: string; text: string; file: string | null } {
  const digits = checkInteger('digits', options.digits ?? 4, 1, 17);
  const limit = checkInteger('limit', options.limit ?? 20, 1);
  const { columns, rows } = tableRows(table);
  const shown = rows.slice(0, limit);
  const cells = shown.map((row) => columns.map((c) => formatValue(row[c], digits)));
  let file: string | null = null;
  let more = '';
  if (rows.length > limit) {
    const hidden = `${rows.length - limit} more row${rows.length - limit === 1 ? '' : 's'} not shown (${rows.length} in all)`;
    if (options.notebook !== undefined) {
      file = writeFullTable(table, options.notebook, options.name ?? tableFileName(options.caption));
      more = `${hidden}; the full table is in ${displayPath(file)}`;
    } else more = `${hidden}; pass { notebook } to showTable to write the full table as CSV`;
  }
  const caption = options.caption ? `<caption style="caption-side: top; text-align: left; font-weight: bold;">${escapeHtml(options.caption)}</caption>` : '';
  // A column of sentences (notes) is left-aligned and kept at least 24em wide: squeezed by a wide
  // table, it would otherwise wrap into a tall column of two or three words per line. Other cells
  // (numbers, labels such as "before onset") do not wrap.
  const align = columns.map((_, j) =>
    cells.some((r) => r[j].length > LONG_TEXT_CHARS) ? `text-align: left; min-width: ${LONG_TEXT_MIN_WIDTH_EM}em;` : 'text-align: right; white-space: nowrap;',
  );
  const html =
    `<table class="grokfss-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">${caption}` +
    `<thead><tr>${columns.map((c, j) => `<th style="${align[j]} padding: 2px 8px; border-bottom: 1px solid #888;">${escapeHtml(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${cells.map((r) => `<tr>${r.map((v, j) => `<td style="${align[j]} padding: 2px 8px;">${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>` +
    (more ? `<p class="grokfss-table-note" style="font-size: smaller;">${escapeHtml(more)}</p>` : '');
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (values: string[]) => values.map((v, j) => v.padStart(widths[j])).join('  ');
  const text = [options.caption ?? '', line(columns), ...cells.map(line), more].filter((l) => l !== '').join('\n');
  return { html, text, file };
}

/**
 * Shows a table — an arquero table, an array of row objects, or a danfojs DataFrame / Series
 * (e.g. `frame.describe()`, `frame.groupby([...]).agg({...})`) — as an HTML table with rounded
 * numbers, with a plain-text fallback; long tables are cut (see tableHtml). Outside a kernel it
 * prints the text. Returns the path of the full table when one was written, else null.
 */
export function showTable(table: DisplayTable, options: TableDisplayOptions = {}): string | null {
  const { html, text, file } = tableHtml(table, options);
  const writer = tslabDisplayWriter();
  if (!writer) {
    process.stdout.write(text + '\n');
    return file;
  }
  writer({ data: { 'text/html': html, 'text/plain': text }, metadata: {}, transient: {} }, false);
  return file;
}

/** Shows markdown (rendered by Jupyter); outside a kernel it prints it. */
export function showMarkdown(markdown: string): void {
  const writer = tslabDisplayWriter();
  if (!writer) {
    process.stdout.write(markdown + '\n');
    return;
  }
  writer({ data: { 'text/markdown': markdown, 'text/plain': markdown }, metadata: {}, transient: {} }, false);
}

/** What a progress callback receives (SweepProgress from trainScales fits). */
export interface ProgressLike {
  fraction: number;
  etaSeconds?: number | null;
  runsDone?: number;
  runsTotal?: number;
  elapsedSeconds?: number;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The one-line text of a progress report, e.g. `training ███████░░░ 70 % (35/48 runs, 12 s left)`. */
export function progressLine(label: string, progress: ProgressLike): string {
  const fraction = Math.min(1, Math.max(0, progress.fraction));
  const filled = Math.round(fraction * 20);
  const parts: string[] = [];
  if (progress.runsTotal !== undefined) parts.push(`${progress.runsDone ?? 0}/${progress.runsTotal} runs`);
  if (fraction >= 1 && progress.elapsedSeconds !== undefined) parts.push(`done in ${formatSeconds(progress.elapsedSeconds)}`);
  else if (progress.etaSeconds != null) parts.push(`${formatSeconds(progress.etaSeconds)} left`);
  return `${label} ${'█'.repeat(filled)}${'░'.repeat(20 - filled)} ${(fraction * 100).toFixed(0)} %${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * A progress callback that keeps ONE notebook output up to date (at most every 0.5 s, and
 * always at 100 %). Pass it as `onProgress`. Outside a kernel it does nothing.
 */
export function progressDisplay(label = 'progress'): (progress: ProgressLike) => void {
  const writer = tslabDisplayWriter();
  const displayId = `grokfss-progress-${Math.random().toString(16).slice(2)}`;
  let sent = false;
  let lastSent = 0;
  return (progress: ProgressLike) => {
    if (!writer) return;
    const now = Date.now();
    if (sent && progress.fraction < 1 && now - lastSent < 500) return;
    const text = progressLine(label, progress);
    writer(
      { data: { 'text/plain': text, 'text/html': `<pre style="margin: 0;">${escapeHtml(text)}</pre>` }, metadata: {}, transient: { display_id: displayId } },
      sent,
    );
    sent = true;
    lastSent = now;
  };
}
