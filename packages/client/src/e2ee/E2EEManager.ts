import { Emitter } from '../Emitter.js';
import type { CryptorStats, DecryptState } from './FrameCryptor.js';
import { type MediaKind, sframeOverhead } from './frameLayout.js';
import {
  decryptChat,
  deriveChatKey,
  deriveMeetingKey,
  encryptChat,
  makeKid,
  PBKDF2_ITERATIONS,
} from './keySchedule.js';
import type { FromWorker, ToWorker, TransformOptions } from './messages.js';

export interface E2EEManagerOptions {
  /** The meeting's random id from `joined`: the PBKDF2 salt, so keys never carry to another meeting. */
  meetingId: string;
  /** This participant's `e2eeIndex` (ParticipantInfo), unique in the meeting. */
  selfIndex: number;
  /** PBKDF2 iterations; default 600,000. Lower only in tests. */
  iterations?: number;
  /** Creates the transform worker; default: the bundled `worker.ts`. */
  createWorker?: () => Worker;
}

export type E2EEManagerEvents = {
  /** A remote participant's frames started or stopped decrypting. */
  decryptState: [{ participantId: string; state: DecryptState }];
  /** Turning E2EE off (or on) made every earlier decrypt state meaningless. */
  decryptStatesReset: [];
  /** The worker could not apply a key or index change; media keeps the previous state. */
  error: [Error];
};

interface LegacyEncodedStreams {
  readable: ReadableStream;
  writable: WritableStream;
}
type WithLegacyStreams = { createEncodedStreams?: () => LegacyEncodedStreams };

/** CTR below which the header stays ≤ 5 bytes: the first 2^24 frames, ≈ 58 h at 80 frames/s. */
const TYPICAL_CTR_BOUND = (1n << 24n) - 1n;

/**
 * Main-thread side of end-to-end encryption for one participant in one meeting (docs/e2ee.md).
 * It turns the passphrase into the meeting key, hands that key (never the passphrase, and never to
 * the server) to the transform worker, attaches senders and receivers to the worker, encrypts and
 * decrypts chat, and reports per-participant decrypt state.
 *
 * Attach every sender and receiver even while E2EE is off: the worker then passes frames through,
 * so turning E2EE on or off later needs no renegotiation.
 */
export class E2EEManager extends Emitter<E2EEManagerEvents> {
  readonly meetingId: string;
  readonly #iterations: number;
  readonly #worker: Worker;
  readonly #attached = new WeakSet<RTCRtpSender | RTCRtpReceiver>();
  readonly #states = new Map<string, DecryptState>();
  readonly #statsRequests = new Map<number, (stats: CryptorStats) => void>();
  #selfIndex: number;
  #epoch = -1;
  #enabled = false;
  #encrypting = false;
  #chatKeys: CryptoKey[] = [];
  #change = 0;
  #nextRequest = 1;
  #closed = false;

  /** True if this browser can run encoded transforms (standard or Chromium's legacy API). */
  static isSupported(): boolean {
    return E2EEManager.#hasScriptTransform() || E2EEManager.#hasLegacyStreams();
  }

