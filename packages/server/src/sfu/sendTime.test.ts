import { describe, expect, it } from 'vitest';
import { parseRtp, rtpPacket, stripExtensionsInPlace } from './rtp.js';
import {
  ABS_SEND_TIME_ID,
  readSendTime,
  SEND_TIME_BLOCK,
  sendTimeScratch,
  withSendTimeBlock,
} from './sendTime.js';

const payload = Buffer.from([0x90, 0x80, 0x12, 0x34, 0xaa, 0xbb]);
const fields = { payloadType: 96, sequence: 513, timestamp: 90_000, ssrc: 0xabcdef01, marker: true };

/** As forwarding does it: the publisher's extensions stripped, then the send-time block added. */
function rebuilt(packet: Buffer, scratch = sendTimeScratch(), nowMs = 0) {
  const h = parseRtp(packet);
  const csrcEnd = h?.csrcEnd ?? 12;
  return withSendTimeBlock(
    stripExtensionsInPlace(packet, csrcEnd, h?.extensionLength ?? 0),
    csrcEnd,
    scratch,
    nowMs,
  );
}

describe('withSendTimeBlock', () => {
  it.each([
    ['a one-byte block', { profile: 0xbede, data: Uint8Array.of(0x12, 1, 2, 3, 0x40, 9) }],
    ['a two-byte block', { profile: 0x1000, data: Uint8Array.of(7, 2, 1, 2) }],
    ['no block at all', undefined],
  ])('puts a send-time block where %s was, keeping header, CSRCs and payload', (_, extension) => {
    const scratch = sendTimeScratch();
    const out = rebuilt(rtpPacket({ ...fields, csrcs: [0x11, 0x22], extension }, payload), scratch);
    expect(out.buffer).toBe(scratch.buffer);
    expect(parseRtp(out)).toMatchObject({
      payloadType: 96,
      marker: true,
      sequence: 513,
      timestamp: 90_000,
      ssrc: 0xabcdef01,
      csrcEnd: 20,
      extensionOffset: 20,
      extensionLength: SEND_TIME_BLOCK,
    });
    expect([out.readUInt32BE(12), out.readUInt32BE(16)]).toEqual([0x11, 0x22]);
    expect(out[24]).toBe((ABS_SEND_TIME_ID << 4) | 2);
    expect(out.subarray(20 + SEND_TIME_BLOCK)).toEqual(payload);
  });

  it('leaves nothing of a longer packet made in the same scratch before', () => {
    const scratch = sendTimeScratch();
    rebuilt(rtpPacket(fields, Buffer.alloc(900, 0xee)), scratch);
    const out = rebuilt(rtpPacket(fields, payload), scratch);
    expect(out.length).toBe(12 + SEND_TIME_BLOCK + payload.length);
    expect(out.subarray(12 + SEND_TIME_BLOCK)).toEqual(payload);
  });

  it('keeps padding at the end', () => {
    const out = rebuilt(rtpPacket({ ...fields, padding: 4 }, payload));
    expect(parseRtp(out)).toMatchObject({ padding: 4, payloadOffset: 12 + SEND_TIME_BLOCK });
    expect(out.length).toBe(12 + SEND_TIME_BLOCK + payload.length + 4);
  });
});

describe('the send time', () => {
  it('is 6.18 fixed-point seconds, wrapping every 64 s', () => {
    const at = (ms: number) => readSendTime(rebuilt(rtpPacket(fields, payload), sendTimeScratch(), ms));
    expect(at(1000)).toBe(1 << 18);
    expect(at(64_000 + 250)).toBe(1 << 16);
    expect(at(63_999.998)).toBe(0xffffff);
  });

  it('is absent from a packet without a send-time block', () => {
    const plain = rtpPacket(fields, payload);
    const foreign = rtpPacket(
      { ...fields, extension: { profile: 0xbede, data: Uint8Array.of(0x12, 1, 2, 3) } },
      payload,
    );
    expect([readSendTime(plain), readSendTime(foreign)]).toEqual([-1, -1]);
  });
});
