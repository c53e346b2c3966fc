import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { pngInfo, setPngDpi } from '../../lib/plot/png';

/** A valid 3×2 grey PNG built by hand (independent of the code under test). */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body) >>> 0, body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(3, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.from([0, 10, 20, 30, 0, 40, 50, 60]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('setPngDpi records 300 dpi (11811 dots per metre) before IDAT and keeps the pixels', () => {
  const png = tinyPng();
  assert.deepEqual(pngInfo(png), { width: 3, height: 2, dpiX: null, dpiY: null });
  const out = setPngDpi(png, 300);
  const info = pngInfo(out);
  assert.equal(info.width, 3);
  assert.equal(info.height, 2);
  assert.ok(Math.abs(info.dpiX! - 300) < 0.01 && Math.abs(info.dpiY! - 300) < 0.01);
  assert.ok(out.indexOf('pHYs') < out.indexOf('IDAT'));
  assert.equal(out.readUInt32BE(out.indexOf('pHYs') + 4), 11811);
  // Setting it again replaces the chunk rather than adding a second one.
  const twice = setPngDpi(out, 600);
  assert.equal(twice.toString('latin1').split('pHYs').length - 1, 1);
  assert.ok(Math.abs(pngInfo(twice).dpiX! - 600) < 0.03);
  assert.equal(twice.length, out.length);
});

test('non-PNG input is rejected', () => {
  assert.throws(() => pngInfo(Buffer.from('GIF89a....')), /not a PNG/);
});
