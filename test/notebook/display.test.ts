import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { formatValue, progressLine, tableHtml, toDataFrame } from '../../lib/notebook/index';

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
  assert.match(html, /1 more rows \(3 in all\)/);
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
