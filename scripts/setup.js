#!/usr/bin/env node
'use strict';
/**
 * npm run setup: everything a fresh clone needs besides `npm ci`.
 *  1. Debian packages (Jupyter from Debian, Chromium, fonts, poppler-utils, numpy/scipy): installed
 *     with apt-get when missing and we are root; otherwise the exact command is printed (and setup
 *     fails if Jupyter or Chromium is missing, since nothing can run without them).
 *  2. Registers the tslab kernel project-locally in .jupyter/share/jupyter/kernels/tslab.
 *  3. Verifies: executes a one-cell notebook that imports the library by package name, and asks
 *     Chromium for its version.
 * Nothing is written outside the project except by apt-get.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const env = require('./jupyter-env');

const log = (line) => process.stdout.write(`${line}\n`);

function installDebianPackages() {
  const missing = env.missingDebianPackages();
  if (missing.length === 0) {
    log('✓ Debian packages present');
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const haveApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (isRoot && haveApt) {
    log(`installing Debian packages: ${missing.join(' ')}`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
      const run = spawnSync('apt-get', args, { stdio: 'inherit', env: aptEnv });
      if (run.status !== 0) throw new Error(`apt-get ${args[0]} failed; run it yourself: ${env.aptCommand(missing)}`);
    }
    return;
  }
  const essential = [...env.DEBIAN_PACKAGES.jupyter, ...env.DEBIAN_PACKAGES.chromium].filter((name) => missing.includes(name));
  log(`Debian packages missing: ${missing.join(' ')}`);
  log(`install them with:\n  ${env.aptCommand(missing)}`);
  if (essential.length > 0) throw new Error(`cannot continue without ${essential.join(', ')} (command above)`);
}

function verifyKernel() {
  const { runNotebooks } = require('./run-notebooks');
  fs.mkdirSync(path.join(env.projectRoot, 'data'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(env.projectRoot, 'data', 'tmp-setup-'));
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: "import { PROFILE_NAMES } from 'grokking-fss';\nconsole.log(PROFILE_NAMES.join(','));",
      },
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(dir, 'check.ipynb'), JSON.stringify(notebook));
  return runNotebooks({ notebooksDir: dir, executedDir: path.join(dir, 'out'), profile: 'smoke', verbose: false, log: () => {} }).then((run) => {
    const out = run.ok ? JSON.parse(fs.readFileSync(path.join(dir, 'out', 'check.ipynb'), 'utf8')) : null;
    fs.rmSync(dir, { recursive: true, force: true });
    const text = out ? out.cells[0].outputs.map((o) => o.text || '').join('') : '';
    if (!run.ok || !text.includes('smoke,quick,paper'))
      throw new Error(`the tslab kernel did not run a cell that imports grokking-fss:\n${JSON.stringify(run.results[0], null, 2)}`);
    log(`✓ tslab kernel executes cells and imports grokking-fss (${run.results[0].wallSeconds.toFixed(1)} s)`);
  });
}

function verifyChromium() {
  const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
  const version = spawnSync(chrome, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0)
    throw new Error(`Chromium not usable at ${chrome}: install it with ${env.aptCommand(env.DEBIAN_PACKAGES.chromium)} or set CHROME_PATH`);
  log(`✓ ${version.stdout.trim()} (${chrome})`);
}

async function main() {
  const started = Date.now();
  installDebianPackages();
  const problem = env.jupyterProblem();
  if (problem) throw new Error(problem);
  env.ensureKernel({ force: true });
  log(`✓ tslab kernel registered in ${path.relative(env.projectRoot, path.dirname(env.kernelSpecFile))} (use JUPYTER_PATH=${env.jupyterDataPath})`);
  verifyChromium();
  await verifyKernel();
  log(`setup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  process.stderr.write(`setup: ${error.message}\n`);
  process.exitCode = 1;
});
