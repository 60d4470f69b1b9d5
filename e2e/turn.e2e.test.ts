import { eventually, startTestServer } from '@conclave/testkit';
import { type Browser, launchChromium, mediaStats, type Page, pathDetails } from '@conclave/testkit/browser';
import { startTurnServer, type TurnServer } from '@conclave/testkit/standins';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * TURN through Debian's real coturn, started by the test on 127.0.0.1 with a random shared secret.
 * The Conclave server hands each participant short-lived TURN REST API credentials; pages opened
 * with `#relay=1` use `iceTransportPolicy: 'relay'`, so their media can only flow through coturn.
 * Runs inside the tests' loopback-only network namespace.
 */

let turn: TurnServer;
let browser: Browser;

beforeAll(async () => {
  turn = await startTurnServer({ tls: true });
  browser = await launchChromium({ ignoreCertificateErrors: true });
});

afterAll(async () => {
  await browser?.close();
  await turn?.close();
});

async function serverWithTurn(urls: string[], extra: { p2p?: { enabled: boolean } } = {}) {
  const server = await startTestServer(
    { turn: { urls, secret: turn.secret, ttlSeconds: 600 }, ...extra },
    { ui: 'built' },
  );
  // Each test's pages and server go when it ends, so the next one has the (shared, 2-core) machine.
  onTestFinished(() => server.close());
  return server;
}

async function openMeeting(url: string, room: string, name: string, relay: boolean): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  await page.goto(`${url}/${room}#name=${name}&prejoin=0${relay ? '&relay=1' : ''}`, { timeout: 60_000 });
  return page;
}

async function mode(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    type Conf = { mediaMode: string };
    return (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference?.mediaMode;
  });
}

/** Waits until `page` decodes `count` remote videos that keep advancing. */
async function decodes(page: Page, count: number, what: string): Promise<void> {
  const total = async () => {
    const { video } = await mediaStats(page);
    const live = video.filter((v) => v.framesDecoded > 0 && v.frameWidth > 0);
    return live.length >= count ? live.reduce((n, v) => n + v.framesDecoded, 0) : undefined;
  };
  const before = await eventually(total, what, 45_000).catch(async (err) => {
    throw new Error(`${(err as Error).message}: ${JSON.stringify(await pathDetails(page))}`);
  });
  await eventually(
    async () => ((await total()) ?? 0) > before + count * 5 || undefined,
    `${what} (advancing)`,
    30_000,
  );
}

describe('TURN through a real coturn', () => {
  it('P2P with iceTransportPolicy relay: both sides relay through coturn, still DTLS-SRTP end to end (P9)', async () => {
    const server = await serverWithTurn([`turn:127.0.0.1:${turn.port}?transport=udp`]);
    const room = 'HollowPinesEchoSoftly';
    const ann = await openMeeting(server.url, room, 'Ann', true);
    const ben = await openMeeting(server.url, room, 'Ben', true);
    for (const page of [ann, ben]) {
      await eventually(async () => ((await mode(page)) === 'p2p' ? true : undefined), 'P2P', 45_000);
      await decodes(page, 1, 'P2P video through TURN');
    }
    const [a, b] = [await pathDetails(ann), await pathDetails(ben)];
    for (const d of [a, b]) {
      // Both ends of the selected pair are relay candidates: each browser sends to coturn only.
      expect(d.local?.type).toBe('relay');
      expect(d.local?.relayProtocol).toBe('udp');
      expect(d.remote?.type).toBe('relay');
      // DTLS-SRTP is negotiated between the two browsers; coturn forwards ciphertext it cannot read.
      expect(d.dtlsState).toBe('connected');
      expect(d.srtpCipher).toMatch(/AES|AEAD/i);
    }
    // The remote candidate each browser talks to is the other browser's relay address on coturn.
    expect(a.remote).toMatchObject({ address: b.local?.address, port: b.local?.port });
    expect(b.remote).toMatchObject({ address: a.local?.address, port: a.local?.port });
    expect(a.local?.port).not.toBe(b.local?.port);
    // P7: Conclave's own logs never contain the shared secret.
    expect(server.logs.join('')).not.toContain(turn.secret);
  }, 150_000);

  it('an SFU participant forced onto TURN (relay) decodes the others; the engine needs no TURN config', async () => {
    await sfuThroughTurn('udp', 'SilverMothsCircleLamps');
  }, 150_000);

  // Needs scripts/patch-node-datachannel.mjs (run by `npm ci`): Chromium's checks from a TCP/TLS
  // allocation carry ICE-CONTROLLED = 0, which stock libjuice 1.7.2 refuses (docs/sfu.md).
  it('an SFU participant forced onto TURN over TCP (the UDP-blocked path) decodes the others', async () => {
    await sfuThroughTurn('tcp', 'CopperMothsCircleLamps');
  }, 150_000);

  it('an SFU participant forced onto TURN over TLS (turns:) decodes the others', async () => {
    await sfuThroughTurn('tls', 'AmberMothsCircleLamps');
  }, 150_000);

  it('TURN over TLS (turns:) carries P2P media', async () => {
    const server = await serverWithTurn([`turns:localhost:${turn.tlsPort}?transport=tcp`]);
    const room = 'QuietHarborsKeepTime';
    const ann = await openMeeting(server.url, room, 'Ann', true);
    const ben = await openMeeting(server.url, room, 'Ben', false);
    for (const page of [ann, ben]) {
      await eventually(async () => ((await mode(page)) === 'p2p' ? true : undefined), 'P2P', 45_000);
      await decodes(page, 1, 'P2P video through TURN/TLS');
    }
    const a = await pathDetails(ann);
    expect(a.local?.type).toBe('relay');
    expect(a.local?.relayProtocol).toBe('tls');
  }, 150_000);
});

/** One page relayed through coturn over `transport`, one direct, both on the SFU (P2P off). */
async function sfuThroughTurn(transport: 'udp' | 'tcp' | 'tls', room: string): Promise<void> {
  const url =
    transport === 'tls'
      ? `turns:localhost:${turn.tlsPort}?transport=tcp`
      : `turn:127.0.0.1:${turn.port}?transport=${transport}`;
  const server = await serverWithTurn([url], { p2p: { enabled: false } });
  const mediaPort = (server.media as unknown as { port: number }).port;
  const relayed = await openMeeting(server.url, room, 'Ann', true);
  const direct = await openMeeting(server.url, room, 'Ben', false);
  for (const page of [relayed, direct]) {
    await eventually(async () => ((await mode(page)) === 'sfu' ? true : undefined), 'SFU', 45_000);
    await decodes(page, 1, 'SFU video');
  }
  const r = await pathDetails(relayed);
  expect(r.local?.type).toBe('relay');
  expect(r.local?.relayProtocol).toBe(transport);
  // coturn relays to the engine's one UDP port: the server needs no TURN configuration of its own.
  expect(r.remote?.port).toBe(mediaPort);
  expect(r.dtlsState).toBe('connected');
  const d = await pathDetails(direct);
  expect(d.local?.type).toBe('host');
}
