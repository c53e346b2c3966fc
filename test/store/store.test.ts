import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
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
  assert.throws(
    () => readEntry('train', { seed: 1 }, { root })!.bytes('data.bin'),
    (e: unknown) => e instanceof CorruptStoreEntryError && /data\.bin fails its SHA-256/.test((e as Error).message),
  );
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
  // An old-style name (no owner recorded) is removed once older than maxAgeSeconds.
  fs.mkdirSync(path.join(stageDir, '.tmp-abc-1-ff'), { recursive: true });
  assert.equal(cleanTemporary(root), 0);
  assert.equal(cleanTemporary(root, { maxAgeSeconds: 0 }), 1);
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

test('a cache hit verifies every file of the entry, not only the ones read', async () => {
  const root = tempRoot();
  const first = await cached('stats', { v: 1 }, () => ({ 'small.json': '{"a":1}', 'big.bin': new Uint8Array(1000).fill(7) }), { root });
  const bytes = fs.readFileSync(path.join(first.entry.dir, 'big.bin'));
  bytes[500] ^= 1;
  fs.writeFileSync(path.join(first.entry.dir, 'big.bin'), bytes);
  await assert.rejects(
    cached('stats', { v: 1 }, () => ({ 'small.json': '{}' }), { root }),
    (e: unknown) =>
      e instanceof CorruptStoreEntryError &&
      /big\.bin fails its SHA-256/.test(e.message) &&
      /force: true for this one call, or delete/.test(e.message) &&
      e.key === first.entry.key,
  );
  // force recomputes the damaged entry alone.
  const again = await cached('stats', { v: 1 }, () => ({ 'small.json': '{"a":1}', 'big.bin': new Uint8Array(1000).fill(7) }), { root, force: true });
  again.entry.verify();
});

test('two processes asking for one entry: the first computes it, the second waits and loads it', async () => {
  const root = tempRoot();
  const storeJs = path.join(__dirname, '..', '..', 'lib', 'store', 'index.js');
  const counter = path.join(root, 'computed.txt');
  // Each process computes for ~1.5 s (appending its pid to a file), so the two overlap.
  const script = `
    const fs = require('node:fs');
    const { cached } = require(${JSON.stringify(storeJs)});
    cached('stats', { shared: 1 }, () => {
      fs.appendFileSync(${JSON.stringify(counter)}, process.pid + '\\n');
      const until = Date.now() + 1500;
      while (Date.now() < until) {}
      return { 'value.txt': 'forty-two' };
    }, { root: ${JSON.stringify(root)}, lock: { pollMs: 20 } }).then(({ entry, hit }) => {
      process.stdout.write(JSON.stringify({ hit, value: entry.text('value.txt') }));
    }).catch((e) => { console.error(e); process.exit(1); });`;
  const run = () =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const results = await Promise.all([run(), run()]);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const answers = results.map((r) => JSON.parse(r.stdout) as { hit: boolean; value: string });
  assert.deepEqual(
    answers.map((a) => a.value),
    ['forty-two', 'forty-two'],
  );
  assert.deepEqual(answers.map((a) => a.hit).sort(), [false, true], 'exactly one process computes');
  assert.equal(fs.readFileSync(counter, 'utf8').trim().split('\n').length, 1);
  const waiter = results[answers.findIndex((a) => a.hit)];
  assert.match(waiter.stderr, /waiting for stats entry [0-9a-f]{16}, being computed by pid \d+ on host/);
  assert.deepEqual(fs.readdirSync(path.join(root, 'locks', 'stats')), []);
});
