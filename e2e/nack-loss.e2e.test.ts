import {
  addIptablesRule,
  eventually,
  iptables,
  requireLoopbackNamespace,
  startTestServer,
  type TestServer,
} from '@conclave/testkit';
import { type Browser, launchChromium, mediaStats, type Page, pathDetails } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * NACK recovery under injected loss: an iptables rule inside the tests' network namespace drops 3 %
 * of the UDP packets the SFU sends, or of those sent to it (matched by its media port, so parallel
 * test files are not touched). Downstream, Chromium subscribers NACK the holes and the SFU answers
 * from its packet cache; upstream, the SFU NACKs the publisher itself. Either way video keeps
 * being decoded and the loss that remains is far below the loss injected. And a participant whose
 * path to the SFU is cut entirely (all of its socket's packets dropped, as when a laptop changes
 * network) asks for a new session and gets its media back. The rules exist only in this namespace
 * (the test refuses to run where any interface but loopback exists) and are deleted at teardown.
 */

const LOSS = 0.03;

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  requireLoopbackNamespace('add an iptables rule');
  server = await startTestServer(
    // Two participants through the SFU.
    { p2p: { enabled: false } },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page in a browser context of its own, closed when the test (or this attempt of it) ends. */
async function openMeeting(room: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`, { timeout: 60_000 });
  return page;
}

async function video(page: Page) {
  const d = await pathDetails(page);
  const v = d.inboundVideo.filter((x) => x.packetsReceived > 0);
  const sum = (k: 'framesDecoded' | 'nackCount' | 'packetsLost' | 'packetsReceived') =>
    v.reduce((n, x) => n + x[k], 0);
  return {
    frames: sum('framesDecoded'),
    nacks: sum('nackCount'),
    lost: sum('packetsLost'),
    received: sum('packetsReceived'),
  };
}

interface Sample {
  ann: Awaited<ReturnType<typeof video>>;
  ben: Awaited<ReturnType<typeof video>>;
  /** What Ann's and Ben's video senders were asked to retransmit, and did. */
  sent: { nacks: number; retransmitted: number };
  sfu: ReturnType<NonNullable<TestServer['media']>['stats']> | undefined;
}

async function sample(ann: Page, ben: Page): Promise<Sample> {
  const sent = { nacks: 0, retransmitted: 0 };
  for (const page of [ann, ben]) {
    for (const o of (await pathDetails(page)).outboundVideo) {
      sent.nacks += o.nackCount;
      sent.retransmitted += o.retransmittedPacketsSent;
    }
  }
  return { ann: await video(ann), ben: await video(ben), sent, sfu: server.media?.stats() };
}

/**
 * Ann and Ben in `room` through the SFU; then for 12 s an iptables rule drops LOSS of the UDP
 * packets that arrive from the SFU's media port (`--sport`, its downstream) or at it (`--dport`,
 * the publishers' upstream). Returns the change in each side's counters and what the rule dropped, and
 * checks that video kept being decoded with far less loss left than was injected.
 */
async function underLoss(room: string, match: '--sport' | '--dport') {
  const mediaPort = (server.media as unknown as { port: number }).port;
  const ann = await openMeeting(room, 'Ann');
  const ben = await openMeeting(room, 'Ben');
  for (const page of [ann, ben]) {
    await eventually(
      async () => ((await mediaStats(page)).video.some((v) => v.framesDecoded > 10) ? true : undefined),
      'video through the SFU',
      60_000,
    );
  }
  const rule = addIptablesRule([
    // INPUT, not OUTPUT: a packet dropped on its way out fails the sender's sendto() with EPERM,
    // and Chromium then sends it again, so upstream "loss" in OUTPUT was never loss at all.
    'INPUT',
    ...['-i', 'lo', '-p', 'udp', match, String(mediaPort)],
    ...['-m', 'statistic', '--mode', 'random', '--probability', String(LOSS)],
    ...['-m', 'comment', '--comment', `conclave-e2e-${process.pid}`],
    '-j',
    'DROP',
  ]);
  // Removed at the latest when this attempt ends, so that a retry never runs under the old rule.
  onTestFinished(() => rule.remove());
  const before = await sample(ann, ben);
  await new Promise((r) => setTimeout(r, 12_000));
  const after = await sample(ann, ben);
  const dropped = Number(
    /^\s*(\d+)/m.exec(
      iptables('-L', 'INPUT', '-v', '-n', '-x')
        .split('\n')
        .find((l) => l.includes(`conclave-e2e-${process.pid}`)) ?? '',
    )?.[1] ?? 0,
  );
  rule.remove();

  for (const who of ['ann', 'ben'] as const) {
    const d = {
      frames: after[who].frames - before[who].frames,
      nacks: after[who].nacks - before[who].nacks,
      lost: after[who].lost - before[who].lost,
      received: after[who].received - before[who].received,
    };
    const residual = d.lost / Math.max(1, d.received + d.lost);
    console.log(
      `[nack ${match}] ${who}: ${d.frames} frames decoded, ${d.nacks} NACKs sent, ${d.received} video packets received, ${d.lost} lost after recovery (${(residual * 100).toFixed(2)} %)`,
    );
    expect(d.frames).toBeGreaterThan(0);
    // Recovery: what stays lost is well below what was dropped.
    expect(residual).toBeLessThan(LOSS / 2);
  }
  const delta = (k: 'retransmitted' | 'nacksReceived' | 'nacksSent') =>
    (after.sfu?.[k] ?? 0) - (before.sfu?.[k] ?? 0);
  const result = {
    dropped,
    subscriberNacks: after.ann.nacks - before.ann.nacks + after.ben.nacks - before.ben.nacks,
    sfu: {
      retransmitted: delta('retransmitted'),
      nacked: delta('nacksReceived'),
      nackedUpstream: delta('nacksSent'),
    },
    publishers: {
      nacked: after.sent.nacks - before.sent.nacks,
      retransmitted: after.sent.retransmitted - before.sent.retransmitted,
    },
  };
  console.log(`[nack ${match}] ${JSON.stringify(result)}`);
  expect(dropped).toBeGreaterThan(0);
  await ann.close();
  await ben.close();
  return result;
}

describe('NACK recovery under injected loss', () => {
  it('3 % loss on the SFU’s downstream: subscribers NACK, the SFU retransmits from its cache, video keeps decoding', async () => {
    const r = await underLoss('LeakyBucketsStillCarry', '--sport');
    expect(r.subscriberNacks).toBeGreaterThan(0);
    expect(r.sfu.retransmitted).toBeGreaterThan(0);
  }, 180_000);

  it('3 % loss on the publishers’ upstream: the SFU NACKs the publisher, which retransmits, and the subscribers get the packets', async () => {
    const r = await underLoss('LeakyPipesStillFlow', '--dport');
    // The SFU noticed the holes and asked; the publishers' senders counted those NACKs and resent.
    expect(r.sfu.nackedUpstream).toBeGreaterThan(0);
    expect(r.publishers.nacked).toBeGreaterThan(0);
    expect(r.publishers.retransmitted).toBeGreaterThan(0);
  }, 180_000);
});

describe('a participant cut off from the SFU', () => {
  it('asks for a new session when its path stays disconnected, and sees and is seen again long before consent would expire', async () => {
    const mediaPort = (server.media as unknown as { port: number }).port;
    const ann = await openMeeting('SeveredCablesMendQuickly', 'Ann');
    const ben = await openMeeting('SeveredCablesMendQuickly', 'Ben');
    const decoding = (page: Page) =>
      eventually(
        async () => {
          const before = (await video(page)).frames;
          await new Promise((r) => setTimeout(r, 500));
          return (await video(page)).frames > before ? true : undefined;
        },
        'video decoding through the SFU',
        60_000,
      );
    for (const page of [ann, ben]) await decoding(page);
    const oldPort = (await mediaStats(ben)).pair?.local.port;
    expect(oldPort).toBeGreaterThan(0);
    // Every packet between Ben's socket and the SFU is dropped from now on.
    for (const match of ['--sport', '--dport']) {
      const cut = addIptablesRule(['INPUT', '-i', 'lo', '-p', 'udp', match, String(oldPort), '-j', 'DROP']);
      onTestFinished(() => cut.remove());
    }
    const cutAt = Date.now();
    const reopened = () => server.logs.filter((l) => l.includes('room.media_reopened')).length;
    await eventually(async () => (reopened() > 0 ? true : undefined), 'a new session for Ben', 25_000);
    for (const page of [ann, ben]) await decoding(page);
    const recovered = Date.now() - cutAt;
    console.log(`[cut] media back both ways ${recovered} ms after the cut`);
    // The engine alone would notice only when consent expires (30 s).
    expect(recovered).toBeLessThan(30_000);
    const newPort = (await mediaStats(ben)).pair?.local.port;
    expect(newPort).not.toBe(oldPort);
    expect((await mediaStats(ben)).pair?.remote.port).toBe(mediaPort);
    await ann.close();
    await ben.close();
  }, 120_000);
});
