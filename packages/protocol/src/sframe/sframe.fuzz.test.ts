import { fuzzParams } from '@conclave/testkit/fuzz';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_UINT64 } from './bytes.js';
import { isSFrameError } from './errors.js';
import { decodeHeader, encodedHeaderLength, encodeHeader, MAX_HEADER_LENGTH } from './header.js';
import { SFrameReceiver, SFrameSender } from './session.js';
import { CipherSuiteId } from './suites.js';

/*
 * Fuzzing the SFrame decoder (issue 17): every encrypted frame a browser decrypts came through
 * the SFU or the other peer, so any byte of it may be hostile. Random input is refused with an
 * SFrameError (never another exception, never a plaintext), and a real frame changed anywhere —
 * one bit, cut short, lengthened, another key — is refused too.
 */

const uint64 = fc.bigInt({ min: 0n, max: MAX_UINT64 });
const smallOrLarge = fc.oneof(fc.bigInt({ min: 0n, max: 300n }), uint64);
const frameBytes = fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ maxLength: 400, size: 'max' }));
const baseKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 37) & 0xff);
const otherKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 11 + 5) & 0xff);

describe('SFrame header decoder under fuzzing', () => {
  it('random bytes: a header inside the input, or SFrameError(malformed) — nothing else', () => {
    fc.assert(
      fc.property(frameBytes, (data) => {
        let header: ReturnType<typeof decodeHeader>;
        try {
          header = decodeHeader(data);
        } catch (err) {
          expect(isSFrameError(err, 'malformed')).toBe(true);
          return;
        }
        expect(header.length).toBeGreaterThanOrEqual(1);
        expect(header.length).toBeLessThanOrEqual(Math.min(data.length, MAX_HEADER_LENGTH));
        expect(header.kid >= 0n && header.kid <= MAX_UINT64).toBe(true);
        expect(header.ctr >= 0n && header.ctr <= MAX_UINT64).toBe(true);
        // The one encoding of (kid, ctr): decoding is exact, so the AAD is unambiguous.
        expect(encodeHeader(header.kid, header.ctr)).toEqual(data.subarray(0, header.length));
      }),
      fuzzParams('sframe.headerRandom', 10_000),
    );
  });

  it('every (kid, ctr) encodes minimally and decodes back, whatever follows it', () => {
    fc.assert(
      fc.property(smallOrLarge, smallOrLarge, fc.uint8Array({ maxLength: 8 }), (kid, ctr, tail) => {
        const header = encodeHeader(kid, ctr);
        expect(header.length).toBe(encodedHeaderLength(kid, ctr));
        const decoded = decodeHeader(new Uint8Array([...header, ...tail]));
        expect(decoded).toEqual({ kid, ctr, length: header.length });
      }),
      fuzzParams('sframe.headerRoundTrip', 5000),
    );
  });
});

describe('SFrame receiver under fuzzing', () => {
  let receiver: SFrameReceiver;
  let sender: SFrameSender;
  let stranger: SFrameSender;

  beforeAll(async () => {
    receiver = new SFrameReceiver({ suite: CipherSuiteId.AES_128_GCM_SHA256_128 });
    await receiver.addKey(0n, baseKey);
    await receiver.addKey(7n, baseKey);
    await receiver.addKey(1000n, baseKey);
    sender = await SFrameSender.create({ kid: 7n, baseKey });
    stranger = await SFrameSender.create({ kid: 7n, baseKey: otherKey });
  });

  it('random frames (under known KIDs too) are refused with an SFrameError, never decrypted', async () => {
    const knownKidFrame = fc
      .tuple(fc.constantFrom(0n, 7n, 1000n), uint64, fc.uint8Array({ maxLength: 64, size: 'max' }))
      .map(([kid, ctr, body]) => new Uint8Array([...encodeHeader(kid, ctr), ...body]));
    await fc.assert(
      fc.asyncProperty(fc.oneof(frameBytes, knownKidFrame), async (frame) => {
        const outcome = await receiver.decrypt(frame).then(
          () => 'decrypted',
          (err: unknown) => (isSFrameError(err) ? err.reason : `unexpected ${String(err)}`),
        );
        expect(['malformed', 'unknown-kid', 'auth-failed', 'replay']).toContain(outcome);
      }),
      fuzzParams('sframe.decryptRandom', 1000),
    );
  });

  it('a real frame changed anywhere is refused; unchanged, it decrypts to what was sent', async () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('extend' as const),
        extra: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      fc.record({
        kind: fc.constant('metadata' as const),
        extra: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      }),
      fc.constant({ kind: 'other key' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300, size: 'max' }),
        fc.uint8Array({ maxLength: 12 }),
        change,
        async (plaintext, metadata, c) => {
          const frame = await (c.kind === 'other key' ? stranger : sender).encrypt(plaintext, metadata);
          let tampered = frame;
          let meta = metadata;
          if (c.kind === 'flip') {
            tampered = frame.slice();
            const at = c.at % frame.length;
            tampered[at] = (tampered[at] as number) ^ (1 << c.bit);
          } else if (c.kind === 'cut') {
            tampered = frame.slice(0, c.at % frame.length);
          } else if (c.kind === 'extend') {
            tampered = new Uint8Array([...frame, ...c.extra]);
          } else if (c.kind === 'metadata') {
            meta = new Uint8Array([...metadata, ...c.extra]);
          }
          const outcome = await receiver.decrypt(tampered, meta).then(
            () => 'decrypted',
            (err: unknown) => (isSFrameError(err) ? err.reason : `unexpected ${String(err)}`),
          );
          expect(['malformed', 'unknown-kid', 'auth-failed', 'replay']).toContain(outcome);
          // The genuine frame still decrypts afterwards: a forgery moved no replay window.
          if (c.kind !== 'other key') {
            const genuine = await receiver.decrypt(frame, metadata);
            expect(genuine.plaintext).toEqual(plaintext);
          }
        },
      ),
      fuzzParams('sframe.decryptTampered', 500),
    );
  });
});
