/**
 * `npm run coverage`: the full coverage study of the intervals of D and of the crossing times
 * (issue 16), written to bench/results/coverage.json for notebook 11 and the notes of notebooks
 * 03, 05, 06 and 08. Single process, one experiment after the other:
 * 1. synthetic probe inputs with D set by design (lib/analysis/coverageDesigns.ts): 'gaussian'
 *    (D ≈ 1, no crossing), 'switch' (D ≈ 0.81 → 1.19 at epoch 640 in every run) and 'hover'
 *    (D ≈ 0.81 → 1.03 at 640, → 1.19 at 1120): `--replications` disjoint sets of six seeds per
 *    scale each, on the quick plan's graph;
 * 2. the XOR sweep at the quick profile's budget (bench/coveragePool.ts): `--xor-replications`
 *    disjoint groups of six training seeds, trained once and kept as probe rows in the store,
 *    analysed on the shared graph of the plan ('xor') and on a graph of their own per group
 *    ('xor-own-graph', as an independent lab would);
 * 3. each experiment goes through coverageStudy: every replication analysed as notebook 03 does,
 *    under each way of making the intervals, against the pool of all other replications.
 * Usage: npm run coverage -- [--replications gaussian=30,switch=60,hover=60 | N] [--xor-replications 100]
 *          [--bootstrap 1000] [--epoch-step 80] [--only gaussian,switch,hover,xor,xor-own-graph] [--out FILE]
 *        npm run coverage -- --smoke     (4 replications each, bootstrap 200: a few minutes)
 * The designs' snapshots are every `--epoch-step` epochs (80: 26 snapshots; the probe of a
 * synthetic replication costs ~10 s of CPU at 26 snapshots). A rerun reads the XOR runs' and the
 * designs' probe rows back from the store (`data/store/coverage-pool`, `coverage-design`).
 */
import { execFileSync } from 'node:child_process';
import { COVERAGE_DESIGNS, CoverageDesign } from '../lib/analysis/coverageDesigns';
import { coverageStudy } from '../lib/analysis/coverage';
import {
  CoverageExperiment,
  coverageExperiment,
  CoverageResults,
  COVERAGE_RESULTS_VERSION,
  coverageResultsPath,
  writeCoverageResults,
} from '../lib/analysis/coverageResults';
import { ProbeRow } from '../lib/analysis/phase';
import { analysisPlan } from '../lib/analysis/plan';
import { checkChoice, checkInteger, InvalidOptionError } from '../lib/util/errors';
import { designPoolReplication, xorPoolSeed } from './coveragePool';

const EXPERIMENTS = [...COVERAGE_DESIGNS, 'xor', 'xor-own-graph'] as const;
type ExperimentName = (typeof EXPERIMENTS)[number];
const SEEDS_PER_SCALE = 6;

const DESCRIPTIONS: Record<ExperimentName, string> = {
  gaussian: 'i.i.d. Gaussian snapshots at every epoch: D constant (≈ 1), no crossing of D = 1',
  switch: 'excess-load snapshots: D ≈ 0.81 before epoch 640 and ≈ 1.19 from it on, in every run',
  hover: 'excess-load snapshots: D ≈ 0.81 before epoch 640, ≈ 1.03 (just above 1) until 1120, ≈ 1.19 after',
  xor: 'XOR 2 → h → 1, quick profile (2000 epochs, 51 snapshots), all groups on the plan graph (graph seed 0)',
  'xor-own-graph': 'the same XOR runs, each group probed on a graph of its own (graph seed 1 + group), as an independent lab would',
};

interface Args {
  /** Replications of each synthetic design. */
  replications: Record<CoverageDesign, number>;
  xorReplications: number;
  bootstrap: number;
  /** Epochs of the synthetic designs: 0, step, …, 2000. */
  epochStep: number;
  only: ExperimentName[];
  out: string;
}

/** `--replications 60` (every design) or `--replications switch=60,hover=60,gaussian=30`. */
function parseReplications(value: string, current: Record<CoverageDesign, number>): Record<CoverageDesign, number> {
  if (/^\d+$/.test(value)) {
    const n = checkInteger('--replications', Number(value), 2);
    return { gaussian: n, switch: n, hover: n };
  }
  const out = { ...current };
  for (const part of value.split(',')) {
    const [name, count] = part.split('=');
    out[checkChoice('--replications (design)', name, COVERAGE_DESIGNS)] = checkInteger(`--replications ${name}`, Number(count), 2);
  }
  return out;
}

