/**
 * Headline numbers of each notebook, written as JSON beside the store so that
 * `npm run reproduce` can print one summary of the whole run (D before and after onset,
 * crossing time, Gaussian D per topology, stage times, cache hits) without parsing notebooks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFile, projectRoot } from '../store/index';
import { InvalidOptionError } from '../util/errors';

/** Folder of the results files: `GROKFSS_RESULTS` if set, else `<project>/data/results`. */
export function resultsDir(): string {
  return process.env.GROKFSS_RESULTS ? path.resolve(process.env.GROKFSS_RESULTS) : path.join(projectRoot(), 'data', 'results');
}

/** One stage's bookkeeping, for the reproduce summary. */
export interface StageRecord {
  /** Wall time of the stage in this execution, seconds. */
  seconds: number;
  /** How many store entries were reused rather than computed. */
  cacheHits?: number;
  /** How many entries the stage needed in all. */
  entries?: number;
}

/**
 * Merges `values` into `<resultsDir>/<notebook>.json` (atomic write). Keys written earlier by
 * the same notebook are replaced; `profile` is recorded so stale results of another profile
 * are recognisable. Values must be JSON-serialisable (NaN becomes null).
 */
export function recordResults(notebook: string, values: Record<string, unknown>): string {
  if (!/^[A-Za-z0-9._-]+$/.test(notebook))
    throw new InvalidOptionError('notebook', `must be a plain name (letters, digits, . _ -), got ${JSON.stringify(notebook)}`);
  const file = path.join(resultsDir(), `${notebook}.json`);
  let previous: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      previous = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      previous = {}; // a corrupt results file is replaced: it holds only derived numbers
    }
  }
  const merged = { ...previous, ...values, profile: process.env.GROKFSS_PROFILE || 'quick', updatedAt: new Date().toISOString() };
  atomicWriteFile(file, JSON.stringify(merged, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
  return file;
}

/** Records one stage's wall time and cache use under `stages.<stage>` of the notebook's results. */
export function recordStage(notebook: string, stage: string, record: StageRecord): void {
  const file = path.join(resultsDir(), `${notebook}.json`);
  let stages: Record<string, StageRecord> = {};
  if (fs.existsSync(file)) {
    try {
      stages = JSON.parse(fs.readFileSync(file, 'utf8')).stages ?? {};
    } catch {
      stages = {};
    }
  }
  recordResults(notebook, { stages: { ...stages, [stage]: record } });
}

/** Reads every notebook's results (file name without .json → contents). */
export function readAllResults(): Record<string, Record<string, unknown>> {
  const dir = resultsDir();
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    try {
      out[name.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      out[name.slice(0, -5)] = { error: 'unreadable results file' };
    }
  }
  return out;
}

/**
 * Times an async stage and records it: `await timedStage('03-fss', 'probe', () => probe(...), r => r.hit ? 1 : 0)`.
 * @param countHits optional: how many cache hits the result represents.
 */
export async function timedStage<T>(
  notebook: string,
  stage: string,
  run: () => Promise<T> | T,
  countHits?: (result: T) => { cacheHits: number; entries: number },
): Promise<T> {
  const started = performance.now();
  const result = await run();
  recordStage(notebook, stage, { seconds: (performance.now() - started) / 1000, ...(countHits ? countHits(result) : {}) });
  return result;
}

function formatNumberish(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(3);
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' || v === null)) {
    return `[${value.map((v) => (v === null ? '—' : (v as number).toPrecision(3))).join(', ')}]`;
  }
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v));
    // Tables of rows (e.g. every power-law fit) would drown the summary: they stay in the JSON file.
    if (text.length > 400)
      return Array.isArray(value)
        ? `(${value.length} entries: see the notebook's results file)`
        : `(${Object.keys(value as object).length} fields: see the notebook's results file)`;
    return text;
  }
  return String(value);
}

/**
 * The text summary that `npm run reproduce` prints after the notebooks ran: the stage wall
 * times and cache hits of every notebook, then the headline numbers next to the paper's —
 * D before and after onset with CIs and the crossing time vs onset (notebook 03), Gaussian D
 * per topology (notebook 04) — then every other recorded scalar. Missing results say so.
 */
export function formatResultsSummary(all: Record<string, Record<string, unknown>>): string {
  const lines: string[] = [];
  const names = Object.keys(all).sort();
  if (names.length === 0) return 'no results recorded (data/results/ is empty)';
  lines.push('Stage wall times (this execution) and store reuse:');
  for (const name of names) {
    const stages = (all[name].stages ?? {}) as Record<string, StageRecord>;
    for (const [stage, record] of Object.entries(stages)) {
      const reuse =
        record.entries !== undefined
          ? `  cache hits ${record.cacheHits ?? 0}/${record.entries}`
          : record.cacheHits !== undefined
            ? `  cache hits ${record.cacheHits}`
            : '';
      lines.push(`  ${name.padEnd(34)} ${stage.padEnd(22)} ${record.seconds.toFixed(1).padStart(8)} s${reuse}`);
    }
  }
  const fss = all['03-finite-size-scaling'];
  lines.push('', 'Headline numbers (paper: D ≈ 0.90 before → 1.20 after the transition; Gaussian D ≈ 0.99 ± 0.01):');
  if (fss) {
    lines.push(`  observable                 ${formatNumberish(fss.observable ?? 'totalTopplings')}`);
    lines.push(`  D before onset             ${formatNumberish(fss.dPre)}  CI ${formatNumberish(fss.dPreCI)}`);
    lines.push(`  D after onset              ${formatNumberish(fss.dPost)}  CI ${formatNumberish(fss.dPostCI)}`);
    lines.push(`  crossing of D = 1 (epoch)  ${formatNumberish(fss.crossing)}  CI ${formatNumberish(fss.crossingCI)}  vs onset ${formatNumberish(fss.onset)}`);
  } else {
    lines.push('  (notebook 03 recorded no results)');
  }
  const topologies = all['04-real-vs-synthetic-topologies'];
  const gaussian = topologies?.gaussianD as Record<string, unknown> | undefined;
  if (gaussian && typeof gaussian === 'object') {
    lines.push('  Gaussian D per topology:');
    for (const [topology, value] of Object.entries(gaussian)) lines.push(`    ${topology.padEnd(22)} ${formatNumberish(value)}`);
  } else {
    lines.push('  (notebook 04 recorded no Gaussian D per topology)');
  }
  lines.push('', `All recorded values (full detail in ${resultsDir()}/<notebook>.json):`);
  for (const name of names) {
    const entries = Object.entries(all[name]).filter(([key]) => key !== 'stages' && key !== 'updatedAt');
    lines.push(`  ${name}`);
    for (const [key, value] of entries) lines.push(`    ${key}: ${formatNumberish(value)}`);
  }
  return lines.join('\n');
}
