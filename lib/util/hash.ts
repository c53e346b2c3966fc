import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted recursively, so that two configs that differ only in key order
 * hash the same. Typed arrays are written as plain arrays. `undefined` members are dropped
 * (as JSON.stringify does), so an option left unset and one absent hash the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(normalise);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = normalise(member);
  }
  return out;
}

/** SHA-256 (hex) of the canonical JSON of `value`; `length` hex characters [16]. */
export function hashConfig(value: unknown, length = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** SHA-256 (hex) of raw bytes, e.g. a snapshot's Float64Array. */
export function hashBytes(bytes: ArrayBufferView, length = 64): string {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return createHash('sha256').update(view).digest('hex').slice(0, length);
}
