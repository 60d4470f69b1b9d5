import { decodeHeader } from '@conclave/protocol';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  type DecryptState,
  type FrameAction,
  FrameCryptor,
  type FrameCryptorOptions,
} from './FrameCryptor.js';
import { deriveMeetingKey, makeKid } from './keySchedule.js';

const FAST = 1_000;
const MEETING = 'meeting-1';
const keyCache = new Map<string, Promise<CryptoKey>>();
const meetingKey = (passphrase: string) => {
  let key = keyCache.get(passphrase);
  if (!key) {
    key = deriveMeetingKey(passphrase, MEETING, FAST);
    keyCache.set(passphrase, key);
  }
  return key;
};

const open: FrameCryptor[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

async function participant(index: number, passphrase: string | null, options: FrameCryptorOptions = {}) {
  const states: [string, DecryptState][] = [];
  const cryptor = new FrameCryptor({
    onDecryptState: (id, state) => states.push([id, state]),
    failureThreshold: 3,
    ...options,
  });
  open.push(cryptor);
  await cryptor.setSenderIndex(index);
  if (passphrase !== null) await cryptor.setKey({ epoch: 0, meetingKey: await meetingKey(passphrase) });
  return { cryptor, states };
}

const video = (n = 200) => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 0x51 : i & 0xff));
const audio = () => Uint8Array.from({ length: 80 }, (_, i) => (i * 7) & 0xff);

function bytes(action: FrameAction, input: Uint8Array): Uint8Array {
  if (action.action === 'drop') throw new Error(`dropped: ${action.reason}`);
  return action.data ?? input;
}

async function send(from: FrameCryptor, kind: 'audio' | 'video', data: Uint8Array) {
  return bytes(await from.encrypt(kind, data), data);
}

