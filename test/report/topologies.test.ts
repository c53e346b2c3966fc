import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { topologyHeadline, topologySummaryMarkdown, topologyTableDisplay, topologyTableWide } from '../../lib/report/topologies';
import { handTable } from '../analysis/fixtures';

test('the wide and display tables put each D in its column, blank where a kind has no phase', () => {
  const wide = topologyTableWide(handTable()).objects() as Array<Record<string, any>>;
  assert.equal(wide.length, 2);
  assert.equal(wide[0]['S_total D_post'], 1.2);
  assert.equal(wide[0]['S_total D_post high'], 1.35);
  assert.equal(wide[1]['S_total D_pre'], null);
  const display = topologyTableDisplay(handTable());
  assert.deepEqual(Object.keys(display[0]), ['topology', 'input', 'S_total: D_pre', 'S_total: D_post', 'S_total: D (all)']);
  assert.equal(display[0]['S_total: D_post'], '1.20 [1.10, 1.35]');
  assert.equal(display[1]['S_total: D_pre'], '');
  assert.equal(display[1]['S_total: D (all)'], 'n/a');
  assert.equal(display[1].input, 'Gaussian (i.i.d.)');
});

test('the closing paragraph reads its numbers from the table and flags one-seed CIs from the typed column', () => {
  const md = topologySummaryMarkdown(handTable());
  assert.match(md, /D_pre = 0\.80 \[0\.70, 0\.90\], D_post = 1\.20 \[1\.10, 1\.35\]/);
  assert.doesNotMatch(md, /one training seed per scale/);
  const oneSeed = aq.from((handTable().objects() as any[]).map((r) => ({ ...r, oneSeedPerScale: true })));
  assert.match(topologySummaryMarkdown(oneSeed), /one training seed per scale/);
  assert.equal(topologyHeadline(handTable()).realDPost.ba, 1.2);
});
