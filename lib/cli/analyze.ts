/**
 * `grokking-fss analyze <dir>`: the probe and the finite-size scaling of runs trained elsewhere,
 * read from a directory in the exchange format — readRunDirectory (every file checked first),
 * importedRunsAnalysis (the analysis layer's path), then a table on stdout, and on request the
 * JSON summary and the figures. No TensorFlow.js is loaded (test/layers.test.ts checks it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importedRunsAnalysis, ImportedRunsAnalysis } from '../analysis/importedRuns';
import { Observable } from '../analysis/observables';
import { AnalysisPlan, analysisPlan, checkAnalysisPlan } from '../analysis/plan';
import { EXCHANGE_ONSETS, readRunDirectory } from '../exchange/directory';
import { dimensionTrajectoryFigure, scalingFitFigure } from '../figures/scaling';
import { GraphSpec, TOPOLOGY_NAMES } from '../graphs/makeGraph';
import { chromiumPath, exportFigures } from '../plot/export';
import { SYNTHETIC_KINDS, SyntheticKind } from '../probe/syntheticGradients';
import { importedAnalysisJson, importedSummaryTable } from '../report/importedRuns';
import { atomicWriteFile } from '../store/index';
import { checkChoice, checkInteger, InvalidOptionError } from '../util/errors';
import { numberValue, textTable, valueOf } from './common';

/** The observables by the names the CLI and the JSON use. */
const OBSERVABLE_NAMES: Record<string, Observable> = { S_total: 'totalTopplings', s_max: 'sMax' };

/** Everything `analyze` will do, checked before any work. */
interface AnalyzeRequest {
  dir: string;
  plan: AnalysisPlan;
  topology: GraphSpec;
  observable: Observable;
  onset: (typeof EXCHANGE_ONSETS)[number];
  nulls: SyntheticKind[];
  quantity: 'gradient' | 'parameter';
  minScales: number;
  batchValues: number | undefined;
  json: string | undefined;
  figures: string | undefined;
}

/** The topology a name stands for: the plan's own graph for its kind, else the plan's comparison graph of that kind (mean degree ≈ 6). */
function topologyOf(name: string, plan: AnalysisPlan): GraphSpec {
  checkChoice('--topology', name, TOPOLOGY_NAMES);
  const kindOf = (spec: GraphSpec) => (typeof spec === 'string' ? spec : spec.kind);
  if (kindOf(plan.topology) === name) return plan.topology;
  return plan.topologies.find((t) => kindOf(t) === name) ?? (name as GraphSpec);
}

/** Parses and checks the options of `analyze` (flags named in every error). */
export function analyzeRequest(options: Record<string, string | true>): AnalyzeRequest {
  const dir = valueOf(options, 'directory');
  if (dir === undefined)
    throw new InvalidOptionError('<dir>', 'is missing: grokking-fss analyze <dir> [options], <dir> holding one .npz or .safetensors file per run');
  const profile = valueOf(options, 'profile');
  if (profile !== undefined) checkChoice('--profile', profile, ['smoke', 'quick', 'paper'] as const);
  const base = analysisPlan(profile);
  const bootstrap = valueOf(options, 'bootstrap');
  const plan = checkAnalysisPlan({
    ...base,
    bootstrap: bootstrap === undefined ? base.bootstrap : checkInteger('--bootstrap', numberValue('--bootstrap', bootstrap), 0),
  });
  const observable = OBSERVABLE_NAMES[checkChoice('--observable', valueOf(options, 'observable') ?? 'S_total', Object.keys(OBSERVABLE_NAMES))];
  const nullsText = valueOf(options, 'nulls') ?? 'permuted,gaussian';
  const nulls = nullsText === 'none' ? [] : nullsText.split(',').map((k) => checkChoice('--nulls', k.trim(), SYNTHETIC_KINDS));
  const integer = (flag: string, min: number): number | undefined => {
    const value = valueOf(options, flag);
    return value === undefined ? undefined : checkInteger(`--${flag}`, numberValue(`--${flag}`, value), min);
  };
  const json = valueOf(options, 'json');
  if (json !== undefined && !(fs.existsSync(path.dirname(path.resolve(json))) && fs.statSync(path.dirname(path.resolve(json))).isDirectory()))
    throw new InvalidOptionError('--json', `${json}: its folder ${path.dirname(path.resolve(json))} does not exist`);
  const figures = valueOf(options, 'figures');
  if (figures !== undefined) {
    if (fs.existsSync(figures) && !fs.statSync(figures).isDirectory()) throw new InvalidOptionError('--figures', `${figures} exists and is not a folder`);
    chromiumPath(); // figures are drawn by headless Chromium: fail now, not after the probe
  }
  return {
    dir,
    plan,
    topology: topologyOf(valueOf(options, 'topology') ?? 'ba', plan),
    observable,
    onset: checkChoice('--onset', valueOf(options, 'onset') ?? 'auto', EXCHANGE_ONSETS),
    nulls,
    quantity: checkChoice('--quantity', valueOf(options, 'quantity') ?? 'gradient', ['gradient', 'parameter'] as const),
    minScales: integer('min-scales', 2) ?? 3,
    batchValues: integer('batch-values', 1),
    json,
    figures,
  };
}

