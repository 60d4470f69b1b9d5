import { describe, expect, it } from 'vitest';
import { MAX_UINT64 } from './bytes.js';
import { SFrameError, type SFrameErrorReason } from './errors.js';
import { decodeHeader } from './header.js';
import { ReplayWindow } from './replay.js';
import { SFrameReceiver, SFrameSender } from './session.js';
import { deriveSFrameKey } from './sframe.js';
import { CIPHER_SUITES, CipherSuiteId } from './suites.js';

const enc = new TextEncoder();
const keyA = Uint8Array.from({ length: 32 }, (_, i) => i);
const keyB = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const md = enc.encode('meta');
const frameData = (i: number) => enc.encode(`frame #${i}`);

async function reasonOf(p: Promise<unknown>): Promise<SFrameErrorReason | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SFrameError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('SFrameSender', () => {
  it('numbers frames 0, 1, 2, ... under its KID', async () => {
    const sender = await SFrameSender.create({ kid: 9n, baseKey: keyA });
    for (let i = 0; i < 3; i++) {
      const frame = await sender.encrypt(frameData(i), md);
      expect(decodeHeader(frame)).toMatchObject({ kid: 9n, ctr: BigInt(i) });
    }
    expect(sender.nextCounter).toBe(3n);
  });

  it('gives concurrent encryptions distinct counters', async () => {
    const sender = await SFrameSender.create({ kid: 1n, baseKey: keyA });
    const frames = await Promise.all(Array.from({ length: 20 }, (_, i) => sender.encrypt(frameData(i))));
    const ctrs = new Set(frames.map((f) => decodeHeader(f).ctr));
    expect(ctrs.size).toBe(20);
  });

  it('uses CTR 2^64-1 once and then refuses instead of wrapping', async () => {
    const sender = await SFrameSender.create({ kid: 1n, baseKey: keyA, initialCounter: MAX_UINT64 - 1n });
    expect(decodeHeader(await sender.encrypt(frameData(0))).ctr).toBe(MAX_UINT64 - 1n);
    expect(decodeHeader(await sender.encrypt(frameData(1))).ctr).toBe(MAX_UINT64);
    expect(sender.nextCounter).toBeUndefined();
    expect(await reasonOf(sender.encrypt(frameData(2)))).toBe('counter-exhausted');
    expect(await reasonOf(sender.encrypt(frameData(3)))).toBe('counter-exhausted');
  });

  it('rejects a decryption key and an out-of-range initial counter', async () => {
    const dkey = await deriveSFrameKey(CipherSuiteId.AES_128_GCM_SHA256_128, 1n, keyA, 'decrypt');
    expect(() => new SFrameSender(dkey)).toThrow(expect.objectContaining({ reason: 'invalid-argument' }));
    expect(
      await reasonOf(SFrameSender.create({ kid: 1n, baseKey: keyA, initialCounter: MAX_UINT64 + 1n })),
    ).toBe('invalid-argument');
  });
});

describe.each(CIPHER_SUITES.map((s) => [s.name, s.id] as const))(
  'sender -> receiver with %s',
  (_n, suite) => {
    it('delivers frames from two senders', async () => {
      const alice = await SFrameSender.create({ suite, kid: 0x10n, baseKey: keyA });
      const bob = await SFrameSender.create({ suite, kid: MAX_UINT64, baseKey: keyB });
      const receiver = new SFrameReceiver({ suite });
      await receiver.addKey(0x10n, keyA);
      await receiver.addKey(MAX_UINT64, keyB);
      for (let i = 0; i < 3; i++) {
        const a = await receiver.decrypt(await alice.encrypt(frameData(i), md), md);
        expect(a).toMatchObject({ kid: 0x10n, ctr: BigInt(i), plaintext: frameData(i) });
        const b = await receiver.decrypt(await bob.encrypt(frameData(i)));
        expect(b).toMatchObject({ kid: MAX_UINT64, ctr: BigInt(i), plaintext: frameData(i) });
      }
    });
  },
);

