import { describe, expect, it } from 'vitest';
import { E2EEManager } from './E2EEManager.js';
import type { FromWorker, ToWorker } from './messages.js';

class FakeWorker {
  readonly posted: ToWorker[] = [];
  onmessage: ((event: { data: FromWorker }) => void) | null = null;
  terminated = false;
  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: FromWorker): void {
    this.onmessage?.({ data });
  }
}

function manager(meetingId = 'meeting-1', selfIndex = 1) {
  const worker = new FakeWorker();
  const m = new E2EEManager({
    meetingId,
    selfIndex,
    iterations: 1_000,
    createWorker: () => worker as unknown as Worker,
  });
  return { m, worker };
}

describe('E2EEManager', () => {
  it('tells the worker its sender index, then a derived key: never the passphrase', async () => {
    const { m, worker } = manager();
    await m.setPassphrase('hunter2 is my passphrase');
    // expectKey first: the worker drops frames instead of passing them in clear while deriving.
    expect(worker.posted.map((p) => p.type)).toEqual(['setSenderIndex', 'expectKey', 'setKey']);
    const setKey = worker.posted[2];
    expect(setKey).toMatchObject({ type: 'setKey', epoch: 0 });
    expect(setKey?.type === 'setKey' && setKey.meetingKey?.extractable).toBe(false);
    expect(JSON.stringify(worker.posted, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      'hunter2',
    );
    expect(m.enabled).toBe(true);
    m.close();
    expect(worker.terminated).toBe(true);
  });

  it('counts epochs and turns off with null', async () => {
    const { m, worker } = manager();
    await m.setPassphrase('a');
    await m.setPassphrase('b');
    expect(m.epoch).toBe(1);
    await m.setPassphrase(null);
    expect(m.enabled).toBe(false);
    expect(worker.posted.at(-1)).toEqual({ type: 'setKey', epoch: 1, meetingKey: null });
    await expect(m.encryptChat('x')).rejects.toThrow();
  });

  it('lets a later passphrase supersede one still deriving', async () => {
    const { m, worker } = manager();
    await Promise.all([m.setPassphrase('first'), m.setPassphrase('second')]);
    expect(worker.posted.filter((p) => p.type === 'setKey')).toHaveLength(1);
    expect(m.epoch).toBe(0);
  });

  it('encrypts chat for participants with the same passphrase only', async () => {
    const alice = manager().m;
    const bob = manager('meeting-1', 2).m;
    const eve = manager('meeting-1', 3).m;
    const otherMeeting = manager('meeting-2', 4).m;
    await Promise.all([
      alice.setPassphrase('pw'),
      bob.setPassphrase('pw'),
      eve.setPassphrase('nope'),
      otherMeeting.setPassphrase('pw'),
    ]);
    const ct = await alice.encryptChat('meet at noon');
    expect(await bob.decryptChat(ct)).toBe('meet at noon');
    expect(await eve.decryptChat(ct)).toBeNull();
    expect(await otherMeeting.decryptChat(ct)).toBeNull();
    // A message sent just before a passphrase change still opens afterwards.
    await bob.setPassphrase('pw2');
    expect(await bob.decryptChat(ct)).toBe('meet at noon');
  });

  it('reports decrypt states from the worker and resets them when E2EE goes off', async () => {
    const { m, worker } = manager();
    const events: unknown[] = [];
    m.on('decryptState', (e) => events.push(e));
    m.on('decryptStatesReset', () => events.push('reset'));
    await m.setPassphrase('pw');
    worker.reply({ type: 'decryptState', participantId: 'bob', state: 'cannot-decrypt' });
    expect(m.decryptState('bob')).toBe('cannot-decrypt');
    await m.setPassphrase(null);
    worker.reply({ type: 'decryptState', participantId: 'bob', state: 'ok' }); // stale: ignored
    expect(events).toEqual([{ participantId: 'bob', state: 'cannot-decrypt' }, 'reset']);
    expect(m.decryptState('bob')).toBeUndefined();
  });

  it('answers stats requests and states the per-frame overhead', async () => {
    const { m, worker } = manager();
    const stats = m.getStats();
    const request = worker.posted.at(-1);
    if (request?.type !== 'getStats') throw new Error('no stats request');
    const body = {
      encrypted: 1,
      decrypted: 0,
      passedThrough: 0,
      bytesAdded: 20,
      dropped: {},
      participants: {},
    };
    worker.reply({ type: 'stats', requestId: request.requestId, stats: body });
    expect(await stats).toEqual(body);
    expect(m.frameOverheadBytes).toBeLessThanOrEqual(22);
  });

  it('is not supported in Node (no encoded transforms)', () => {
    expect(E2EEManager.isSupported()).toBe(false);
    expect(E2EEManager.peerConnectionConfig()).toEqual({});
  });
});
