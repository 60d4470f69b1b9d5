import { deriveSFrameKey, MAX_UINT64, SFrameSender } from '@conclave/protocol/sframe';
import { type DropReason, encryptFrame, type MediaKind } from './frameLayout.js';
import { deriveSenderKey, E2EE_SUITE, makeKid } from './keySchedule.js';
import { type KeyGeneration, ReceiveStream, type ReceiveStreamHost } from './ReceiveStream.js';

/** What the UI shows per remote participant: frames decrypt, or they keep failing. */
export type DecryptState = 'ok' | 'cannot-decrypt';

/** What to do with one frame: forward it (replaced by `data` when given) or drop it. */
export type FrameAction =
  | { readonly action: 'forward'; readonly data?: Uint8Array<ArrayBuffer> }
  | { readonly action: 'drop'; readonly reason: DropReason };

export interface FrameCryptorOptions {
  /** Called when a remote participant's aggregate state changes. */
  onDecryptState?: (participantId: string, state: DecryptState) => void;
  /** How long the previous meeting key still decrypts after a passphrase change (default 10 s). */
  previousKeyMs?: number;
  /** Consecutive undecryptable frames on one stream before it is `cannot-decrypt` (default 10). */
  failureThreshold?: number;
  /** Keys kept per stream and key generation; bounds the work forged KIDs can cause (default 8). */
  maxKidsPerStream?: number;
}

export interface CryptorStats {
  encrypted: number;
  decrypted: number;
  /** Frames forwarded unchanged: E2EE off, or empty frames. */
  passedThrough: number;
  /** Bytes SFrame added to the encrypted frames (divide by `encrypted` for the mean overhead). */
  bytesAdded: number;
  dropped: Partial<Record<DropReason, number>>;
  participants: Record<string, { decrypted: number; dropped: number; state: DecryptState | 'unknown' }>;
}

interface ParticipantCounters {
  decrypted: number;
  dropped: number;
  /** Last state reported through `onDecryptState`. */
  reported: DecryptState | undefined;
}

const FORWARD: FrameAction = Object.freeze({ action: 'forward' });
const NEXT_CTR_AFTER_MAX = MAX_UINT64 + 1n;

/**
 * The crypto state of one participant's transform worker, independent of any browser API so that
 * Node tests can drive it: the meeting key (current and previous generation), this participant's
 * SFrame sender, and one `ReceiveStream` per incoming track.
 *
 * One sender is shared by every outgoing stream (audio, video, and both media paths during a
 * P2P/SFU handover), because they all use the same KID: separate counters under one key would
 * repeat nonces (RFC 9605 §4.4.3: nonce = salt XOR CTR). For the same reason the counter is never restarted: a new KID
 * (new epoch or sender index) continues where the previous one stopped, so even a KID that comes
 * back (the epoch field wraps after 16 changes) with the same passphrase never repeats a CTR.
 */
export class FrameCryptor {
  readonly #options: Required<Omit<FrameCryptorOptions, 'onDecryptState'>>;
  readonly #onDecryptState: (participantId: string, state: DecryptState) => void;
  #senderIndex: number | undefined;
  #epoch = 0;
  #current: KeyGeneration | undefined;
  #previous: KeyGeneration | undefined;
  #previousTimer: ReturnType<typeof setTimeout> | undefined;
  #nextGeneration = 1;
  #sender: SFrameSender | undefined;
  #senderReady: Promise<void> | undefined;
  #senderVersion = 0;
  /** First CTR of the next sender: counters continue across KIDs (see the class comment). */
  #counterFloor = 0n;
  readonly #streams = new Set<ReceiveStream>();
  readonly #participants = new Map<string, ParticipantCounters>();
  readonly #dropped: Partial<Record<DropReason, number>> = {};
  #encrypted = 0;
  #decrypted = 0;
  #passedThrough = 0;
  /** Between expectKey() and the next setKey(): E2EE is being turned on, its key not derived yet. */
  #awaitingKey = false;
  #bytesAdded = 0;
  #closed = false;

