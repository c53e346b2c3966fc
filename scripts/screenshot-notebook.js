#!/usr/bin/env node
'use strict';
/**
 * Checks that the figures of an executed notebook are seen by a reader, in two renderings:
 *
 *   node scripts/screenshot-notebook.js [notebook.ipynb …] [--out data/screenshots/03-….png]
 *        [--mode both|notebook|static] [--timeout 90]
 *
 * Without notebooks: every data/executed/*.ipynb. Screenshots go to data/screenshots/<name>*.png
 * (--out names them for a single notebook). One Chromium and one Notebook server serve all the
 * notebooks of a call (the kernel each page starts is shut down after it).
 *
 * A. The notebook file itself: plotly.js is inlined at most once, and every figure output
 *    carries a static image whose layout check (made when it was drawn) found no problem.
 * B. Classic Jupyter Notebook 6 (mode notebook):
 *    1. copies the notebook into a temporary folder of the project (so Notebook's autosave and
 *       checkpoints never touch the executed copy) and marks the copy as trusted (`jupyter
 *       trust`; Notebook 6 strips scripts from untrusted HTML outputs, so it would show only the
 *       static images);
 *    2. `jupyter notebook` on 127.0.0.1 with a random token, project-local Jupyter state (started once);
 *    3. opens the notebook in headless Chromium (playwright-core), waits until every plot div
 *       holds a drawn plotly SVG, runs the layout check on every plot with its modebar (titles
 *       clear of the modebar, panel titles, axis titles, tick labels and the legend; legend and
 *       annotations clear of the data; 7–9 pt, one font family), and takes a screenshot of each
 *       figure's output with the pointer over it (modebar visible) — <out>-plot-<k>.png — and of
 *       the window (<out>.png); a figure inside a scrolled output box (24em high) is a problem;
 *    4. shuts the page's kernel down (and, after the last notebook, the server).
 * C. A static render without JavaScript (mode static), what GitHub, nbviewer and e-mail show:
 *    `jupyter nbconvert --to html` of the notebook, opened in Chromium with JavaScript disabled;
 *    every plot div must show its static image (loaded, with a size); screenshots of each figure's
 *    output (<out>-static-<k>.png) and of the whole page (<out>-static.png).
 * Exit status 0 when every check of every notebook passed (at least one figure drawn in Notebook 6,
 * every plot div drawn, no layout problem, every static image shown); 1 otherwise (with what it
 * saw); 2 on setup errors.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const env = require('./jupyter-env');

/** The compiled library's module `lib/<name>` (build/ must exist: npm run build). */
function library(name) {
  return require(path.join(env.projectRoot, 'build', 'lib', `${name}.js`));
}

const MODES = ['both', 'notebook', 'static'];
const USAGE = `usage: node scripts/screenshot-notebook.js [notebook.ipynb …] [--out data/screenshots/NAME.png] [--mode ${MODES.join('|')}] [--timeout 90]\nWithout notebooks: every data/executed/*.ipynb. Screenshots go to data/screenshots/.`;

function parseArgs(argv) {
  const options = { notebooks: [], out: null, timeoutS: 90, mode: 'both' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') options.out = path.resolve(argv[++i]);
    else if (argv[i] === '--timeout') options.timeoutS = Number(argv[++i]);
    else if (argv[i] === '--mode') options.mode = argv[++i];
    else if (argv[i] === '--help' || argv[i] === '-h') options.help = true;
    else if (argv[i].startsWith('-'))
      throw new Error(`unknown option ${argv[i]}; allowed: --out FILE.png, --mode ${MODES.join('|')}, --timeout SECONDS, --help`);
    else options.notebooks.push(path.resolve(argv[i]));
  }
  if (!MODES.includes(options.mode)) throw new Error(`--mode: got ${JSON.stringify(options.mode)}; allowed values: ${MODES.join(', ')}`);
  if (!(options.timeoutS > 0)) throw new Error(`--timeout: must be a positive number of seconds, got ${options.timeoutS}`);
  if (options.notebooks.length === 0) {
    const executed = path.join(env.projectRoot, 'data', 'executed');
    options.notebooks = (fs.existsSync(executed) ? fs.readdirSync(executed) : [])
      .filter((name) => name.endsWith('.ipynb'))
      .sort()
      .map((name) => path.join(executed, name));
    if (options.notebooks.length === 0) throw new Error(`no executed notebook in ${executed}: run \`npm run notebooks\` first`);
  }
  if (options.out && options.notebooks.length > 1) throw new Error('--out: names the screenshots of one notebook; give one notebook, or leave --out out');
  for (const notebook of options.notebooks) if (!fs.existsSync(notebook)) throw new Error(`${notebook} not found: run \`npm run notebooks\` first`);
  return options;
}

