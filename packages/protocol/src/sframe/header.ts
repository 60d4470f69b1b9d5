import { assertUint64, type Bytes, decodeBigEndian, minimalByteLength } from './bytes.js';
import { SFrameError } from './errors.js';

/**
 * SFrame header (RFC 9605 §4.3): one config byte `X KKK Y CCC`, then the KID (if X=1) and the CTR
 * (if Y=1) as minimal big-endian integers of KKK+1 / CCC+1 bytes. Values 0-7 live directly in the
 * config byte.
 */
export interface SFrameHeader {
  readonly kid: bigint;
  readonly ctr: bigint;
}

export interface DecodedHeader extends SFrameHeader {
  /** Number of bytes the header occupies at the start of the input. */
  readonly length: number;
}

/** Largest possible header: config byte + 8-byte KID + 8-byte CTR. */
export const MAX_HEADER_LENGTH = 17;

const INLINE_LIMIT = 8n;

function fieldLength(value: bigint): number {
  return value < INLINE_LIMIT ? 0 : minimalByteLength(value);
}

export function encodedHeaderLength(kid: bigint, ctr: bigint): number {
  assertUint64(kid, 'KID');
  assertUint64(ctr, 'CTR');
  return 1 + fieldLength(kid) + fieldLength(ctr);
}

/** Writes the header for (kid, ctr) into `out` at `offset`; returns the number of bytes written. */
export function writeHeader(out: Uint8Array, offset: number, kid: bigint, ctr: bigint): number {
  const kidLen = fieldLength(kid);
  const ctrLen = fieldLength(ctr);
  const total = 1 + kidLen + ctrLen;
  if (offset < 0 || offset + total > out.length) {
    throw new SFrameError('invalid-argument', 'output buffer too small for SFrame header');
  }
  const k = kidLen === 0 ? Number(kid) : 0x08 | (kidLen - 1);
  const c = ctrLen === 0 ? Number(ctr) : 0x08 | (ctrLen - 1);
  out[offset] = (k << 4) | c;
  let pos = offset + 1;
  // KID precedes CTR (§4.3, Figure 4).
  for (const [value, len] of [
    [kid, kidLen],
    [ctr, ctrLen],
  ] as const) {
    for (let i = len - 1; i >= 0; i--) out[pos++] = Number((value >> BigInt(8 * i)) & 0xffn);
  }
  return total;
}

export function encodeHeader(kid: bigint, ctr: bigint): Bytes {
  const out = new Uint8Array(encodedHeaderLength(kid, ctr));
  writeHeader(out, 0, kid, ctr);
  return out;
}

function readField(
  data: Uint8Array,
  offset: number,
  extended: boolean,
  bits: number,
  what: string,
): [value: bigint, next: number] {
  if (!extended) return [BigInt(bits), offset];
  const len = bits + 1;
  if (offset + len > data.length) {
    throw new SFrameError('malformed', `SFrame header truncated: ${what} needs ${len} bytes`);
  }
  const value = decodeBigEndian(data, offset, len);
  // §4.3: values 0-7 MUST be inline and longer values MUST use the minimum number of bytes, so
  // any other form is not a valid header (and would make the AAD ambiguous for equal KID/CTR).
  if (value < INLINE_LIMIT || minimalByteLength(value) !== len) {
    throw new SFrameError('malformed', `SFrame header has a non-minimal ${what} encoding`);
  }
  return [value, offset + len];
}

/**
 * Parses the header at the start of `data` (the rest is ciphertext and is ignored here).
 * Throws `SFrameError('malformed')` on empty, truncated or non-minimal input.
 */
export function decodeHeader(data: Uint8Array): DecodedHeader {
  const config = data[0];
  if (config === undefined) throw new SFrameError('malformed', 'SFrame header is empty');
  const [kid, afterKid] = readField(data, 1, (config & 0x80) !== 0, (config >> 4) & 0x07, 'KID');
  const [ctr, end] = readField(data, afterKid, (config & 0x08) !== 0, config & 0x07, 'CTR');
  return { kid, ctr, length: end };
}
