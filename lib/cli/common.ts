/**
 * What every command of the CLI shares, without TensorFlow.js (so that `analyze` and `export`
 * never load it): the sweep options' names, number parsing, option values, text tables and the
 * progress line.
 */
import type { SweepProgress } from '../train/trainScales';
import { InvalidOptionError } from '../util/errors';

/** Options that select a sweep (value-taking), in the order they are passed on. */
export const SWEEP_OPTIONS = ['task', 'profile', 'scales', 'seeds', 'epochs', 'snapshots', 'p', 'train-fraction'] as const;

/** A finite decimal number given to `flag`. */
export function numberValue(flag: string, value: string): number {
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new InvalidOptionError(flag, `must be a number, got ${JSON.stringify(value)}`);
  return number;
}

/** A comma-separated list of integers given to `flag`. */
export function numberList(flag: string, value: string): number[] {
  const list = value.split(',').map((s) => s.trim());
  if (list.some((s) => s === ''))
    throw new InvalidOptionError(flag, `must be a comma-separated list of integers without empty items, got ${JSON.stringify(value)}`);
  const numbers = list.map((s) => numberValue(flag, s));
  if (numbers.some((n) => !Number.isInteger(n))) throw new InvalidOptionError(flag, `must be a comma-separated list of integers, got ${JSON.stringify(value)}`);
  return numbers;
}

/** The value of a value-taking option, or undefined. */
export function valueOf(options: Record<string, string | true>, name: string): string | undefined {
  return typeof options[name] === 'string' ? (options[name] as string) : undefined;
}

/** Seconds as m:ss ('--:--' when unknown). */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return `${m}:${String(total % 60).padStart(2, '0')}`;
}

/** One progress line: bar, percent, runs, elapsed, ETA and the runs in training (task h seed epoch/budget). */
export function progressLine(p: SweepProgress, width = 30): string {
  const filled = Math.round(p.fraction * width);
  const running = (p.running ?? []).map((r) => `${r.task} h=${r.h} s${r.seed} ${r.epoch}/${r.epochs}`).join(', ');
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}%  runs ${p.runsDone}/${p.runsTotal}  elapsed ${formatSeconds(p.elapsedSeconds)}  ETA ${formatSeconds(p.etaSeconds)}${running ? `  training: ${running}` : ''}`;
}

/** Formats rows as an aligned text table. */
export function textTable(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join('  ');
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
