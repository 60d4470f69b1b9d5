import { until } from '@conclave/testkit';
import { WrtcPeer } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../log/logger.js';
import type { MediaRouter, MediaSession, MediaSignal } from './MediaEngine.js';
import { NdcEngine } from './NdcEngine.js';

/*
 * Who gets what: subscriptions only to publishers (non-publishers cost no m-lines and no
 * renegotiation of others), video constraints (a hidden tile gets no video) and last-N, with
 * @roamhq/wrtc peers. Run inside a loopback-only network namespace (docs/sfu.md).
 */

const log = createLogger({ level: 'silent' });

/** An engine for this test attempt, closed when it ends (after its peers: closing runs in reverse). */
async function startEngine(lastN = 0) {
  const engine = await NdcEngine.start(
    {
      port: 0,
      bindAddress: '127.0.0.1',
      announcedAddress: '',
      maxVideoBitrate: 1_000_000,
      connectTimeoutMs: 15_000,
      lastN,
    },
    log,
  );
  onTestFinished(() => engine.close());
  return engine;
}

function join(
  router: MediaRouter,
  id: string,
  publish: ConstructorParameters<typeof WrtcPeer>[0]['publish'],
) {
  let session: MediaSession | undefined;
  const early: MediaSignal[] = [];
  const offers = { count: 0 };
  const peer = new WrtcPeer({
    ...(publish ? { publish } : {}),
    send: (signal) => (session ? session.signal(signal) : early.push(signal)),
  });
  onTestFinished(() => peer.close());
  session = router.openSession(id, {
    signal: (signal) => {
      if (signal.description) offers.count++;
      void peer.signal(signal).catch(() => {});
    },
    closed: () => {},
  });
  for (const s of early) session.signal(s);
  return { peer, session, offers };
}

const frames = (peer: WrtcPeer, from: string) =>
  peer.received
    .filter((r) => r.participantId === from && r.kind === 'video')
    .reduce((n, r) => n + r.frames, 0);
const tracksFrom = (peer: WrtcPeer, from: string) =>
  peer.received.filter((r) => r.participantId === from).length;

describe('SFU subscriptions', () => {
  it('subscribes only to publishers: viewers cost the others no m-lines and no renegotiation', async () => {
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    const alice = join(router, 'alice', { audioLevel: 0.3 });
    await until(() => alice.peer.connectionState === 'connected', 'alice connected');
    const offersBefore = alice.offers.count;
    // Two viewers join at once (no camera, no microphone).
    const v1 = join(router, 'viewer1', undefined);
    const v2 = join(router, 'viewer2', undefined);
    await until(
      () => frames(v1.peer, 'alice') > 3 && frames(v2.peer, 'alice') > 3,
      'viewers to decode alice',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(alice.offers.count).toBe(offersBefore);
    expect(tracksFrom(alice.peer, 'viewer1') + tracksFrom(alice.peer, 'viewer2')).toBe(0);
    expect(tracksFrom(v1.peer, 'viewer2')).toBe(0);
    // Exactly alice's audio and video reach a viewer.
    expect(v1.peer.received.map((r) => `${r.participantId}/${r.kind}`).sort()).toEqual([
      'alice/audio',
      'alice/video',
    ]);
  });

  it('stops forwarding video for a hidden tile and resumes it when shown again', async () => {
    const e = await startEngine();
    const router = e.createRouter({ dominantSpeaker: () => {} });
    join(router, 'alice', {});
    const bob = join(router, 'bob', undefined);
    await until(() => frames(bob.peer, 'alice') > 3, 'bob to decode alice');
    bob.session.signal({ videoConstraints: { tiles: [{ participantId: 'alice', height: 0 }] } });
    await new Promise((r) => setTimeout(r, 500));
    const paused = frames(bob.peer, 'alice');
    await new Promise((r) => setTimeout(r, 1000));
    expect(frames(bob.peer, 'alice') - paused).toBeLessThanOrEqual(1);
    bob.session.signal({ videoConstraints: { tiles: [{ participantId: 'alice', height: 360 }] } });
    await until(() => frames(bob.peer, 'alice') > paused + 5, 'video to resume');
  });

  it('last-N forwards video only from the most recent speaker plus pinned participants; audio always', async () => {
    const e = await startEngine(1);
    const speakers: string[] = [];
    const router = e.createRouter({ dominantSpeaker: (id) => speakers.push(id) });
    join(router, 'loud', { audioLevel: 0.6 });
    join(router, 'quiet', { audioLevel: 0 });
    const viewer = join(router, 'viewer', undefined);
    await until(() => speakers.includes('loud'), 'loud to be the dominant speaker');
    await until(() => frames(viewer.peer, 'loud') > 5, 'viewer to decode the speaker');
    await new Promise((r) => setTimeout(r, 500));
    const quietFrames = frames(viewer.peer, 'quiet');
    await new Promise((r) => setTimeout(r, 1000));
    expect(frames(viewer.peer, 'quiet') - quietFrames).toBeLessThanOrEqual(1);
    // Audio from both keeps flowing.
    const audio = (await viewer.peer.inboundRtp()).filter((s) => s.kind === 'audio' && s.packetsReceived > 0);
    expect(audio).toHaveLength(2);
    // Pinning brings the quiet one's video back.
    viewer.session.signal({ videoConstraints: { tiles: [], pinned: ['quiet'] } });
    await until(() => frames(viewer.peer, 'quiet') > quietFrames + 5, "the pinned participant's video");
  });
});
