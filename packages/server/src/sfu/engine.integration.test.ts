import { createSocket } from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { until } from '@conclave/testkit';
import { WrtcPeer } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../log/logger.js';
import type { MediaRouter, MediaSession } from './MediaEngine.js';
import { NdcEngine } from './NdcEngine.js';
import type { PeerSession } from './PeerSession.js';

/*
 * The engine with real WebRTC peers (@roamhq/wrtc), no signalling server in between. Run inside a
 * loopback-only network namespace (see docs/sfu.md): unshare -n bash -c 'ip link set lo up && npx vitest run …'.
 */

const log = createLogger({ level: 'silent' });

/** An engine for this test attempt, closed when it ends (after its peers: closing runs in reverse). */
async function startEngine(options: { simulcast?: boolean } = {}) {
  const engine = await NdcEngine.start(
    {
      port: 0,
      bindAddress: '127.0.0.1',
      announcedAddress: '',
      maxVideoBitrate: 1_000_000,
      connectTimeoutMs: 15_000,
      ...options,
    },
    log,
  );
  onTestFinished(() => engine.close());
  return engine;
}

type Signal = Parameters<MediaSession['signal']>[0];

/** Ways to watch or reorder the signalling between a peer and its session. */
interface SignalHooks {
  /** The peer's signal on its way to the engine; `deliver` hands it over (now or later). */
  toEngine?(signal: Signal, deliver: (signal: Signal) => void): void;
  /** The engine's signal on its way to the peer. */
  toPeer?(signal: Signal): void;
}

function join(
  router: MediaRouter,
  id: string,
  options: ConstructorParameters<typeof WrtcPeer>[0]['publish'] = {},
  hooks: SignalHooks = {},
  reportLayers = true,
) {
  let session: MediaSession | undefined;
  const early: Signal[] = [];
  const deliver = (signal: Signal) => (session ? session.signal(signal) : early.push(signal));
  const peer = new WrtcPeer({
    publish: options,
    reportLayers,
    send: (signal) => (hooks.toEngine ? hooks.toEngine(signal, deliver) : deliver(signal)),
  });
  onTestFinished(() => peer.close());
  const closed = { value: false };
  session = router.openSession(id, {
    signal: (signal) => {
      hooks.toPeer?.(signal);
      void peer.signal(signal).catch(() => {});
    },
    closed: () => {
      closed.value = true;
    },
  });
  for (const s of early) session.signal(s);
  return { peer, session, closed };
}

function decodedFrom(peer: WrtcPeer, participantId: string): number {
  return peer.received
    .filter((r) => r.participantId === participantId && r.kind === 'video')
    .reduce((n, r) => n + r.frames, 0);
}

