/**
 * The readers of the exchange format against files numpy wrote (test/fixtures/make_exchange.py:
 * np.savez, np.savez_compressed, Fortran order, big-endian, a layout as bytes, safetensors), value
 * for value; the writers against the readers, bit for bit; the layout against known wiring.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { decodeNumbers, safetensorsDType } from '../../lib/exchange/dtype';
import { layoutJsonOf, networkLayoutOf, parseLayout } from '../../lib/exchange/layout';
import { encodeNpy, NpyContent, parseNpyHeader } from '../../lib/exchange/npy';
import { encodeNpz, openNpz } from '../../lib/exchange/npz';
import { encodeSafetensors } from '../../lib/exchange/safetensors';
import { checkRunValues, readRunFile, runSnapshotInputs } from '../../lib/exchange/runFile';
import { ExchangeFileError, readAllNumbers } from '../../lib/exchange/arrays';
import { denseLayout } from '../../lib/graphs/network';
import { parameterLayout } from '../../lib/train/layout';
import { f64, FIXTURES, i64, tempDir } from './helpers';

const EXPECTED = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  grads: number[][];
  params: number[][];
  epochs: number[];
  acc_epochs: number[];
  train_acc: number[];
  test_acc: number[];
  seed: number;
  n_params: number;
  layout: string;
};

for (const name of ['stored.npz', 'compressed.npz', 'fortran.npz', 'bigendian.npz', 'layout-bytes.npz', 'run.safetensors']) {
  test(`${name} (written by numpy) reads value for value`, () => {
    const run = readRunFile(path.join(FIXTURES, name));
    checkRunValues(run);
    checkRunValues(run, 'parameter');
    assert.equal(run.format, name.endsWith('.npz') ? 'npz' : 'safetensors');
    assert.deepEqual([run.T, run.P, run.N, run.seed, run.seedGiven], [3, 13, 13, 4, true]);
    assert.deepEqual(run.epochs, EXPECTED.epochs);
    assert.deepEqual(
      runSnapshotInputs(run).map((s) => Array.from(s.values)),
      EXPECTED.grads,
    );
    assert.deepEqual(
      runSnapshotInputs(run, { quantity: 'parameter', from: 1, to: 3 }).map((s) => [s.snapshot, s.epoch, Array.from(s.values)]),
      [
        [1, 50, EXPECTED.params[1]],
        [2, 100, EXPECTED.params[2]],
      ],
    );
    // train_acc ≥ 0.99 from epoch 50 on; test_acc dips below 0.99 at 70, so its onset is 80.
    assert.deepEqual([run.trainOnset, run.testOnset, run.hasTrainAccuracy, run.hasTestAccuracy], [50, 80, true, true]);
    assert.deepEqual(run.layout, parseLayout(EXPECTED.layout));
    assert.deepEqual(run.ignored, []);
  });
}

test('the .npz and .safetensors writers round-trip every double bit for bit, and numpy-compatible headers', () => {
  const dir = tempDir('writers');
  const special = [0, -0, 1, -1, Number.MIN_VALUE, -Number.MAX_VALUE, Number.MAX_VALUE, Math.PI, 1e-300, 2 ** -1074 * 3, 0.1 + 0.2, -1e308];
  const values = Float64Array.from({ length: 24 }, (_, i) => special[i % special.length] * (i < 12 ? 1 : -1.5));
  const arrays = { grads: f64([2, 12], values), epochs: i64([2], [0, 2 ** 40]), seed: i64([], [3]), layout: { kind: 'U' as const, text: '[["w", [12]]] ü' } };
  fs.writeFileSync(path.join(dir, 'a.npz'), encodeNpz(Object.entries(arrays)));
  const npz = openNpz(path.join(dir, 'a.npz'));
  const read = readAllNumbers('a.npz', npz.arrays.get('grads')!);
  assert.equal(Buffer.from(read.buffer).compare(Buffer.from(values.buffer)), 0);
  assert.deepEqual(Array.from(readAllNumbers('a.npz', npz.arrays.get('epochs')!)), [0, 2 ** 40]);
  assert.deepEqual(npz.arrays.get('seed')!.shape, []);
  // Each .npy header ends on a 64-byte boundary, as numpy writes it.
  for (const content of Object.values(arrays)) {
    const npy = encodeNpy(content);
    const header = parseNpyHeader(npy);
    assert.equal(header.dataOffset % 64, 0);
    assert.equal(npy[header.dataOffset - 1], 0x0a, 'the header ends with a newline');
  }
  fs.writeFileSync(path.join(dir, 'b.safetensors'), encodeSafetensors([['grads', { kind: 'f', size: 8, shape: [2, 12], values }]], { seed: '3' }));
  const bytes = fs.readFileSync(path.join(dir, 'b.safetensors'));
  assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0, 'header padded to 8 bytes');
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
  assert.deepEqual(header, { __metadata__: { seed: '3' }, grads: { dtype: 'F64', shape: [2, 12], data_offsets: [0, 192] } });
});

test('dtype decoding: float16 and bfloat16 known values, 64-bit integers beyond 2^53 refused', () => {
  const half = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c]); // 1, −2, 65504, 2^-24, +Inf
  assert.deepEqual(Array.from(decodeNumbers(half, safetensorsDType('F16')!, 5)), [1, -2, 65504, 2 ** -24, Infinity]);
  const bf16 = Uint8Array.from([0x80, 0x3f, 0x49, 0x40]); // 1, 3.140625
  assert.deepEqual(Array.from(decodeNumbers(bf16, safetensorsDType('BF16')!, 2)), [1, 3.140625]);
  const big = new Uint8Array(16);
  new DataView(big.buffer).setBigInt64(0, 2n ** 53n - 1n, true);
  new DataView(big.buffer).setBigInt64(8, 2n ** 53n + 1n, true);
  assert.throws(() => decodeNumbers(big, safetensorsDType('I64')!, 2), /element 1 .*2\^53/);
});

test("layouts: PyTorch's [out, in] weights, flax's bias-first [in, out] kernels and our own MLPs give the model's wiring", () => {
  // fc1.weight [3, 2] (out, in): flat index k is output ⌊k / 2⌋, input k mod 2.
  const torch = networkLayoutOf(
    parseLayout(
      JSON.stringify([
        ['fc1.weight', [3, 2]],
        ['fc1.bias', [3]],
        ['fc2.weight', [1, 3]],
        ['fc2.bias', [1]],
      ]),
    ),
  );
  assert.deepEqual(Array.from(torch.layerSizes), [2, 3, 1]);
  assert.deepEqual(Array.from(torch.layer), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(torch.kind), [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(torch.row), [0, 1, 0, 1, 0, 1, 0, 1, 2, 0, 1, 2, 0]);
  assert.deepEqual(Array.from(torch.col), [0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0]);
  // jax.tree_leaves of flax params: {'bias', 'kernel'} sorted, so each bias comes first.
  const flax = networkLayoutOf(
    parseLayout(
      JSON.stringify({
        orientation: 'in_out',
        tensors: [
          ['Dense_0.bias', [3]],
          ['Dense_0.kernel', [2, 3]],
        ],
      }),
    ),
  );
  assert.deepEqual(
    [Array.from(flax.kind), Array.from(flax.row), Array.from(flax.col)],
    [
      [1, 1, 1, 0, 0, 0, 0, 0, 0],
      [0, 1, 2, 0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 1, 2, 0, 1, 2],
    ],
  );
  for (const bias of [true, false]) {
    const ours = parameterLayout({ layerSizes: [2, 5, 4, 1], bias });
    const back = networkLayoutOf(parseLayout(layoutJsonOf(ours)));
    assert.deepEqual([back.layer, back.kind, back.row, back.col, back.layerSizes], [ours.layer, ours.kind, ours.row, ours.col, ours.layerSizes]);
    const dense = denseLayout([2, 5, 4, 1], { bias });
    assert.deepEqual(Array.from(back.row), Array.from(dense.row));
  }
  assert.throws(() => networkLayoutOf(parseLayout('[["conv.weight", [8, 3, 3, 3]]]')), /not a dense MLP: tensor "conv.weight" has shape \[8, 3, 3, 3\]/);
  assert.throws(() => networkLayoutOf(parseLayout('[["a", [4, 2]], ["b", [3, 5]]]')), /"b" takes 5 inputs but the layer before has 4 outputs/);
  assert.throws(() => networkLayoutOf(parseLayout('[["a", [4, 2]], ["a.bias", [2]]]')), /bias "a.bias" has 2 entries, but weight "a" has 4 outputs/);
  assert.throws(() => parseLayout('{"orientation": "io", "tensors": [["a", [1]]]}'), /allowed values: "out_in"/);
  assert.throws(() => parseLayout('[["a", [0]]]'), /integers ≥ 1/);
});

/** A ZIP archive in ZIP64 form throughout (as numpy writes arrays over 4 GiB): 64-bit sizes and offsets in extra fields, ZIP64 end records. */
function zip64(entries: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data) >>> 0;
    const local = Buffer.alloc(30 + nameBytes.length + 20);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(0xffffffff, 18);
    local.writeUInt32LE(0xffffffff, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(20, 28);
    nameBytes.copy(local, 30);
    local.writeUInt16LE(1, 30 + nameBytes.length);
    local.writeUInt16LE(16, 32 + nameBytes.length);
    local.writeBigUInt64LE(BigInt(data.length), 34 + nameBytes.length);
    local.writeBigUInt64LE(BigInt(data.length), 42 + nameBytes.length);
    const record = Buffer.alloc(46 + nameBytes.length + 28);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(45, 4);
    record.writeUInt16LE(45, 6);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(0xffffffff, 20);
    record.writeUInt32LE(0xffffffff, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt16LE(28, 30);
    record.writeUInt32LE(0xffffffff, 42);
    nameBytes.copy(record, 46);
    const extra = 46 + nameBytes.length;
    record.writeUInt16LE(1, extra);
    record.writeUInt16LE(24, extra + 2);
    record.writeBigUInt64LE(BigInt(data.length), extra + 4);
    record.writeBigUInt64LE(BigInt(data.length), extra + 12);
    record.writeBigUInt64LE(BigInt(offset), extra + 20);
    parts.push(local, Buffer.from(data));
    central.push(record);
    offset += local.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end64 = Buffer.alloc(56);
  end64.writeUInt32LE(0x06064b50, 0);
  end64.writeBigUInt64LE(44n, 4);
  end64.writeBigUInt64LE(BigInt(entries.length), 24);
  end64.writeBigUInt64LE(BigInt(entries.length), 32);
  end64.writeBigUInt64LE(BigInt(directory.length), 40);
  end64.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, directory, end64, locator, end]);
}

