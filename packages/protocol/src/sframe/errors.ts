/**
 * Why an SFrame operation failed. Callers branch on `reason`, never on `message`:
 * - `malformed`: the frame or header cannot be parsed (truncated, non-minimal encoding, too short
 *   to hold a tag). RFC 9605 §4.4.4 says such ciphertexts MUST be discarded.
 * - `unknown-kid`: no key for the KID in the header. The RFC allows buffering and retrying once
 *   the key arrives (§4.4.4), which is why this is distinct from `auth-failed`.
 * - `auth-failed`: the tag did not verify (wrong key, tampered header/metadata/ciphertext).
 * - `replay`: the counter was already accepted for this key, or is older than the replay window.
 * - `counter-exhausted`: a sender has used CTR 2^64-1; reusing a (key, nonce) pair is forbidden
 *   (§7.4), so the sender must be re-keyed.
 * - `invalid-argument`: a caller passed an out-of-range KID/CTR, an empty key, etc.
 * - `unsupported-suite`: the cipher suite identifier is not one this module implements.
 */
export type SFrameErrorReason =
  | 'malformed'
  | 'unknown-kid'
  | 'auth-failed'
  | 'replay'
  | 'counter-exhausted'
  | 'invalid-argument'
  | 'unsupported-suite';

export class SFrameError extends Error {
  override readonly name = 'SFrameError';
  readonly reason: SFrameErrorReason;

  constructor(reason: SFrameErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function isSFrameError(value: unknown, reason?: SFrameErrorReason): value is SFrameError {
  return value instanceof SFrameError && (reason === undefined || value.reason === reason);
}
