import { PUBLISH_MIDS } from '@conclave/protocol';
import { startTestServer, type TestServer, until } from '@conclave/testkit';
import { WrtcConference, type WrtcConferenceOptions } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';

/*
 * The SFU behind the real signalling server: three participants running the real client
 * (Conference on @roamhq/wrtc) negotiate with the engine over `mediaSignal`. Run inside a
 * loopback-only namespace (docs/sfu.md).
 */

/* Everything a test starts is closed when that attempt ends: a retry starts from nothing. */

async function serverForTest(config?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(config);
  onTestFinished(() => server.close());
  return server;
}

async function participant(
  server: TestServer,
  room: string,
  options?: WrtcConferenceOptions,
): Promise<WrtcConference> {
  const p = await WrtcConference.join(server, room, options);
  onTestFinished(() => p.close());
  return p;
}

const videosFrom = (p: WrtcConference) =>
  new Set(p.received.filter((r) => r.kind === 'video' && r.frames > 0).map((r) => r.participantId));

describe('SFU mode over the signalling server', () => {
  it('a third join switches the meeting to SFU and everyone decodes everyone; metrics count it', async () => {
    const server = await serverForTest({ p2p: { enabled: true }, metrics: { enabled: true, port: 0 } });
    const a = await participant(server, 'GraniteOwlsDriftSlowly');
    const b = await participant(server, 'GraniteOwlsDriftSlowly');
    const c = await participant(server, 'GraniteOwlsDriftSlowly');
    // `joined` carries the mode before the newcomer counted; the switch follows.
    await until(() => c.conference.mediaMode === 'sfu', 'the switch to SFU');
    expect(c.conference.mediaMode).toBe('sfu');
    for (const [me, others] of [
      [a, [b, c]],
      [b, [a, c]],
      [c, [a, b]],
    ] as const) {
      await until(() => others.every((o) => videosFrom(me).has(o.id)), 'decoded video from both others');
    }
    const metrics = await (await fetch(server.metricsUrl ?? '')).text();
    expect(metrics).toMatch(/conclave_sfu_sessions 3/);
    expect(metrics).toMatch(/conclave_sfu_rtp_forwarded_total [1-9]/);
  });

  it('garbage from one participant costs only that participant its session', async () => {
    const server = await serverForTest({ metrics: { enabled: true, port: 0 } });
    const a = await participant(server, 'MossyBridgesHoldFirm');
    const b = await participant(server, 'MossyBridgesHoldFirm');
    const c = await participant(server, 'MossyBridgesHoldFirm');
    // Each publisher's video reaches the others on its own schedule (simulcast layers are declared
    // after connecting): wait for what the rest of the test relies on.
    await until(() => videosFrom(a).size === 2 && videosFrom(b).has(a.id), 'a decodes both, b decodes a');
    // c sends, on its connection, an answer the engine cannot parse and a nonsense candidate.
    c.sendRaw(JSON.stringify({ type: 'mediaSignal', description: { type: 'answer', sdp: 'v=0 garbage' } }));
    c.sendRaw(
      JSON.stringify({
        type: 'mediaSignal',
        candidate: { candidate: 'candidate:nonsense', sdpMid: PUBLISH_MIDS.audio },
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(server.rooms.participantCount).toBe(3);
    const before = videosFrom(b);
    expect(before.has(a.id)).toBe(true);
    // a and b still exchange media.
    const frames = () => b.framesFrom(a.id);
    const start = frames();
    await until(() => frames() > start + 10, 'b keeps decoding a');
    const metrics = await (await fetch(server.metricsUrl ?? '')).text();
    expect(metrics).toMatch(/conclave_sfu_sessions_failed_total [1-9]/);
  });

  it('a publisher that never reports its simulcast layers gets a one-layer session, and everyone sees everyone', async () => {
    // As on a loaded machine where the layers' SSRCs come too late: the engine gives up waiting,
    // the room opens a new session without simulcast, and the client must follow it onto a new
    // PeerConnection (`mediaMode: sfu`), as the real client here does (a stand-in of the client
    // that kept its old one stayed unseen: "1,2,1").
    const server = await serverForTest();
    const room = 'QuietLayersFallBack';
    const a = await participant(server, room);
    const b = await participant(server, room, { reportLayers: false });
    const c = await participant(server, room);
    const sees = (me: WrtcConference, others: WrtcConference[]) =>
      others.every((o) => videosFrom(me).has(o.id));
    await until(
      () => sees(a, [b, c]) && sees(b, [a, c]) && sees(c, [a, b]),
      'everyone to decode both others',
      60_000,
    );
    expect(server.logs.some((l) => l.includes('sfu.simulcast_unreported'))).toBe(true);
    expect(server.logs.some((l) => l.includes('room.media_reopened'))).toBe(true);
  }, 90_000);

  it('many join/leave cycles leave no session behind', async () => {
    const server = await serverForTest();
    const a = await participant(server, 'SteadyLanternsGlowOn');
    const b = await participant(server, 'SteadyLanternsGlowOn');
    for (let i = 0; i < 5; i++) {
      const c = await participant(server, 'SteadyLanternsGlowOn');
      await until(() => server.media?.stats().sessions === 3, 'three sessions');
      c.disconnect();
      await until(() => server.rooms.participantCount === 2, 'c gone');
    }
    a.disconnect();
    b.disconnect();
    await until(() => server.rooms.roomCount === 0, 'room closed');
    await until(() => server.media?.stats().sessions === 0, 'no sessions', 15_000);
  }, 60_000);
});