describe('SFU engine with @roamhq/wrtc peers', () => {
  it("forwards each participant's audio and video to every other participant, who decodes it", async () => {
    const e = await startEngine();
    const speakers: string[] = [];
    const router = e.createRouter({ dominantSpeaker: (id) => speakers.push(id) });
    const a = join(router, 'alice', { audioLevel: 0.6 });
    const b = join(router, 'bob', { audioLevel: 0 });
    const c = join(router, 'carol', { audioLevel: 0 });
    const everyone = { alice: a, bob: b, carol: c };
    for (const [id, me] of Object.entries(everyone)) {
      for (const other of Object.keys(everyone).filter((o) => o !== id)) {
        await until(() => decodedFrom(me.peer, other) > 5, `${id} to decode ${other}`);
      }
    }
    const audio = await a.peer.inboundRtp();
    expect(audio.filter((s) => s.kind === 'audio' && s.packetsReceived > 0)).toHaveLength(2);
    const stats = e.stats();
    expect(stats.sessions).toBe(3);
    expect(stats.rtpForwarded).toBeGreaterThan(0);
    expect(stats.keyframeRequests).toBeGreaterThan(0);
    // Only Alice makes a sound: she becomes the dominant speaker (RFC 6464 levels).
    await until(() => speakers.includes('alice'), 'alice to be the dominant speaker');
    expect(speakers).not.toContain('bob');
  });

  it('replaces the session of a simulcast publisher that never reports its layers with one that asks for one layer', async () => {
    // Alice answers the simulcast offer (a=simulcast:send) but, unlike Conclave's client, never
    // reports the layers' SSRCs: the library drops all her video.
    const e = await startEngine({ simulcast: true });
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const simulcastAnswers = new Map<string, number>();
    const counting = (id: string): SignalHooks => ({
      toEngine: (signal, deliver) => {
        if (signal.description && /a=simulcast:send /.test(signal.description.sdp))
          simulcastAnswers.set(id, (simulcastAnswers.get(id) ?? 0) + 1);
        deliver(signal);
      },
    });
    const first = join(router, 'alice', {}, counting('alice'), false);
    const bob = join(router, 'bob', { video: false });
    await until(() => first.closed.value, "alice's first session to be replaced", 15_000);
    expect(decodedFrom(bob.peer, 'alice')).toBe(0);
    expect(simulcastAnswers.get('alice')).toBeGreaterThan(0);
    expect(e.stats().simulcastFallbacks).toBe(1);
    expect(e.stats().sessionsFailed).toBe(0);
    // What the room does with a session that ended: the participant gets a new one.
    first.peer.close();
    const second = join(router, 'alice', {}, counting('alice-again'), false);
    await until(() => decodedFrom(bob.peer, 'alice') > 5, "bob to decode alice's video");
    expect(simulcastAnswers.get('alice-again')).toBeUndefined();
    expect(second.closed.value).toBe(false);
    // Someone who reports is asked for simulcast, keeps the session and is seen.
    const carol = join(router, 'carol', {}, counting('carol'));
    await until(() => decodedFrom(bob.peer, 'carol') > 5, "bob to decode carol's simulcast video");
    expect(simulcastAnswers.get('carol')).toBeGreaterThan(0);
    expect(carol.closed.value).toBe(false);
    expect(e.stats().simulcastFallbacks).toBe(1);
  });

  it('renegotiates when someone leaves and when someone joins late', async () => {
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const a = join(router, 'alice');
    const b = join(router, 'bob');
    await until(() => decodedFrom(a.peer, 'bob') > 3 && decodedFrom(b.peer, 'alice') > 3, 'two-way media');
    b.session.close();
    b.peer.close();
    await until(() => e.stats().sessions === 1, "bob's session to go");
    const c = join(router, 'carol');
    await until(
      () => decodedFrom(c.peer, 'alice') > 3 && decodedFrom(a.peer, 'carol') > 3,
      'alice and carol media',
    );
    expect(a.closed.value).toBe(false);
  });

  it("takes candidates that overtake the answer (trickle order is the client's) and connects", async () => {
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const a = join(router, 'alice');
    // Bob's answer reaches the engine only after his candidates, as it can from a busy client.
    let candidatesFirst = 0;
    const b = join(
      router,
      'bob',
      {},
      {
        toEngine: (signal, deliver) => {
          if (signal.description) setTimeout(() => deliver(signal), 300);
          else {
            candidatesFirst++;
            deliver(signal);
          }
        },
      },
    );
    await until(() => decodedFrom(a.peer, 'bob') > 3 && decodedFrom(b.peer, 'alice') > 3, 'two-way media');
    expect(candidatesFirst).toBeGreaterThan(0);
  });

  it("sends the engine's candidates only once the first answer is applied", async () => {
    // Checks that succeed before libdatachannel has stored the answer start DTLS against no
    // fingerprint: the handshake fails (CandidateGate). So none may start before it.
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const a = join(router, 'alice');
    const seen: string[] = [];
    let answered = false;
    const b = join(
      router,
      'bob',
      {},
      {
        toEngine: (signal, deliver) => {
          if (signal.description) answered = true;
          deliver(signal);
        },
        toPeer: (signal) => {
          if (signal.description?.sdp.includes('a=candidate:')) seen.push(answered ? 'offer' : 'early offer');
          if (signal.candidate) seen.push(answered ? 'candidate' : 'early candidate');
        },
      },
    );
    await until(() => decodedFrom(a.peer, 'bob') > 3 && decodedFrom(b.peer, 'alice') > 3, 'two-way media');
    expect(seen.filter((s) => s.startsWith('early'))).toEqual([]);
    expect(seen).toContain('candidate');
  });

  it("declares a simulcast publisher's reported layers without another offer to its browser", async () => {
    // libdatachannel drops RTP from SSRCs its remote description does not declare, and a
    // simulcast answer declares none: the reported SSRCs must reach it. When nothing else
    // changed, the engine re-applies the browser's last answer with them (a round trip to the
    // browser cost a joiner up to seconds on a loaded machine: bench/join-time).
    const e = await startEngine({ simulcast: true });
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const log: string[] = [];
    const a = join(
      router,
      'alice',
      {},
      {
        toEngine: (signal, deliver) => {
          if (signal.simulcast) log.push('report');
          deliver(signal);
        },
        toPeer: (signal) => {
          if (signal.description) log.push('offer');
        },
      },
    );
    await until(() => log.includes('report'), "alice's layer report");
    // Time for an offer that would follow it (the engine batches changes for 30 ms).
    await new Promise((r) => setTimeout(r, 500));
    expect(log.slice(log.indexOf('report'))).not.toContain('offer');
    // The layers are declared: a subscriber decodes her video.
    const b = join(router, 'bob');
    await until(() => decodedFrom(b.peer, 'alice') > 5, "bob to decode alice's simulcast video");
    expect(a.closed.value).toBe(false);
    expect(e.stats().simulcastFallbacks).toBe(0);
  });

  it('holds its UDP port from start to close, also while no meeting uses it', async () => {
    const e = await startEngine();
    // Bound before any PeerConnection exists.
    await expect(canBind(e.port)).resolves.toBe(false);
    // A meeting comes and goes: its last PeerConnection closing does not release the port
    // (libjuice would close the shared socket, and a PeerConnection created meanwhile aborts).
    const first = e.createRouter({ dominantSpeaker: () => {} });
    const a = join(first, 'alice');
    const b = join(first, 'bob');
    await until(() => decodedFrom(b.peer, 'alice') > 0 && decodedFrom(a.peer, 'bob') > 0, 'media');
    first.close();
    a.peer.close();
    b.peer.close();
    await new Promise((r) => setTimeout(r, 500));
    await expect(canBind(e.port)).resolves.toBe(false);
    // The next meeting right away works on the same socket.
    const second = e.createRouter({ dominantSpeaker: () => {} });
    const c = join(second, 'carol');
    const d = join(second, 'dave');
    await until(() => decodedFrom(d.peer, 'carol') > 0 && decodedFrom(c.peer, 'dave') > 0, 'media again');
    // (Released at close() once the library has destroyed the last PeerConnection, which it does
    // on its own threads and schedule; not asserted here.)
  });

  it('lets go of a closed session: it and its publications can be collected (issue 17 soak)', async () => {
    // The soak found every SFU participant's session, publications and WebSocket kept forever by
    // the onMessage callbacks of their tracks, which node-datachannel holds until a track is closed.
    const gc = collector();
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const people = ['alice', 'bob', 'carol'].map((id) => joinForgettably(router, id));
    const [alice, bob, carol] = people as [Forgettable, Forgettable, Forgettable];
    for (const me of people)
      for (const other of people.filter((o) => o !== me))
        await until(() => decodedFrom(me.peer, other.id) > 2, `${me.id} to decode ${other.id}`);
    // Alice leaves: her session closes while the others' go on (the participant-leaves path).
    const aliceRefs = alice.weakRefs();
    alice.slot.session?.close();
    alice.slot.session = undefined;
    alice.peer.close();
    await until(() => e.stats().sessions === 2, "alice's session to close");
    await until(
      async () => (await gc()) && aliceRefs.every((r) => r.deref() === undefined),
      "alice's session and publications to be collected",
      10_000,
    );
    // The meeting ends (the back-to-P2P path): the router closes the others at once.
    const restRefs = [...bob.weakRefs(), ...carol.weakRefs()];
    router.close();
    bob.slot.session = undefined;
    carol.slot.session = undefined;
    bob.peer.close();
    carol.peer.close();
    await until(
      async () => (await gc()) && restRefs.every((r) => r.deref() === undefined),
      "the ended meeting's sessions to be collected",
      10_000,
    );
  });
});