describe('SFrameReceiver', () => {
  async function setup() {
    const sender = await SFrameSender.create({ kid: 5n, baseKey: keyA });
    const receiver = new SFrameReceiver();
    await receiver.addKey(5n, keyA);
    return { sender, receiver };
  }

  it('rejects unknown KIDs, and accepts them once the key is added', async () => {
    const { receiver } = await setup();
    const stranger = await SFrameSender.create({ kid: 6n, baseKey: keyB });
    const frame = await stranger.encrypt(frameData(0));
    expect(await reasonOf(receiver.decrypt(frame))).toBe('unknown-kid');
    await receiver.addKey(6n, keyB);
    expect((await receiver.decrypt(frame)).plaintext).toEqual(frameData(0));
  });

  it('rejects replayed frames but accepts reordering within the window', async () => {
    const { sender, receiver } = await setup();
    const frames = [];
    for (let i = 0; i < 5; i++) frames.push(await sender.encrypt(frameData(i)));
    for (const i of [0, 3, 1, 4, 2]) {
      expect((await receiver.decrypt(frames[i] as Uint8Array)).ctr).toBe(BigInt(i));
    }
    for (const f of frames) expect(await reasonOf(receiver.decrypt(f))).toBe('replay');
  });

  it('rejects a duplicate submitted concurrently', async () => {
    const { sender, receiver } = await setup();
    const frame = await sender.encrypt(frameData(0));
    const results = await Promise.allSettled([receiver.decrypt(frame), receiver.decrypt(frame)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ reason: 'replay' });
  });

  it('rejects frames older than the window', async () => {
    const sender = await SFrameSender.create({ kid: 5n, baseKey: keyA });
    const receiver = new SFrameReceiver({ replayWindow: 4 });
    await receiver.addKey(5n, keyA);
    const frames = [];
    for (let i = 0; i < 6; i++) frames.push(await sender.encrypt(frameData(i)));
    await receiver.decrypt(frames[5] as Uint8Array);
    expect(await reasonOf(receiver.decrypt(frames[1] as Uint8Array))).toBe('replay'); // 4 behind
    expect((await receiver.decrypt(frames[2] as Uint8Array)).ctr).toBe(2n); // 3 behind
  });

  it('does not let a forged frame advance the replay window', async () => {
    const { sender, receiver } = await setup();
    const forger = await SFrameSender.create({ kid: 5n, baseKey: keyB, initialCounter: 1000n });
    expect(await reasonOf(receiver.decrypt(await forger.encrypt(frameData(0))))).toBe('auth-failed');
    expect((await receiver.decrypt(await sender.encrypt(frameData(1)))).ctr).toBe(0n);
  });

  it('reports malformed and auth-failed frames', async () => {
    const { sender, receiver } = await setup();
    const frame = await sender.encrypt(frameData(0), md);
    expect(await reasonOf(receiver.decrypt(frame.subarray(0, 0)))).toBe('malformed');
    expect(await reasonOf(receiver.decrypt(Uint8Array.of(0x80)))).toBe('malformed'); // KID byte missing
    expect(await reasonOf(receiver.decrypt(frame.subarray(0, 5)))).toBe('malformed'); // shorter than tag
    expect(await reasonOf(receiver.decrypt(frame, enc.encode('other')))).toBe('auth-failed');
    const corrupted = frame.slice();
    corrupted[3] = (corrupted[3] as number) ^ 0x80;
    expect(await reasonOf(receiver.decrypt(corrupted, md))).toBe('auth-failed');
    // The failed attempts did not consume the counter.
    expect((await receiver.decrypt(frame, md)).ctr).toBe(0n);
  });

  it('keeps the previous key of a KID for in-flight frames after re-keying', async () => {
    const { sender: oldSender, receiver } = await setup();
    const late = await oldSender.encrypt(frameData(0));
    await receiver.addKey(5n, keyB); // new epoch, same KID
    const newSender = await SFrameSender.create({ kid: 5n, baseKey: keyB });
    // New key restarts at CTR 0 with its own replay window.
    expect((await receiver.decrypt(await newSender.encrypt(frameData(0)))).ctr).toBe(0n);
    expect((await receiver.decrypt(late)).plaintext).toEqual(frameData(0));
    expect(await reasonOf(receiver.decrypt(late))).toBe('replay');

    const later = await oldSender.encrypt(frameData(1));
    expect(receiver.dropPreviousKey(5n)).toBe(true);
    expect(await reasonOf(receiver.decrypt(later))).toBe('auth-failed');
    expect((await receiver.decrypt(await newSender.encrypt(frameData(1)))).ctr).toBe(1n);
  });

  it('removes keys, including a removal racing an in-progress addKey', async () => {
    const { sender, receiver } = await setup();
    const frame = await sender.encrypt(frameData(0));
    expect(receiver.removeKey(5n)).toBe(true);
    expect(receiver.hasKey(5n)).toBe(false);
    expect(await reasonOf(receiver.decrypt(frame))).toBe('unknown-kid');

    const adding = receiver.addKey(5n, keyA);
    receiver.removeKey(5n);
    await adding;
    expect(receiver.kids).toEqual([]);
  });

  it('validates its options', () => {
    expect(() => new SFrameReceiver({ replayWindow: 0 })).toThrow(SFrameError);
    expect(() => new SFrameReceiver({ suite: 0x77 })).toThrow(
      expect.objectContaining({ reason: 'unsupported-suite' }),
    );
  });
});

describe('ReplayWindow', () => {
  it('slides over huge counter jumps without blowing up', () => {
    const w = new ReplayWindow(128);
    w.accept(0n);
    w.accept(MAX_UINT64);
    expect(w.highest).toBe(MAX_UINT64);
    expect(w.check(MAX_UINT64)).toBeDefined();
    expect(w.check(MAX_UINT64 - 127n)).toBeUndefined();
    expect(w.check(MAX_UINT64 - 128n)).toBeDefined();
    expect(w.check(0n)).toBeDefined();
  });

  it('tracks each counter within the window exactly once', () => {
    const w = new ReplayWindow(128);
    for (let i = 200n; i >= 73n; i--) w.accept(i);
    for (let i = 73n; i <= 200n; i++) expect(w.check(i)).toBeDefined();
    expect(w.check(72n)).toBeDefined(); // outside the window
    expect(w.check(201n)).toBeUndefined();
  });
});
