import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('results merge per notebook, record stages and read back; NaN becomes null', async () => {
  process.env.GROKFSS_RESULTS = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-results-'));
  const { recordResults, readAllResults, timedStage } = await import('../../lib/notebook/results');
  recordResults('03-fss', { dPre: 0.91 });
  recordResults('03-fss', { dPost: 1.2, crossing: NaN });
  const value = await timedStage('03-fss', 'probe', async () => ({ hit: true }), (r) => ({ cacheHits: r.hit ? 1 : 0, entries: 1 }));
  assert.deepEqual(value, { hit: true });
  const all = readAllResults();
  assert.equal(all['03-fss'].dPre, 0.91);
  assert.equal(all['03-fss'].dPost, 1.2);
  assert.equal(all['03-fss'].crossing, null);
  const stages = all['03-fss'].stages as Record<string, { seconds: number; cacheHits: number }>;
  assert.equal(stages.probe.cacheHits, 1);
  assert.ok(stages.probe.seconds >= 0);
  assert.throws(() => recordResults('../x', {}), /notebook: must be a plain name/);
});
