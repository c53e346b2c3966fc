import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import { formatValue, progressLine, tableFileName, tableHtml, tableRows, toDataFrame } from '../../lib/notebook/index';

/** Runs `body` with GROKFSS_RESULTS pointing at a fresh temporary folder, removed afterwards. */
function withResultsDir<T>(body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-tables-'));
  const saved = process.env.GROKFSS_RESULTS;
  process.env.GROKFSS_RESULTS = dir;
  try {
    return body(dir);
  } finally {
    if (saved === undefined) delete process.env.GROKFSS_RESULTS;
    else process.env.GROKFSS_RESULTS = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('formatValue rounds to significant digits and names special values', () => {
  assert.equal(formatValue(1.234567, 3), '1.23');
  assert.equal(formatValue(1200, 3), '1200');
  assert.equal(formatValue(0.000123456, 3), '1.23e-4');
  assert.equal(formatValue(null), '—');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(-Infinity), '−∞');
  assert.equal(formatValue('ba'), 'ba');
});

test('tableHtml escapes text, rounds numbers, limits rows and says how many are left', () => {
  const table = aq.table({ name: ['<a>', 'b', 'c'], D: [0.98765, 1.2, NaN] });
  const { html, text } = tableHtml(table, { digits: 2, limit: 2, caption: 'D per topology' });
  assert.match(html, /&lt;a&gt;/);
  assert.match(html, /<td[^>]*>0\.99<\/td>/);
  assert.doesNotMatch(html, /NaN/); // third row cut by the limit
  assert.match(html, /1 more row not shown \(3 in all\); pass \{ notebook \} to showTable/);
  assert.equal(text.split('\n')[0], 'D per topology');
  assert.match(text, /name\s+D/);
});

test('progressLine shows the bar, the runs and the time left', () => {
  assert.equal(
    progressLine('training', { fraction: 0.5, runsDone: 24, runsTotal: 48, etaSeconds: 75 }),
    'training ██████████░░░░░░░░░░ 50 % (24/48 runs, 1 min 15 s left)',
  );
  assert.match(progressLine('probe', { fraction: 1, elapsedSeconds: 3 }), /100 % \(done in 3 s\)/);
});

test('toDataFrame gives a danfojs DataFrame with the same columns and values', () => {
  const frame = toDataFrame(aq.table({ h: [20, 32], D: [0.9, null] })) as { columns: string[]; shape: number[]; values: unknown[][] };
  assert.deepEqual(frame.columns, ['h', 'D']);
  assert.deepEqual(frame.shape, [2, 2]);
  assert.equal(frame.values[0][1], 0.9);
  assert.ok(Number.isNaN(frame.values[1][1] as number));
});

test('a long table shows its first rows, counts the hidden ones and writes the full table as CSV', () => {
  withResultsDir((dir) => {
    const rows = Array.from({ length: 48 }, (_, i) => ({ N: 81 + 10 * i, seed: i % 3, trainOnset: i % 5 === 0 ? null : 100 + i / 3 }));
    const { html, text, file } = tableHtml(rows, { caption: 'Onset of every run (epochs; — = never)', notebook: '01-train', name: 'onsets' });
    assert.equal(file, path.join(dir, '01-train', 'onsets.csv'));
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 20, 'header + the default 20 rows');
    assert.ok(html.includes(`28 more rows not shown (48 in all); the full table is in ${file}`), html.slice(-300));
    assert.match(text, /28 more rows not shown/);
    // Every row, full precision, nulls empty.
    const csv = fs.readFileSync(file!, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'N,seed,trainOnset');
    assert.equal(csv.length, 49);
    assert.equal(csv[2], `91,1,${100 + 1 / 3}`);
    assert.equal(csv[1], '81,0,');
    // Written again (new rows): replaced by a rename, so a reader that opened the old file still
    // reads it whole, and no temporary file is left behind.
    const reader = fs.openSync(file!, 'r');
    try {
      tableHtml(
        rows.map((r) => ({ ...r, seed: 9 })),
        { notebook: '01-train', name: 'onsets' },
      );
      assert.equal(fs.readFileSync(reader, 'utf8').trim().split('\n')[1], '81,0,', 'the old file is untouched');
    } finally {
      fs.closeSync(reader);
    }
    assert.equal(fs.readFileSync(file!, 'utf8').trim().split('\n')[1], '81,9,');
    assert.deepEqual(fs.readdirSync(path.dirname(file!)), ['onsets.csv']);
    // Short tables write nothing; the default name comes from the caption.
    assert.equal(tableHtml(rows.slice(0, 5), { notebook: '01-train' }).file, null);
    assert.equal(
      tableHtml(rows, { caption: 'Power-law fits of avalanche sizes per scale and phase', notebook: 'nb' }).file,
      path.join(dir, 'nb', 'power-law-fits-of-avalanche-sizes.csv'),
    );
    assert.throws(() => tableHtml(rows, { notebook: '../x' }), /notebook: must be a plain name/);
    assert.throws(() => tableHtml(rows, { notebook: 'nb', name: 'a/b' }), /name: must be a plain file name/);
  });
  assert.equal(tableFileName(undefined), 'table');
  assert.equal(tableFileName('D before / after onset (95 % CI)'), 'd-before-after-onset-95-ci');
});

test('a column of sentences is left-aligned and kept wide; numbers stay right-aligned', () => {
  const note = 'one training seed at some scale: the bootstrap CI cannot show seed-to-seed spread';
  const { html } = tableHtml([
    { D: 0.775, note },
    { D: 1.26, note: '' },
  ]);
  assert.match(html, /<th style="text-align: right;[^"]*">D<\/th><th style="text-align: left; min-width: 24em;[^"]*">note<\/th>/);
  assert.match(html, new RegExp(`<td style="text-align: right;[^"]*">0.775</td><td style="text-align: left; min-width: 24em;[^"]*">${note}</td>`));
  assert.doesNotMatch(tableHtml([{ D: 0.775, note: 'short' }]).html, /text-align: left/);
});

test('danfo.js frames are shown as HTML tables: describe() with its index, groupby().agg(), a Series', () => {
  const frame = toDataFrame(aq.table({ N: [81, 81, 161, 161, 161], trainOnset: [730.41666666666, 600, 300, 310, 290] })) as any;
  const describe = tableRows(frame.describe());
  assert.deepEqual(describe.columns, ['', 'N', 'trainOnset']);
  assert.deepEqual(
    describe.rows.map((r) => r['']),
    ['count', 'mean', 'std', 'min', 'median', 'max', 'variance'],
  );
  const { html } = tableHtml(frame.describe(), { digits: 4 });
  assert.match(html, /<td[^>]*>mean<\/td><td[^>]*>129<\/td><td[^>]*>446.1<\/td>/);
  assert.doesNotMatch(html, /[┌│═]/, 'no box-drawing text');
  const grouped = tableRows(frame.groupby(['N']).agg({ trainOnset: ['median', 'count'] }));
  assert.deepEqual(grouped.columns, ['N', 'trainOnset_median', 'trainOnset_count'], 'the default index is not shown');
  assert.deepEqual(grouped.rows[0], { N: 81, trainOnset_median: (730.41666666666 + 600) / 2, trainOnset_count: 2 });
  const series = tableRows(frame['trainOnset']);
  assert.deepEqual(series.columns, ['trainOnset']);
  assert.equal(series.rows.length, 5);
});
