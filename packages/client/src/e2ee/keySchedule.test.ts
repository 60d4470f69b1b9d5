import { describe, expect, it } from 'vitest';
import {
  decryptChat,
  deriveChatKey,
  deriveMeetingKey,
  deriveSenderKey,
  encryptChat,
  makeKid,
  PBKDF2_ITERATIONS,
  splitKid,
} from './keySchedule.js';

const FAST = 1_000;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function senderKeyHex(passphrase: string, meetingId: string, kid: bigint, iterations = FAST) {
  return hex(await deriveSenderKey(await deriveMeetingKey(passphrase, meetingId, iterations), kid));
}

describe('deriveMeetingKey', () => {
  it('uses at least 600,000 PBKDF2 iterations by default', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    // The default really is that count: same key as an explicit 600,000, not as a cheap one.
    const byDefault = hex(await deriveSenderKey(await deriveMeetingKey('pass', 'm1'), 16n));
    expect(byDefault).toBe(await senderKeyHex('pass', 'm1', 16n, 600_000));
    expect(byDefault).not.toBe(await senderKeyHex('pass', 'm1', 16n, FAST));
  });

  it('is deterministic: every participant derives the same keys', async () => {
    expect(await senderKeyHex('correct horse', 'meeting-a', 17n)).toBe(
      await senderKeyHex('correct horse', 'meeting-a', 17n),
    );
  });

  it('separates meetings, passphrases and KIDs', async () => {
    const base = await senderKeyHex('pass', 'meeting-a', 16n);
    expect(await senderKeyHex('pass', 'meeting-b', 16n)).not.toBe(base);
    expect(await senderKeyHex('pass2', 'meeting-a', 16n)).not.toBe(base);
    expect(await senderKeyHex('pass', 'meeting-a', 17n)).not.toBe(base);
    expect(await senderKeyHex('pass', 'meeting-a', 32n)).not.toBe(base);
  });

  it('normalises the passphrase to NFC', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(await senderKeyHex(composed, 'm', 16n)).toBe(await senderKeyHex(decomposed, 'm', 16n));
  });

  it('refuses an empty passphrase, meeting id or iteration count', async () => {
    await expect(deriveMeetingKey('', 'm', FAST)).rejects.toThrow(RangeError);
    await expect(deriveMeetingKey('p', '', FAST)).rejects.toThrow(RangeError);
    await expect(deriveMeetingKey('p', 'm', 0)).rejects.toThrow(RangeError);
  });

  it('keeps the meeting key non-extractable', async () => {
    const key = await deriveMeetingKey('p', 'm', FAST);
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });
});

describe('deriveSenderKey', () => {
  it('gives 16 bytes for AES_128_GCM_SHA256_128 and 32 for AES_256_GCM_SHA512_128', async () => {
    const key = await deriveMeetingKey('p', 'm', FAST);
    expect(await deriveSenderKey(key, 16n)).toHaveLength(16);
    expect(await deriveSenderKey(key, 16n, 0x0005)).toHaveLength(32);
  });
});

describe('makeKid', () => {
  it.each([
    [1, 0, 16n],
    [1, 1, 17n],
    [3, 15, 63n],
    [3, 16, 48n],
    [4095, 2, 65522n],
  ])('index %i, epoch %i -> KID %s', (index, epoch, kid) => {
    expect(makeKid(index, epoch)).toBe(kid);
    expect(splitKid(kid)).toEqual({ senderIndex: index, epochBits: epoch & 0xf });
  });

  it('gives every epoch change a different KID', () => {
    const kids = new Set(Array.from({ length: 16 }, (_, epoch) => makeKid(5, epoch)));
    expect(kids.size).toBe(16);
  });

  it('rejects invalid input', () => {
    expect(() => makeKid(-1, 0)).toThrow(RangeError);
    expect(() => makeKid(1.5, 0)).toThrow(RangeError);
    expect(() => makeKid(1, -1)).toThrow(RangeError);
  });
});

describe('chat', () => {
  it('round-trips text, with a fresh IV each time', async () => {
    const key = await deriveChatKey(await deriveMeetingKey('p', 'm', FAST));
    const a = await encryptChat(key, 'héllo 👋');
    const b = await encryptChat(key, 'héllo 👋');
    expect(a).not.toBe(b);
    expect(a).not.toContain('llo');
    expect(await decryptChat(key, a)).toBe('héllo 👋');
  });

  it('returns null for a wrong key, tampering or garbage', async () => {
    const key = await deriveChatKey(await deriveMeetingKey('p', 'm', FAST));
    const wrong = await deriveChatKey(await deriveMeetingKey('q', 'm', FAST));
    const ct = await encryptChat(key, 'secret');
    expect(await decryptChat(wrong, ct)).toBeNull();
    const bytes = Buffer.from(ct, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(await decryptChat(key, bytes.toString('base64'))).toBeNull();
    expect(await decryptChat(key, 'not base64!')).toBeNull();
    expect(await decryptChat(key, '')).toBeNull();
    expect(await decryptChat(key, ct.slice(0, 20))).toBeNull();
  });

  it('uses a key independent of the media keys', async () => {
    const meetingKey = await deriveMeetingKey('p', 'm', FAST);
    const chatKey = await deriveChatKey(meetingKey);
    expect(chatKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect(chatKey.extractable).toBe(false);
  });
});