function parseArgs(argv: string[]): Args {
  const smoke = argv.includes('--smoke');
  const args: Args = {
    replications: smoke ? { gaussian: 4, switch: 4, hover: 4 } : { gaussian: 30, switch: 60, hover: 60 },
    xorReplications: smoke ? 4 : 100,
    bootstrap: smoke ? 200 : 1000,
    epochStep: 80,
    only: [...EXPERIMENTS],
    out: coverageResultsPath(),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--smoke') continue;
    const value = argv[++i];
    if (value === undefined) throw new InvalidOptionError(flag, 'needs a value');
    if (flag === '--replications') args.replications = parseReplications(value, args.replications);
    else if (flag === '--epoch-step') args.epochStep = checkInteger('--epoch-step', Number(value), 1, 2000);
    else if (flag === '--xor-replications') args.xorReplications = checkInteger('--xor-replications', Number(value), 2);
    else if (flag === '--bootstrap') args.bootstrap = checkInteger('--bootstrap', Number(value), 10);
    else if (flag === '--only') args.only = value.split(',').map((name) => checkChoice('--only', name, EXPERIMENTS));
    else if (flag === '--out') args.out = value;
    else throw new InvalidOptionError(flag, `unknown flag; allowed: --smoke, --replications, --xor-replications, --bootstrap, --epoch-step, --only, --out`);
  }
  return args;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(0)} s`;
}

/** Groups of the XOR pool: replication g holds training seeds 6g … 6g + 5, on the shared graph or its own. */
async function xorGroups(replications: number, graph: 'shared' | 'own'): Promise<ProbeRow[][]> {
  const groups: ProbeRow[][] = [];
  const started = performance.now();
  for (let g = 0; g < replications; g++) {
    const rows: ProbeRow[] = [];
    for (let s = SEEDS_PER_SCALE * g; s < SEEDS_PER_SCALE * (g + 1); s++) {
      const seed = await xorPoolSeed(s, { groupSize: SEEDS_PER_SCALE });
      rows.push(...seed.rows.filter((r) => (graph === 'shared' ? r.graphSeed === 0 : r.graphSeed !== 0)));
      if (!seed.hit) process.stdout.write(`  trained and probed XOR seed ${s} (${seconds(started)} so far)\n`);
    }
    groups.push(rows);
  }
  return groups;
}

/** Replications of a synthetic design: group g holds run seeds 6g … 6g + 5, at epochs 0, step, …, 2000. */
async function designGroups(design: CoverageDesign, replications: number, epochStep: number): Promise<ProbeRow[][]> {
  const epochs = Array.from({ length: Math.floor(2000 / epochStep) + 1 }, (_, i) => epochStep * i);
  const groups: ProbeRow[][] = [];
  const started = performance.now();
  for (let g = 0; g < replications; g++) {
    const seeds = Array.from({ length: SEEDS_PER_SCALE }, (_, i) => SEEDS_PER_SCALE * g + i);
    const { rows, hit } = await designPoolReplication(design, seeds, epochs);
    if (!hit) process.stdout.write(`  probed ${design} replication ${g} (${seconds(started)} so far)\n`);
    groups.push(rows);
  }
  return groups;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const base = analysisPlan('quick');
  const plan = { bootstrap: args.bootstrap, seed: base.seed, lastingPoints: base.lastingPoints };
  const rule = { ...plan, seedBootstrap: base.seedBootstrap, crossingInterval: base.crossingInterval };
  const started = performance.now();
  const experiments: CoverageExperiment[] = [];
  for (const name of args.only) {
    const t0 = performance.now();
    console.log(`${name}: ${DESCRIPTIONS[name]}`);
    let groups: ProbeRow[][];
    if (name === 'xor' || name === 'xor-own-graph') groups = await xorGroups(args.xorReplications, name === 'xor' ? 'shared' : 'own');
    else groups = await designGroups(name as CoverageDesign, args.replications[name as CoverageDesign], args.epochStep);
    console.log(`  ${groups.length} replications ready (${seconds(t0)})`);
    const crossing = name !== 'gaussian';
    let last = performance.now();
    const study = coverageStudy(groups, plan, {
      crossing,
      onProgress: (done, total) => {
        if (performance.now() - last > 30_000 || done === total) {
          last = performance.now();
          console.log(`  analysed ${done}/${total} (${seconds(t0)})`);
        }
      },
    });
    // Per-replication intervals are kept for the XOR sweep only (the figures draw them): they would make the file ~1 MB.
    experiments.push(coverageExperiment(name, DESCRIPTIONS[name], study, { crossing, rule, keepReplications: name === 'xor' }));
    for (const row of study.table)
      console.log(
        `  ${row.interval.padEnd(24)} ${row.seedBootstrap.padEnd(12)} ${row.method.padEnd(15)} ${(100 * row.coverage).toFixed(1).padStart(5)} %` +
          (Number.isFinite(row.coverageLow) ? ` [${(100 * row.coverageLow).toFixed(1)}, ${(100 * row.coverageHigh).toFixed(1)}]` : '') +
          ` of ${row.replications}`,
      );
  }
  let gitCommit = 'unknown';
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    /* not a git checkout */
  }
  const results: CoverageResults = {
    version: COVERAGE_RESULTS_VERSION,
    createdAt: new Date().toISOString(),
    gitCommit,
    command: `npm run coverage -- ${process.argv.slice(2).join(' ')}`.trim(),
    wallSeconds: Math.round((performance.now() - started) / 1000),
    plan: rule,
    experiments,
  };
  writeCoverageResults(results, args.out);
  console.log(`written ${args.out} (${seconds(started)})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
