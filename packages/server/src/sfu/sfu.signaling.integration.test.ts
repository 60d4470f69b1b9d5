import { afterEach, describe, expect, it } from 'vitest';
import { joinWithWrtc, type WrtcParticipant } from '../../../../bench/lib/wrtcParticipant.js';
import type { WrtcPeer } from '../../../../bench/lib/wrtcPeer.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { until } from '../testing/until.js';

/*
 * The SFU behind the real signalling server: three @roamhq/wrtc participants negotiate with the
 * engine over `mediaSignal`. Run inside a loopback-only namespace (docs/sfu.md).
 */

let server: TestServer;
const participants: WrtcParticipant[] = [];

afterEach(async () => {
  for (const p of participants.splice(0)) p.close();
  await server?.close();
});

async function participant(room: string): Promise<WrtcParticipant> {
  const p = await joinWithWrtc(server, room);
  participants.push(p);
  return p;
}

const videosFrom = (peer: WrtcPeer) =>
  new Set(peer.received.filter((r) => r.kind === 'video' && r.frames > 0).map((r) => r.participantId));

describe('SFU mode over the signalling server', () => {
  it('a third join switches the meeting to SFU and everyone decodes everyone; metrics count it', async () => {
    server = await startTestServer({ p2p: { enabled: true }, metrics: { enabled: true, port: 0 } });
    const a = await participant('GraniteOwlsDriftSlowly');
    const b = await participant('GraniteOwlsDriftSlowly');
    const c = await participant('GraniteOwlsDriftSlowly');
    // `joined` carries the mode before the newcomer counted; the switch follows.
    expect((await c.client.next('mediaMode')).mode).toBe('sfu');
    for (const [me, others] of [
      [a, [b, c]],
      [b, [a, c]],
      [c, [a, b]],
    ] as const) {
      await until(
        () => others.every((o) => videosFrom(me.peer).has(o.joined.self.id)),
        'decoded video from both others',
      );
    }
    const metrics = await (await fetch(server.metricsUrl ?? '')).text();
    expect(metrics).toMatch(/conclave_sfu_sessions 3/);
    expect(metrics).toMatch(/conclave_sfu_rtp_forwarded_total [1-9]/);
  });

  it('garbage from one participant costs only that participant its session', async () => {
    server = await startTestServer({ metrics: { enabled: true, port: 0 } });
    const a = await participant('MossyBridgesHoldFirm');
    const b = await participant('MossyBridgesHoldFirm');
    const c = await participant('MossyBridgesHoldFirm');
    // Each publisher's video reaches the others on its own schedule (simulcast layers are declared
    // after connecting): wait for what the rest of the test relies on.
    await until(
      () => videosFrom(a.peer).size === 2 && videosFrom(b.peer).has(a.joined.self.id),
      'a decodes both, b decodes a',
    );
    // c stops answering like a browser and sends an answer the engine cannot parse.
    c.stop();
    c.client.send({ type: 'mediaSignal', description: { type: 'answer', sdp: 'v=0 garbage' } });
    c.client.send({ type: 'mediaSignal', candidate: { candidate: 'candidate:nonsense', sdpMid: 'pa' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(server.rooms.participantCount).toBe(3);
    const before = videosFrom(b.peer);
    expect(before.has(a.joined.self.id)).toBe(true);
    // a and b still exchange media.
    const frames = () =>
      b.peer.received.filter((r) => r.participantId === a.joined.self.id).reduce((n, r) => n + r.frames, 0);
    const start = frames();
    await until(() => frames() > start + 10, 'b keeps decoding a');
    const metrics = await (await fetch(server.metricsUrl ?? '')).text();
    expect(metrics).toMatch(/conclave_sfu_sessions_failed_total [1-9]/);
  });

  it('many join/leave cycles leave no session behind', async () => {
    server = await startTestServer({ metrics: { enabled: true, port: 0 } });
    const a = await participant('SteadyLanternsGlowOn');
    const b = await participant('SteadyLanternsGlowOn');
    for (let i = 0; i < 5; i++) {
      const c = await participant('SteadyLanternsGlowOn');
      await until(() => server.media?.stats().sessions === 3, 'three sessions');
      c.client.close();
      c.peer.close();
      await until(() => server.rooms.participantCount === 2, 'c gone');
    }
    a.client.close();
    b.client.close();
    await until(() => server.rooms.roomCount === 0, 'room closed');
    await until(() => server.media?.stats().sessions === 0, 'no sessions', 15_000);
  }, 60_000);
});
