import type { CryptorStats, DecryptState } from './FrameCryptor.js';
import type { MediaKind } from './frameLayout.js';

/**
 * Messages between E2EEManager (main thread) and the transform worker. Both sides are our own
 * same-origin code; the worker still checks every message's shape, because a malformed one must
 * not stop it.
 */

/** `RTCRtpScriptTransform` options, and the description of a legacy stream pair. */
export interface TransformOptions {
  readonly role: 'encrypt' | 'decrypt';
  readonly kind: MediaKind;
  /** The remote participant for `decrypt`; ignored for `encrypt`. */
  readonly participantId: string;
}

export type ToWorker =
  /**
   * A new meeting key (the non-extractable CryptoKey is structured-cloned, never its bytes) for
   * `epoch`, or null: E2EE off. The passphrase itself never leaves the main thread.
   */
  | { readonly type: 'setKey'; readonly epoch: number; readonly meetingKey: CryptoKey | null }
  /** E2EE is being turned on: drop frames both ways until the key arrives (FrameCryptor.expectKey). */
  | { readonly type: 'expectKey' }
  | { readonly type: 'setSenderIndex'; readonly senderIndex: number }
  | { readonly type: 'removeParticipant'; readonly participantId: string }
  /** Chromium's `createEncodedStreams()` pair, transferred to the worker. */
  | ({
      readonly type: 'attachStreams';
      readonly readable: ReadableStream;
      readonly writable: WritableStream;
    } & TransformOptions)
  | { readonly type: 'getStats'; readonly requestId: number };

export type FromWorker =
  | { readonly type: 'decryptState'; readonly participantId: string; readonly state: DecryptState }
  | { readonly type: 'stats'; readonly requestId: number; readonly stats: CryptorStats }
  /** A setKey or setSenderIndex could not be applied; media keeps the previous state. */
  | { readonly type: 'keyError'; readonly message: string };

export function isTransformOptions(value: unknown): value is TransformOptions {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.role === 'encrypt' || v.role === 'decrypt') &&
    (v.kind === 'audio' || v.kind === 'video') &&
    typeof v.participantId === 'string'
  );
}