describe('FrameCryptor', () => {
  it('passes frames through unchanged while E2EE is off', async () => {
    const { cryptor } = await participant(1, null);
    const frame = video();
    expect(await cryptor.encrypt('video', frame)).toEqual({ action: 'forward' });
    expect(await cryptor.openStream('p2', 'video').decrypt(frame)).toEqual({ action: 'forward' });
    expect(cryptor.stats().passedThrough).toBe(2);
  });

  it('while its key is being derived, drops frames both ways (nothing in clear, no ciphertext to a decoder) and reports no failure', async () => {
    const alice = await participant(1, 'pw');
    const bob = await participant(2, null);
    bob.cryptor.expectKey();
    const stream = bob.cryptor.openStream('alice', 'audio');
    for (let i = 0; i < 5; i++) {
      expect(await stream.decrypt(await send(alice.cryptor, 'audio', audio()))).toEqual({
        action: 'drop',
        reason: 'awaiting-key',
      });
    }
    expect(await bob.cryptor.encrypt('audio', audio())).toEqual({ action: 'drop', reason: 'awaiting-key' });
    expect(bob.states).toEqual([]);
    expect(bob.cryptor.stats().passedThrough).toBe(0);
    // The key arrives: frames decrypt.
    await bob.cryptor.setKey({ epoch: 0, meetingKey: await meetingKey('pw') });
    const plain = audio();
    expect(bytes(await stream.decrypt(await send(alice.cryptor, 'audio', plain)), plain)).toEqual(plain);
    // Turned off instead (e.g. the derivation failed): frames pass again.
    const carol = await participant(3, null);
    carol.cryptor.expectKey();
    await carol.cryptor.setKey(null);
    expect(await carol.cryptor.encrypt('audio', plain)).toEqual({ action: 'forward' });
  });

  it('encrypts and decrypts between participants with the same passphrase', async () => {
    const alice = await participant(1, 'pw');
    const bob = await participant(2, 'pw');
    const stream = bob.cryptor.openStream('alice', 'video');
    const plain = video();
    const wire = await send(alice.cryptor, 'video', plain);
    expect(wire).not.toEqual(plain);
    expect(bytes(await stream.decrypt(wire), wire)).toEqual(plain);
    expect(bob.states).toEqual([['alice', 'ok']]);
    expect(alice.cryptor.stats()).toMatchObject({ encrypted: 1, bytesAdded: wire.length - plain.length });
  });

  it('shares one counter across audio and video (one KID, never a repeated nonce)', async () => {
    const { cryptor } = await participant(1, 'pw');
    const frames = await Promise.all([
      send(cryptor, 'audio', audio()),
      send(cryptor, 'video', video()),
      send(cryptor, 'audio', audio()),
      send(cryptor, 'video', video()),
    ]);
    const ctrs = frames.map((f, i) => decodeHeader(f.subarray(i % 2 ? 3 : 1)).ctr);
    expect(new Set(ctrs).size).toBe(4);
  });

  it('continues the counter under a new epoch KID, keeping the old key for in-flight frames', async () => {
    // The old key's expiry is a timer: faked, so a slow key derivation on a loaded machine cannot
    // outlast the 60 ms it is kept (WebCrypto itself does not use timers).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const alice = await participant(1, 'old', { previousKeyMs: 60 });
    const bob = await participant(2, 'old', { previousKeyMs: 60 });
    const stream = bob.cryptor.openStream('alice', 'audio');
    const first = await send(alice.cryptor, 'audio', audio());
    expect((await stream.decrypt(first)).action).toBe('forward');

    // Bob switches first; Alice is still on the old passphrase.
    await bob.cryptor.setKey({ epoch: 1, meetingKey: await meetingKey('new') });
    const stillOld = await send(alice.cryptor, 'audio', audio());
    expect((await stream.decrypt(stillOld)).action).toBe('forward');

    await alice.cryptor.setKey({ epoch: 1, meetingKey: await meetingKey('new') });
    expect(alice.cryptor.kid).toBe(makeKid(1, 1));
    const switched = await send(alice.cryptor, 'audio', audio());
    expect(decodeHeader(switched.subarray(1))).toMatchObject({ kid: makeKid(1, 1), ctr: 2n });
    expect((await stream.decrypt(switched)).action).toBe('forward');

    // After previousKeyMs the old passphrase no longer decrypts.
    vi.advanceTimersByTime(100);
    const replayOfOld = await send(
      (await participant(1, 'old')).cryptor, // a sender still on the old passphrase
      'audio',
      audio(),
    );
    expect(await stream.decrypt(replayOfOld)).toEqual({ action: 'drop', reason: 'auth-failed' });
    expect(bob.states).toEqual([['alice', 'ok']]);
  });

  it('never restarts the counter, even when a KID comes back after 16 epochs', async () => {
    const { cryptor } = await participant(1, 'pw');
    await send(cryptor, 'audio', audio());
    for (let epoch = 1; epoch <= 16; epoch++) {
      await cryptor.setKey({ epoch, meetingKey: await meetingKey('pw') });
    }
    expect(cryptor.kid).toBe(makeKid(1, 0));
    const frame = await send(cryptor, 'audio', audio());
    expect(decodeHeader(frame.subarray(1)).ctr).toBe(1n);
    // Turning E2EE off and on again does not restart it either.
    await cryptor.setKey(null);
    await cryptor.setKey({ epoch: 17, meetingKey: await meetingKey('pw') });
    expect(decodeHeader((await send(cryptor, 'audio', audio())).subarray(1)).ctr).toBe(2n);
  });

  it('reports cannot-decrypt after consecutive failures, and ok once frames decrypt', async () => {
    const alice = await participant(1, 'right');
    const eve = await participant(3, 'wrong');
    const stream = eve.cryptor.openStream('alice', 'video');
    for (let i = 0; i < 3; i++) {
      const wire = await send(alice.cryptor, 'video', video());
      expect(await stream.decrypt(wire)).toEqual({ action: 'drop', reason: 'auth-failed' });
    }
    expect(eve.states).toEqual([['alice', 'cannot-decrypt']]);
    await eve.cryptor.setKey({ epoch: 1, meetingKey: await meetingKey('right') });
    expect((await stream.decrypt(await send(alice.cryptor, 'video', video()))).action).toBe('forward');
    expect(eve.states).toEqual([
      ['alice', 'cannot-decrypt'],
      ['alice', 'ok'],
    ]);
    expect(eve.cryptor.stats().participants.alice).toEqual({ decrypted: 1, dropped: 3, state: 'ok' });
  });

  it('drops unencrypted frames while E2EE is on (no downgrade)', async () => {
    const plainSender = await participant(1, null);
    const bob = await participant(2, 'pw');
    const stream = bob.cryptor.openStream('alice', 'video');
    for (let i = 0; i < 3; i++) {
      const frame = await send(plainSender.cryptor, 'video', video());
      expect((await stream.decrypt(frame)).action).toBe('drop');
    }
    expect(bob.states).toEqual([['alice', 'cannot-decrypt']]);
  });

  it('does not count replays towards cannot-decrypt', async () => {
    const alice = await participant(1, 'pw');
    const bob = await participant(2, 'pw');
    const stream = bob.cryptor.openStream('alice', 'audio');
    const wire = await send(alice.cryptor, 'audio', audio());
    await stream.decrypt(wire);
    for (let i = 0; i < 5; i++)
      expect(await stream.decrypt(wire)).toEqual({ action: 'drop', reason: 'replay' });
    expect(bob.states).toEqual([['alice', 'ok']]);
  });

  it("drops this participant's own frames reflected back", async () => {
    const alice = await participant(1, 'pw');
    const stream = alice.cryptor.openStream('mallory', 'audio');
    const wire = await send(alice.cryptor, 'audio', audio());
    expect(await stream.decrypt(wire)).toEqual({ action: 'drop', reason: 'own-kid' });
  });

  it('never sends in clear while E2EE is on but the sender index is unknown', async () => {
    const cryptor = new FrameCryptor();
    open.push(cryptor);
    await cryptor.setKey({ epoch: 0, meetingKey: await meetingKey('pw') });
    expect(await cryptor.encrypt('audio', audio())).toEqual({ action: 'drop', reason: 'unknown-kid' });
  });

  it('survives garbage: truncated, malformed and forged-KID frames are dropped, never thrown', async () => {
    const bob = await participant(2, 'pw', { maxKidsPerStream: 4 });
    const stream = bob.cryptor.openStream('x', 'video');
    const inputs = [
      new Uint8Array([0x51]),
      new Uint8Array([0x51, 0, 0, 0xff]),
      Uint8Array.from({ length: 40 }, () => 0xff),
      ...Array.from({ length: 20 }, (_, i) =>
        Uint8Array.from({ length: 60 }, (_, j) => (j === 0 ? 0x51 : j === 3 ? 0x80 : i * 13 + j)),
      ),
    ];
    for (const input of inputs) expect((await stream.decrypt(input)).action).toBe('drop');
    const { dropped } = bob.cryptor.stats();
    expect(Object.values(dropped).reduce((a, b) => a + (b ?? 0), 0)).toBe(inputs.length);
    expect(dropped.truncated).toBeGreaterThan(0);
    expect(bob.states).toEqual([['x', 'cannot-decrypt']]);
  });

  it('stops reporting a participant who left and resets states when E2EE goes off', async () => {
    const alice = await participant(1, 'pw');
    const bob = await participant(2, 'pw');
    const a = bob.cryptor.openStream('alice', 'audio');
    await a.decrypt(await send(alice.cryptor, 'audio', audio()));
    bob.cryptor.removeParticipant('alice');
    for (let i = 0; i < 5; i++) await a.decrypt(audio());
    expect(bob.states).toEqual([['alice', 'ok']]);
    expect(bob.cryptor.stats().participants.alice).toBeUndefined();

    await bob.cryptor.setKey(null);
    expect(bob.cryptor.enabled).toBe(false);
    expect(await bob.cryptor.openStream('carol', 'audio').decrypt(audio())).toEqual({ action: 'forward' });
  });
});
