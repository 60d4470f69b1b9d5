import { CipherSuiteId, getCipherSuite } from '@conclave/protocol/sframe';

/**
 * Conclave's E2EE key schedule (docs/e2ee.md): one shared passphrase per meeting becomes a
 * meeting key, from which every sender's SFrame base_key (one per KID) and the chat key are
 * derived. Pure WebCrypto, so it runs on the main thread, in the transform worker and in Node.
 *
 *   meeting_key  = PBKDF2-SHA256(NFC(passphrase), "conclave-e2ee-v1:" ‖ meetingId, 600,000, 32 B)
 *   KID          = senderIndex << 4 | (epoch & 0xf)
 *   base_key     = HKDF-SHA256(meeting_key, salt "conclave-e2ee-sender", info KID (8 B BE), Nka)
 *   chat_key     = HKDF-SHA256(meeting_key, salt "", info "conclave-e2ee-chat", 32 B) as AES-256-GCM
 */

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256; the passphrase is the only secret, so it must be slow. */
export const PBKDF2_ITERATIONS = 600_000;
export const PBKDF2_SALT_PREFIX = 'conclave-e2ee-v1:';
export const SENDER_KEY_SALT = 'conclave-e2ee-sender';
export const CHAT_KEY_INFO = 'conclave-e2ee-chat';

/** The one SFrame suite Conclave uses for media: hardware AES-GCM, full 16-byte tag (RFC 9605 §4.5). */
export const E2EE_SUITE = getCipherSuite(CipherSuiteId.AES_128_GCM_SHA256_128);

/** Low bits of the KID that carry the epoch (as RFC 9605 §5.2 puts the MLS epoch in the KID's low bits). */
export const EPOCH_BITS = 4;
const EPOCH_MASK = (1 << EPOCH_BITS) - 1;
/** Largest index a JS number holds exactly; its KID (< 2^57) fits SFrame's 64-bit KID (RFC 9605 §4.3). */
export const MAX_SENDER_INDEX = 2 ** 53 - 1;

const CHAT_IV_LENGTH = 12;
const utf8 = new TextEncoder();

/**
 * PBKDF2 over the passphrase, salted per meeting so that one precomputed dictionary cannot attack
 * every meeting at once. The result is a non-extractable HKDF key: the meeting key never exists
 * as raw bytes after this function returns, yet a CryptoKey can still be posted to the worker.
 * The passphrase is NFC-normalised so that the same text typed on different systems matches.
 */
export async function deriveMeetingKey(
  passphrase: string,
  meetingId: string,
  iterations: number = PBKDF2_ITERATIONS,
): Promise<CryptoKey> {
  if (passphrase.length === 0) throw new RangeError('the E2EE passphrase must not be empty');
  if (meetingId.length === 0) throw new RangeError('the meeting id must not be empty');
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be a positive integer, got ${iterations}`);
  }
  const subtle = globalThis.crypto.subtle;
  const password = await subtle.importKey('raw', utf8.encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(
    await subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: utf8.encode(PBKDF2_SALT_PREFIX + meetingId), iterations },
      password,
      256,
    ),
  );
  try {
    return await subtle.importKey('raw', bits, 'HKDF', false, ['deriveBits', 'deriveKey']);
  } finally {
    bits.fill(0);
  }
}

/**
 * The SFrame KID of one sender in one epoch. The server assigns `senderIndex` uniquely in the
 * meeting and never reuses it (ParticipantInfo.e2eeIndex), so two senders never share a KID, and
 * the epoch bits give every passphrase change a fresh KID. Indices below 16 make a 1-byte KID
 * field, so the header stays small (RFC 9605 §4.3).
 */
export function makeKid(senderIndex: number, epoch: number): bigint {
  if (!Number.isSafeInteger(senderIndex) || senderIndex < 0 || senderIndex > MAX_SENDER_INDEX) {
    throw new RangeError(`sender index must be an integer in [0, 2^53-1], got ${senderIndex}`);
  }
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  }
  return (BigInt(senderIndex) << BigInt(EPOCH_BITS)) | BigInt(epoch & EPOCH_MASK);
}

/** The inverse of `makeKid` (the epoch comes back modulo 16). */
export function splitKid(kid: bigint): { senderIndex: number; epochBits: number } {
  return { senderIndex: Number(kid >> BigInt(EPOCH_BITS)), epochBits: Number(kid & BigInt(EPOCH_MASK)) };
}

/**
 * The RFC 9605 base_key for `kid` (§4.4.1: keys are selected by KID). SFrame itself expands it
 * into sframe_key and sframe_salt (§4.4.2), so its length only has to match the suite's strength:
 * the AES key size, 16 bytes for AES_128_GCM_SHA256_128. The caller owns the returned bytes and
 * should zero them once they are imported.
 */
export async function deriveSenderKey(
  meetingKey: CryptoKey,
  kid: bigint,
  suite: number = E2EE_SUITE.id,
): Promise<Uint8Array<ArrayBuffer>> {
  const cs = getCipherSuite(suite);
  const info = new Uint8Array(8);
  new DataView(info.buffer).setBigUint64(0, kid);
  const length = cs.nka ?? cs.nk;
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8.encode(SENDER_KEY_SALT), info },
    meetingKey,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** The chat key: same meeting key, different HKDF info, so it is independent of every media key. */
export function deriveChatKey(meetingKey: CryptoKey): Promise<CryptoKey> {
  return globalThis.crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8.encode(CHAT_KEY_INFO) },
    meetingKey,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Encrypts one chat message: base64(IV (12 random bytes) ‖ AES-256-GCM(text) ‖ tag (16 bytes)).
 * A random IV is safe here: at chat rates the 2^-32 collision bound of NIST SP 800-38D §8.3 is
 * out of reach.
 */
export async function encryptChat(chatKey: CryptoKey, text: string): Promise<string> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(CHAT_IV_LENGTH));
  const ct = new Uint8Array(
    await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, chatKey, utf8.encode(text)),
  );
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv);
  out.set(ct, iv.length);
  return toBase64(out);
}

/** Returns the text, or null for anything that does not decrypt (wrong key, tampering, bad base64). */
export async function decryptChat(chatKey: CryptoKey, ciphertext: string): Promise<string | null> {
  const data = fromBase64(ciphertext);
  if (!data || data.length < CHAT_IV_LENGTH + 16) return null;
  try {
    const pt = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: data.subarray(0, CHAT_IV_LENGTH) },
      chatKey,
      data.subarray(CHAT_IV_LENGTH),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(pt);
  } catch {
    return null;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so that String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
