import {
  decodeHeader,
  encodedHeaderLength,
  isSFrameError,
  type SFrameReceiver,
  type SFrameSender,
} from '@conclave/protocol/sframe';
import { E2EE_SUITE } from './keySchedule.js';

/**
 * Where SFrame goes inside an encoded media frame (docs/e2ee.md, "Frame layout"):
 *
 *   encrypted frame = clear bytes ‖ SFrame header ‖ ciphertext ‖ tag (16 B)
 *
 * The clear bytes are the codec bytes the RTP packetizer, the depacketizer and the SFU read; they
 * stay readable but are passed to SFrame as metadata, so they are authenticated (RFC 9605 §4.4.3:
 * AAD = header ‖ metadata) and any change to them makes the frame fail.
 */
export type MediaKind = 'audio' | 'video';

/** VP8 key frame header: 3-byte frame tag + 3-byte start code + 4 bytes of size (RFC 6386 §9.1). */
export const VP8_KEY_FRAME_CLEAR_BYTES = 10;
/** VP8 interframe: the 3-byte frame tag only (RFC 6386 §9.1). */
export const VP8_DELTA_FRAME_CLEAR_BYTES = 3;
/** Opus: the TOC byte (RFC 6716 §3.1). */
export const OPUS_CLEAR_BYTES = 1;

/** Why a frame was dropped instead of forwarded. */
export type DropReason =
  /** Too short for its clear prefix (or, when encrypted, for clear prefix + header + tag). */
  | 'truncated'
  /** Unparseable SFrame header (RFC 9605 §4.3) or otherwise invalid input. */
  | 'malformed'
  /** No key can be had for the header's KID (§4.4.4). */
  | 'unknown-kid'
  /** The KID is this participant's own: a frame reflected back by the server. */
  | 'own-kid'
  /** The tag did not verify: wrong passphrase, or clear bytes, header or ciphertext altered. */
  | 'auth-failed'
  /** The CTR was already accepted for this key, or is older than the replay window (§7.4). */
  | 'replay'
  /** The sender used CTR 2^64-1; practically unreachable. */
  | 'counter-exhausted'
  /** E2EE is being turned on and its key is still being derived: nothing in clear meanwhile. */
  | 'awaiting-key'
  /** Anything unexpected (a WebCrypto failure); counted so it is visible, never thrown. */
  | 'error';

export type EncryptResult =
  | { readonly ok: true; readonly data: Uint8Array<ArrayBuffer> }
  | { readonly ok: false; readonly reason: DropReason };

export type DecryptResult =
  | { readonly ok: true; readonly data: Uint8Array<ArrayBuffer>; readonly kid: bigint; readonly ctr: bigint }
  | { readonly ok: false; readonly reason: DropReason };

/**
 * How many leading bytes of `data` stay in clear. For VP8 the P bit (lowest bit of the first
 * byte) is 0 on key frames (RFC 6386 §9.1); it is in the clear part, so sender and receiver agree.
 */
export function clearByteCount(kind: MediaKind, data: Uint8Array): number {
  if (kind === 'audio') return OPUS_CLEAR_BYTES;
  const first = data[0];
  if (first === undefined) return 0;
  return (first & 0x01) === 0 ? VP8_KEY_FRAME_CLEAR_BYTES : VP8_DELTA_FRAME_CLEAR_BYTES;
}

/** Bytes SFrame adds to a frame with this KID and CTR: header (§4.3) + tag (§4.4.3). */
export function sframeOverhead(kid: bigint, ctr: bigint): number {
  return encodedHeaderLength(kid, ctr) + E2EE_SUITE.nt;
}

/**
 * Encrypts one encoded frame. An empty frame carries nothing and is returned as is. A frame
 * shorter than its clear prefix is not valid VP8 and is dropped: encrypting it with a shorter
 * prefix would make the receiver cut the clear part at the wrong place.
 */
export async function encryptFrame(
  sender: SFrameSender,
  kind: MediaKind,
  data: Uint8Array,
): Promise<EncryptResult> {
  if (data.length === 0) return { ok: true, data: copy(data) };
  const clear = clearByteCount(kind, data);
  if (data.length < clear) return { ok: false, reason: 'truncated' };
  const metadata = data.subarray(0, clear);
  let sframe: Uint8Array;
  try {
    sframe = await sender.encrypt(data.subarray(clear), metadata);
  } catch (err) {
    return { ok: false, reason: isSFrameError(err, 'counter-exhausted') ? 'counter-exhausted' : 'error' };
  }
  const out = new Uint8Array(clear + sframe.length);
  out.set(metadata);
  out.set(sframe, clear);
  return { ok: true, data: out };
}

/**
 * Decrypts one frame laid out by `encryptFrame`. Every failure is a typed drop reason; nothing is
 * thrown, so one bad frame can never error the stream it came from.
 */
export async function decryptFrame(
  receiver: SFrameReceiver,
  kind: MediaKind,
  data: Uint8Array,
): Promise<DecryptResult> {
  const clear = clearByteCount(kind, data);
  const parsed = parseFrame(kind, data);
  if (!parsed.ok) return parsed;
  const metadata = data.subarray(0, clear);
  try {
    const { kid, ctr, plaintext } = await receiver.decrypt(data.subarray(clear), metadata);
    const out = new Uint8Array(clear + plaintext.length);
    out.set(metadata);
    out.set(plaintext, clear);
    return { ok: true, data: out, kid, ctr };
  } catch (err) {
    if (!isSFrameError(err)) return { ok: false, reason: 'error' };
    switch (err.reason) {
      case 'malformed':
      case 'unknown-kid':
      case 'auth-failed':
      case 'replay':
        return { ok: false, reason: err.reason };
      default:
        return { ok: false, reason: 'error' };
    }
  }
}

export type ParsedFrame =
  | { readonly ok: true; readonly kid: bigint; readonly ctr: bigint }
  | { readonly ok: false; readonly reason: 'truncated' | 'malformed' };

/** Reads the KID and CTR of an encrypted frame without decrypting it (to pick or derive a key). */
export function parseFrame(kind: MediaKind, data: Uint8Array): ParsedFrame {
  const clear = clearByteCount(kind, data);
  if (data.length <= clear) return { ok: false, reason: 'truncated' };
  let header: ReturnType<typeof decodeHeader>;
  try {
    header = decodeHeader(data.subarray(clear));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (data.length < clear + header.length + E2EE_SUITE.nt) return { ok: false, reason: 'truncated' };
  return { ok: true, kid: header.kid, ctr: header.ctr };
}

function copy(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data);
}
