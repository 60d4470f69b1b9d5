import { type Bytes, concatBytes, constantTimeEqual, encodeBigEndian, toBufferSource } from './bytes.js';
import { SFrameError } from './errors.js';
import { splitCtrHmacKey } from './keys.js';
import { type CipherSuite, getCipherSuite } from './suites.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/**
 * RFC 9605 §4.4.1: every base_key is usable for encryption or decryption, never both. The
 * imported CryptoKeys carry only the matching usage so WebCrypto enforces the split for us.
 */
export type KeyUsage = 'encrypt' | 'decrypt';

/** An AEAD key imported once into WebCrypto (non-extractable) and reused for every frame. */
export interface AeadKey {
  readonly suite: CipherSuite;
  readonly usage: KeyUsage;
  /** AES-GCM key, or the AES-CTR half of the compound key. */
  readonly aes: CryptoKey;
  /** HMAC half of the compound key (`ctr-hmac` suites only). */
  readonly mac: CryptoKey | undefined;
}

export async function importAeadKey(
  suite: number | CipherSuite,
  key: Uint8Array,
  usage: KeyUsage,
): Promise<AeadKey> {
  const cs = getCipherSuite(suite);
  if (key.length !== cs.nk) {
    throw new SFrameError('invalid-argument', `${cs.name} key must be ${cs.nk} bytes, got ${key.length}`);
  }
  if (cs.aead === 'gcm') {
    const aes = await subtle().importKey('raw', toBufferSource(key), 'AES-GCM', false, [usage]);
    return { suite: cs, usage, aes, mac: undefined };
  }
  const { encKey, authKey } = splitCtrHmacKey(cs, key);
  const [aes, mac] = await Promise.all([
    subtle().importKey('raw', toBufferSource(encKey), 'AES-CTR', false, [usage]),
    // Both directions compute the tag with `sign`: WebCrypto's `verify` cannot check truncated tags.
    subtle().importKey('raw', toBufferSource(authKey), { name: 'HMAC', hash: cs.hash }, false, ['sign']),
  ]);
  return { suite: cs, usage, aes, mac };
}

function checkNonce(key: AeadKey, nonce: Uint8Array): void {
  if (nonce.length !== key.suite.nn) {
    throw new SFrameError('invalid-argument', `nonce must be ${key.suite.nn} bytes, got ${nonce.length}`);
  }
}

function requireUsage(key: AeadKey, usage: KeyUsage): void {
  if (key.usage !== usage) {
    throw new SFrameError('invalid-argument', `this key is for ${key.usage}ion only (RFC 9605 §4.4.1)`);
  }
}

/** §4.5.1: AES-CTR starts from nonce || 0x00000000 and increments the low 32 bits per block. */
function ctrParams(nonce: Uint8Array): AesCtrParams {
  return { name: 'AES-CTR', counter: concatBytes(nonce, new Uint8Array(4)), length: 32 };
}

/** §4.5.1 `compute_tag`: HMAC over lengths (8-byte BE each, incl. Nt) || nonce || aad || ct. */
async function computeTag(key: AeadKey, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Promise<Bytes> {
  const nt = key.suite.nt;
  const authData = concatBytes(
    encodeBigEndian(BigInt(aad.length), 8),
    encodeBigEndian(BigInt(ct.length), 8),
    encodeBigEndian(BigInt(nt), 8),
    nonce,
    aad,
    ct,
  );
  const mac = await subtle().sign('HMAC', key.mac as CryptoKey, authData);
  return new Uint8Array(mac, 0, nt);
}

/** AEAD.Encrypt(key, nonce, aad, pt) → ct || tag. */
export async function aeadEncrypt(
  key: AeadKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<Bytes> {
  requireUsage(key, 'encrypt');
  checkNonce(key, nonce);
  if (key.suite.aead === 'gcm') {
    const params: AesGcmParams = {
      name: 'AES-GCM',
      iv: toBufferSource(nonce),
      additionalData: toBufferSource(aad),
      tagLength: key.suite.nt * 8,
    };
    return new Uint8Array(await subtle().encrypt(params, key.aes, toBufferSource(plaintext)));
  }
  const ct = new Uint8Array(await subtle().encrypt(ctrParams(nonce), key.aes, toBufferSource(plaintext)));
  const tag = await computeTag(key, nonce, aad, ct);
  const out = new Uint8Array(ct.length + tag.length);
  out.set(ct);
  out.set(tag, ct.length);
  return out;
}

/**
 * AEAD.Decrypt(key, nonce, aad, ct || tag) → pt. Input shorter than the tag is `malformed`;
 * a tag mismatch is `auth-failed`.
 */
export async function aeadDecrypt(
  key: AeadKey,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Bytes> {
  requireUsage(key, 'decrypt');
  checkNonce(key, nonce);
  const nt = key.suite.nt;
  if (ciphertext.length < nt) {
    throw new SFrameError('malformed', `ciphertext shorter than the ${nt}-byte tag`);
  }
  if (key.suite.aead === 'gcm') {
    const params: AesGcmParams = {
      name: 'AES-GCM',
      iv: toBufferSource(nonce),
      additionalData: toBufferSource(aad),
      tagLength: nt * 8,
    };
    try {
      return new Uint8Array(await subtle().decrypt(params, key.aes, toBufferSource(ciphertext)));
    } catch (cause) {
      throw new SFrameError('auth-failed', 'SFrame authentication failed', { cause });
    }
  }
  const inner = ciphertext.subarray(0, ciphertext.length - nt);
  const tag = ciphertext.subarray(ciphertext.length - nt);
  // Encrypt-then-MAC: verify before touching the ciphertext (§4.5.1 AEAD.Decrypt).
  const expected = await computeTag(key, nonce, aad, inner);
  if (!constantTimeEqual(tag, expected)) {
    throw new SFrameError('auth-failed', 'SFrame authentication failed');
  }
  return new Uint8Array(await subtle().decrypt(ctrParams(nonce), key.aes, toBufferSource(inner)));
}
