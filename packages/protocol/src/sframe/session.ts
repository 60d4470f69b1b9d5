import { assertUint64, MAX_UINT64 } from './bytes.js';
import { isSFrameError, SFrameError } from './errors.js';
import { decodeHeader } from './header.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
import {
  type DecryptedFrame,
  deriveSFrameKey,
  encryptFrame,
  openParsedFrame,
  type SFrameKey,
} from './sframe.js';
import { type CipherSuite, DEFAULT_CIPHER_SUITE, getCipherSuite } from './suites.js';

const EMPTY = new Uint8Array(0);

export interface SFrameSenderOptions {
  /** Cipher suite id; defaults to AES_128_GCM_SHA256_128. */
  readonly suite?: number | CipherSuite;
  readonly kid: bigint;
  readonly baseKey: Uint8Array;
  /** First CTR to use (RFC 9605 §4.4.1: initially 0). */
  readonly initialCounter?: bigint;
}

/**
 * Encrypts a stream of frames under one KID with an automatically incrementing CTR. Because the
 * nonce is salt XOR CTR, a CTR must never repeat under one key (§7.4); the counter is therefore
 * reserved synchronously before any await, and the sender refuses to go past 2^64-1 instead of
 * wrapping. Re-key by creating a new sender with a new KID.
 */
export class SFrameSender {
  readonly #key: SFrameKey;
  #next: bigint;

  static async create(options: SFrameSenderOptions): Promise<SFrameSender> {
    const key = await deriveSFrameKey(
      options.suite ?? DEFAULT_CIPHER_SUITE,
      options.kid,
      options.baseKey,
      'encrypt',
    );
    return new SFrameSender(key, options.initialCounter ?? 0n);
  }

  constructor(key: SFrameKey, initialCounter = 0n) {
    if (key.usage !== 'encrypt') {
      throw new SFrameError('invalid-argument', 'SFrameSender needs an encryption key (RFC 9605 §4.4.1)');
    }
    assertUint64(initialCounter, 'initial CTR');
    this.#key = key;
    this.#next = initialCounter;
  }

  get kid(): bigint {
    return this.#key.kid;
  }

  get suite(): CipherSuite {
    return this.#key.suite;
  }

  /** CTR the next frame will use, or `undefined` once 2^64-1 has been used. */
  get nextCounter(): bigint | undefined {
    return this.#next > MAX_UINT64 ? undefined : this.#next;
  }

  /** Returns header || ciphertext. Throws `counter-exhausted` after CTR 2^64-1. */
  async encrypt(plaintext: Uint8Array, metadata: Uint8Array = EMPTY): Promise<Uint8Array> {
    const ctr = this.#next;
    if (ctr > MAX_UINT64) {
      throw new SFrameError('counter-exhausted', `CTR for KID ${this.#key.kid} is exhausted; re-key`);
    }
    this.#next = ctr + 1n;
    return encryptFrame(this.#key, ctr, metadata, plaintext);
  }
}

export interface SFrameReceiverOptions {
  /** Default cipher suite for `addKey`; defaults to AES_128_GCM_SHA256_128. */
  readonly suite?: number | CipherSuite;
  /** Replay window per key, in frames (default 128). */
  readonly replayWindow?: number;
}

interface KeyEntry {
  readonly key: SFrameKey;
  readonly window: ReplayWindow;
}

interface KeySlot {
  current: KeyEntry;
  /** The key this KID had before the last `addKey`, kept for frames still in flight. */
  previous: KeyEntry | undefined;
}

/**
 * Decrypts frames from any number of senders, choosing the key by the header's KID (§4.4.4).
 * Keys are derived and imported once in `addKey`; the per-frame path does no key derivation.
 *
 * Re-adding a KID (e.g. a new epoch's base_key under the same KID) keeps the replaced key as a
 * fallback that is tried only if the current one fails to authenticate, until
 * `dropPreviousKey`/`removeKey` or the next `addKey`. Each key has its own replay window, since a
 * new key restarts the sender's counter.
 */
export class SFrameReceiver {
  readonly #suite: CipherSuite;
  readonly #windowSize: number;
  readonly #keys = new Map<bigint, KeySlot>();
  /** Bumped by every add/remove so a slow `addKey` cannot resurrect a key removed meanwhile. */
  readonly #versions = new Map<bigint, number>();

  constructor(options: SFrameReceiverOptions = {}) {
    this.#suite = getCipherSuite(options.suite ?? DEFAULT_CIPHER_SUITE);
    this.#windowSize = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    new ReplayWindow(this.#windowSize); // validates the size up front
  }

  #bump(kid: bigint): number {
    const v = (this.#versions.get(kid) ?? 0) + 1;
    this.#versions.set(kid, v);
    return v;
  }

  /** Derives and installs the decryption key for `kid`; the KID's previous key becomes the fallback. */
  async addKey(kid: bigint, baseKey: Uint8Array, suite: number | CipherSuite = this.#suite): Promise<void> {
    assertUint64(kid, 'KID');
    const version = this.#bump(kid);
    const key = await deriveSFrameKey(suite, kid, baseKey, 'decrypt');
    if (this.#versions.get(kid) !== version) return; // superseded by a later add/remove
    const entry: KeyEntry = { key, window: new ReplayWindow(this.#windowSize) };
    const slot = this.#keys.get(kid);
    this.#keys.set(kid, { current: entry, previous: slot?.current });
  }

  /** Forgets every key for `kid`. Returns whether one was present. */
  removeKey(kid: bigint): boolean {
    this.#bump(kid);
    return this.#keys.delete(kid);
  }

  /** Forgets only the fallback key of `kid`, e.g. once the new epoch is confirmed in use. */
  dropPreviousKey(kid: bigint): boolean {
    const slot = this.#keys.get(kid);
    if (!slot?.previous) return false;
    slot.previous = undefined;
    return true;
  }

  hasKey(kid: bigint): boolean {
    return this.#keys.has(kid);
  }

  get kids(): bigint[] {
    return [...this.#keys.keys()];
  }

  /**
   * Returns the plaintext with the frame's KID and CTR. Throws `SFrameError` with reason
   * `malformed`, `unknown-kid`, `auth-failed` or `replay`.
   */
  async decrypt(frame: Uint8Array, metadata: Uint8Array = EMPTY): Promise<DecryptedFrame> {
    const header = decodeHeader(frame);
    const slot = this.#keys.get(header.kid);
    if (!slot) throw new SFrameError('unknown-kid', `no key for KID ${header.kid}`);
    let replay: SFrameError | undefined;
    let failure: SFrameError | undefined;
    for (const entry of slot.previous ? [slot.current, slot.previous] : [slot.current]) {
      // Rejecting known replays before decrypting saves the crypto work; a frame is only
      // recorded after it authenticated, so forgeries cannot push the window forward.
      const problem = entry.window.check(header.ctr);
      if (problem !== undefined) {
        replay ??= new SFrameError('replay', problem);
        continue;
      }
      let result: DecryptedFrame;
      try {
        result = await openParsedFrame(entry.key, header, frame, metadata);
      } catch (err) {
        if (!isSFrameError(err, 'auth-failed')) throw err;
        failure ??= err;
        continue;
      }
      // Re-checked after the await: a concurrent duplicate may have been accepted meanwhile.
      entry.window.accept(header.ctr);
      return result;
    }
    throw replay ?? failure ?? new SFrameError('auth-failed', 'SFrame authentication failed');
  }
}
