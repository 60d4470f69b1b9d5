import { describe, expect, it } from 'vitest';
import { AUDIO_LEVEL_URI, readAudioLevel } from './audioLevel.js';
import {
  isRtcp,
  parseRtp,
  readRtpHeader,
  rewriteRtp,
  rtpHeader,
  rtpPacket,
  rtpSequence,
  rtpSsrc,
  rtpTimestamp,
  seqNewer,
  stripExtensionsInPlace,
} from './rtp.js';

/** An RTP packet: fixed header, optional CSRCs, optional extension block, payload. */
function rtp(o: {
  pt?: number;
  seq?: number;
  ts?: number;
  ssrc?: number;
  csrcs?: number;
  ext?: number[];
  extProfile?: number;
  payload?: number[];
  padding?: number;
}): Buffer {
  const csrcs = o.csrcs ?? 0;
  const ext = o.ext ? [...o.ext] : undefined;
  while (ext && ext.length % 4) ext.push(0);
  const payload = o.payload ?? [1, 2, 3, 4];
  const pad = o.padding ?? 0;
  const len = 12 + csrcs * 4 + (ext ? 4 + ext.length : 0) + payload.length + pad;
  const b = Buffer.alloc(len);
  b[0] = 0x80 | (ext ? 0x10 : 0) | (pad ? 0x20 : 0) | csrcs;
  b[1] = o.pt ?? 96;
  b.writeUInt16BE(o.seq ?? 1, 2);
  b.writeUInt32BE(o.ts ?? 1000, 4);
  b.writeUInt32BE(o.ssrc ?? 0x11223344, 8);
  let i = 12 + csrcs * 4;
  if (ext) {
    b.writeUInt16BE(o.extProfile ?? 0xbede, i);
    b.writeUInt16BE(ext.length / 4, i + 2);
    Buffer.from(ext).copy(b, i + 4);
    i += 4 + ext.length;
  }
  Buffer.from(payload).copy(b, i);
  if (pad) b[len - 1] = pad;
  return b;
}

