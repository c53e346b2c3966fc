import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root, hasJupyter, notebook, runNotebooks as run, temporaryNotebooksFolder } from './helpers';

// Runs scripts/run-notebooks.js as a user would, on temporary notebooks (helpers.ts).
const work = temporaryNotebooksFolder('tmp-runner-test-');
after(() => fs.rmSync(work, { recursive: true, force: true }));

test(
  'success path: notebooks run in name order, kernel cwd = notebooks folder, profile passed, show() gives one plotly output',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const dir = path.join(work, 'ok');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '10-second.ipynb'), notebook(["console.log('second notebook ran')"]));
    fs.writeFileSync(
      path.join(dir, '02-first.ipynb'),
      notebook([
        'console.log(`cwd=${process.cwd()} profile=${process.env.GROKFSS_PROFILE}`);',
        "import { show } from 'grokking-fss';\nshow({ data: [{ x: [1, 2, 3], y: [2, 1, 3] }], layout: { title: { text: 'first' } } });",
        "show({ data: [{ type: 'bar', x: [1, 2], y: [3, 4] }] });",
      ]),
    );
    const { code, output } = run(dir);
    assert.equal(code, 0, output);
    assert.ok(output.indexOf('02-first.ipynb') < output.indexOf('10-second.ipynb'), 'name order');
    assert.match(output, /✓ 02-first\.ipynb\s+[\d.]+ s/);
    assert.match(output, /Notebook wall times \(profile smoke\)/);

    const executed = JSON.parse(fs.readFileSync(path.join(dir, 'executed', '02-first.ipynb'), 'utf8'));
    const outputsOf = (i: number) => executed.cells[i].outputs;
    const stdout = outputsOf(1)
      .map((o: any) => o.text.join?.('') ?? o.text)
      .join('');
    assert.equal(stdout.trim(), `cwd=${dir} profile=smoke`);
    const [firstPlot] = outputsOf(2);
    const [secondPlot] = outputsOf(3);
    assert.equal(outputsOf(2).length, 1, 'show() sends exactly one output');
    assert.equal(outputsOf(3).length, 1);
    for (const plot of [firstPlot, secondPlot]) {
      assert.equal(plot.output_type, 'display_data');
      assert.deepEqual(Object.keys(plot.data).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    }
    const html = (o: any) => (Array.isArray(o.data['text/html']) ? o.data['text/html'].join('') : o.data['text/html']);
    assert.ok(html(firstPlot).length > 1_000_000, 'the first figure of the session carries plotly.js');
    assert.ok(html(secondPlot).length < 10_000, 'later figures reuse it');
    assert.equal(firstPlot.data['application/vnd.plotly.v1+json'].layout.title.text, 'first');
    assert.ok(fs.existsSync(path.join(dir, 'executed', '10-second.ipynb')));
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'executed')).filter((n) => n.includes('.tmp')),
      [],
    );
  },
);

test('notebook selection: all *.ipynb in name order, or a subset by name or prefix', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { listNotebooks } = require(path.join(root, 'scripts', 'run-notebooks.js')) as { listNotebooks: (dir: string, selectors?: string[]) => string[] };
  const dir = path.join(work, 'select');
  fs.mkdirSync(dir);
  for (const name of ['08-last.ipynb', '00-environment.ipynb', '03-fss.ipynb', 'notes.md', '.hidden.ipynb']) fs.writeFileSync(path.join(dir, name), '{}');
  assert.deepEqual(listNotebooks(dir), ['00-environment.ipynb', '03-fss.ipynb', '08-last.ipynb']);
  assert.deepEqual(listNotebooks(dir, ['08', '00-environment']), ['00-environment.ipynb', '08-last.ipynb']);
  assert.deepEqual(listNotebooks(dir, ['notebooks/03-fss.ipynb']), ['03-fss.ipynb']);
  assert.throws(() => listNotebooks(dir, ['42']), /no notebook matches "42"/);
});

