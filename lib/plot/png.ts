import * as zlib from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const METRES_PER_INCH = 0.0254;

interface PngChunk {
  type: string;
  /** Byte offset of the chunk's length field. */
  start: number;
  /** Byte offset just past its CRC. */
  end: number;
  data: Buffer;
}

function pngChunks(png: Uint8Array): PngChunk[] {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new Error(`truncated PNG chunk ${type}`);
    chunks.push({ type, start: offset, end, data: bytes.subarray(offset + 8, offset + 8 + length) });
    offset = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
  return chunks;
}

/** Pixel size of a PNG and its resolution in dots per inch (null when it has no pHYs chunk in metres). */
export function pngInfo(png: Uint8Array): { width: number; height: number; dpiX: number | null; dpiY: number | null } {
  const chunks = pngChunks(png);
  const header = chunks[0].data;
  const phys = chunks.find((chunk) => chunk.type === 'pHYs');
  const toDpi = (perMetre: number) => perMetre * METRES_PER_INCH;
  const inMetres = phys !== undefined && phys.data[8] === 1;
  return {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    dpiX: inMetres ? toDpi(phys.data.readUInt32BE(0)) : null,
    dpiY: inMetres ? toDpi(phys.data.readUInt32BE(4)) : null,
  };
}

/**
 * Returns a copy of the PNG whose pHYs chunk says `dpi` dots per inch (stored as whole dots per
 * metre, so 300 dpi reads back as 299.9994). Word processors and LaTeX use it for the printed size.
 */
export function setPngDpi(png: Uint8Array, dpi: number): Buffer {
  const chunks = pngChunks(png);
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const perMetre = Math.round(dpi / METRES_PER_INCH);
  const body = Buffer.alloc(13);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(perMetre, 4);
  body.writeUInt32BE(perMetre, 8);
  body[12] = 1; // unit: metre
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(zlib.crc32(body) >>> 0, 17);
  const parts: Buffer[] = [PNG_SIGNATURE];
  for (const c of chunks) {
    if (c.type === 'pHYs') continue;
    parts.push(bytes.subarray(c.start, c.end));
    if (c.type === 'IHDR') parts.push(chunk); // pHYs must come before the first IDAT
  }
  return Buffer.concat(parts);
}
