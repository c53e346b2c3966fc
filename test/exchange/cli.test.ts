/**
 * `grokking-fss export` and `grokking-fss analyze` end to end: a sweep trained by the CLI is
 * exported, exported again (nothing changes), analysed with the JSON summary and the figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportedAnalysisJson } from '../../lib/report/importedRuns';
import { runDirectory, tempDir } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('grokking-fss export writes a stored sweep as .npz files, and refuses a sweep that is not in the store', () => {
  const out = tempDir('cli-export');
  const store = path.join(out, 'store');
  const sweep = ['--task', 'xor', '--scales', '4,6,8', '--seeds', '0,1', '--epochs', '200', '--profile', 'smoke', '--store', store];
  const refused = cli(['export', ...sweep, '--out', path.join(out, 'runs')]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /6 of the 6 runs are not in the store .*train them first: grokking-fss train --task xor --profile smoke --scales 4,6,8/);
  assert.equal(fs.existsSync(path.join(out, 'runs')), false);
  assert.equal(cli(['train', ...sweep, '--workers', '1']).status, 0);
  const exported = cli(['export', ...sweep, '--out', path.join(out, 'runs')]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /6 run files \(npz; 6 written, 0 already identical\)/);
  assert.deepEqual(fs.readdirSync(path.join(out, 'runs')), [
    'xor-h4-N17-seed0.npz',
    'xor-h4-N17-seed1.npz',
    'xor-h6-N25-seed0.npz',
    'xor-h6-N25-seed1.npz',
    'xor-h8-N33-seed0.npz',
    'xor-h8-N33-seed1.npz',
  ]);
  assert.match(cli(['export', ...sweep, '--out', path.join(out, 'runs')]).stdout, /0 written, 6 already identical/);
  const st = cli(['export', ...sweep, '--out', path.join(out, 'st'), '--format', 'safetensors']);
  assert.equal(st.status, 0, st.stderr);
  assert.equal(fs.readdirSync(path.join(out, 'st')).filter((f) => f.endsWith('.safetensors')).length, 6);
  assert.match(
    cli(['export', ...sweep, '--out', path.join(out, 'runs'), '--format', 'csv']).stderr,
    /--format: got "csv"; allowed values: "npz", "safetensors"/,
  );
});

test('grokking-fss analyze prints the fits, writes the JSON summary and the figures (SVG, PNG)', () => {
  const dir = runDirectory('cli-analyze', [40, 80, 160, 320], [0, 1, 2]);
  const out = tempDir('cli-analyze-out');
  const json = path.join(out, 'summary.json');
  const run = cli(['analyze', dir, '--profile', 'smoke', '--store', path.join(out, 'store'), '--json', json, '--figures', path.join(out, 'figures')]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /input\s+observable\s+phase\s+D\s+ciLow\s+ciHigh/);
  assert.match(run.stdout, /real\s+S_total\s+all snapshots/);
  assert.match(run.stdout, /real\s+S_total\s+after onset/);
  assert.match(run.stdout, /Gaussian \(i\.i\.d\.\)\s+S_total\s+all snapshots/);
  assert.match(run.stderr, /analyze 12 runs in 4 scales \(N = 40, 80, 160, 320\)/);
  const summary = JSON.parse(fs.readFileSync(json, 'utf8')) as ImportedAnalysisJson;
  assert.equal(summary.runs, 12);
  assert.deepEqual(summary.scales, [40, 80, 160, 320]);
  assert.equal(summary.onset, 'trainOnset');
  assert.equal(summary.onsetMedian, 300);
  for (const observable of ['S_total', 's_max']) {
    for (const phase of ['all', 'pre', 'post'] as const) {
      const fit = summary.D[observable][phase]!;
      assert.ok(Number.isFinite(fit.estimate), `${observable} ${phase}`);
      assert.ok(fit.ci![0]! <= fit.estimate! && fit.estimate! <= fit.ci![1]!, `${observable} ${phase} CI`);
    }
  }
  // Snapshots at epochs 0 … 500, onset at 300: 3 before, 3 after, per run.
  assert.deepEqual([summary.D.S_total.pre!.rows, summary.D.S_total.post!.rows], [36, 36]);
  assert.equal(summary.trajectory.S_total.length, 6);
  assert.deepEqual(Object.keys(summary.nulls), ['permuted', 'gaussian']);
  assert.deepEqual(
    Object.keys(summary.nulls.gaussian.S_total).filter((k) => summary.nulls.gaussian.S_total[k as 'all'] !== null),
    ['all'],
  );
  for (const name of ['dimension-trajectory', 'scaling-fits'])
    for (const ext of ['svg', 'png']) assert.ok(fs.statSync(path.join(out, 'figures', `${name}.${ext}`)).size > 1000, `${name}.${ext}`);
  const sMax = cli(['analyze', dir, '--profile', 'smoke', '--store', path.join(out, 'store'), '--observable', 's_max', '--nulls', 'none', '--onset', 'none']);
  assert.equal(sMax.status, 0, sMax.stderr);
  assert.match(sMax.stdout, /real\s+s_max\s+all snapshots/);
  assert.doesNotMatch(sMax.stdout, /before onset|permuted/);
});