interface Forgettable {
  id: string;
  peer: WrtcPeer;
  /** The only strong reference the test keeps to the session; cleared to let it go. */
  slot: { session?: MediaSession };
  /** Weak references to the session and its publications. */
  weakRefs(): WeakRef<object>[];
}

/** Like join(), but nothing of the test holds the session except `slot`. */
function joinForgettably(router: MediaRouter, id: string): Forgettable {
  const slot: { session?: MediaSession } = {};
  const early: Signal[] = [];
  const peer = new WrtcPeer({
    publish: {},
    send: (signal) => (slot.session ? slot.session.signal(signal) : early.push(signal)),
  });
  onTestFinished(() => peer.close());
  slot.session = router.openSession(id, {
    signal: (signal) => void peer.signal(signal).catch(() => {}),
    closed: () => {},
  });
  for (const signal of early) slot.session.signal(signal);
  return {
    id,
    peer,
    slot,
    weakRefs: () => {
      const session = slot.session as PeerSession;
      // Its subscriptions hold it (onBandwidth), so the session stands for them too.
      return [session, ...Object.values(session.publications)].map((o) => new WeakRef(o));
    },
  };
}

/** A full garbage collection (vitest runs without --expose-gc); resolves true once it ran. */
function collector(): () => Promise<boolean> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return async () => {
    // A WeakRef dereferenced in this turn stays alive until the turn ends; native handles that a
    // closed track released are freed on the loop.
    await new Promise((r) => setImmediate(r));
    gc();
    await new Promise((r) => setImmediate(r));
    return true;
  };
}

/** Whether a UDP socket can bind 127.0.0.1:`port` now (false: someone holds it). */
async function canBind(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
  // Also when the bind failed: the socket exists either way.
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return bound;
}
