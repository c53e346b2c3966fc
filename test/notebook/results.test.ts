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
  const value = await timedStage(
    '03-fss',
    'probe',
    async () => ({ hit: true }),
    (r) => ({ cacheHits: r.hit ? 1 : 0, entries: 1 }),
  );
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

test('the reproduce summary puts the headline numbers next to the paper and says what is missing', async () => {
  const { formatResultsSummary } = await import('../../lib/notebook/results');
  const text = formatResultsSummary({
    '03-finite-size-scaling': {
      dPre: 0.912345,
      dPreCI: [0.85, 0.97],
      dPost: 1.18,
      dPostCI: [1.1, 1.25],
      crossing: 812,
      onset: 790,
      stages: { probe: { seconds: 1.25, cacheHits: 3, entries: 4 } },
    },
  });
  assert.match(text, /D before onset\s+0\.912\s+CI \[0\.850, 0\.970\]/);
  assert.match(text, /crossing of D = 1 \(epoch\)\s+812 .* vs onset 790/);
  assert.match(text, /03-finite-size-scaling\s+probe\s+1\.3 s\s+cache hits 3\/4/);
  assert.match(text, /notebook 04 recorded no Gaussian D per topology/);
  assert.equal(formatResultsSummary({}), 'no results recorded (data/results/ is empty)');
});

test('long recorded tables are summarised, not printed whole', async () => {
  const { formatResultsSummary } = await import('../../lib/notebook/results');
  const rows = Array.from({ length: 40 }, (_, i) => ({ N: i, alpha: 2.5, verdict: 'power law plausible (p > 0.1)' }));
  const text = formatResultsSummary({ '02-gradient-avalanches': { powerLawFits: rows, largestN: 2001 } });
  assert.match(text, /powerLawFits: \(40 entries: see the notebook's results file\)/);
  assert.match(text, /largestN: 2001/);
});
