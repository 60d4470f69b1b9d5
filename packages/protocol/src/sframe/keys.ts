import { assertUint64, type Bytes, concatBytes, encodeBigEndian, toBufferSource } from './bytes.js';
import { SFrameError } from './errors.js';
import { type CipherSuite, getCipherSuite, type HashName } from './suites.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

async function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Bytes> {
  const k = await subtle().importKey('raw', toBufferSource(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, toBufferSource(data)));
}

const hashLength = (hash: HashName): number => (hash === 'SHA-256' ? 32 : 64);

/**
 * HKDF-Extract (RFC 5869 §2.2). Implemented on HMAC rather than WebCrypto's HKDF because SFrame
 * needs the PRK on its own (one Extract, two Expands) and WebCrypto only offers Extract+Expand
 * fused. An empty salt becomes HashLen zero bytes, as RFC 5869 prescribes; WebCrypto refuses
 * zero-length HMAC keys and the result is identical since HMAC zero-pads keys anyway.
 */
export async function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Promise<Bytes> {
  return hmac(hash, salt.length === 0 ? new Uint8Array(hashLength(hash)) : salt, ikm);
}

/** HKDF-Expand (RFC 5869 §2.3). */
export async function hkdfExpand(
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Bytes> {
  const hl = hashLength(hash);
  if (!Number.isInteger(length) || length < 0 || length > 255 * hl) {
    throw new SFrameError('invalid-argument', `HKDF-Expand length ${length} out of range`);
  }
  const key = await subtle().importKey('raw', toBufferSource(prk), { name: 'HMAC', hash }, false, ['sign']);
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    const block = concatBytes(previous, info, Uint8Array.of(i));
    previous = new Uint8Array(await subtle().sign('HMAC', key, block));
    out.set(previous.subarray(0, Math.min(hl, length - offset)), offset);
    offset += hl;
  }
  return out;
}

const encoder = new TextEncoder();
const KEY_LABEL_PREFIX = encoder.encode('SFrame 1.0 Secret key ');
const SALT_LABEL_PREFIX = encoder.encode('SFrame 1.0 Secret salt ');

/**
 * RFC 9605 §4.4.2 labels: ASCII prefix (with its trailing space) + KID as a fixed 8-byte
 * big-endian integer (not the compressed header form) + cipher suite as 2-byte big-endian.
 * Binding KID and suite into the label gives every (KID, suite) its own key and salt even when
 * several share one base_key.
 */
function label(prefix: Uint8Array, kid: bigint, suite: CipherSuite): Bytes {
  return concatBytes(prefix, encodeBigEndian(kid, 8), encodeBigEndian(BigInt(suite.id), 2));
}

export function sframeKeyLabel(suite: number | CipherSuite, kid: bigint): Bytes {
  assertUint64(kid, 'KID');
  return label(KEY_LABEL_PREFIX, kid, getCipherSuite(suite));
}

export function sframeSaltLabel(suite: number | CipherSuite, kid: bigint): Bytes {
  assertUint64(kid, 'KID');
  return label(SALT_LABEL_PREFIX, kid, getCipherSuite(suite));
}

export interface DerivedKeySalt {
  /** HKDF-Extract("", base_key); exposed for test vectors only. */
  readonly secret: Bytes;
  /** AEAD key, Nk bytes. */
  readonly key: Bytes;
  /** Nonce salt, Nn bytes. */
  readonly salt: Bytes;
}

/** `derive_key_salt(KID, base_key)` from RFC 9605 §4.4.2, returning raw bytes. */
export async function deriveKeySalt(
  suite: number | CipherSuite,
  kid: bigint,
  baseKey: Uint8Array,
): Promise<DerivedKeySalt> {
  const cs = getCipherSuite(suite);
  assertUint64(kid, 'KID');
  if (!(baseKey instanceof Uint8Array) || baseKey.length === 0) {
    throw new SFrameError('invalid-argument', 'base_key must be a non-empty Uint8Array');
  }
  const secret = await hkdfExtract(cs.hash, new Uint8Array(0), baseKey);
  const [key, salt] = await Promise.all([
    hkdfExpand(cs.hash, secret, label(KEY_LABEL_PREFIX, kid, cs), cs.nk),
    hkdfExpand(cs.hash, secret, label(SALT_LABEL_PREFIX, kid, cs), cs.nn),
  ]);
  return { secret, key, salt };
}

/**
 * `derive_subkeys` of RFC 9605 §4.5.1: for the compound AES-CTR + HMAC AEAD the Nk-byte key is
 * the AES key (first Nka bytes) followed by the HMAC key (remaining Nh bytes). Plain slicing, no
 * further KDF.
 */
export function splitCtrHmacKey(
  suite: number | CipherSuite,
  key: Uint8Array,
): { encKey: Uint8Array; authKey: Uint8Array } {
  const cs = getCipherSuite(suite);
  if (cs.aead !== 'ctr-hmac' || cs.nka === undefined) {
    throw new SFrameError('invalid-argument', `${cs.name} is not an AES-CTR-HMAC suite`);
  }
  if (key.length !== cs.nk) {
    throw new SFrameError('invalid-argument', `${cs.name} key must be ${cs.nk} bytes, got ${key.length}`);
  }
  return { encKey: key.subarray(0, cs.nka), authKey: key.subarray(cs.nka) };
}
