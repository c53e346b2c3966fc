import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint, writeCheckpoint } from '../../lib/train/checkpoint';
import { checkpointDir, trainRun, TrainRunResult } from '../../lib/train/trainRun';

// Fault injection on the checkpoints of an interrupted run: every damage must be detected,
// reported naming the file, and never reach the store (results byte-identical to a clean run).
const CONFIG = { task: 'xor', hidden: 8, epochs: 400, seed: 11, snapshots: { count: 7 }, optimizer: { momentum: 0.5 } };
const CHECKPOINT_EVERY = 25;
const FILES = ['metrics.arrow', 'snapshots.arrow', 'layout.arrow', 'summary.json', 'config.json'];

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-ckpt-'));
}

let reference: TrainRunResult | null = null;
async function referenceRun(): Promise<TrainRunResult> {
  reference ??= await trainRun(CONFIG, { root: tempRoot() });
  return reference;
}

/** A store holding the checkpoint folder of a run interrupted (by an exception) past epoch 200. */
async function interruptedRun(): Promise<{ root: string; dir: string }> {
  const root = tempRoot();
  await assert.rejects(
    trainRun(CONFIG, {
      root,
      checkpointEvery: CHECKPOINT_EVERY,
      onProgress: ({ epoch }) => {
        if (epoch >= 200) throw new Error('interrupted');
      },
    }),
    /interrupted/,
  );
  const dir = checkpointDir((await referenceRun()).key, root);
  assert.ok(fs.existsSync(path.join(dir, 'state.bin')), 'the interrupted run should have left a checkpoint');
  assert.ok(fs.existsSync(path.join(dir, 'snapshot-0.bin')));
  return { root, dir };
}

/** Reruns the interrupted run, capturing what it writes to stderr. */
async function rerun(root: string): Promise<{ result: TrainRunResult; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await trainRun(CONFIG, { root, checkpointEvery: CHECKPOINT_EVERY }), stderr };
  } finally {
    process.stderr.write = write;
  }
}

async function assertSameAsReference(result: TrainRunResult, what: string): Promise<void> {
  const ref = await referenceRun();
  assert.equal(result.key, ref.key);
  assert.equal(result.hit, false);
  for (const file of FILES)
    assert.ok(Buffer.from(result.entry.bytes(file)).equals(Buffer.from(ref.entry.bytes(file))), `${what}: ${file} differs from an undamaged run`);
  assert.equal(fs.existsSync(checkpointDir(ref.key, path.dirname(path.dirname(result.dir)))), false, `${what}: checkpoint folder left behind`);
}

function flipBit(file: string, offset: number, bit: number): void {
  const bytes = fs.readFileSync(file);
  assert.ok(offset >= 0 && offset < bytes.length, `offset ${offset} is outside ${file} (${bytes.length} bytes)`);
  bytes[offset] ^= 1 << bit;
  fs.writeFileSync(file, bytes);
}

test('an undamaged interrupted run resumes (and ends byte-identical)', async () => {
  const { root } = await interruptedRun();
  const { result, stderr } = await rerun(root);
  assert.equal(stderr, '');
  const timing = result.entry.json<{ resumedFromEpoch: number | null }>('timing.json');
  assert.ok(timing.resumedFromEpoch !== null && timing.resumedFromEpoch >= 200, `resumed from ${timing.resumedFromEpoch}`);
  await assertSameAsReference(result, 'clean resume');
});

test('one flipped bit anywhere in state.bin is detected, reported, and the run restarts from scratch', async () => {
  // Magic, header length, header JSON, the arrays (lowest mantissa bit: the subtlest change), the digest.
  // Offsets from the end are taken from each run's own file: where a run is interrupted (and so
  // the length of its metric arrays) depends on timing.
  const places: Array<[(size: number) => number, number]> = [
    [() => 3, 0],
    [() => 9, 2],
    [() => 40, 5],
    [(size) => Math.floor(size / 2), 0],
    [(size) => size - 40, 0],
    [(size) => size - 1, 7],
  ];
  for (const [place, bit] of places) {
    const { root, dir } = await interruptedRun();
    const file = path.join(dir, 'state.bin');
    const offset = place(fs.statSync(file).size);
    flipBit(file, offset, bit);
    const { result, stderr } = await rerun(root);
    assert.match(
      stderr,
      /damaged checkpoint file .*state\.bin: .*discarding the checkpoint of run [0-9a-f]{16} and training it from scratch/,
      `byte ${offset}`,
    );
    assert.equal(result.entry.json<{ resumedFromEpoch: number | null }>('timing.json').resumedFromEpoch, null, `byte ${offset}: resumed from a damaged state`);
    await assertSameAsReference(result, `bit ${bit} of byte ${offset} of state.bin`);
  }
});

test('a flipped bit in a snapshot file, a deleted or truncated snapshot: detected, never stored, never blocking', async () => {
  const damages: Array<[string, (dir: string) => void, RegExp]> = [
    ['flipped bit', (dir) => flipBit(path.join(dir, 'snapshot-0.bin'), 100, 0), /snapshot-0\.bin: fails its SHA-256 checksum/],
    ['deleted', (dir) => fs.rmSync(path.join(dir, 'snapshot-0.bin')), /snapshot-0\.bin: missing/],
    ['truncated', (dir) => fs.truncateSync(path.join(dir, 'snapshot-0.bin'), 20), /snapshot-0\.bin: /],
  ];
  for (const [what, damage, message] of damages) {
    const { root, dir } = await interruptedRun();
    damage(dir);
    const { result, stderr } = await rerun(root);
    assert.match(stderr, message, what);
    assert.match(stderr, /training it from scratch/, what);
    await assertSameAsReference(result, `snapshot ${what}`);
  }
});

test('a checkpoint of an older format or of another run is discarded with a message', async () => {
  const { root, dir } = await interruptedRun();
  const file = path.join(dir, 'state.bin');
  const bytes = fs.readFileSync(file);
  bytes.write('GFSSCKP1', 0, 'latin1'); // the previous format had no checksum
  fs.writeFileSync(file, bytes.subarray(0, bytes.length - 32));
  const { result, stderr } = await rerun(root);
  assert.match(stderr, /state\.bin: does not start with GFSSCKP2 \(damaged, or written by another version\)/);
  await assertSameAsReference(result, 'old format');

  // A valid checkpoint carrying another run's key (a folder copied by hand).
  const other = await interruptedRun();
  const stateFile = path.join(other.dir, 'state.bin');
  const checkpoint = readCheckpoint(stateFile)!;
  const { arrays: _arrays, ...header } = checkpoint.header;
  writeCheckpoint(stateFile, { ...header, key: 'ffffffffffffffff' }, checkpoint.arrays);
  const again = await rerun(other.root);
  assert.match(again.stderr, /state\.bin: belongs to run ffffffffffffffff, not [0-9a-f]{16}/);
  await assertSameAsReference(again.result, 'foreign key');
});
