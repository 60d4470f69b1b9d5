import { describe, expect, it } from 'vitest';
import { fromHex, MAX_UINT64, toHex } from './bytes.js';
import { SFrameError } from './errors.js';
import { decodeHeader, encodedHeaderLength, encodeHeader, MAX_HEADER_LENGTH, writeHeader } from './header.js';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SFrameError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('SFrame header encoding', () => {
  it.each([
    [0n, 0n, '00'],
    [7n, 7n, '77'],
    [8n, 0n, '8008'],
    [0n, 8n, '0808'],
    [0x123n, 0x4567n, '9901234567'],
    [MAX_UINT64, MAX_UINT64, `ff${'ff'.repeat(16)}`],
  ])('kid=%s ctr=%s encodes as %s and round-trips', (kid, ctr, encoded) => {
    const bytes = encodeHeader(kid, ctr);
    expect(toHex(bytes)).toBe(encoded);
    expect(encodedHeaderLength(kid, ctr)).toBe(bytes.length);
    expect(decodeHeader(bytes)).toEqual({ kid, ctr, length: bytes.length });
  });

  it('never exceeds MAX_HEADER_LENGTH', () => {
    expect(encodedHeaderLength(MAX_UINT64, MAX_UINT64)).toBe(MAX_HEADER_LENGTH);
  });

  it('round-trips every minimal length for KID and CTR', () => {
    for (let kb = 0; kb <= 64; kb += 4) {
      for (let cb = 0; cb <= 64; cb += 4) {
        const kid = kb === 0 ? 0n : (1n << BigInt(kb)) - 1n;
        const ctr = cb === 0 ? 5n : 1n << BigInt(cb - 1);
        expect(decodeHeader(encodeHeader(kid, ctr))).toMatchObject({ kid, ctr });
      }
    }
  });

  it('writes into a larger buffer at an offset', () => {
    const out = new Uint8Array(8).fill(0xee);
    expect(writeHeader(out, 2, 0x123n, 1n)).toBe(3);
    expect(toHex(out)).toBe('eeee910123eeeeee');
  });

  it.each([
    ['negative KID', -1n, 0n],
    ['KID above 2^64-1', MAX_UINT64 + 1n, 0n],
    ['CTR above 2^64-1', 0n, MAX_UINT64 + 1n],
  ])('rejects %s with invalid-argument', (_name, kid, ctr) => {
    expect(reasonOf(() => encodeHeader(kid, ctr))).toBe('invalid-argument');
  });

  it('rejects a non-bigint KID at runtime', () => {
    expect(reasonOf(() => encodeHeader(5 as unknown as bigint, 0n))).toBe('invalid-argument');
  });
});

describe('SFrame header decoding rejects malformed input', () => {
  it.each([
    ['empty input', ''],
    ['KID length 1 but no KID byte', '80'],
    ['CTR length 2 but one byte', '0901'],
    ['KID length 8 but 7 bytes', 'f0ffffffffffffff'],
    ['KID present but CTR truncated', '990123'],
    ['extended KID with value < 8 (must be inline)', '8007'],
    ['extended CTR with value < 8 (must be inline)', '0807'],
    ['KID with a leading zero byte', '910012'],
    ['CTR with a leading zero byte', '09000f'],
  ])('%s (%s)', (_name, hex) => {
    expect(reasonOf(() => decodeHeader(fromHex(hex)))).toBe('malformed');
  });

  it('reports a typed SFrameError', () => {
    expect(() => decodeHeader(new Uint8Array(0))).toThrow(SFrameError);
  });
});