/** Where the screenshots of `notebook` go: --out, else data/screenshots/<name>.png (+ -plot-k, -static, …). */
function screenshotPath(options, notebook) {
  return options.out ?? path.join(env.projectRoot, 'data', 'screenshots', `${path.basename(notebook, '.ipynb')}.png`);
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
  await stopKernels({ base, token });
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
    messages: divs.map((div) => (div.querySelector('svg') || div.querySelector('img.grokfss-static') ? '' : div.textContent.trim())).filter(Boolean),
    // Figures inside a scroll box of 24em: Notebook 6 puts a cell's outputs there when they are taller
    // than 100 lines, unless the cell's metadata says "scrolled": false.
    inScrollBox: divs.map((div, k) => (div.closest('.output_scroll') ? k + 1 : 0)).filter(Boolean),
  };
}

/** What the static page shows: for each plot div, whether its static image is loaded and has a size. */
function inspectStaticPage() {
  return Array.from(document.querySelectorAll('.grokfss-plotly')).map((div) => {
    const image = div.querySelector('img.grokfss-static');
    const box = image ? image.getBoundingClientRect() : null;
    return {
      image: Boolean(image),
      loaded: Boolean(image && image.complete && image.naturalWidth > 0),
      width: box ? box.width : 0,
      height: box ? box.height : 0,
    };
  });
}

/**
 * A. The executed notebook as a file: how many outputs inline plotly.js, and for each figure
 * output (one carrying the plotly mime type) its static image and recorded layout problems.
 */
function checkNotebookFile(file) {
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
  const text = (value) => (Array.isArray(value) ? value.join('') : String(value ?? ''));
  let plotlyBundles = 0;
  const figures = [];
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      const data = output.data ?? {};
      if (/\/\* plotly\.js \d/.test(text(data['text/html']))) plotlyBundles++;
      if (!data['application/vnd.plotly.v1+json']) continue;
      const meta = (output.metadata ?? {}).grokfss ?? {};
      const image = data['image/svg+xml'] ? 'image/svg+xml' : data['image/png'] ? 'image/png' : null;
      figures.push({ cell: index, image, imageBytes: meta.staticImageBytes ?? null, layoutProblems: meta.layoutProblems ?? [] });
    }
  });
  const problems = [];
  if (plotlyBundles > 1) problems.push(`plotly.js is inlined ${plotlyBundles} times (at most once per notebook)`);
  for (const f of figures) {
    if (!f.image) problems.push(`cell ${f.cell}: the figure output has no static image`);
    for (const p of f.layoutProblems) problems.push(`cell ${f.cell}: ${p}`);
  }
  return { bytes: fs.statSync(file).size, plotlyBundles, figures, problems };
}

