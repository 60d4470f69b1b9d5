import { until } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { VP8_PT } from './codecs.js';
import type { MediaRouter, MediaSignal } from './MediaEngine.js';
import { NdcEngine } from './NdcEngine.js';
import type { PeerSession } from './PeerSession.js';
import { rtpPacket } from './rtp.js';

/*
 * The send height the router tells a simulcast publisher (`mediaSignal.maxSendHeight`) while the
 * publisher has paused layers. The publisher's side is played by the test through the session's
 * real entry points: its layer reports as signals, its RTP (VP8 packets as Chromium sends them,
 * extensions aside) into the session's video publication; a paused layer is one whose SSRC sends
 * nothing. The sessions' PeerConnections are real (node-datachannel on 127.0.0.1) but never
 * connect: the send height does not need them to. Run inside the tests' loopback-only namespace.
 */

const log = createLogger({ level: 'silent' });
let engine: NdcEngine | undefined;

afterEach(() => {
  engine?.close();
  engine = undefined;
});

const LAYERS = { l: 0x1111, m: 0x2222, h: 0x3333 };

/** One VP8 RTP packet (an interframe, start of partition 0) of the layer with SSRC `ssrc`. */
function vp8Packet(ssrc: number, sequence: number): Buffer {
  return rtpPacket(
    { payloadType: VP8_PT, sequence, timestamp: sequence * 3000, ssrc },
    Uint8Array.of(0x10, 0x01),
  );
}

function open(router: MediaRouter, id: string) {
  const signals: MediaSignal[] = [];
  const session = router.openSession(id, { signal: (s) => signals.push(s), closed: () => {} }) as PeerSession;
  const heights = () => signals.flatMap((s) => (s.maxSendHeight === undefined ? [] : [s.maxSendHeight]));
  let sequence = 0;
  const send = (...ssrcs: number[]) => {
    for (const ssrc of ssrcs) session.publications.video.receive(vp8Packet(ssrc, ++sequence));
  };
  return { session, heights, send };
}

type Participant = ReturnType<typeof open>;

/** `viewer` shows Pia's video `height` pixels tall. */
function shows(viewer: Participant, height: number): void {
  viewer.session.signal({ videoConstraints: { tiles: [{ participantId: 'pia', height }] } });
}

/** Pia's client reports these of her simulcast layers. */
function declares(pia: Participant, ...rids: (keyof typeof LAYERS)[]): void {
  pia.session.signal({ simulcast: rids.map((rid) => ({ rid, ssrc: LAYERS[rid] })) });
}

/** An engine with Pia, who publishes simulcast, and Sam, who watches her. */
async function piaAndSam() {
  engine = await NdcEngine.start(
    {
      port: 0,
      bindAddress: '127.0.0.1',
      announcedAddress: '',
      maxVideoBitrate: 1_000_000,
      connectTimeoutMs: 60_000,
      simulcast: true,
    },
    log,
  );
  const router = engine.createRouter({ dominantSpeaker: () => {} });
  return { router, pia: open(router, 'pia'), sam: open(router, 'sam') };
}

describe('send heights for simulcast publishers', () => {
  it('a publisher whose upper layers are paused is still told when someone shows its video taller', async () => {
    const { pia, sam } = await piaAndSam();

    // Pia's client reports its layers as their stats appear: first two, then all three (in Chromium
    // 156 the top layer's stats came a 100 ms poll late in about 3 runs in 10). Sam shows her small.
    declares(pia, 'l', 'm');
    pia.send(LAYERS.l, LAYERS.m);
    shows(sam, 119);
    await until(() => pia.heights().includes(119), 'pia to be told 119');

    // She pauses every layer above the lowest; then her third layer is reported.
    declares(pia, 'l', 'm', 'h');
    pia.send(LAYERS.l);
    pia.send(LAYERS.l);

    // Sam's tile grows: Pia must hear of it, or her paused layers never resume.
    shows(sam, 386);
    await until(() => pia.heights().includes(386), 'pia to be told 386', 5000);
    expect(pia.heights()).toEqual([119, 386]);
  });

  it('a joiner raises no send height before it has connected or said what it shows', async () => {
    const { router, pia, sam } = await piaAndSam();
    declares(pia, 'l', 'm', 'h');
    pia.send(LAYERS.l, LAYERS.m);
    shows(sam, 119);
    expect(pia.heights()).toEqual([119]);

    // Tom joins: his session never connects here and he has not reported his tiles. Any viewer's
    // report recomputes every send height at once (no timer): Tom must not count at the best
    // layer's height, or Pia resumes her top layer only to pause it when his report comes.
    const tom = open(router, 'tom');
    shows(sam, 119);
    expect(pia.heights()).toEqual([119]);

    // Once he says what he shows, it counts.
    shows(tom, 386);
    expect(pia.heights()).toEqual([119, 386]);
  });
});
