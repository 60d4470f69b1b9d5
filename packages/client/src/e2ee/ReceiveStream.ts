import { SFrameReceiver } from '@conclave/protocol/sframe';
import type { DecryptState, FrameAction } from './FrameCryptor.js';
import { type DropReason, decryptFrame, type MediaKind, parseFrame } from './frameLayout.js';
import { deriveSenderKey, E2EE_SUITE, splitKid } from './keySchedule.js';

/** One meeting key (one passphrase) as installed in the worker; `id` grows with every change. */
export interface KeyGeneration {
  readonly id: number;
  readonly meetingKey: CryptoKey;
}

/** What a stream needs from its FrameCryptor. */
export interface ReceiveStreamHost {
  /** Current key first, then the previous one while it is kept. Empty: E2EE is off. */
  generations(): readonly KeyGeneration[];
  /** E2EE is being turned on and has no key yet (FrameCryptor.expectKey). */
  awaitingKey(): boolean;
  ownSenderIndex(): number | undefined;
  options(): { readonly failureThreshold: number; readonly maxKidsPerStream: number };
  passedThrough(): void;
  decrypted(stream: ReceiveStream): void;
  dropped(stream: ReceiveStream, reason: DropReason): void;
  stateChanged(participantId: string): void;
  closed(stream: ReceiveStream): void;
}

interface GenerationKeys {
  readonly receiver: SFrameReceiver;
  /** KIDs with a key (or one being derived), least recently used first. */
  readonly kids: Map<bigint, Promise<boolean>>;
}

/**
 * Decrypts one incoming track. Keys are derived lazily: every participant holds the same meeting
 * key, so the key for any KID seen in a header can be derived on first sight (RFC 9605 §4.4.4
 * leaves key lookup to the application). Each key generation has its own SFrameReceiver, hence its
 * own replay window per KID (§7.4); a frame is tried under the generation that last worked for its
 * KID first, so the previous passphrase costs one extra attempt only while senders switch.
 *
 * The stream has its own windows rather than sharing them with the sender's other track: audio and
 * video of one sender share one CTR sequence but reach the receiver through different jitter
 * buffers, and a shared 128-frame window could reject late video frames.
 */
export class ReceiveStream {
  readonly participantId: string;
  readonly kind: MediaKind;
  /** `undefined` until the first frame decides; reset when E2EE is turned off. */
  state: DecryptState | undefined;
  /** Removed participant or closed cryptor: frames are still handled, state is not reported. */
  detached = false;
  readonly #host: ReceiveStreamHost;
  readonly #keys = new Map<number, GenerationKeys>();
  readonly #preferred = new Map<bigint, number>();
  #failures = 0;
  #closed = false;

  constructor(participantId: string, kind: MediaKind, host: ReceiveStreamHost) {
    this.participantId = participantId;
    this.kind = kind;
    this.#host = host;
  }

  /** Decrypts one frame; never throws. */
  async decrypt(data: Uint8Array): Promise<FrameAction> {
    const generations = this.#host.generations();
    if (generations.length === 0 && this.#host.awaitingKey()) {
      // The key is still being derived: these frames are most likely encrypted, and a decoder fed
      // ciphertext plays noise. Not a decryption failure, so no state changes.
      this.#host.dropped(this, 'awaiting-key');
      return { action: 'drop', reason: 'awaiting-key' };
    }
    if (generations.length === 0 || data.length === 0) {
      // E2EE off: frames pass unchanged, so switching it on or off needs no renegotiation.
      this.#host.passedThrough();
      return { action: 'forward' };
    }
    this.#prune(generations);
    const parsed = parseFrame(this.kind, data);
    if (!parsed.ok) return this.#fail(parsed.reason);
    // With a shared passphrase anyone could encrypt under our KID; the server reflecting our own
    // frames back as someone else's is the one case we can recognise.
    if (splitKid(parsed.kid).senderIndex === this.#host.ownSenderIndex()) return this.#fail('own-kid');

    const preferred = this.#preferred.get(parsed.kid);
    const order = [...generations].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred));
    let replay = false;
    let reason: DropReason = 'unknown-kid';
    for (const generation of order) {
      const keys = this.#keysFor(generation);
      if (!(await this.#ensureKey(keys, generation, parsed.kid))) {
        reason = 'error';
        continue;
      }
      const result = await decryptFrame(keys.receiver, this.kind, data);
      if (result.ok) {
        this.#preferred.set(parsed.kid, generation.id);
        return this.#succeed(result.data);
      }
      if (result.reason === 'replay') replay = true;
      else if (result.reason !== 'auth-failed') return this.#fail(result.reason);
      reason = result.reason;
    }
    return this.#fail(replay ? 'replay' : reason);
  }

  /** Forgets the decrypt state (E2EE was turned off); keys are pruned on the next frame. */
  resetState(): void {
    this.state = undefined;
    this.#failures = 0;
  }

  detach(): void {
    this.detached = true;
  }

  /** The track ended. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detached = true;
    this.#keys.clear();
    this.#host.closed(this);
  }

  #succeed(data: Uint8Array<ArrayBuffer>): FrameAction {
    this.#host.decrypted(this);
    this.#failures = 0;
    if (this.state !== 'ok') this.#setState('ok');
    return { action: 'forward', data };
  }

  #fail(reason: DropReason): FrameAction {
    this.#host.dropped(this, reason);
    // A replay says nothing about the key; everything else means this stream cannot be read.
    if (reason !== 'replay' && ++this.#failures >= this.#host.options().failureThreshold) {
      if (this.state !== 'cannot-decrypt') this.#setState('cannot-decrypt');
    }
    return { action: 'drop', reason };
  }

  #setState(state: DecryptState): void {
    this.state = state;
    if (!this.detached) this.#host.stateChanged(this.participantId);
  }

  #prune(generations: readonly KeyGeneration[]): void {
    for (const id of this.#keys.keys()) {
      if (!generations.some((g) => g.id === id)) this.#keys.delete(id);
    }
  }

  #keysFor(generation: KeyGeneration): GenerationKeys {
    let keys = this.#keys.get(generation.id);
    if (!keys) {
      keys = { receiver: new SFrameReceiver({ suite: E2EE_SUITE }), kids: new Map() };
      this.#keys.set(generation.id, keys);
    }
    return keys;
  }

  /** Derives and installs the key for `kid` once; false if derivation failed. */
  #ensureKey(keys: GenerationKeys, generation: KeyGeneration, kid: bigint): Promise<boolean> {
    const known = keys.kids.get(kid);
    if (known) {
      // Least recently used first: move to the end.
      keys.kids.delete(kid);
      keys.kids.set(kid, known);
      return known;
    }
    const limit = this.#host.options().maxKidsPerStream;
    for (const old of keys.kids.keys()) {
      if (keys.kids.size < limit) break;
      keys.kids.delete(old);
      keys.receiver.removeKey(old);
    }
    const added = (async () => {
      const baseKey = await deriveSenderKey(generation.meetingKey, kid);
      try {
        await keys.receiver.addKey(kid, baseKey);
        return true;
      } finally {
        baseKey.fill(0);
      }
    })().catch(() => {
      // Let a later frame try again rather than cache the failure.
      if (keys.kids.get(kid) === added) keys.kids.delete(kid);
      return false;
    });
    keys.kids.set(kid, added);
    return added;
  }
}
