import { decodeHeader, SFrameReceiver, SFrameSender } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import {
  clearByteCount,
  decryptFrame,
  encryptFrame,
  type MediaKind,
  parseFrame,
  sframeOverhead,
} from './frameLayout.js';
import { deriveMeetingKey, deriveSenderKey, E2EE_SUITE, makeKid } from './keySchedule.js';

const FAST = 1_000;
const KID = makeKid(3, 1);

async function pair(passphrase = 'pass', receiverPassphrase = passphrase) {
  const sendKey = await deriveSenderKey(await deriveMeetingKey(passphrase, 'm', FAST), KID);
  const recvKey = await deriveSenderKey(await deriveMeetingKey(receiverPassphrase, 'm', FAST), KID);
  const sender = await SFrameSender.create({ kid: KID, baseKey: sendKey, suite: E2EE_SUITE });
  const receiver = new SFrameReceiver({ suite: E2EE_SUITE });
  await receiver.addKey(KID, recvKey);
  return { sender, receiver };
}

function randomFrame(length: number, first: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
  data[0] = first;
  return data;
}

// VP8: P bit (bit 0 of byte 0) = 0 on key frames (RFC 6386 §9.1); 0x9d012a is the start code.
const vp8Key = () => {
  const f = randomFrame(1000, 0x50);
  f.set([0x9d, 0x01, 0x2a], 3);
  return f;
};
const vp8Delta = () => randomFrame(1000, 0x51);
const opus = () => randomFrame(160, 0x78);

const cases: [string, MediaKind, () => Uint8Array, number][] = [
  ['VP8 key frame', 'video', vp8Key, 10],
  ['VP8 delta frame', 'video', vp8Delta, 3],
  ['Opus', 'audio', opus, 1],
];

