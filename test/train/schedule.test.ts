import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricEpochs, snapshotEpochs } from '../../lib/train/schedule';

test('51 linear snapshots over 3000 epochs: every 60 epochs, 0 and 3000 included', () => {
  const s = snapshotEpochs({ count: 51, spacing: 'linear' }, 3000);
  assert.equal(s.length, 51);
  assert.deepEqual(s.slice(0, 3), [0, 60, 120]);
  assert.equal(s[50], 3000);
});

test('log snapshots: 0, then distinct log-spaced epochs ending at the budget', () => {
  const s = snapshotEpochs({ count: 11, spacing: 'log' }, 1000);
  assert.equal(s.length, 11);
  // round(1000^(i/9)), i = 0 … 9, after the leading 0.
  assert.deepEqual(s, [0, 1, 2, 5, 10, 22, 46, 100, 215, 464, 1000]);
  assert.equal(s[0], 0);
  assert.equal(s[1], 1);
  assert.equal(s[10], 1000);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1]);
  // Dense request: still distinct.
  const dense = snapshotEpochs({ count: 11, spacing: 'log' }, 10);
  assert.deepEqual(dense, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('metric epochs include 0 and the last epoch', () => {
  assert.deepEqual(metricEpochs(10, 25), [0, 10, 20, 25]);
  assert.deepEqual(metricEpochs(1, 3), [0, 1, 2, 3]);
});