  constructor(options: FrameCryptorOptions = {}) {
    this.#options = {
      previousKeyMs: options.previousKeyMs ?? 10_000,
      failureThreshold: options.failureThreshold ?? 10,
      maxKidsPerStream: options.maxKidsPerStream ?? 8,
    };
    this.#onDecryptState = options.onDecryptState ?? (() => {});
  }

  /** Whether frames are encrypted and decrypted (false: everything passes through unchanged). */
  get enabled(): boolean {
    return this.#current !== undefined;
  }

  /** KID of the frames this participant sends now, if it can send encrypted frames. */
  get kid(): bigint | undefined {
    return this.#sender?.kid;
  }

  /** CTR of the next encrypted frame. */
  get nextCounter(): bigint {
    return this.#sender?.nextCounter ?? this.#counterFloor;
  }

  get senderIndex(): number | undefined {
    return this.#senderIndex;
  }

  /**
   * Installs a new meeting key for `epoch`, or turns E2EE off with null. The previous key keeps
   * decrypting for `previousKeyMs`, for senders who have not switched yet and frames in flight.
   * Resolves once the new sender key is ready.
   */
  async setKey(key: { epoch: number; meetingKey: CryptoKey } | null): Promise<void> {
    if (this.#closed) return;
    this.#awaitingKey = false;
    clearTimeout(this.#previousTimer);
    this.#previousTimer = undefined;
    if (key === null) {
      this.#current = undefined;
      this.#previous = undefined;
      for (const stream of this.#streams) stream.resetState();
      for (const counters of this.#participants.values()) counters.reported = undefined;
      return this.#rebuildSender();
    }
    makeKid(0, key.epoch); // validates the epoch before anything changes
    this.#previous = this.#current;
    this.#current = { id: this.#nextGeneration++, meetingKey: key.meetingKey };
    this.#epoch = key.epoch;
    if (this.#previous) {
      this.#previousTimer = setTimeout(() => {
        this.#previous = undefined;
        this.#previousTimer = undefined;
      }, this.#options.previousKeyMs);
    }
    return this.#rebuildSender();
  }

  /**
   * E2EE is being turned on and its key is being derived (PBKDF2 takes a while): until `setKey`,
   * with E2EE still off, frames are dropped both ways instead of passing in clear — nothing leaves
   * unencrypted, and a decoder is never fed frames that others already encrypt (it would play
   * noise). Has no effect while a key is installed.
   */
  expectKey(): void {
    if (!this.#closed && !this.#current) this.#awaitingKey = true;
  }

  /** Sets the server-assigned index (ParticipantInfo.e2eeIndex) that makes this sender's KID. */
  async setSenderIndex(senderIndex: number): Promise<void> {
    makeKid(senderIndex, 0); // validates
    if (this.#closed || senderIndex === this.#senderIndex) return;
    this.#senderIndex = senderIndex;
    return this.#rebuildSender();
  }

  /** Encrypts one outgoing frame; with E2EE off it is forwarded unchanged. */
  async encrypt(kind: MediaKind, data: Uint8Array): Promise<FrameAction> {
    if (!this.#current && this.#awaitingKey) return this.#drop('awaiting-key');
    if (!this.#current || data.length === 0) {
      this.#passedThrough++;
      return FORWARD;
    }
    // Frames wait for the first sender key rather than leave in clear while E2EE is on.
    if (!this.#sender && this.#senderReady) await this.#senderReady;
    const sender = this.#sender;
    if (!this.#current) return FORWARD; // turned off meanwhile
    if (!sender) return this.#drop('unknown-kid'); // no sender index yet: never send in clear
    const result = await encryptFrame(sender, kind, data);
    if (!result.ok) return this.#drop(result.reason);
    this.#encrypted++;
    this.#bytesAdded += result.data.length - data.length;
    return { action: 'forward', data: result.data };
  }

  /** Starts decrypting one incoming track of `participantId`. Close it when the track ends. */
  openStream(participantId: string, kind: MediaKind): ReceiveStream {
    const stream = new ReceiveStream(participantId, kind, this.#host);
    this.#streams.add(stream);
    return stream;
  }

  /** Forgets a participant who left: its counters and its reported state. */
  removeParticipant(participantId: string): void {
    this.#participants.delete(participantId);
    for (const stream of this.#streams) if (stream.participantId === participantId) stream.detach();
  }

  stats(): CryptorStats {
    const participants: CryptorStats['participants'] = {};
    for (const [id, c] of this.#participants) {
      participants[id] = { decrypted: c.decrypted, dropped: c.dropped, state: c.reported ?? 'unknown' };
    }
    return {
      encrypted: this.#encrypted,
      decrypted: this.#decrypted,
      passedThrough: this.#passedThrough,
      bytesAdded: this.#bytesAdded,
      dropped: { ...this.#dropped },
      participants,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#previousTimer);
    this.#current = undefined;
    this.#previous = undefined;
    this.#sender = undefined;
    this.#senderVersion++;
    for (const stream of this.#streams) stream.detach();
    this.#streams.clear();
  }

  /** What a ReceiveStream may see of the cryptor; a narrow door instead of a back-reference. */
  readonly #host: ReceiveStreamHost = {
    generations: () =>
      this.#previous && this.#current
        ? [this.#current, this.#previous]
        : this.#current
          ? [this.#current]
          : [],
    awaitingKey: () => this.#awaitingKey,
    ownSenderIndex: () => this.#senderIndex,
    options: () => this.#options,
    passedThrough: () => {
      this.#passedThrough++;
    },
    decrypted: (stream) => {
      this.#decrypted++;
      if (!stream.detached) this.#counters(stream.participantId).decrypted++;
    },
    dropped: (stream, reason) => {
      this.#dropped[reason] = (this.#dropped[reason] ?? 0) + 1;
      if (!stream.detached) this.#counters(stream.participantId).dropped++;
    },
    stateChanged: (participantId) => this.#report(participantId),
    closed: (stream) => {
      this.#streams.delete(stream);
      this.#report(stream.participantId);
    },
  };

  #counters(participantId: string): ParticipantCounters {
    let c = this.#participants.get(participantId);
    if (!c) {
      c = { decrypted: 0, dropped: 0, reported: undefined };
      this.#participants.set(participantId, c);
    }
    return c;
  }

  /** A participant cannot be decrypted if any of its streams cannot; it is ok if one decrypts. */
  #report(participantId: string): void {
    let state: DecryptState | undefined;
    for (const s of this.#streams) {
      if (s.participantId !== participantId || s.detached || !s.state) continue;
      if (s.state === 'cannot-decrypt') {
        state = 'cannot-decrypt';
        break;
      }
      state = 'ok';
    }
    const counters = this.#participants.get(participantId);
    if (!counters || state === undefined || counters.reported === state) return;
    counters.reported = state;
    try {
      this.#onDecryptState(participantId, state);
    } catch {
      // A failing listener must not break the frame path.
    }
  }

  #drop(reason: DropReason): FrameAction {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + 1;
    return { action: 'drop', reason };
  }

  /** Replaces the sender after a key or index change; the old one serves until the new is ready. */
  #rebuildSender(): Promise<void> {
    const version = ++this.#senderVersion;
    const generation = this.#current;
    const index = this.#senderIndex;
    if (!generation || index === undefined) {
      this.#retireSender();
      this.#senderReady = undefined;
      return Promise.resolve();
    }
    const kid = makeKid(index, this.#epoch);
    const ready = (async () => {
      const baseKey = await deriveSenderKey(generation.meetingKey, kid);
      try {
        const key = await deriveSFrameKey(E2EE_SUITE, kid, baseKey, 'encrypt');
        if (version !== this.#senderVersion) return;
        // Synchronous from here: no frame can take a counter between retiring and replacing.
        this.#retireSender();
        this.#sender = new SFrameSender(key, this.#counterFloor);
      } finally {
        baseKey.fill(0);
      }
    })();
    // Frames wait on a promise that never rejects; the caller of setKey sees the failure.
    const waiter = ready.then(
      () => {},
      () => {},
    );
    this.#senderReady = waiter;
    void waiter.then(() => {
      if (this.#senderReady === waiter) this.#senderReady = undefined;
    });
    return ready;
  }

  #retireSender(): void {
    if (!this.#sender) return;
    this.#counterFloor = this.#sender.nextCounter ?? NEXT_CTR_AFTER_MAX;
    this.#sender = undefined;
  }
}
