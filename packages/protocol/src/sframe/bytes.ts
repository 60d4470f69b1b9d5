import { SFrameError } from './errors.js';

/** Largest KID or CTR value: both are unsigned 64-bit integers (RFC 9605 §4.3). */
export const MAX_UINT64 = (1n << 64n) - 1n;

/** Byte view that WebCrypto accepts under TS 5.7+ lib typings (no SharedArrayBuffer). */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * WebCrypto's typings reject views over SharedArrayBuffer; copying only in that rare case keeps
 * the per-frame path allocation-free for ordinary buffers.
 */
export function toBufferSource(data: Uint8Array): Bytes {
  return data.buffer instanceof ArrayBuffer ? (data as Bytes) : new Uint8Array(data);
}

export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function assertUint64(value: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new SFrameError(
      'invalid-argument',
      `${what} must be a bigint in [0, 2^64-1], got ${String(value)}`,
    );
  }
}

/** Fixed-width big-endian encoding; the value must fit in `length` bytes. */
export function encodeBigEndian(value: bigint, length: number): Bytes {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new SFrameError('invalid-argument', `${value} does not fit in ${length} bytes`);
  return out;
}

export function decodeBigEndian(data: Uint8Array, offset: number, length: number): bigint {
  let v = 0n;
  for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(data[offset + i] ?? 0);
  return v;
}

/** Number of bytes in the minimal big-endian encoding of a non-zero value. */
export function minimalByteLength(value: bigint): number {
  let n = 0;
  for (let v = value; v > 0n; v >>= 8n) n++;
  return n;
}

/**
 * Comparison whose running time depends only on the lengths, so a forger cannot learn how many
 * leading tag bytes were right (RFC 9605 §4.5.1 `constant_time_equal`).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toHex(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new SFrameError('invalid-argument', 'hex string must have an even number of hex digits');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
