import { describe, expect, it } from 'vitest';
import { importAeadKey } from './aead.js';
import { MAX_UINT64, toHex } from './bytes.js';
import { SFrameError, type SFrameErrorReason } from './errors.js';
import { encodedHeaderLength } from './header.js';
import { hkdfExpand, hkdfExtract } from './keys.js';
import { decrypt, decryptFrame, deriveSFrameKey, encrypt, encryptFrame } from './sframe.js';
import { CIPHER_SUITES, CipherSuiteId, DEFAULT_CIPHER_SUITE, getCipherSuite } from './suites.js';

const enc = new TextEncoder();
const baseKey = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const metadata = enc.encode('rtp-metadata');
const plaintext = enc.encode('an encoded media frame');

async function reasonOf(p: Promise<unknown>): Promise<SFrameErrorReason | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SFrameError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('cipher suites', () => {
  it('match the IANA registry constants', () => {
    const table = CIPHER_SUITES.map((s) => [s.id, s.name, s.hash, s.nh, s.nka, s.nk, s.nn, s.nt]);
    expect(table).toEqual([
      [1, 'AES_128_CTR_HMAC_SHA256_80', 'SHA-256', 32, 16, 48, 12, 10],
      [2, 'AES_128_CTR_HMAC_SHA256_64', 'SHA-256', 32, 16, 48, 12, 8],
      [3, 'AES_128_CTR_HMAC_SHA256_32', 'SHA-256', 32, 16, 48, 12, 4],
      [4, 'AES_128_GCM_SHA256_128', 'SHA-256', 32, undefined, 16, 12, 16],
      [5, 'AES_256_GCM_SHA512_128', 'SHA-512', 64, undefined, 32, 12, 16],
      [6, 'AES_256_CTR_HMAC_SHA512_80', 'SHA-512', 64, 32, 96, 12, 10],
      [7, 'AES_256_CTR_HMAC_SHA512_64', 'SHA-512', 64, 32, 96, 12, 8],
      [8, 'AES_256_CTR_HMAC_SHA512_32', 'SHA-512', 64, 32, 96, 12, 4],
    ]);
    expect(DEFAULT_CIPHER_SUITE).toBe(CipherSuiteId.AES_128_GCM_SHA256_128);
  });

  it.each([0, 9, 0xf000])('rejects unknown suite 0x%s', (id) => {
    expect(() => getCipherSuite(id)).toThrow(expect.objectContaining({ reason: 'unsupported-suite' }));
  });
});

describe('HKDF (RFC 5869 test case 1)', () => {
  it('matches the published PRK and OKM', async () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = Uint8Array.from({ length: 13 }, (_, i) => i);
    const info = Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i);
    const prk = await hkdfExtract('SHA-256', salt, ikm);
    expect(toHex(prk)).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    expect(toHex(await hkdfExpand('SHA-256', prk, info, 42))).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });
});

