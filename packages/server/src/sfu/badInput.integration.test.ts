import { PUBLISH_MIDS } from '@conclave/protocol';
import { startTestServer, TestClient, type TestServer, until } from '@conclave/testkit';
import { WrtcConference } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';

/*
 * Bad input at the media level (issue 3, "Bad input"): a participant whose SFU PeerConnection never
 * completes ICE/DTLS, or who sends negotiation garbage, costs only itself — nothing crashes, the
 * others keep their media, the failed server PeerConnection is cleaned up, over many cycles.
 * Complements sfu.signaling.integration.test.ts. Run inside a loopback-only namespace (docs/sfu.md).
 */

/* Everything a test starts is closed when that attempt ends: a retry starts from nothing. */

async function serverForTest(config?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(config);
  onTestFinished(() => server.close());
  return server;
}

/** A participant running the real client (Conference on @roamhq/wrtc). */
async function participant(server: TestServer, room: string): Promise<WrtcConference> {
  const p = await WrtcConference.join(server, room);
  onTestFinished(() => p.close());
  return p;
}

/** A participant that joins but whose media never connects (it never answers the engine). */
async function silent(server: TestServer, room: string) {
  const { client, joined } = await TestClient.join(server, room);
  onTestFinished(() => client.close());
  return { client, joined };
}

async function keepsDecoding(p: WrtcConference, from: string, what: string) {
  const start = p.framesFrom(from);
  await until(() => p.framesFrom(from) > start + 10, what);
}

const metric = async (server: TestServer, name: string) => {
  const text = await (await fetch(server.metricsUrl ?? '')).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
};

describe('bad input at the media level', () => {
  it('a participant that never completes ICE/DTLS is dropped at the connect timeout; the others keep their media', async () => {
    const server = await serverForTest({
      p2p: { enabled: false },
      media: { connectTimeoutSeconds: 2 },
      metrics: { enabled: true, port: 0 },
    });
    const room = 'IdleGatesSwingShut';
    const a = await participant(server, room);
    const b = await participant(server, room);
    await until(() => a.framesFrom(b.id) > 0, 'a decodes b');
    // Many joiners whose PeerConnection never connects: each server session is closed at the timeout.
    const idle = [];
    for (let i = 0; i < 4; i++) idle.push(await silent(server, room));
    await until(() => server.media?.stats().sessions === 6, 'six sessions');
    await until(() => server.media?.stats().sessions === 2, 'the idle sessions closed', 15_000);
    expect(await metric(server, 'conclave_sfu_sessions')).toBe(2);
    // Nothing crashed: the connected pair still exchanges media, the idle ones are still signalling.
    await keepsDecoding(a, b.id, 'a keeps decoding b');
    await keepsDecoding(b, a.id, 'b keeps decoding a');
    for (const s of idle) expect(s.client.closeCode).toBeUndefined();
    // A late answer to a session that is gone is ignored.
    idle[0]?.client.send({ type: 'mediaSignal', description: { type: 'answer', sdp: 'v=0\r\n' } });
    for (const s of idle) s.client.close();
    a.disconnect();
    b.disconnect();
    await until(() => server.rooms.roomCount === 0, 'room closed');
    await until(() => server.media?.stats().sessions === 0, 'no sessions');
  }, 60_000);

  it('negotiation garbage — bad SDP, offers, bad candidates, floods, oversized frames — costs only its sender', async () => {
    const server = await serverForTest({ p2p: { enabled: false }, metrics: { enabled: true, port: 0 } });
    const room = 'MuddyRiversRunClear';
    const a = await participant(server, room);
    const b = await participant(server, room);
    const { client: bad, joined } = await silent(server, room);
    await bad.next('mediaSignal'); // the engine's offer, never answered properly
    await until(() => a.framesFrom(b.id) > 0, 'a decodes b');
    const garbage = [
      { description: { type: 'offer' as const, sdp: 'v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\n' } },
      {
        description: {
          type: 'answer' as const,
          sdp: `v=0\r\n${'m=video 9 UDP/TLS/RTP/SAVPF 96\r\n'.repeat(200)}`,
        },
      },
      { description: { type: 'answer' as const, sdp: '\u0000\u0001\u0002' } },
      {
        candidate: {
          candidate: 'candidate:1 1 udp 1 999.999.999.999 0 typ host',
          sdpMid: PUBLISH_MIDS.video,
        },
      },
      { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', sdpMid: 'no-such-mid' } },
      { candidate: { candidate: '', sdpMid: null } },
    ];
    for (const g of garbage) bad.send({ type: 'mediaSignal', ...g });
    // A flood of candidates: rate-limited, then the connection is closed for abuse (close code 4008).
    for (let i = 0; i < 400; i++) {
      bad.send({
        type: 'mediaSignal',
        candidate: {
          candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${i} typ host`,
          sdpMid: PUBLISH_MIDS.audio,
        },
      });
    }
    // And a frame larger than limits.maxMessageBytes.
    bad.sendRaw(
      JSON.stringify({ type: 'mediaSignal', description: { type: 'answer', sdp: 'x'.repeat(70_000) } }),
    );
    await until(() => bad.closeCode !== undefined, 'the abusive connection to be closed');
    await until(() => server.rooms.participantCount === 2, 'the abuser gone from the room');
    expect(server.rooms.participantCount).toBe(2);
    await keepsDecoding(a, b.id, 'a keeps decoding b');
    await keepsDecoding(b, a.id, 'b keeps decoding a');
    await until(() => server.media?.stats().sessions === 2, 'the abuser’s session closed');
    expect(joined.self.id).not.toBe(a.id);
  }, 60_000);
});
