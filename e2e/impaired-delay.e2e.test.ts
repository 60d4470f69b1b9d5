import {
  addIptablesRule,
  type IptablesRule,
  requireLoopbackNamespace,
  startTestServer,
  startUdpDelayRelay,
  type TestServer,
  type UdpDelayRelay,
} from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  describeWatch,
  impair,
  OBSERVE_MS,
  startImpairedMeeting,
  watchImpaired,
} from './support/impairedMeeting.js';

/*
 * e2e/impaired-network's meeting on a path with 150 ms of round-trip time (issue 16, part 4):
 * through the SFU, Ann publishes a simulcast camera and Ben and Cyd watch it in big tiles, so both
 * start on a high layer. The delay is there from the start, as on a user's long path. Then, all at
 * once, 3 % of the UDP packets to and from the SFU are dropped (iptables `statistic`), and Cyd's
 * downlink alone is capped at 400 kbit/s (an HTB class on lo for his port, with a short queue).
 * Cyd's bandwidth estimate falls, the SFU gives him a lower layer and he keeps decoding; Ben keeps
 * decoding and ends on his layer; every page's ICE round-trip time shows the delay; freezes
 * (> 500 ms between presented frames) are counted and printed.
 *
 * Until 2026-12-05 the delay came at once with the loss, a 150-ms step in the middle of the call,
 * which a delay-based estimate (Chromium's REMB) reads as a queue filling: Ben was moved down in
 * 11 of 18 runs, three times still in the last 6 s, and the file did not judge his layer. From the
 * start, the delay cost him his layer in none of the runs measured (BENCHMARKS.md, "The step, not
 * the round trip").
 *
 * The kernel here has no sch_netem, so the delay is a userspace relay (testkit's UDP delay relay)
 * in the media path: the SFU binds 127.0.0.1 and announces 127.0.0.2 (`media.announcedAddress`,
 * the option of a server behind NAT), where the relay listens on the SFU's port; the relay
 * forwards from 127.0.0.3, one socket per browser, which the SFU knows as peer-reflexive
 * candidates. Two iptables rules keep the SFU and the browsers from finding the direct path around
 * the relay (the SFU also checks the browsers' host candidates), and the test asserts that every
 * page's selected pair goes through the relay.
 */

