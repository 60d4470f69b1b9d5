import { fuzzParams } from '@conclave/testkit/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audioLevelByte } from './audioLevel.js';
import { buildNack, buildPli, buildReceiverReport, buildRemb, buildSenderReport, parseRtcp } from './rtcp.js';
import { isRtcp, MAX_PACKET_BYTES, parseRtp, rewriteRtp, stripExtensionsInPlace } from './rtp.js';

/*
 * Fuzzing the SFU's packet parsers (issue 17): every byte of RTP and RTCP comes from a participant's
 * browser — or from anyone who completed DTLS with the SFU. Random bytes never throw and never read
 * past the packet; packets built from random fields parse back to exactly those fields.
 */

/** Random bytes of every length up to `max` (fast-check alone would keep arrays a few bytes long). */
const bytes = (max = MAX_PACKET_BYTES + 8) =>
  fc
    .oneof(
      fc.uint8Array({ maxLength: 16 }),
      fc.uint8Array({ maxLength: 64, size: 'max' }),
      fc.uint8Array({ maxLength: max, size: 'max' }),
    )
    .map((a) => Buffer.from(a));
const u32 = fc.nat({ max: 0xffffffff });
const u16 = fc.nat({ max: 0xffff });

describe('RTP parser under fuzzing', () => {
  it('random bytes: parseRtp never throws, and what it accepts lies inside the packet', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bytes(),
          bytes(40).map((b) => {
            // Mostly version 2, so parsing gets past the first check.
            if (b.length > 0) b[0] = 0x80 | ((b[0] as number) & 0x3f);
            return b;
          }),
        ),
        (packet) => {
          const h = parseRtp(packet);
          if (!h) return;
          expect(packet.length).toBeGreaterThanOrEqual(12);
          expect(packet.length).toBeLessThanOrEqual(MAX_PACKET_BYTES);
          expect(h.csrcEnd).toBeGreaterThanOrEqual(12);
          expect(h.payloadOffset).toBe(h.csrcEnd + h.extensionLength);
          expect(h.payloadOffset + h.padding).toBeLessThanOrEqual(packet.length);
          expect(h.extensionOffset === -1 ? h.extensionLength === 0 : h.extensionOffset === h.csrcEnd).toBe(
            true,
          );
          expect(h.payloadType).toBeLessThan(128);
          // Whatever isRtcp says, it does not throw either.
          expect(typeof isRtcp(packet)).toBe('boolean');
        },
      ),
      fuzzParams('sfu.rtpRandom', 5000),
    );
  });

  const built = fc.record({
    marker: fc.boolean(),
    payloadType: fc.nat({ max: 127 }),
    sequence: u16,
    timestamp: u32,
    ssrc: u32,
    csrcs: fc.array(u32, { maxLength: 15 }),
    extension: fc.option(fc.record({ profile: u16, words: fc.uint8Array({ maxLength: 64, size: 'max' }) })),
    payload: fc.uint8Array({ maxLength: 1200, size: 'max' }),
    padding: fc.nat({ max: 255 }),
  });

  it('a packet built from random fields parses back to them; stripping its extensions and rewriting keep the rest', () => {
    fc.assert(
      fc.property(built, u16, u32, u32, (p, sequence, timestamp, ssrc) => {
        const extWords = p.extension ? Math.ceil(p.extension.words.length / 4) : 0;
        const ext = Buffer.alloc(p.extension ? 4 + extWords * 4 : 0);
        if (p.extension) {
          ext.writeUInt16BE(p.extension.profile, 0);
          ext.writeUInt16BE(extWords, 2);
          ext.set(p.extension.words, 4);
        }
        const head = Buffer.alloc(12 + p.csrcs.length * 4);
        head[0] = 0x80 | (p.extension ? 0x10 : 0) | (p.padding ? 0x20 : 0) | p.csrcs.length;
        head[1] = (p.marker ? 0x80 : 0) | p.payloadType;
        head.writeUInt16BE(p.sequence, 2);
        head.writeUInt32BE(p.timestamp, 4);
        head.writeUInt32BE(p.ssrc, 8);
        for (const [i, c] of p.csrcs.entries()) head.writeUInt32BE(c, 12 + i * 4);
        const pad = Buffer.alloc(p.padding);
        if (p.padding) pad[p.padding - 1] = p.padding;
        const packet = Buffer.concat([head, ext, Buffer.from(p.payload), pad]);
        const h = parseRtp(packet);
        if (packet.length > MAX_PACKET_BYTES) {
          expect(h).toBeUndefined();
          return;
        }
        expect(h).toEqual({
          payloadType: p.payloadType,
          marker: p.marker,
          sequence: p.sequence,
          timestamp: p.timestamp,
          ssrc: p.ssrc,
          csrcEnd: head.length,
          extensionOffset: p.extension ? head.length : -1,
          extensionLength: ext.length,
          payloadOffset: head.length + ext.length,
          padding: p.padding,
        });
        if (!h) return;
        const stripped = stripExtensionsInPlace(packet, h.csrcEnd, h.extensionLength);
        rewriteRtp(stripped, sequence, timestamp, ssrc);
        const again = parseRtp(stripped);
        expect(again).toMatchObject({
          sequence,
          timestamp,
          ssrc,
          payloadType: p.payloadType,
          marker: p.marker,
        });
        expect(again?.extensionLength).toBe(0);
        expect(again?.payloadOffset).toBe(head.length);
        const rest = Buffer.concat([Buffer.from(p.payload), pad]);
        expect(stripped.subarray(head.length).equals(rest)).toBe(true);
      }),
      fuzzParams('sfu.rtpBuilt', 3000),
    );
  });

  it('audio level: any extension block is read inside its bounds, one- and two-byte forms', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0xbede, 0x1000, 0x1001, 0x0000, 0xffff),
        fc.uint8Array({ maxLength: 80, size: 'max' }),
        fc.integer({ min: 0, max: 255 }),
        (profile, body, id) => {
          const words = Math.floor(body.length / 4);
          const block = Buffer.alloc(4 + words * 4);
          block.writeUInt16BE(profile, 0);
          block.writeUInt16BE(words, 2);
          block.set(body.subarray(0, words * 4), 4);
          // The block alone, so that a read past its end would give `undefined`, not a byte.
          const v = audioLevelByte(block, 0, block.length, id);
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(-1);
          expect(v).toBeLessThanOrEqual(255);
          if (v >= 0) expect([...block.subarray(4)]).toContain(v);
        },
      ),
      fuzzParams('sfu.audioLevel', 5000),
    );
  });
});

