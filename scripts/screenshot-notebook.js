#!/usr/bin/env node
'use strict';
/**
 * Checks that plots drawn by `show()` really render in the classic Jupyter Notebook (6.x):
 *
 *   node scripts/screenshot-notebook.js [data/executed/00-environment.ipynb] [--out data/screenshots/x.png]
 *
 * 1. copies the notebook into a temporary folder of the project (so Notebook's autosave and
 *    checkpoints never touch the executed copy) and marks the copy as trusted (`jupyter trust`; Notebook 6 strips scripts from
 *    untrusted HTML outputs, so an untrusted notebook shows no plot);
 * 2. starts `jupyter notebook` on 127.0.0.1 with a random token, project-local Jupyter state;
 * 3. opens the notebook in headless Chromium (playwright-core), waits until every plot div
 *    holds a drawn plotly SVG, scrolls to the first plot and takes a screenshot of the window
 *    (default data/screenshots/<name>.png) plus one of the plot alone (<name>-plot.png);
 * 4. shuts the kernel and the server down.
 * Exit status 0 when at least one plot was drawn with at least one trace and every plot div
 * was drawn; 1 otherwise (with what it saw); 2 on setup errors.
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const env = require('./jupyter-env');

function parseArgs(argv) {
  const options = { notebook: path.join(env.projectRoot, 'data', 'executed', '00-environment.ipynb'), out: null, timeoutS: 90 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--timeout') options.timeoutS = Number(argv[++i]);
    else options.notebook = path.resolve(argv[i]);
  }
  if (!options.out) options.out = path.join(env.projectRoot, 'data', 'screenshots', `${path.basename(options.notebook, '.ipynb')}.png`);
  return options;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForServer(base, token, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('jupyter notebook did not start in time');
}

async function stopServer(base, token, child) {
  try {
    const kernels = await (await fetch(`${base}/api/kernels?token=${token}`)).json();
    for (const kernel of kernels) await fetch(`${base}/api/kernels/${kernel.id}?token=${token}`, { method: 'DELETE' });
  } catch {
    // server already gone
  }
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** What the page shows: plot divs, drawn plotly graphs, traces, and any "not loaded" message. */
function inspectPage() {
  const divs = Array.from(document.querySelectorAll('.grokfss-plotly'));
  return {
    plotDivs: divs.length,
    drawn: divs.filter((div) => div.classList.contains('js-plotly-plot') && div.querySelector('svg.main-svg')).length,
    traces: divs.map((div) => div.querySelectorAll('g.trace').length),
    messages: divs.map((div) => (div.querySelector('svg') ? '' : div.textContent.trim())).filter(Boolean),
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(options.notebook)) throw new Error(`${options.notebook} not found: run \`npm run notebooks\` first`);
  const problem = env.jupyterProblem();
  if (problem) throw new Error(problem);
  env.ensureKernel();
  const jupyterEnv = env.jupyterEnv();
  const started = Date.now();

  const copyDir = fs.mkdtempSync(path.join(env.projectRoot, 'data', 'tmp-screenshot-')); // not a dot-folder: Notebook 6 refuses hidden paths
  const copy = path.join(copyDir, path.basename(options.notebook));
  fs.copyFileSync(options.notebook, copy);
  const trust = spawnSync(env.python, ['-m', 'jupyter', 'trust', copy], { env: jupyterEnv, encoding: 'utf8' });
  if (trust.status !== 0) throw new Error(`jupyter trust failed: ${trust.stderr}`);
  const rel = path.relative(env.projectRoot, copy);
  const token = crypto.randomBytes(16).toString('hex');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = [];
  const server = spawn(
    env.python,
    [
      '-m',
      'notebook',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--port-retries=0',
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${env.projectRoot}`,
      ...(process.getuid && process.getuid() === 0 ? ['--allow-root'] : []),
    ],
    { cwd: env.projectRoot, env: jupyterEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', (chunk) => serverLog.push(chunk.toString()));
  server.stderr.on('data', (chunk) => serverLog.push(chunk.toString()));

  let browser;
  let report;
  try {
    await waitForServer(base, token, server, Date.now() + options.timeoutS * 1000).catch((error) => {
      throw new Error(`${error.message}\n${serverLog.join('').slice(-2000)}`);
    });
    const { launchChromium } = require(path.join(env.projectRoot, 'build', 'lib', 'plot', 'export.js'));
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const consoleErrors = [];
    page.on('pageerror', (error) => consoleErrors.push(String(error.message || error)));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const url = `${base}/notebooks/${rel.split(path.sep).map(encodeURIComponent).join('/')}?token=${token}`;
    await page.goto(url, { waitUntil: 'load', timeout: options.timeoutS * 1000 });
    await page.waitForSelector('.grokfss-plotly', { timeout: options.timeoutS * 1000 });
    // Plots are drawn by scripts in the outputs; wait until every plot div holds an SVG or a message.
    await page
      .waitForFunction(
        () => Array.from(document.querySelectorAll('.grokfss-plotly')).every((div) => div.querySelector('svg.main-svg') || div.textContent.trim()),
        null,
        { timeout: 30000 },
      )
      .catch(() => {});
    report = await page.evaluate(inspectPage);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    const plotShot = options.out.replace(/\.png$/, '-plot.png');
    if (report.drawn > 0) {
      const first = page.locator('.grokfss-plotly.js-plotly-plot').first();
      await first.scrollIntoViewIfNeeded();
      await first.screenshot({ path: plotShot });
    }
    await page.screenshot({ path: options.out, fullPage: true });
    report = { ...report, screenshot: options.out, plotScreenshot: report.drawn > 0 ? plotShot : null, consoleErrors, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (browser) await browser.close();
    await stopServer(base, token, server);
    fs.rmSync(copyDir, { recursive: true, force: true });
  }
  const ok = report.drawn > 0 && report.drawn === report.plotDivs && report.traces.every((n) => n > 0);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    ok
      ? `✓ ${report.drawn} plot(s) drawn in Notebook 6 (${report.seconds.toFixed(1)} s); screenshot ${path.relative(process.cwd(), report.screenshot)}\n`
      : `✗ plots not drawn in Notebook 6; server log:\n${serverLog.join('').slice(-3000)}\n`,
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`screenshot-notebook: ${error.stack || error.message}\n`);
  process.exitCode = 2;
});
