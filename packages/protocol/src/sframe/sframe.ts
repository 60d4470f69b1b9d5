import { type AeadKey, aeadDecrypt, aeadEncrypt, importAeadKey, type KeyUsage } from './aead.js';
import { assertUint64, type Bytes, concatBytes, encodeBigEndian } from './bytes.js';
import { SFrameError } from './errors.js';
import { type DecodedHeader, decodeHeader, encodeHeader } from './header.js';
import { deriveKeySalt } from './keys.js';
import { type CipherSuite, getCipherSuite } from './suites.js';

/**
 * A base_key after RFC 9605 §4.4.2 derivation, bound to one KID and one direction, with its
 * AEAD key already imported into WebCrypto. Create it once per KID (derivation and import are
 * the expensive part) and reuse it for every frame.
 */
export interface SFrameKey {
  readonly suite: CipherSuite;
  readonly kid: bigint;
  readonly usage: KeyUsage;
  /** sframe_salt (Nn bytes). */
  readonly salt: Uint8Array;
  readonly aead: AeadKey;
}

export async function deriveSFrameKey(
  suite: number | CipherSuite,
  kid: bigint,
  baseKey: Uint8Array,
  usage: KeyUsage,
): Promise<SFrameKey> {
  const cs = getCipherSuite(suite);
  const { secret, key, salt } = await deriveKeySalt(cs, kid, baseKey);
  const aead = await importAeadKey(cs, key, usage);
  // Raw secret and key bytes are not kept: only the non-extractable CryptoKey survives.
  secret.fill(0);
  key.fill(0);
  return Object.freeze({ suite: cs, kid, usage, salt, aead });
}

/** §4.4.3: nonce = sframe_salt XOR encode_big_endian(CTR, Nn). */
export function buildNonce(salt: Uint8Array, ctr: bigint): Bytes {
  assertUint64(ctr, 'CTR');
  const nonce = encodeBigEndian(ctr, salt.length);
  for (let i = 0; i < nonce.length; i++) nonce[i] = (nonce[i] as number) ^ (salt[i] as number);
  return nonce;
}

const EMPTY = new Uint8Array(0);

/** §4.4.3 `encrypt`: returns header || AEAD ciphertext, with AAD = header || metadata. */
export async function encryptFrame(
  key: SFrameKey,
  ctr: bigint,
  metadata: Uint8Array,
  plaintext: Uint8Array,
): Promise<Bytes> {
  const header = encodeHeader(key.kid, ctr);
  const nonce = buildNonce(key.salt, ctr);
  const ct = await aeadEncrypt(key.aead, nonce, concatBytes(header, metadata), plaintext);
  return concatBytes(header, ct);
}

export interface DecryptedFrame {
  readonly kid: bigint;
  readonly ctr: bigint;
  readonly plaintext: Bytes;
}

/** Decrypts a frame whose header is already parsed; used by the receiver to parse only once. */
export async function openParsedFrame(
  key: SFrameKey,
  header: DecodedHeader,
  frame: Uint8Array,
  metadata: Uint8Array,
): Promise<DecryptedFrame> {
  if (header.kid !== key.kid) {
    throw new SFrameError('unknown-kid', `frame KID ${header.kid} does not match key KID ${key.kid}`);
  }
  const headerBytes = frame.subarray(0, header.length);
  const nonce = buildNonce(key.salt, header.ctr);
  const plaintext = await aeadDecrypt(
    key.aead,
    nonce,
    concatBytes(headerBytes, metadata),
    frame.subarray(header.length),
  );
  return { kid: header.kid, ctr: header.ctr, plaintext };
}

/** §4.4.4 `decrypt` with a known key. Throws `SFrameError` (`malformed`, `unknown-kid`, `auth-failed`). */
export async function decryptFrame(
  key: SFrameKey,
  frame: Uint8Array,
  metadata: Uint8Array = EMPTY,
): Promise<DecryptedFrame> {
  return openParsedFrame(key, decodeHeader(frame), frame, metadata);
}

/**
 * One-shot form of §4.4.3 taking the base_key directly. It derives and imports the key on every
 * call, so it suits tests and one-off messages; media paths should use `SFrameSender`.
 */
export async function encrypt(
  suite: number | CipherSuite,
  baseKey: Uint8Array,
  kid: bigint,
  ctr: bigint,
  metadata: Uint8Array,
  plaintext: Uint8Array,
): Promise<Bytes> {
  assertUint64(ctr, 'CTR');
  return encryptFrame(await deriveSFrameKey(suite, kid, baseKey, 'encrypt'), ctr, metadata, plaintext);
}

/**
 * One-shot form of §4.4.4: decrypts a frame expected to carry `kid` (another KID is
 * `unknown-kid`). Like `encrypt`, it re-derives per call; media paths should use `SFrameReceiver`.
 */
export async function decrypt(
  suite: number | CipherSuite,
  baseKey: Uint8Array,
  kid: bigint,
  metadata: Uint8Array,
  frame: Uint8Array,
): Promise<DecryptedFrame> {
  const header = decodeHeader(frame);
  if (header.kid !== kid) {
    throw new SFrameError('unknown-kid', `frame KID ${header.kid} does not match expected KID ${kid}`);
  }
  return openParsedFrame(await deriveSFrameKey(suite, kid, baseKey, 'decrypt'), header, frame, metadata);
}
