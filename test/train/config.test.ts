import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidOptionError } from '../../lib/util/errors';
import { resolveTrainConfig, TrainConfigInput } from '../../lib/train/config';

function rejects(input: unknown, field: string, pattern?: RegExp): void {
  assert.throws(
    () => resolveTrainConfig(input as TrainConfigInput),
    (e: unknown) => e instanceof InvalidOptionError && e.field === field && (!pattern || pattern.test(e.message)),
    `expected InvalidOptionError on ${field}`,
  );
}

test('defaults follow the per-task recipes', () => {
  const xor = resolveTrainConfig({ task: 'xor' });
  assert.deepEqual(
    [xor.model.activation, xor.model.initScale, xor.optimizer.name, xor.optimizer.lr, xor.loss, xor.model.bias],
    ['tanh', 0.1, 'sgd', 1, 'bce', true],
  );
  const ma = resolveTrainConfig({ task: 'modular-addition' });
  assert.deepEqual(
    [ma.model.activation, ma.model.bias, ma.optimizer.name, ma.optimizer.lr, ma.optimizer.beta2, ma.optimizer.weightDecay, ma.loss],
    ['quadratic', false, 'adamw', 1e-3, 0.98, 1, 'cross-entropy'],
  );
  assert.deepEqual(ma.task, { name: 'modular-addition', p: 59, trainFraction: 0.8 });
  const sp = resolveTrainConfig({ task: 'sparse-parity' });
  assert.deepEqual([sp.optimizer.name, sp.loss], ['adamw', 'bce']);
  // Resolving a resolved config changes nothing.
  assert.deepEqual(resolveTrainConfig(ma), ma);
});

test('bad input is rejected before any work, naming the field and allowed values', () => {
  rejects({ task: 'mnist' }, 'task.name', /"xor", "sparse-parity", "modular-addition"/);
  rejects({ task: 'xor', model: { activation: 'gelu' } }, 'model.activation', /"relu", "tanh", "quadratic"/);
  rejects({ task: 'xor', optimizer: { name: 'rmsprop' } }, 'optimizer.name', /"sgd", "adam", "adamw"/);
  rejects({ task: 'xor', loss: 'hinge' }, 'loss', /"bce", "cross-entropy", "mse"/);
  rejects({ task: 'xor', hidden: 0 }, 'model.hidden[0]');
  rejects({ task: 'xor', model: { hidden: [8, -1] } }, 'model.hidden[1]');
  rejects({ task: 'xor', optimizer: { lr: 0 } }, 'optimizer.lr');
  rejects({ task: 'xor', optimizer: { lr: -1 } }, 'optimizer.lr');
  rejects({ task: { name: 'modular-addition', p: 1 } }, 'task.p');
  rejects({ task: { name: 'modular-addition', trainFraction: 1 } }, 'task.trainFraction');
  rejects({ task: { name: 'modular-addition', trainFraction: 0 } }, 'task.trainFraction');
  rejects({ task: 'xor', epochs: 100, snapshots: { epochs: [0, 50, 101] } }, 'snapshots.epochs', /0 … 100/);
  rejects({ task: 'xor', epochs: 10, snapshots: { count: 12 } }, 'snapshots.count', /0 … 11/);
  rejects({ task: 'xor', snapshots: { count: 5, spacing: 'cubic' } }, 'snapshots.spacing', /"linear", "log"/);
  rejects({ task: 'modular-addition', loss: 'bce' }, 'loss');
  rejects({ task: 'xor', loss: 'cross-entropy' }, 'loss');
  rejects({ task: 'xor', learningRate: 0.1 }, 'config.learningRate');
});
