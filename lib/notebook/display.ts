/**
 * Rich display of tables, text and progress in a tslab notebook. Every function also works
 * outside a kernel (scripts, tests): tables and markdown print as text, progress is silent.
 */
import * as aq from 'arquero';
import { tslabDisplayWriter } from '../plot/show';
import { checkInteger } from '../util/errors';

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

/** Options of {@link showTable} and {@link tableHtml}. */
export interface TableDisplayOptions {
  /** Significant digits of non-integer numbers [4]. */
  digits?: number;
  /** Caption shown above the table. */
  caption?: string;
  /** At most this many rows are shown (the total is said) [60]. */
  limit?: number;
}

function tableRows(table: aq.ColumnTable | Array<Record<string, unknown>>): { columns: string[]; rows: Array<Record<string, unknown>> } {
  if (Array.isArray(table)) return { columns: table.length ? Object.keys(table[0]) : [], rows: table };
  return { columns: table.columnNames(), rows: table.objects() as Array<Record<string, unknown>> };
}

/** The HTML and plain-text renderings of a table (numbers rounded to `digits`). */
export function tableHtml(table: aq.ColumnTable | Array<Record<string, unknown>>, options: TableDisplayOptions = {}): { html: string; text: string } {
  const digits = checkInteger('digits', options.digits ?? 4, 1, 17);
  const limit = checkInteger('limit', options.limit ?? 60, 1);
  const { columns, rows } = tableRows(table);
  const shown = rows.slice(0, limit);
  const cells = shown.map((row) => columns.map((c) => formatValue(row[c], digits)));
  const more = rows.length > limit ? `${rows.length - limit} more rows (${rows.length} in all)` : '';
  const caption = options.caption ? `<caption style="caption-side: top; text-align: left; font-weight: bold;">${escapeHtml(options.caption)}</caption>` : '';
  const html =
    `<table class="grokfss-table" style="border-collapse: collapse; font-variant-numeric: tabular-nums;">${caption}` +
    `<thead><tr>${columns.map((c) => `<th style="text-align: right; padding: 2px 8px; border-bottom: 1px solid #888;">${escapeHtml(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${cells.map((r) => `<tr>${r.map((v) => `<td style="text-align: right; padding: 2px 8px;">${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>` +
    (more ? `<p style="font-size: smaller;">${more}</p>` : '');
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (values: string[]) => values.map((v, j) => v.padStart(widths[j])).join('  ');
  const text = [options.caption ?? '', line(columns), ...cells.map(line), more].filter((l) => l !== '').join('\n');
  return { html, text };
}

/**
 * Shows a table (arquero table or array of row objects) as an HTML table with rounded numbers,
 * with a plain-text fallback. Outside a kernel it prints the text.
 */
export function showTable(table: aq.ColumnTable | Array<Record<string, unknown>>, options: TableDisplayOptions = {}): void {
  const { html, text } = tableHtml(table, options);
  const writer = tslabDisplayWriter();
  if (!writer) {
    process.stdout.write(text + '\n');
    return;
  }
  writer({ data: { 'text/html': html, 'text/plain': text }, metadata: {}, transient: {} }, false);
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