describe.each(CIPHER_SUITES.map((s) => [s.name, s] as const))('round trip with %s', (_name, suite) => {
  it('encrypts and decrypts for several KID/CTR sizes, with and without metadata', async () => {
    for (const [kid, ctr] of [
      [0n, 0n],
      [7n, 8n],
      [0x1234n, 0xabcdefn],
      [MAX_UINT64, MAX_UINT64],
    ] as const) {
      for (const md of [new Uint8Array(0), metadata]) {
        const frame = await encrypt(suite.id, baseKey, kid, ctr, md, plaintext);
        expect(frame.length).toBe(encodedHeaderLength(kid, ctr) + plaintext.length + suite.nt);
        const out = await decrypt(suite.id, baseKey, kid, md, frame);
        expect(out).toMatchObject({ kid, ctr });
        expect(out.plaintext).toEqual(plaintext);
      }
    }
  });

  it('handles an empty plaintext', async () => {
    const frame = await encrypt(suite.id, baseKey, 1n, 1n, metadata, new Uint8Array(0));
    expect(frame.length).toBe(1 + suite.nt);
    expect((await decrypt(suite.id, baseKey, 1n, metadata, frame)).plaintext.length).toBe(0);
  });

  it('fails with the right reason for tampered or truncated frames', async () => {
    const key = await deriveSFrameKey(suite.id, 0x42n, baseKey, 'encrypt');
    const dkey = await deriveSFrameKey(suite.id, 0x42n, baseKey, 'decrypt');
    const frame = await encryptFrame(key, 300n, metadata, plaintext);
    const headerLen = 1 + 1 + 2; // KID 0x42 (1 byte), CTR 300 (2 bytes)
    const flip = (i: number) => {
      const copy = frame.slice();
      copy[i] = (copy[i] as number) ^ 0x01;
      return copy;
    };
    expect((await decryptFrame(dkey, frame, metadata)).plaintext).toEqual(plaintext);
    expect(await reasonOf(decryptFrame(dkey, flip(frame.length - 1), metadata))).toBe('auth-failed');
    expect(await reasonOf(decryptFrame(dkey, flip(headerLen), metadata))).toBe('auth-failed');
    expect(await reasonOf(decryptFrame(dkey, flip(headerLen - 1), metadata))).toBe('auth-failed'); // CTR
    expect(await reasonOf(decryptFrame(dkey, frame, enc.encode('other-metadata')))).toBe('auth-failed');
    expect(await reasonOf(decryptFrame(dkey, frame.subarray(0, frame.length - 1), metadata))).toBe(
      'auth-failed',
    );
    // Too short to hold a tag, or to hold the header at all.
    expect(await reasonOf(decryptFrame(dkey, frame.subarray(0, headerLen + suite.nt - 1), metadata))).toBe(
      'malformed',
    );
    expect(await reasonOf(decryptFrame(dkey, frame.subarray(0, 2), metadata))).toBe('malformed');
    expect(await reasonOf(decryptFrame(dkey, new Uint8Array(0), metadata))).toBe('malformed');
    // A different KID in the header (flipping the KID byte) is not this key's frame.
    expect(await reasonOf(decryptFrame(dkey, flip(1), metadata))).toBe('unknown-kid');
  });

  it('fails authentication under a different base key', async () => {
    const frame = await encrypt(suite.id, baseKey, 3n, 3n, metadata, plaintext);
    const other = baseKey.map((b) => b ^ 0xff);
    expect(await reasonOf(decrypt(suite.id, other, 3n, metadata, frame))).toBe('auth-failed');
  });
});

describe('key usage separation (RFC 9605 §4.4.1)', () => {
  it('refuses to encrypt with a decryption key and vice versa', async () => {
    const dkey = await deriveSFrameKey(DEFAULT_CIPHER_SUITE, 1n, baseKey, 'decrypt');
    const ekey = await deriveSFrameKey(DEFAULT_CIPHER_SUITE, 1n, baseKey, 'encrypt');
    expect(await reasonOf(encryptFrame(dkey, 0n, metadata, plaintext))).toBe('invalid-argument');
    const frame = await encryptFrame(ekey, 0n, metadata, plaintext);
    expect(await reasonOf(decryptFrame(ekey, frame, metadata))).toBe('invalid-argument');
  });

  it('stores only non-extractable CryptoKeys', async () => {
    const key = await deriveSFrameKey(CipherSuiteId.AES_128_CTR_HMAC_SHA256_80, 1n, baseKey, 'encrypt');
    expect(key.aead.aes.extractable).toBe(false);
    expect(key.aead.mac?.extractable).toBe(false);
    expect(key.aead.aes.usages).toEqual(['encrypt']);
  });

  it('rejects bad arguments', async () => {
    expect(await reasonOf(deriveSFrameKey(DEFAULT_CIPHER_SUITE, 1n, new Uint8Array(0), 'encrypt'))).toBe(
      'invalid-argument',
    );
    expect(await reasonOf(encrypt(DEFAULT_CIPHER_SUITE, baseKey, -1n, 0n, metadata, plaintext))).toBe(
      'invalid-argument',
    );
    expect(await reasonOf(encrypt(DEFAULT_CIPHER_SUITE, baseKey, 0n, 1n << 64n, metadata, plaintext))).toBe(
      'invalid-argument',
    );
    expect(await reasonOf(encrypt(0x99, baseKey, 0n, 0n, metadata, plaintext))).toBe('unsupported-suite');
    expect(await reasonOf(importAeadKey(DEFAULT_CIPHER_SUITE, new Uint8Array(15), 'encrypt'))).toBe(
      'invalid-argument',
    );
  });

  it('one-shot decrypt reports a frame for another KID as unknown-kid', async () => {
    const frame = await encrypt(DEFAULT_CIPHER_SUITE, baseKey, 5n, 0n, metadata, plaintext);
    expect(await reasonOf(decrypt(DEFAULT_CIPHER_SUITE, baseKey, 6n, metadata, frame))).toBe('unknown-kid');
  });
});