const ONE_WAY_DELAY_MS = 75;
/** Where the SFU binds, where it says it is (the relay), and where the relay forwards from. */
const SFU_HOST = '127.0.0.1';
const RELAY_HOST = '127.0.0.2';
const UPSTREAM_HOST = '127.0.0.3';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  requireLoopbackNamespace('shape, delay and drop traffic');
  server = await startTestServer(
    {
      p2p: { enabled: false },
      media: { simulcast: true, bindAddress: SFU_HOST, announcedAddress: RELAY_HOST },
    },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * The relay in front of the SFU's media port, at no delay yet, for this attempt (its sockets, one
 * per browser, are the attempt's own), and the rules that keep the media from going around it.
 */
async function relayInFront(mediaPort: number): Promise<UdpDelayRelay> {
  const relay = await startUdpDelayRelay({
    listen: { address: RELAY_HOST, port: mediaPort },
    target: { address: SFU_HOST, port: mediaPort },
    upstreamAddress: UPSTREAM_HOST,
    delayMs: ONE_WAY_DELAY_MS,
  });
  const comment = ['-m', 'comment', '--comment', `conclave-e2e-${process.pid}`];
  const guards: IptablesRule[] = [];
  onTestFinished(async () => {
    for (const rule of guards) rule.remove();
    await relay.close();
  });
  // Only the relay talks to the SFU's real address.
  for (const match of [
    ['-s', SFU_HOST, '--sport', String(mediaPort), '!', '-d', UPSTREAM_HOST],
    ['-d', SFU_HOST, '--dport', String(mediaPort), '!', '-s', UPSTREAM_HOST],
  ]) {
    guards.push(addIptablesRule(['INPUT', '-i', 'lo', '-p', 'udp', ...match, ...comment, '-j', 'DROP']));
  }
  return relay;
}

/** The page's selected ICE pair's remote end, and its round-trip times so far (s). */
async function iceRtt(
  page: Page,
): Promise<{ remote: string; current: number; total: number; responses: number }> {
  return page.evaluate(async () => {
    const report = await globalThis.conclave?.conference?.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    report?.forEach((s: Record<string, unknown>) => {
      byId.set(String(s.id), s);
    });
    for (const s of byId.values()) {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
      const pair = byId.get(String(s.selectedCandidatePairId)) ?? {};
      const remote = byId.get(String(pair.remoteCandidateId)) ?? {};
      return {
        remote: `${String(remote.address ?? remote.ip)}:${Number(remote.port)}`,
        current: Number(pair.currentRoundTripTime ?? 0),
        total: Number(pair.totalRoundTripTime ?? 0),
        responses: Number(pair.responsesReceived ?? 0),
      };
    }
    return { remote: '', current: 0, total: 0, responses: 0 };
  });
}

describe('an impaired network in Chromium', () => {
  it('over 150 ms RTT, under 3 % loss, the viewer capped at 400 kbit/s drops to a lower layer within 5 s and keeps decoding; the other keeps decoding and his layer', async () => {
    const mediaPort = (server.media as unknown as { port: number }).port;
    const relay = await relayInFront(mediaPort);
    const meeting = await startImpairedMeeting(browser, server, 'DelayedHarborLinks');
    const { ann, ben, cyd, before } = meeting;

    // Every page's media goes through the relay (and nowhere else: the guard rules), delayed.
    const rttBefore = {
      ann: await iceRtt(ann),
      ben: await iceRtt(ben),
      cyd: await iceRtt(cyd),
    };
    for (const who of ['ann', 'ben', 'cyd'] as const) {
      expect(rttBefore[who].remote, `${who}'s selected pair`).toBe(`${RELAY_HOST}:${mediaPort}`);
      expect(rttBefore[who].current, `${who}'s ICE round-trip time (s)`).toBeGreaterThanOrEqual(0.14);
    }

    // Loss on the browsers' side of the relay only (the relay's own leg to the SFU would double it).
    const cap = impair(meeting, [
      ['-d', RELAY_HOST, '--dport', String(mediaPort)],
      ['-s', RELAY_HOST, '--sport', String(mediaPort)],
    ]);
    const sfuBefore = server.media?.stats();
    const impairedAt = Date.now();
    const watch = await watchImpaired(meeting, impairedAt);
    const { samples, start, last } = watch;

    const rtt = { ann: await iceRtt(ann), ben: await iceRtt(ben), cyd: await iceRtt(cyd) };
    const rttFigures = (['ann', 'ben', 'cyd'] as const).map((who) => {
      const responses = rtt[who].responses - rttBefore[who].responses;
      const mean = responses > 0 ? (rtt[who].total - rttBefore[who].total) / responses : 0;
      return `${who} ${Math.round(rtt[who].current * 1000)} ms (mean of ${responses} checks ${Math.round(mean * 1000)} ms)`;
    });
    const relayed = relay.stats();
    const sfuNow = server.media?.stats();
    const sfu = (
      key:
        | 'rtpReceived'
        | 'nacksSent'
        | 'upstreamLost'
        | 'nacksReceived'
        | 'retransmitted'
        | 'nackMisses'
        | 'keyframeRequests',
    ) => (sfuNow?.[key] ?? 0) - (sfuBefore?.[key] ?? 0);
    console.log(
      `[impaired] ${describeWatch(meeting, watch, cap, impairedAt)}; ` +
        `ICE RTT now: ${rttFigures.join(', ')}; ` +
        `SFU while impaired: RTP in ${sfu('rtpReceived')}, NACKed upstream ${sfu('nacksSent')} (never came ${sfu('upstreamLost')}), NACKed by viewers ${sfu('nacksReceived')}, retransmitted ${sfu('retransmitted')}, cache misses ${sfu('nackMisses')}, keyframe requests ${sfu('keyframeRequests')}; ` +
        `relay forwarded up ${relayed.up.forwarded} / down ${relayed.down.forwarded}, queue drops ${relayed.up.dropped + relayed.down.dropped}, socket errors ${relayed.socketErrors}, released after due: mean ${((relayed.up.totalLateMs + relayed.down.totalLateMs) / (relayed.up.forwarded + relayed.down.forwarded)).toFixed(1)} ms, max ${Math.round(Math.max(relayed.up.maxLateMs, relayed.down.maxLateMs))} ms`,
    );

    // The delay is real: every page's last ICE check took at least 140 ms there and back, on the
    // pair through the relay.
    for (const who of ['ann', 'ben', 'cyd'] as const) {
      expect(rtt[who].remote, `${who}'s selected pair`).toBe(`${RELAY_HOST}:${mediaPort}`);
      expect(rtt[who].current, `${who}'s ICE round-trip time (s)`).toBeGreaterThanOrEqual(0.14);
    }

    // The cap really was the bottleneck, and the SFU moved Cyd under it.
    expect(cap.counters().sentPackets).toBeGreaterThan(0);
    // Cyd keeps decoding, never back on his old layer while capped. A probe up a layer may still
    // freeze him for a few seconds (counted above, BENCHMARKS.md); the whole window may not.
    expect(last.cyd.frames - start.cyd.frames).toBeGreaterThan((last.ben.frames - start.ben.frames) / 2);
    expect(samples.every((s) => s.cyd > 0 && s.cyd < before.cyd)).toBe(true);
    // Ben, uncapped, keeps decoding and ends on the layer he had.
    expect(samples.every((s) => s.ben > 0)).toBe(true);
    expect(samples.slice(-3).every((s) => s.ben >= before.ben)).toBe(true);
    expect(last.ben.frames - start.ben.frames).toBeGreaterThan((OBSERVE_MS / 1000) * 10);
    // Freezes (> 500 ms) are counted and reported (BENCHMARKS.md), not judged here: on this
    // 2-core machine their rate depends on the load as much as on the network.
  }, 240_000);
});