test(
  'failure path: exit 1, notebook name, cell number, source and stderr; no executed copy; the next notebook still runs',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const dir = path.join(work, 'fail');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, '01-breaks.ipynb'),
      notebook([
        "const answer: number = 42;\nconsole.log('before', answer);",
        "console.error('about to fail');\nthrow new Error('deliberate failure 8431');",
        "console.log('must not run')",
      ]),
    );
    fs.writeFileSync(path.join(dir, '02-after.ipynb'), notebook(["console.log('the notebook after a failing one runs')"]));
    // A stale executed copy from an earlier successful run must not survive a failure.
    fs.mkdirSync(path.join(dir, 'executed'));
    fs.writeFileSync(path.join(dir, 'executed', '01-breaks.ipynb'), '{}');

    const { code, output } = run(dir);
    assert.equal(code, 1, output);
    assert.match(output, /✗ 01-breaks\.ipynb FAILED in cell 3 \(cell-error\): cell 3 failed: Error: deliberate failure 8431/);
    assert.match(output, /cell:\s+3 of 4 \(code cell 2\)/);
    assert.match(output, /\| console\.error\('about to fail'\);\n\s+\| throw new Error\('deliberate failure 8431'\);/);
    assert.match(output, /---- stderr ----[\s\S]*about to fail[\s\S]*Error: deliberate failure 8431/);
    assert.match(output, /✓ 02-after\.ipynb/);
    // The full report comes after the summary, so it is the last thing on the terminal.
    assert.ok(output.indexOf('1 of 2 notebook(s) FAILED') > output.indexOf('Notebook wall times'), output);
    assert.equal(fs.existsSync(path.join(dir, 'executed', '01-breaks.ipynb')), false);
    assert.equal(fs.existsSync(path.join(dir, 'executed', '02-after.ipynb')), true);
    const partial = JSON.parse(fs.readFileSync(path.join(dir, 'executed', 'failed', '01-breaks.ipynb'), 'utf8'));
    assert.deepEqual(partial.cells[3].outputs, [], 'the cell after the error was not executed');
  },
);

test('a TypeScript compile error is reported with its message', { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' }, () => {
  const dir = path.join(work, 'typeerror');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '00-types.ipynb'), notebook(["const n: number = 'not a number';"]));
  const { code, output } = run(dir);
  assert.equal(code, 1, output);
  assert.match(output, /cell:\s+2 of 2/);
  assert.match(output, /not assignable to type 'number'/);
});

test('bad settings are rejected before anything runs, listing the allowed values', () => {
  const dir = path.join(work, 'settings');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '00-x.ipynb'), notebook(['1']));
  const profile = run(dir, [], { GROKFSS_PROFILE: 'fast' });
  assert.equal(profile.code, 2);
  assert.match(profile.output, /GROKFSS_PROFILE: got "fast"; allowed values: "smoke", "quick", "paper"/);
  const oldTimeout = run(dir, [], { GROKFSS_CELL_TIMEOUT: '1200' });
  assert.equal(oldTimeout.code, 2);
  assert.match(oldTimeout.output, /GROKFSS_CELL_TIMEOUT is no longer used: cells have no fixed time limit\. Set GROKFSS_CELL_IDLE_TIMEOUT instead/);
  const idle = run(dir, [], { GROKFSS_CELL_IDLE_TIMEOUT: 'soon' });
  assert.equal(idle.code, 2);
  assert.match(idle.output, /GROKFSS_CELL_IDLE_TIMEOUT must be a number of seconds ≥ 0 \(0 = no limit\), got "soon"/);
  const every = run(dir, [], { GROKFSS_PROGRESS_EVERY: '0' });
  assert.equal(every.code, 2);
  assert.match(every.output, /GROKFSS_PROGRESS_EVERY must be a positive number of seconds, got "0"/);
  const missing = run(dir, ['99-nothing']);
  assert.equal(missing.code, 2);
  assert.match(missing.output, /no notebook matches "99-nothing"; available: 00-x\.ipynb/);
  const noJupyter = run(dir, [], { GROKFSS_PYTHON: '/nonexistent/python3' });
  assert.equal(noJupyter.code, 2);
  assert.match(noJupyter.output, /apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert python3-nbclient/);
  assert.equal(fs.existsSync(path.join(dir, 'executed')), false);
});