describe('RTP header parsing', () => {
  it.each([
    [
      'plain',
      rtp({}),
      {
        payloadType: 96,
        sequence: 1,
        timestamp: 1000,
        ssrc: 0x11223344,
        payloadOffset: 12,
        extensionOffset: -1,
      },
    ],
    ['with CSRCs', rtp({ csrcs: 2 }), { payloadOffset: 20, csrcEnd: 20 }],
    [
      'with extension',
      rtp({ ext: [0x10, 0x55] }),
      { extensionOffset: 12, extensionLength: 8, payloadOffset: 20 },
    ],
    ['with padding', rtp({ padding: 3 }), { padding: 3 }],
    [
      'max values',
      rtp({ seq: 0xffff, ts: 0xffffffff, ssrc: 0xffffffff, pt: 127 }),
      { sequence: 0xffff, timestamp: 0xffffffff, ssrc: 0xffffffff, payloadType: 127 },
    ],
  ])('%s', (_name, packet, expected) => {
    expect(parseRtp(packet)).toMatchObject(expected);
  });

  it.each([
    ['too short', Buffer.alloc(11, 0x80)],
    [
      'version 1',
      (() => {
        const b = rtp({});
        b[0] = 0x40;
        return b;
      })(),
    ],
    [
      'CSRC count beyond the end',
      (() => {
        const b = rtp({ payload: [] });
        b[0] = 0x8f;
        return b;
      })(),
    ],
    [
      'extension length beyond the end',
      (() => {
        const b = rtp({ ext: [0x10, 1] });
        b.writeUInt16BE(40, 14);
        return b;
      })(),
    ],
    [
      'zero padding byte',
      (() => {
        const b = rtp({ padding: 1 });
        b[b.length - 1] = 0;
        return b;
      })(),
    ],
    [
      'padding beyond the payload',
      (() => {
        const b = rtp({ padding: 1 });
        b[b.length - 1] = 200;
        return b;
      })(),
    ],
    ['oversized', Buffer.concat([rtp({}), Buffer.alloc(1500)])],
  ])('rejects %s', (_name, packet) => {
    expect(parseRtp(packet)).toBeUndefined();
  });

  it.each([
    [200, true],
    [201, true],
    [205, true],
    [206, true],
    [96, false],
    [96 | 0x80, false],
    [111, false],
    [224, false],
  ])('second byte %i is RTCP: %s', (byte, expected) => {
    const b = Buffer.alloc(12);
    b[0] = 0x80;
    b[1] = byte;
    expect(isRtcp(b)).toBe(expected);
  });

  it('strips the extension block and clears the X bit, keeping CSRCs and payload', () => {
    const packet = rtp({ csrcs: 1, ext: [0x10, 0x7f], payload: [9, 8, 7] });
    const header = parseRtp(packet);
    if (!header) throw new Error('parse');
    const out = stripExtensionsInPlace(packet, header.csrcEnd, header.extensionLength);
    expect(out.length).toBe(12 + 4 + 3);
    expect(out.buffer).toBe(packet.buffer); // no copy
    expect((out[0] ?? 0xff) & 0x10).toBe(0);
    expect([...out.subarray(16)]).toEqual([9, 8, 7]);
    expect(parseRtp(out)).toMatchObject({ extensionOffset: -1, payloadOffset: 16 });
  });

  it('rewrites sequence, timestamp and SSRC in place', () => {
    const packet = rtp({});
    rewriteRtp(packet, 0x1_0005, -1, 0xdeadbeef);
    expect(parseRtp(packet)).toMatchObject({ sequence: 5, timestamp: 0xffffffff, ssrc: 0xdeadbeef });
  });

  it('refills one header object in place, packet after packet', () => {
    const header = rtpHeader();
    expect(readRtpHeader(rtp({ seq: 7, ext: [0x10, 1] }), header)).toBe(true);
    expect(header).toMatchObject({ sequence: 7, extensionOffset: 12, payloadOffset: 20 });
    expect(readRtpHeader(rtp({ seq: 8, pt: 111 }), header)).toBe(true);
    expect(header).toMatchObject({ sequence: 8, payloadType: 111, extensionOffset: -1, payloadOffset: 12 });
    expect(readRtpHeader(Buffer.alloc(11, 0x80), header)).toBe(false);
  });

  it('reads sequence, timestamp and SSRC without a header object', () => {
    const packet = rtp({ seq: 0xfedc, ts: 0xfedcba98, ssrc: 0x89abcdef });
    expect([rtpSequence(packet), rtpTimestamp(packet), rtpSsrc(packet)]).toEqual([
      0xfedc, 0xfedcba98, 0x89abcdef,
    ]);
  });

  it.each([
    ['plain', {}, {}],
    ['with CSRCs', { csrcs: 2 }, { csrcs: [1, 2] }],
    [
      'with extension',
      { ext: [0x10, 0x55] },
      { extension: { profile: 0xbede, data: Uint8Array.of(0x10, 0x55) } },
    ],
    ['with padding', { padding: 3 }, { padding: 3 }],
  ])('builds the same bytes as the layout in RFC 3550: %s', (_name, layout, fields) => {
    const expected = rtp({ ...layout, seq: 9, ts: 90, ssrc: 5, pt: 96 });
    // The CSRC words themselves: the reference builder leaves them zero.
    if ('csrcs' in fields) expected.set([0, 0, 0, 1, 0, 0, 0, 2], 12);
    const built = rtpPacket(
      { payloadType: 96, sequence: 9, timestamp: 90, ssrc: 5, ...fields },
      Uint8Array.of(1, 2, 3, 4),
    );
    expect(built).toEqual(expected);
  });

  it('builds the marker bit', () => {
    const packet = rtpPacket(
      { payloadType: 96, sequence: 1, timestamp: 1, ssrc: 1, marker: true },
      Buffer.alloc(0),
    );
    expect(parseRtp(packet)).toMatchObject({ marker: true, payloadType: 96 });
  });

  it.each([
    [2, 1, true],
    [1, 2, false],
    [0, 0xffff, true],
    [0xffff, 0, false],
    [5, 5, false],
    [0x8000, 0, false],
    [0x7fff, 0, true],
  ])('seqNewer(%i, %i) = %s', (a, b, expected) => {
    expect(seqNewer(a, b)).toBe(expected);
  });
});

describe('RFC 6464 audio level', () => {
  expect(AUDIO_LEVEL_URI).toContain('audio-level');
  it.each([
    ['one-byte form', rtp({ ext: [0x10, 0x80 | 30] }), 1, { level: 30, voice: true }],
    [
      'one-byte after another element',
      rtp({ ext: [0x21, 0xaa, 0xbb, 0x10, 42] }),
      1,
      { level: 42, voice: false },
    ],
    ['one-byte after padding', rtp({ ext: [0, 0, 0x10, 127] }), 1, { level: 127, voice: false }],
    ['two-byte form', rtp({ ext: [1, 1, 0x80 | 9], extProfile: 0x1000 }), 1, { level: 9, voice: true }],
    ['other id', rtp({ ext: [0x30, 20] }), 1, undefined],
    ['no extension', rtp({}), 1, undefined],
    ['unknown profile', rtp({ ext: [0x10, 20], extProfile: 0x1234 }), 1, undefined],
    ['element longer than block', rtp({ ext: [0x2f, 1, 2, 3] }), 1, undefined],
  ])('%s', (_name, packet, id, expected) => {
    const header = parseRtp(packet);
    if (!header) throw new Error('parse');
    expect(readAudioLevel(packet, header, id)).toEqual(expected);
  });
});