describe.each(cases)('%s', (_name, kind, make, clear) => {
  it(`keeps ${clear} bytes in clear, then header and ciphertext, and round-trips`, async () => {
    const { sender, receiver } = await pair();
    const plain = make();
    expect(clearByteCount(kind, plain)).toBe(clear);
    const enc = await encryptFrame(sender, kind, plain);
    if (!enc.ok) throw new Error(enc.reason);
    expect(enc.data.subarray(0, clear)).toEqual(plain.subarray(0, clear));
    const header = decodeHeader(enc.data.subarray(clear));
    expect(header).toMatchObject({ kid: KID, ctr: 0n });
    expect(enc.data.length).toBe(plain.length + header.length + 16);

    const dec = await decryptFrame(receiver, kind, enc.data);
    if (!dec.ok) throw new Error(dec.reason);
    expect(dec.data).toEqual(plain);
    expect(dec).toMatchObject({ kid: KID, ctr: 0n });
  });

  it('turns the bytes past the clear header into ciphertext (>= 90% differ)', async () => {
    const { sender } = await pair();
    for (const plain of [make(), new Uint8Array(make().length).fill(0)]) {
      plain[0] = make()[0] as number;
      const enc = await encryptFrame(sender, kind, plain);
      if (!enc.ok) throw new Error(enc.reason);
      const body = plain.subarray(clear);
      const headerLength = decodeHeader(enc.data.subarray(clear)).length;
      const cipher = enc.data.subarray(clear + headerLength);
      let differ = 0;
      for (let i = 0; i < body.length; i++) if (cipher[i] !== body[i]) differ++;
      expect(differ / body.length).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('drops with auth-failed under a wrong passphrase', async () => {
    const { sender, receiver } = await pair('right', 'wrong');
    const enc = await encryptFrame(sender, kind, make());
    if (!enc.ok) throw new Error(enc.reason);
    expect(await decryptFrame(receiver, kind, enc.data)).toEqual({ ok: false, reason: 'auth-failed' });
  });

  it('drops with auth-failed when a clear byte, header or ciphertext byte changes', async () => {
    const { sender, receiver } = await pair();
    const enc = await encryptFrame(sender, kind, make());
    if (!enc.ok) throw new Error(enc.reason);
    // Bit 1 of byte 0 (VP8 version; bit 0 would change the layout itself), the last clear byte,
    // the config byte of the header, then ciphertext and tag.
    for (const at of [0, clear - 1, clear, enc.data.length - 20, enc.data.length - 1]) {
      const bad = enc.data.slice();
      bad[at] = (bad[at] as number) ^ 0x02;
      expect(await decryptFrame(receiver, kind, bad)).toEqual({ ok: false, reason: 'auth-failed' });
    }
    expect((await decryptFrame(receiver, kind, enc.data)).ok).toBe(true);
  });

  it('drops truncated and malformed frames with a typed reason', async () => {
    const { sender, receiver } = await pair();
    const enc = await encryptFrame(sender, kind, make());
    if (!enc.ok) throw new Error(enc.reason);
    const headerLength = decodeHeader(enc.data.subarray(clear)).length;
    expect(await decryptFrame(receiver, kind, enc.data.subarray(0, clear))).toEqual({
      ok: false,
      reason: 'truncated',
    });
    expect(await decryptFrame(receiver, kind, enc.data.subarray(0, clear + headerLength + 15))).toEqual({
      ok: false,
      reason: 'truncated',
    });
    // Cut inside the header: the KID field is missing.
    expect(await decryptFrame(receiver, kind, enc.data.subarray(0, clear + 1))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    // Cut the last ciphertext byte: the tag no longer verifies.
    expect(await decryptFrame(receiver, kind, enc.data.subarray(0, enc.data.length - 1))).toEqual({
      ok: false,
      reason: 'auth-failed',
    });
  });

  it('drops a replayed frame', async () => {
    const { sender, receiver } = await pair();
    const enc = await encryptFrame(sender, kind, make());
    if (!enc.ok) throw new Error(enc.reason);
    expect((await decryptFrame(receiver, kind, enc.data)).ok).toBe(true);
    expect(await decryptFrame(receiver, kind, enc.data)).toEqual({ ok: false, reason: 'replay' });
  });
});

describe('frame layout edge cases', () => {
  it('passes an empty frame and drops a VP8 frame shorter than its clear prefix', async () => {
    const { sender } = await pair();
    expect(await encryptFrame(sender, 'video', new Uint8Array(0))).toEqual({
      ok: true,
      data: new Uint8Array(0),
    });
    expect(await encryptFrame(sender, 'video', new Uint8Array([0x50, 1, 2, 3]))).toEqual({
      ok: false,
      reason: 'truncated',
    });
    expect(await encryptFrame(sender, 'video', new Uint8Array([0x51, 1]))).toEqual({
      ok: false,
      reason: 'truncated',
    });
  });

  it('encrypts a TOC-only Opus frame (DTX) and decrypts it back', async () => {
    const { sender, receiver } = await pair();
    const enc = await encryptFrame(sender, 'audio', new Uint8Array([0xf8]));
    if (!enc.ok) throw new Error(enc.reason);
    const dec = await decryptFrame(receiver, 'audio', enc.data);
    expect(dec.ok && dec.data).toEqual(new Uint8Array([0xf8]));
  });

  it('drops a frame whose KID has no key as unknown-kid', async () => {
    const { receiver } = await pair();
    const other = await SFrameSender.create({ kid: makeKid(9, 0), baseKey: new Uint8Array(16).fill(7) });
    const enc = await encryptFrame(other, 'audio', opus());
    if (!enc.ok) throw new Error(enc.reason);
    expect(await decryptFrame(receiver, 'audio', enc.data)).toEqual({ ok: false, reason: 'unknown-kid' });
    expect(parseFrame('audio', enc.data)).toEqual({ ok: true, kid: makeKid(9, 0), ctr: 0n });
  });

  it('adds at most 22 bytes per frame for typical counters', () => {
    // Index < 16 (1-byte KID), CTR < 2^16: 1 + 1 + 2 + 16 = 20 bytes; CTR < 2^32: 22.
    expect(sframeOverhead(makeKid(15, 15), 0n)).toBe(18);
    expect(sframeOverhead(makeKid(15, 15), 65_535n)).toBe(20);
    expect(sframeOverhead(makeKid(15, 15), (1n << 24n) - 1n)).toBe(21);
    expect(sframeOverhead(makeKid(15, 15), (1n << 32n) - 1n)).toBe(22);
    // Up to 4095 participants (2-byte KID) stay within 22 bytes for the first 2^24 frames.
    expect(sframeOverhead(makeKid(4095, 15), (1n << 24n) - 1n)).toBe(22);
  });
});
