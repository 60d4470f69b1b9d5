import { describe, expect, it } from 'vitest';
import {
  buildNack,
  buildPli,
  buildReceiverReport,
  buildSenderReport,
  parseRtcp,
  type ReportBlock,
} from './rtcp.js';

function fir(sender: number, media: number): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 0x80 | 4;
  b[1] = 206;
  b.writeUInt16BE(4, 2);
  b.writeUInt32BE(sender, 4);
  b.writeUInt32BE(media, 12);
  return b;
}

describe('RTCP parsing', () => {
  it.each([
    ['PLI', buildPli(1, 0xabc), { keyframeFor: [0xabc], nacks: [] }],
    ['FIR', fir(1, 0xdef), { keyframeFor: [0xdef] }],
    [
      'NACK with bitmask',
      buildNack(1, 7, [100, 101, 103, 116]),
      { nacks: [{ ssrc: 7, sequences: [100, 101, 103, 116] }] },
    ],
    [
      'NACK across wrap',
      buildNack(1, 7, [0xfffe, 0xffff, 0, 40]),
      { nacks: [{ ssrc: 7, sequences: [0xfffe, 0xffff, 0, 40] }] },
    ],
    [
      'SR',
      buildSenderReport(5, 10, 20, 30, 1, 2),
      { senderReports: [{ ssrc: 5, ntpSeconds: 10, ntpFraction: 20, rtpTimestamp: 30 }] },
    ],
    [
      'compound SR + PLI',
      Buffer.concat([buildSenderReport(5, 1, 2, 3, 4, 5), buildPli(5, 9)]),
      { keyframeFor: [9], malformed: false },
    ],
  ])('%s', (_name, packet, expected) => {
    expect(parseRtcp(packet)).toMatchObject(expected);
  });

  it.each([
    [
      'truncated length',
      (() => {
        const b = buildPli(1, 2);
        b.writeUInt16BE(9, 2);
        return b;
      })(),
    ],
    [
      'bad version',
      (() => {
        const b = buildPli(1, 2);
        b[0] = 0x41;
        return b;
      })(),
    ],
  ])('flags %s as malformed without throwing', (_name, packet) => {
    expect(parseRtcp(packet).malformed).toBe(true);
  });

  it('caps the sequence numbers one NACK can ask for', () => {
    const huge = buildNack(
      1,
      7,
      Array.from({ length: 2000 }, (_, i) => i * 20),
    );
    const n = parseRtcp(huge).nacks[0]?.sequences.length ?? 0;
    expect(n).toBeLessThanOrEqual(17 * 16);
  });

  describe('report blocks', () => {
    const block = (ssrc: number, fractionLost: number, cumulativeLost = 3): ReportBlock => ({
      ssrc,
      fractionLost,
      cumulativeLost,
      highestSequence: 0x2_0010,
      jitter: 12,
      lastSenderReport: 0xabcd,
      delaySinceLastSenderReport: 0x10000,
    });

    it('reads the blocks of an RR', () => {
      const blocks = [block(7, 26), block(8, 0, -2)];
      expect(parseRtcp(buildReceiverReport(1, blocks))).toMatchObject({
        reportBlocks: blocks,
        malformed: false,
      });
    });

    it('reads the blocks an SR carries after its sender info', () => {
      const sr = buildSenderReport(5, 1, 2, 3, 4, 5);
      const rr = buildReceiverReport(5, [block(9, 128)]);
      // An SR with one block: the SR's 28 bytes, then the RR's block, count 1, length + 6 words.
      const withBlock = Buffer.concat([sr, rr.subarray(8)]);
      withBlock[0] = 0x81;
      withBlock.writeUInt16BE(withBlock.length / 4 - 1, 2);
      expect(parseRtcp(withBlock)).toMatchObject({
        senderReports: [{ ssrc: 5 }],
        reportBlocks: [block(9, 128)],
      });
    });

    it('reads no more blocks than the packet holds, whatever the count says', () => {
      const rr = buildReceiverReport(1, [block(7, 1)]);
      rr[0] = 0x80 | 31;
      expect(parseRtcp(rr).reportBlocks).toEqual([block(7, 1)]);
    });
  });
});