test('ZIP64 archives (64-bit sizes and offsets in extra fields, ZIP64 end records) read like any other', () => {
  const dir = tempDir('zip64');
  const values = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i));
  const arrays: Array<[string, NpyContent]> = [
    ['grads', f64([3, 10], values)],
    ['epochs', i64([3], [0, 5, 9])],
  ];
  fs.writeFileSync(path.join(dir, 'big.npz'), zip64(arrays.map(([name, content]) => ({ name: `${name}.npy`, data: encodeNpy(content) }))));
  const run = readRunFile(path.join(dir, 'big.npz'));
  checkRunValues(run);
  assert.deepEqual([run.T, run.P, run.epochs], [3, 10, [0, 5, 9]]);
  assert.deepEqual(
    runSnapshotInputs(run).flatMap((s) => Array.from(s.values)),
    Array.from(values),
  );
});

test('malformed .safetensors files are refused naming the file and the tensor', () => {
  const dir = tempDir('bad-safetensors');
  const good = Buffer.from(encodeSafetensors([['grads', { kind: 'f', size: 4, shape: [2, 3], values: [1, 2, 3, 4, 5, 6] }]], { seed: '1' }));
  const headerLength = Number(good.readBigUInt64LE(0));
  const withHeader = (header: unknown) => {
    const text = Buffer.from(JSON.stringify(header));
    const out = Buffer.alloc(8 + text.length + 24);
    out.writeBigUInt64LE(BigInt(text.length), 0);
    text.copy(out, 8);
    return out;
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['short.safetensors', good.subarray(0, 5), /is 5 bytes long/],
    ['long-header.safetensors', Buffer.concat([Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]), good.subarray(8)]), /declares a 65535-byte header/],
    [
      'not-json.safetensors',
      Buffer.concat([good.subarray(0, 8), Buffer.from('{'.padEnd(headerLength)), good.subarray(8 + headerLength)]),
      /header that is not JSON/,
    ],
    ['dtype.safetensors', withHeader({ grads: { dtype: 'C64', shape: [2, 3], data_offsets: [0, 24] } }), /array 'grads': has dtype "C64"/],
    [
      'offsets.safetensors',
      withHeader({ grads: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }),
      /array 'grads': spans 20 bytes, but shape \[2, 3\] of F32 needs 24/,
    ],
    ['metadata.safetensors', withHeader({ __metadata__: { seed: 1 } }), /__metadata__.seed must be a string/],
  ];
  for (const [name, bytes, message] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    assert.throws(
      () => readRunFile(file),
      (e: unknown) => e instanceof ExchangeFileError && e.message.startsWith(file) && message.test(e.message),
      name,
    );
  }
});
