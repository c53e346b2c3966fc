import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aq from 'arquero';
import { cached, cleanTemporary, CorruptStoreEntryError, entryDir, readEntry, readEntryByKey, tableToArrow, writeEntry } from '../../lib/store/index';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grokfss-store-'));
}

test('an entry round-trips files, JSON and Arrow tables exactly', () => {
  const root = tempRoot();
  const values = Float64Array.from([0.1, -2.5e-300, Math.PI, 1e300]);
  const table = aq.table({ scale: Int32Array.from([81, 129, 201, 321]), value: values, label: ['a', 'b', 'c', 'd'] });
  writeEntry('probe', { n: 4, q: 0.9 }, { 'rows.arrow': tableToArrow(table), 'summary.json': JSON.stringify({ ok: true }) }, { root });
  const entry = readEntry('probe', { q: 0.9, n: 4 }, { root }); // key order must not matter
  assert.ok(entry);
  assert.deepEqual(entry.json('summary.json'), { ok: true });
  assert.deepEqual(entry.config, { n: 4, q: 0.9 });
  const back = entry.table('rows.arrow');
  assert.deepEqual(Array.from(back.array('value') as ArrayLike<number>), Array.from(values));
  assert.deepEqual(Array.from(back.array('label') as ArrayLike<string>), ['a', 'b', 'c', 'd']);
  assert.deepEqual(entry.files.sort(), ['rows.arrow', 'summary.json']);
});

test('the same table gives identical Arrow bytes', () => {
  const make = () => aq.table({ x: Float64Array.from([1, 2, 3]), y: ['p', 'q', 'r'] });
  assert.deepEqual(Buffer.from(tableToArrow(make())), Buffer.from(tableToArrow(make())));
});

test('a corrupted or truncated file is detected and named', () => {
  const root = tempRoot();
  const dir = writeEntry('train', { seed: 1 }, { 'data.bin': new Uint8Array([1, 2, 3, 4]) }, { root });
  fs.writeFileSync(path.join(dir, 'data.bin'), new Uint8Array([1, 2, 3, 5]));
  assert.throws(() => readEntry('train', { seed: 1 }, { root })!.bytes('data.bin'), (e: unknown) => e instanceof CorruptStoreEntryError && /data\.bin fails its SHA-256/.test((e as Error).message));
  fs.writeFileSync(path.join(dir, 'data.bin'), new Uint8Array([1]));
  assert.throws(() => readEntry('train', { seed: 1 }, { root })!.bytes('data.bin'), /has 1 bytes, expected 4/);
  fs.writeFileSync(path.join(dir, 'complete.json'), '{not json');
  assert.throws(() => readEntry('train', { seed: 1 }, { root }), /complete\.json is unreadable/);
});

test('an entry without its completion marker counts as absent', () => {
  const root = tempRoot();
  const dir = writeEntry('train', { seed: 2 }, { 'a.txt': 'x' }, { root });
  fs.rmSync(path.join(dir, 'complete.json'));
  assert.equal(readEntry('train', { seed: 2 }, { root }), null);
});

test('cached computes once, then hits; force recomputes and replaces', async () => {
  const root = tempRoot();
  let calls = 0;
  const compute = () => ({ 'n.txt': String(++calls) });
  const first = await cached('stats', { a: 1 }, compute, { root });
  const second = await cached('stats', { a: 1 }, compute, { root });
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.equal(second.entry.text('n.txt'), '1');
  const forced = await cached('stats', { a: 1 }, compute, { root, force: true });
  assert.equal(forced.hit, false);
  assert.equal(forced.entry.text('n.txt'), '2');
  // Never overwritten silently: a plain write of an existing key keeps the old entry.
  writeEntry('stats', { a: 1 }, { 'n.txt': 'other' }, { root });
  assert.equal(readEntry('stats', { a: 1 }, { root })!.text('n.txt'), '2');
});

test('temporary folders left by a killed writer are cleaned; bad names are refused', () => {
  const root = tempRoot();
  const stageDir = path.dirname(entryDir('train', { x: 1 }, root));
  fs.mkdirSync(path.join(stageDir, '.tmp-abc-1-ff'), { recursive: true });
  assert.equal(cleanTemporary(root), 1);
  assert.throws(() => writeEntry('Bad Stage', {}, {}, { root }), /store\.stage/);
  assert.throws(() => writeEntry('train', {}, { '../x': 'a' }, { root }), /store\.files/);
});

test('an entry can be read back by its key alone', () => {
  const root = tempRoot();
  const dir = writeEntry('train', { seed: 9 }, { 'a.txt': 'hello' }, { root });
  const entry = readEntryByKey('train', path.basename(dir), { root });
  assert.equal(entry!.text('a.txt'), 'hello');
  assert.deepEqual(entry!.config, { seed: 9 });
  assert.equal(readEntryByKey('train', '0123456789abcdef', { root }), null);
  assert.throws(() => readEntryByKey('train', '../etc', { root }), /store\.key/);
});