async function startNotebookServer(options, jupyterEnv) {
  const token = crypto.randomBytes(16).toString('hex');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(
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
  child.stdout.on('data', (chunk) => log.push(chunk.toString()));
  child.stderr.on('data', (chunk) => log.push(chunk.toString()));
  const server = { base, token, child, log };
  await waitForServer(base, token, child, Date.now() + options.timeoutS * 1000).catch(async (error) => {
    await stopServer(base, token, child);
    throw new Error(`${error.message}\n${log.join('').slice(-2000)}`);
  });
  return server;
}

/** Shuts down every kernel of the server (the one a notebook page started). */
async function stopKernels(server) {
  try {
    const kernels = await (await fetch(`${server.base}/api/kernels?token=${server.token}`)).json();
    for (const kernel of kernels) await fetch(`${server.base}/api/kernels/${kernel.id}?token=${server.token}`, { method: 'DELETE' });
  } catch {
    // server gone: stopServer reports nothing either
  }
}

/**
 * B. Notebook 6: every plot drawn, the layout check on each, screenshots with the modebar shown.
 * `target` = { notebook, out }; `copyDir` is a folder of the project for the trusted copy.
 */
async function notebookPageReport(target, options, browser, server, copyDir, jupyterEnv) {
  const copy = path.join(copyDir, path.basename(target.notebook));
  fs.copyFileSync(target.notebook, copy);
  let page;
  try {
    const trust = spawnSync(env.python, ['-m', 'jupyter', 'trust', copy], { env: jupyterEnv, encoding: 'utf8' });
    if (trust.status !== 0) throw new Error(`jupyter trust failed: ${trust.stderr}`);
    const rel = path.relative(env.projectRoot, copy);
    page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const consoleErrors = [];
    page.on('pageerror', (error) => consoleErrors.push(String(error.message || error)));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const url = `${server.base}/notebooks/${rel.split(path.sep).map(encodeURIComponent).join('/')}?token=${server.token}`;
    await page.goto(url, { waitUntil: 'load', timeout: options.timeoutS * 1000 });
    await page.waitForSelector('.grokfss-plotly', { timeout: options.timeoutS * 1000 });
    // Plots are drawn by scripts in the outputs; wait until every plot div holds an SVG or a message.
    await page
      .waitForFunction(
        () =>
          Array.from(document.querySelectorAll('.grokfss-plotly')).every(
            (div) => div.querySelector('svg.main-svg') || (!div.querySelector('img.grokfss-static') && div.textContent.trim()),
          ),
        null,
        { timeout: 30000 },
      )
      .catch(() => {});
    // MathJax's status box ("Typesetting math: 100%") sits over the page until typesetting ends.
    await page
      .waitForFunction(
        () => {
          const box = document.getElementById('MathJax_Message');
          return !box || box.style.display === 'none' || box.textContent.trim() === '';
        },
        null,
        { timeout: 15000 },
      )
      .catch(() => {});
    const report = await page.evaluate(inspectPage);
    const layoutCheck = library('plot/layoutCheck');
    await page.addScriptTag({ content: layoutCheck.layoutCheckScript() });
    const [minFontPt, maxFontPt] = layoutCheck.LAYOUT_FONT_RANGE_PT;
    // Font sizes are held to the printed range only in paper-style figures (as in lib/plot/staticImage.ts).
    const paperFamilies = Object.values(library('plot/styles').PAPER_STYLES).map((style) => style.fontFamily);
    report.layoutProblems = await page.evaluate(
      ({ check, paperFamilies }) =>
        Array.from(document.querySelectorAll('.grokfss-plotly.js-plotly-plot')).map((div) =>
          window.__grokfssLayoutProblems(div, { ...check, fontSizes: paperFamilies.includes(((div.layout || {}).font || {}).family) }),
        ),
      { check: { modebar: true, minFontPt, maxFontPt }, paperFamilies },
    );
    fs.mkdirSync(path.dirname(target.out), { recursive: true });
    report.plotScreenshots = [];
    const plots = page.locator('.grokfss-plotly.js-plotly-plot');
    for (let k = 0; k < report.drawn; k++) {
      const plot = plots.nth(k);
      await plot.scrollIntoViewIfNeeded();
      await plot.hover({ position: { x: 5, y: 5 } }); // shows the modebar, as a reader's pointer would
      const shot = target.out.replace(/\.png$/, `-plot-${k + 1}.png`);
      await plot.locator('xpath=ancestor::div[contains(@class, "output_area")][1]').screenshot({ path: shot });
      report.plotScreenshots.push(shot);
    }
    await page.screenshot({ path: target.out, fullPage: true });
    report.screenshot = target.out;
    report.consoleErrors = consoleErrors;
    const problems = [];
    if (report.drawn === 0) problems.push('no plot was drawn in Notebook 6');
    if (report.drawn !== report.plotDivs) problems.push(`${report.plotDivs - report.drawn} of ${report.plotDivs} plot divs were not drawn`);
    if (!report.traces.every((n) => n > 0)) problems.push('a plot was drawn without traces');
    for (const k of report.inScrollBox)
      problems.push(
        `Notebook 6 plot ${k} is inside a scrolled output box (the cell's outputs are taller than 100 lines): set "scrolled": false in the cell's metadata`,
      );
    report.layoutProblems.forEach((list, k) => list.forEach((p) => problems.push(`Notebook 6 plot ${k + 1}: ${p}`)));
    report.problems = problems;
    return report;
  } finally {
    if (page) await page.close();
    await stopKernels(server);
    fs.rmSync(copy, { force: true });
  }
}

/** C. The notebook as static HTML (nbconvert) with JavaScript disabled: every figure shows its image. */
async function staticPageReport(target, options, browser, jupyterEnv) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-static-'));
  try {
    const convert = spawnSync(env.python, ['-m', 'jupyter', 'nbconvert', '--to', 'html', '--output-dir', dir, target.notebook], {
      env: jupyterEnv,
      encoding: 'utf8',
    });
    if (convert.status !== 0) throw new Error(`jupyter nbconvert --to html failed: ${convert.stderr.slice(-2000)}`);
    const html = path.join(dir, `${path.basename(target.notebook, '.ipynb')}.html`);
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(`file://${html}`, { waitUntil: 'load', timeout: options.timeoutS * 1000 });
      const images = await page.evaluate(inspectStaticPage);
      const shots = [];
      const plots = page.locator('.grokfss-plotly');
      for (let k = 0; k < images.length; k++) {
        const shot = target.out.replace(/\.png$/, `-static-${k + 1}.png`);
        await plots.nth(k).locator('xpath=ancestor::div[contains(@class, "jp-OutputArea-child")][1]').screenshot({ path: shot });
        shots.push(shot);
      }
      const screenshot = target.out.replace(/\.png$/, '-static.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      const problems = [];
      images.forEach((image, k) => {
        if (!image.image) problems.push(`static render: figure ${k + 1} has no static image`);
        else if (!image.loaded || !(image.width > 0 && image.height > 0)) problems.push(`static render: figure ${k + 1}'s image did not load`);
      });
      if (images.length === 0) problems.push('static render: no figure found');
      return { htmlBytes: fs.statSync(html).size, figures: images.length, images, screenshot, plotScreenshots: shots, problems };
    } finally {
      await context.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** All checks of one notebook (A, then B and C as the mode says); its report and problems. */
async function notebookReport(notebook, options, browser, server, copyDir, jupyterEnv) {
  const started = Date.now();
  const target = { notebook, out: screenshotPath(options, notebook) };
  const report = { notebook: path.relative(process.cwd(), notebook), file: checkNotebookFile(notebook) };
  if (options.mode !== 'static') report.notebook6 = await notebookPageReport(target, options, browser, server, copyDir, jupyterEnv);
  if (options.mode !== 'notebook') report.staticRender = await staticPageReport(target, options, browser, jupyterEnv);
  report.seconds = (Date.now() - started) / 1000;
  report.problems = [...report.file.problems, ...(report.notebook6?.problems ?? []), ...(report.staticRender?.problems ?? [])];
  return report;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const problem = env.jupyterProblem();
  if (problem) throw new Error(problem);
  env.ensureKernel();
  const jupyterEnv = env.jupyterEnv();
  const { launchChromium } = library('plot/export');
  const browser = await launchChromium();
  let server = null;
  const copyDir = fs.mkdtempSync(path.join(env.projectRoot, 'data', 'tmp-screenshot-')); // not a dot-folder: Notebook 6 refuses hidden paths
  const reports = [];
  try {
    if (options.mode !== 'static') server = await startNotebookServer(options, jupyterEnv);
    for (const notebook of options.notebooks) {
      const report = await notebookReport(notebook, options, browser, server, copyDir, jupyterEnv);
      reports.push(report);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      const shots = [report.notebook6?.screenshot, report.staticRender?.screenshot].filter(Boolean).map((f) => path.relative(process.cwd(), f));
      const name = path.basename(notebook);
      if (report.problems.length === 0) {
        const drawn = report.notebook6 ? `${report.notebook6.drawn} plot(s) drawn in Notebook 6, ` : '';
        const statics = report.staticRender ? `${report.staticRender.figures} static image(s) shown without JavaScript, ` : '';
        process.stdout.write(`✓ ${name}: ${drawn}${statics}no layout problem (${report.seconds.toFixed(1)} s); screenshots ${shots.join(', ')}\n`);
      } else {
        process.stdout.write(`✗ ${name}: ${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      }
    }
  } finally {
    if (server) await stopServer(server.base, server.token, server.child);
    await browser.close();
    fs.rmSync(copyDir, { recursive: true, force: true });
  }
  const failed = reports.filter((r) => r.problems.length > 0);
  if (reports.length > 1)
    process.stdout.write(
      `${reports.length - failed.length} of ${reports.length} notebook(s) passed${failed.length ? `; problems in ${failed.map((r) => path.basename(r.notebook)).join(', ')}` : ''}\n`,
    );
  process.exitCode = failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`screenshot-notebook: ${error.stack || error.message}\n`);
    process.exitCode = 2;
  });
}

module.exports = { checkNotebookFile };