  /**
   * Extra RTCPeerConnection configuration E2EE needs: Chromium's legacy API only works on a
   * connection created with `encodedInsertableStreams: true`. Spread it into every
   * RTCPeerConnection the meeting creates (P2P and SFU alike).
   */
  static peerConnectionConfig(): RTCConfiguration {
    if (E2EEManager.#hasScriptTransform() || !E2EEManager.#hasLegacyStreams()) return {};
    return { encodedInsertableStreams: true } as RTCConfiguration;
  }

  /** The same, as the MediaTransforms that media paths take. */
  peerConnectionConfig(): RTCConfiguration {
    return E2EEManager.peerConnectionConfig();
  }

  constructor(options: E2EEManagerOptions) {
    super();
    if (!E2EEManager.isSupported() && !options.createWorker) {
      throw new Error('this browser cannot encrypt media end to end (no encoded transforms)');
    }
    makeKid(options.selfIndex, 0); // validates
    this.meetingId = options.meetingId;
    this.#selfIndex = options.selfIndex;
    this.#iterations = options.iterations ?? PBKDF2_ITERATIONS;
    // Written out literally so that Vite recognises the worker and bundles it.
    this.#worker =
      options.createWorker?.() ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => this.#onWorkerMessage(event.data);
    this.#post({ type: 'setSenderIndex', senderIndex: options.selfIndex });
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Encrypting, or about to: from the start of `setPassphrase` with a passphrase until it ends. */
  get encrypting(): boolean {
    return this.#encrypting;
  }

  /** Counts passphrase changes; its low 4 bits are in this participant's KID. -1 before the first. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Bytes SFrame adds to each frame this participant sends (header + 16-byte tag, RFC 9605 §4.3),
   * for CTRs below 2^24. With an index below 16 this is 21 bytes at most and 20 for the first
   * 2^16 frames.
   */
  get frameOverheadBytes(): number {
    return sframeOverhead(makeKid(this.#selfIndex, Math.max(this.#epoch, 0)), TYPICAL_CTR_BOUND);
  }

  /** Decrypt state of a remote participant; undefined until one of its frames decided it. */
  decryptState(participantId: string): DecryptState | undefined {
    return this.#states.get(participantId);
  }

  /**
   * Turns E2EE on with `passphrase`, moves to a new key epoch with a different one, or turns it off
   * with null. Deriving takes a while (PBKDF2, 600,000 iterations); a later call supersedes an
   * earlier one still deriving. Resolves when the worker has been told.
   */
  async setPassphrase(passphrase: string | null): Promise<void> {
    if (this.#closed) return;
    const change = ++this.#change;
    if (passphrase === null) {
      this.#encrypting = false;
      this.#apply(null, null);
      return;
    }
    this.#encrypting = true;
    // From now on nothing passes in clear: the worker drops frames until the key is there.
    if (!this.#enabled) this.#post({ type: 'expectKey' });
    let meetingKey: CryptoKey;
    let chatKey: CryptoKey;
    try {
      meetingKey = await deriveMeetingKey(passphrase, this.meetingId, this.#iterations);
      chatKey = await deriveChatKey(meetingKey);
    } catch (err) {
      // Off again rather than dropping everything for good; the caller hears why.
      if (change === this.#change && !this.#enabled) {
        this.#encrypting = false;
        this.#apply(null, null);
      }
      throw err;
    }
    if (change !== this.#change || this.#closed) return;
    this.#apply(meetingKey, chatKey);
  }

  /** A new server-assigned index (e.g. after rejoining): the KID changes, the key does not. */
  setSelfIndex(selfIndex: number): void {
    makeKid(selfIndex, 0);
    this.#selfIndex = selfIndex;
    this.#post({ type: 'setSenderIndex', senderIndex: selfIndex });
  }

  /** Routes an outgoing track's frames through the worker. Call right after addTrack/addTransceiver. */
  attachSender(sender: RTCRtpSender, kind: MediaKind): void {
    this.#attach(sender, { role: 'encrypt', kind, participantId: '' });
  }

  /** Routes a remote participant's track through the worker. Call synchronously in `ontrack`. */
  attachReceiver(receiver: RTCRtpReceiver, kind: MediaKind, participantId: string): void {
    this.#attach(receiver, { role: 'decrypt', kind, participantId });
  }

  /** The participant left: forget its keys' state and its decrypt state. */
  removeParticipant(participantId: string): void {
    this.#states.delete(participantId);
    this.#post({ type: 'removeParticipant', participantId });
  }

  /** Chat ciphertext (base64) under the current key; throws while E2EE is off. */
  encryptChat(text: string): Promise<string> {
    const key = this.#chatKeys[0];
    if (!key) return Promise.reject(new Error('E2EE is off: there is no chat key'));
    return encryptChat(key, text);
  }

  /** The text, or null if no current or previous key opens it (wrong passphrase, tampering). */
  async decryptChat(ciphertext: string): Promise<string | null> {
    for (const key of this.#chatKeys) {
      const text = await decryptChat(key, ciphertext);
      if (text !== null) return text;
    }
    return null;
  }

  /** Counters of the worker: frames encrypted, decrypted, dropped by reason, per participant. */
  getStats(): Promise<CryptorStats> {
    if (this.#closed) return Promise.reject(new Error('E2EEManager is closed'));
    const requestId = this.#nextRequest++;
    return new Promise((resolve) => {
      this.#statsRequests.set(requestId, resolve);
      this.#post({ type: 'getStats', requestId });
    });
  }

  /** Stops the worker; attached tracks stop flowing. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#change++;
    this.#chatKeys = [];
    this.#worker.onmessage = null;
    this.#worker.terminate();
    this.#statsRequests.clear();
    this.removeAllListeners();
  }

  #apply(meetingKey: CryptoKey | null, chatKey: CryptoKey | null): void {
    const wasEnabled = this.#enabled;
    this.#enabled = meetingKey !== null;
    if (meetingKey) this.#epoch++;
    // The previous chat key stays: messages sent just before the change still open.
    this.#chatKeys = chatKey ? [chatKey, ...this.#chatKeys.slice(0, 1)] : [];
    this.#post({ type: 'setKey', epoch: Math.max(this.#epoch, 0), meetingKey });
    if (wasEnabled !== this.#enabled && this.#states.size > 0) {
      this.#states.clear();
      this.emit('decryptStatesReset');
    }
  }

  #attach(target: RTCRtpSender | RTCRtpReceiver, options: TransformOptions): void {
    if (this.#closed || this.#attached.has(target)) return;
    this.#attached.add(target);
    if (E2EEManager.#hasScriptTransform()) {
      target.transform = new RTCRtpScriptTransform(this.#worker, options);
      return;
    }
    const legacy = (target as unknown as WithLegacyStreams).createEncodedStreams;
    if (typeof legacy !== 'function') throw new Error('this browser has no encoded transforms');
    const { readable, writable } = legacy.call(target);
    this.#post({ type: 'attachStreams', readable, writable, ...options }, [readable, writable]);
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    if (!this.#closed) this.#worker.postMessage(message, transfer);
  }

  #onWorkerMessage(message: FromWorker): void {
    switch (message.type) {
      case 'decryptState':
        // A state that arrives after E2EE went off describes frames from before: ignore it.
        if (!this.#enabled) return;
        this.#states.set(message.participantId, message.state);
        return this.emit('decryptState', { participantId: message.participantId, state: message.state });
      case 'stats': {
        const resolve = this.#statsRequests.get(message.requestId);
        this.#statsRequests.delete(message.requestId);
        return resolve?.(message.stats);
      }
      case 'keyError':
        return this.emit('error', new Error(`E2EE worker: ${message.message}`));
      default:
        message satisfies never;
    }
  }

  static #hasScriptTransform(): boolean {
    return typeof globalThis.RTCRtpScriptTransform === 'function';
  }

  static #hasLegacyStreams(): boolean {
    const proto = globalThis.RTCRtpSender?.prototype as (RTCRtpSender & WithLegacyStreams) | undefined;
    return typeof proto?.createEncodedStreams === 'function';
  }
}
