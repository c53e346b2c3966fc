import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { epochsOverOnset, epochsSinceOnset, onsetEpoch } from '../../lib/train/onset';

const epoch = [0, 10, 20, 30, 40, 50, 60];

test('onset: first epoch from which the metric stays ≥ threshold to the end (default)', () => {
  const acc = [0.1, 0.5, 0.995, 0.98, 0.99, 1, 1];
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc' }), 40);
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc', threshold: 0.999 }), 50);
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc', threshold: 0.97 }), 20);
});

test('onset with sustain: needs that many consecutive evaluations, or to reach the end above', () => {
  const acc = [0.1, 1, 0.5, 1, 1, 0.2, 1];
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc', sustain: 1 }), 10);
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc', sustain: 2 }), 30);
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc', sustain: 3 }), 60); // the last point reaches the end
  assert.equal(onsetEpoch({ epoch, acc }, { metric: 'acc' }), 60);
});

test('onset is null when never reached; NaN never counts; works on an arquero table', () => {
  assert.equal(onsetEpoch({ epoch, acc: [0, 0, 0, 0, 0, 0, 0.5] }, { metric: 'acc' }), null);
  assert.equal(onsetEpoch({ epoch, acc: epoch.map(() => NaN) }, { metric: 'acc' }), null);
  const table = aq.table({ epoch, trainAccuracy: [0, 0, 0, 1, 1, 1, 1] });
  assert.equal(onsetEpoch(table, { metric: 'trainAccuracy' }), 30);
  assert.throws(() => onsetEpoch(table, { metric: 'nope' }), /onset\.metric.*trainAccuracy/);
});

test('aligned time: epoch − onset and epoch / onset', () => {
  assert.deepEqual(Array.from(epochsSinceOnset([0, 10, 40], 20)!), [-20, -10, 20]);
  assert.deepEqual(Array.from(epochsOverOnset([0, 10, 40], 20)!), [0, 0.5, 2]);
  assert.equal(epochsSinceOnset([1], null), null);
  assert.throws(() => epochsOverOnset([1], 0), /onset/);
});