/** `grokking-fss analyze`: returns the exit code (errors are thrown to main, which prints them). */
export async function analyzeCommand(options: Record<string, string | true>): Promise<number> {
  const request = analyzeRequest(options);
  const store = valueOf(options, 'store');
  if (store !== undefined) process.env.GROKFSS_DATA = path.resolve(store);
  const sweep = readRunDirectory(request.dir, { minScales: request.minScales, onset: request.onset, quantity: request.quantity });
  process.stderr.write(
    `analyze ${sweep.runs.length} runs in ${sweep.scales.length} scales (N = ${sweep.scales.join(', ')}) from ${request.dir}; onset: ${sweep.onsetField ?? 'none'}; profile ${request.plan.profile} (bootstrap ${request.plan.bootstrap}, graph seeds ${request.plan.graphSeeds.join(',')})\n`,
  );
  for (const { file, arrays } of sweep.ignoredArrays) process.stderr.write(`note: ${file}: arrays not part of the format, not read: ${arrays.join(', ')}\n`);
  if (sweep.otherFiles.length)
    process.stderr.write(`note: ${request.dir}: ${sweep.otherFiles.length} file(s) without .npz / .safetensors extension left alone\n`);
  const analysis = await importedRunsAnalysis(sweep, request.plan, {
    topology: request.topology,
    nulls: request.nulls,
    batchValues: request.batchValues,
    onProgress: (p) =>
      process.stderr.write(`probed ${(100 * p.fraction).toFixed(0)}% (${p.batches} batch${p.batches === 1 ? '' : 'es'}, ${p.elapsedSeconds.toFixed(1)} s)\n`),
  });
  process.stdout.write(`${summaryText(analysis, request.observable)}\n`);
  if (request.json !== undefined) {
    atomicWriteFile(path.resolve(request.json), `${JSON.stringify(importedAnalysisJson(analysis, request.plan), null, 2)}\n`);
    process.stderr.write(`wrote ${request.json}\n`);
  }
  if (request.figures !== undefined)
    for (const file of await writeFigures(analysis, request.observable, request.figures)) process.stderr.write(`wrote ${file}\n`);
  return 0;
}

/** The printed summary: the fits table of the observable, then its crossing of D = 1. */
function summaryText(a: ImportedRunsAnalysis, observable: Observable): string {
  const rows = importedSummaryTable(a, observable).objects() as Array<Record<string, unknown>>;
  const table = textTable(rows, ['input', 'observable', 'phase', 'D', 'ciLow', 'ciHigh', 'rSquared', 'scales', 'rows', 'note']);
  const t = a.trajectories.find((x) => x.observable === observable);
  const c = t?.crossings;
  const at = (x: { time: number; direction: string; ciLow: number; ciHigh: number }) =>
    Number.isFinite(x.time) ? `epoch ${x.time.toFixed(0)} (${x.direction}; 95 % CI ${x.ciLow.toFixed(0)} … ${x.ciHigh.toFixed(0)})` : 'none';
  const crossing = c
    ? `D(t) of ${rows[0]?.observable ?? observable} crosses 1: first at ${at(c.first)}, lasting at ${at(c.lasting)}`
    : `D(t): ${t?.reason ?? 'not computed'}`;
  return `${table}\n${crossing}`;
}

/** D(t) (the chosen observable's panel first) and the scaling fits (before / after onset, or over all snapshots) as SVG and PNG. */
async function writeFigures(a: ImportedRunsAnalysis, observable: Observable, dir: string): Promise<string[]> {
  const trajectories = [...a.trajectories]
    .sort((x, y) => Number(y.observable === observable) - Number(x.observable === observable))
    .filter((t) => t.trajectory);
  const fits = a.fits.filter((f) => (a.onsetField ? f.phase !== 'all' : f.phase === 'all'));
  const items = [
    ...(trajectories.length ? [{ figure: dimensionTrajectoryFigure(trajectories, a.onset), basePath: path.join(dir, 'dimension-trajectory') }] : []),
    ...(fits.some((f) => f.fit) ? [{ figure: scalingFitFigure(fits), basePath: path.join(dir, 'scaling-fits') }] : []),
  ];
  if (items.length === 0) return [];
  fs.mkdirSync(dir, { recursive: true });
  const exported = await exportFigures(items, { formats: ['svg', 'png'], style: 'double' });
  return exported.flatMap((e) => Object.values(e.files) as string[]);
}