test(
  'long cells: progress keeps a cell alive past the idle limit, a silent cell is stopped, a dead kernel is named with its last output; all notebooks run, all failures listed',
  { skip: hasJupyter ? false : 'Jupyter (Debian python3-nbclient) not installed' },
  () => {
    const dir = path.join(work, 'long');
    fs.mkdirSync(dir);
    // Cell 3 prints a line every second for 12 s, cell 4 updates a progress display (as the training
    // cells do) for 12 s: both longer than the 8 s idle limit, so only their progress keeps them alive.
    // Cell 2 loads the library first (seconds without output on a busy machine).
    fs.writeFileSync(
      path.join(dir, '01-progress.ipynb'),
      notebook([
        "import { progressDisplay } from 'grokking-fss';",
        'for (let step = 1; step <= 12; step++) {\n  console.log(`training step ${step}/12`);\n  await new Promise((resolve) => setTimeout(resolve, 1000));\n}',
        "const bar = progressDisplay('training');\nfor (let run = 1; run <= 12; run++) {\n  bar({ fraction: run / 12, runsDone: run, runsTotal: 12 });\n  await new Promise((resolve) => setTimeout(resolve, 1000));\n}",
      ]),
    );
    // Silent for 60 s: must be stopped after 8 s without progress.
    fs.writeFileSync(
      path.join(dir, '02-silent.ipynb'),
      notebook(["console.log('going quiet')", 'await new Promise((resolve) => setTimeout(resolve, 60000));', "console.log('must not run')"]),
    );
    // Writes to the kernel process's own stderr (not the cell's), then kills the kernel.
    fs.writeFileSync(
      path.join(dir, '03-dies.ipynb'),
      notebook([
        "console.log('alive')",
        "require('node:fs').writeSync(2, 'last words of the kernel 5519\\n');\nprocess.kill(process.pid, 'SIGKILL');",
        "console.log('must not run')",
      ]),
    );
    fs.writeFileSync(path.join(dir, '04-last.ipynb'), notebook(["console.log('the last notebook runs')"]));

    const { code, output } = run(dir, [], { GROKFSS_CELL_IDLE_TIMEOUT: '8', GROKFSS_PROGRESS_EVERY: '1' });
    assert.equal(code, 1, output);
    assert.match(output, /a cell is stopped after 8 s without progress/);

    // 01: alive lines with the cell's latest output, then success.
    assert.match(output, /cell 3 running \d+ s │ training step \d+\/12/);
    assert.match(output, /cell 4 running \d+ s │ training [█░]{20} \d+ % \(\d+\/12 runs\)/);
    assert.match(output, /✓ 01-progress\.ipynb/);
    const executed = JSON.parse(fs.readFileSync(path.join(dir, 'executed', '01-progress.ipynb'), 'utf8'));
    const printed = executed.cells[2].outputs.map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');
    assert.match(printed, /training step 12\/12/);

    // 02: a heartbeat while silent, then stopped for lack of progress.
    assert.match(output, /cell 3 running \d+ s │ no new output for \d+ s/);
    assert.match(output, /✗ 02-silent\.ipynb FAILED in cell 3 \(no-progress\): cell 3 showed no progress \(no output, no message from the kernel\) for 8 s/);
    assert.match(output, /Raise GROKFSS_CELL_IDLE_TIMEOUT \(now 8 s\)/);

    // 03: the dead kernel's exit status and what it wrote last.
    assert.match(output, /✗ 03-dies\.ipynb FAILED in cell 3 \(dead-kernel\): the kernel died: killed by SIGKILL/);
    assert.match(output, /---- the kernel process's own output \(stdout\/stderr, last lines\) ----\n\s+\| last words of the kernel 5519/);

    // 04 still ran; the final list names both failures with their cells' sources.
    assert.match(output, /✓ 04-last\.ipynb/);
    const report = output.slice(output.indexOf('2 of 4 notebook(s) FAILED:'));
    assert.ok(report.length > 30, output);
    assert.match(
      report,
      /✗ 02-silent\.ipynb FAILED \(no-progress\)[\s\S]*cell:\s+3 of 4[\s\S]*\| await new Promise\(\(resolve\) => setTimeout\(resolve, 60000\)\);/,
    );
    assert.match(report, /✗ 03-dies\.ipynb FAILED \(dead-kernel\)[\s\S]*\| process\.kill\(process\.pid, 'SIGKILL'\);/);
    assert.ok(fs.existsSync(path.join(dir, 'executed', 'failed', '02-silent.ipynb')));
    assert.ok(fs.existsSync(path.join(dir, 'executed', 'failed', '03-dies.ipynb')));
  },
);