describe('RTCP parser under fuzzing', () => {
  it('random bytes (and random compound packets) never throw and give a bounded summary', () => {
    // Sub-packets with real types and formats but lengths and bodies that need not agree.
    const subPacket = fc
      .record({
        fmt: fc.oneof(fc.constantFrom(1, 4, 15), fc.nat({ max: 31 })),
        type: fc.oneof(fc.constantFrom(200, 201, 205, 206), fc.nat({ max: 255 })),
        words: fc.oneof(fc.nat({ max: 12 }), u16),
        body: fc.uint8Array({ maxLength: 48, size: 'max' }),
      })
      .map(({ fmt, type, words, body }) => {
        const head = Buffer.alloc(4);
        head[0] = 0x80 | fmt;
        head[1] = type;
        head.writeUInt16BE(words, 2);
        return Buffer.concat([head, body]);
      });
    const compound = fc.array(subPacket, { minLength: 1, maxLength: 5 }).map((parts) => Buffer.concat(parts));
    fc.assert(
      fc.property(fc.oneof(bytes(), compound), (packet) => {
        const s = parseRtcp(packet);
        expect(typeof s.malformed).toBe('boolean');
        for (const n of s.nacks) {
          expect(n.sequences.length).toBeLessThanOrEqual(17 * 16);
          for (const q of n.sequences) expect(q >= 0 && q <= 0xffff).toBe(true);
        }
        expect(s.remb === -1 || (Number.isFinite(s.remb) && s.remb >= 0)).toBe(true);
        for (const k of s.keyframeFor) expect(k >= 0 && k <= 0xffffffff).toBe(true);
      }),
      fuzzParams('sfu.rtcpRandom', 5000),
    );
  });

  const part = fc.oneof(
    fc.record({ kind: fc.constant('sr' as const), ssrc: u32, ntpS: u32, ntpF: u32, ts: u32 }),
    fc.record({ kind: fc.constant('rr' as const), ssrc: u32, blocks: fc.nat({ max: 31 }) }),
    fc.record({
      kind: fc.constant('nack' as const),
      media: u32,
      sequences: fc.array(u16, { minLength: 1, maxLength: 16 }),
    }),
    fc.record({ kind: fc.constant('pli' as const), media: u32 }),
    fc.record({
      kind: fc.constant('remb' as const),
      bitrate: fc.nat({ max: 2 ** 40 }),
      ssrcs: fc.array(u32, { maxLength: 4 }),
    }),
  );

  it('a compound packet built from random reports parses back to them; any cut of it never throws', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.nat(), (parts, cutAt) => {
        const packet = Buffer.concat(
          parts.map((p) => {
            switch (p.kind) {
              case 'sr':
                return buildSenderReport(p.ssrc, p.ntpS, p.ntpF, p.ts, 1, 1);
              case 'rr':
                return buildReceiverReport(
                  p.ssrc,
                  Array.from({ length: p.blocks }, (_, i) => ({
                    ssrc: i,
                    fractionLost: 0,
                    cumulativeLost: 0,
                    highestSequence: i,
                    jitter: 0,
                    lastSenderReport: 0,
                    delaySinceLastSenderReport: 0,
                  })),
                );
              case 'nack':
                return buildNack(1, p.media, p.sequences);
              case 'pli':
                return buildPli(1, p.media);
              default:
                return buildRemb(1, p.bitrate, p.ssrcs);
            }
          }),
        );
        const s = parseRtcp(packet);
        expect(s.malformed).toBe(false);
        expect(s.senderReports).toEqual(
          parts.flatMap((p) =>
            p.kind === 'sr'
              ? [{ ssrc: p.ssrc, ntpSeconds: p.ntpS, ntpFraction: p.ntpF, rtpTimestamp: p.ts }]
              : [],
          ),
        );
        expect(s.keyframeFor).toEqual(parts.flatMap((p) => (p.kind === 'pli' ? [p.media] : [])));
        const nacks = parts.flatMap((p) => (p.kind === 'nack' ? [p] : []));
        expect(s.nacks.map((n) => n.ssrc)).toEqual(nacks.map((n) => n.media));
        for (const [i, n] of s.nacks.entries())
          expect(new Set(n.sequences)).toEqual(new Set(nacks[i]?.sequences));
        const remb = parts.filter((p) => p.kind === 'remb').at(-1);
        if (remb?.kind === 'remb') {
          // Mantissa and exponent keep 18 significant bits: never more than was sent, and close.
          expect(s.remb).toBeLessThanOrEqual(remb.bitrate);
          expect(s.remb).toBeGreaterThanOrEqual(remb.bitrate * (1 - 2 ** -17) - 1);
        } else {
          expect(s.remb).toBe(-1);
        }
        const cut = parseRtcp(packet.subarray(0, cutAt % (packet.length + 1)));
        expect(cut.senderReports.length).toBeLessThanOrEqual(s.senderReports.length);
      }),
      fuzzParams('sfu.rtcpBuilt', 3000),
    );
  });
});
