import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../lib/train/checkpoint';
import { checkpointDir, trainRun } from '../../lib/train/trainRun';

const CONFIG = { task: 'xor', hidden: 8, epochs: 1200, seed: 5, snapshots: { count: 13 }, optimizer: { momentum: 0.5 } };
const CHECKPOINT_EVERY = 25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

test('a run killed with SIGKILL mid-training resumes from its checkpoint and ends byte-identical', async () => {
  const reference = await trainRun(CONFIG, { root: fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-resume-ref-')) });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-resume-'));
  const trainModule = path.join(__dirname, '..', '..', 'lib', 'train', 'trainRun.js');
  const script = `require(${JSON.stringify(trainModule)}).trainRun(${JSON.stringify(CONFIG)}, { root: ${JSON.stringify(root)}, checkpointEvery: ${CHECKPOINT_EVERY} }).then(() => process.exit(0))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const state = path.join(checkpointDir(reference.key, root), 'state.bin');
  // Kill once a checkpoint a little way into the run exists (well before the end).
  let killedAt = -1;
  for (let waited = 0; waited < 60_000; waited += 10) {
    const checkpoint = readCheckpoint(state);
    if (checkpoint && checkpoint.header.nextEpoch >= 200) {
      killedAt = checkpoint.header.nextEpoch;
      child.kill('SIGKILL');
      break;
    }
    if (child.exitCode !== null) break;
    await sleep(10);
  }
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', 'the child should have been killed mid-run');
  assert.ok(killedAt > 0 && killedAt < CONFIG.epochs);
  // No complete entry exists yet; restarting continues from the checkpoint.
  const resumed = await trainRun(CONFIG, { root, checkpointEvery: CHECKPOINT_EVERY });
  assert.equal(resumed.hit, false);
  assert.equal(resumed.key, reference.key);
  const timing = resumed.entry.json<{ resumedFromEpoch: number | null }>('timing.json');
  assert.ok(timing.resumedFromEpoch !== null && timing.resumedFromEpoch >= killedAt, `resumed from ${timing.resumedFromEpoch}`);
  for (const file of ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json']) {
    assert.ok(Buffer.from(resumed.entry.bytes(file)).equals(Buffer.from(reference.entry.bytes(file))), `${file} differs after resume`);
  }
});

test('early stop: a run killed inside the accuracy streak resumes with the streak intact and stops where the uninterrupted run stops', async () => {
  const config = { task: 'xor', hidden: 20, epochs: 3000, seed: 0, snapshots: { count: 31 }, earlyStop: { metric: 'trainAccuracy' } };
  const reference = await trainRun(config, { root: fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-resume-ref-')) });
  const onset = reference.summary.trainOnset!;
  assert.equal(reference.summary.earlyStopEpoch, 2 * onset);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-resume-'));
  const trainModule = path.join(__dirname, '..', '..', 'lib', 'train', 'trainRun.js');
  const script = `require(${JSON.stringify(trainModule)}).trainRun(${JSON.stringify(config)}, { root: ${JSON.stringify(root)}, checkpointEvery: ${CHECKPOINT_EVERY} }).then(() => process.exit(0))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const state = path.join(checkpointDir(reference.key, root), 'state.bin');
  let killedAt = -1;
  for (let waited = 0; waited < 60_000; waited += 5) {
    const checkpoint = readCheckpoint(state);
    if (checkpoint && checkpoint.header.nextEpoch > onset + CHECKPOINT_EVERY) {
      killedAt = checkpoint.header.nextEpoch;
      child.kill('SIGKILL');
      break;
    }
    if (child.exitCode !== null) break;
    await sleep(5);
  }
  assert.equal(await exited, 'SIGKILL', 'the child should have been killed inside the streak');
  assert.ok(killedAt > onset && killedAt < 2 * onset, `killed at ${killedAt}, onset ${onset}`);
  const resumed = await trainRun(config, { root, checkpointEvery: CHECKPOINT_EVERY });
  assert.ok(resumed.entry.json<{ resumedFromEpoch: number | null }>('timing.json').resumedFromEpoch! >= killedAt);
  for (const file of ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json']) {
    assert.ok(Buffer.from(resumed.entry.bytes(file)).equals(Buffer.from(reference.entry.bytes(file))), `${file} differs after resume`);
  }
});
