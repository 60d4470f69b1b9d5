import { SIMULCAST_RIDS } from '@conclave/protocol';
import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page, withoutCamera } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Simulcast through the SFU in real Chromium. The engine's offer asks for three layers on the
 * publish video m-line (`a=rid:l/m/h recv`, `a=simulcast:recv l;m;h`); Chromium answers
 * `a=simulcast:send` and, once the client has reported the layers' SSRCs (getStats → mediaSignal
 * `simulcast` → `a=ssrc:` lines in the answer the engine applies), all three reach the engine.
 * One page publishes a camera; two others publish audio only and show that camera in a small and
 * in a big tile (their viewports differ). The web UI reports each tile's height; the small one
 * must get a lower layer than the publisher's top layer, the big one a higher layer than the small.
 * Layers and heights are asserted, not timings. Runs inside the tests' loopback-only namespace.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(
    // The default REMB (media.maxVideoBitrate) must be enough for Chromium to send the top layer.
    { media: { simulcast: true } },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface OutboundLayer {
  rid: string;
  ssrc: number;
  active: boolean;
  framesEncoded: number;
  frameHeight: number;
  qualityLimitationReason: string;
}

async function openMeeting(
  room: string,
  name: string,
  viewport: { width: number; height: number },
  camera: boolean,
  passphrase: string | undefined,
): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  onTestFinished(() => context.close().catch(() => {}));
  if (!camera) await withoutCamera(context);
  const page = await context.newPage();
  const e2ee = passphrase ? `&e2ee=${encodeURIComponent(passphrase)}` : '';
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0${e2ee}`);
  return page;
}

async function stats(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(async () => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const report = await (
      globalThis as { conclave?: { conference?: Conf } }
    ).conclave?.conference?.getStats();
    const out: Record<string, unknown>[] = [];
    report?.forEach((s: Record<string, unknown>) => {
      out.push(s);
    });
    return out;
  });
}

async function outboundLayers(page: Page): Promise<OutboundLayer[]> {
  return (await stats(page))
    .filter((s) => s.type === 'outbound-rtp' && s.kind === 'video')
    .map((s) => ({
      rid: String(s.rid ?? ''),
      ssrc: Number(s.ssrc),
      active: s.active !== false,
      framesEncoded: Number(s.framesEncoded ?? 0),
      frameHeight: Number(s.frameHeight ?? 0),
      qualityLimitationReason: String(s.qualityLimitationReason ?? ''),
    }))
    .sort((a, b) => a.rid.localeCompare(b.rid));
}

/** Height of the one remote video a subscriber decodes, with frames decoded so far. */
async function inboundVideo(page: Page): Promise<{ frameHeight: number; framesDecoded: number }> {
  const inbound = (await stats(page)).filter((s) => s.type === 'inbound-rtp' && s.kind === 'video');
  const live = inbound.filter((s) => Number(s.framesDecoded ?? 0) > 0);
  const s = live[0];
  return s
    ? { frameHeight: Number(s.frameHeight ?? 0), framesDecoded: Number(s.framesDecoded) }
    : { frameHeight: 0, framesDecoded: 0 };
}

async function mode(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () =>
      (globalThis as { conclave?: { conference?: { mediaMode: string } } }).conclave?.conference?.mediaMode,
  );
}

/** Height in device pixels of the tile in which `page` shows `participantId`. */
async function tileHeight(page: Page, participantId: string): Promise<number> {
  return page.evaluate(
    (id) => document.querySelector<HTMLElement>(`[data-participant-id="${id}"]`)?.clientHeight ?? 0,
    participantId,
  );
}

const trace = (...args: unknown[]) => {
  if (process.env.E2E_TRACE) console.log(...args);
};

/** What the page's E2EE worker has decrypted and dropped so far. */
async function e2eeCounts(page: Page): Promise<{ decrypted: number; dropped: number }> {
  return page.evaluate(async () => {
    type Stats = { decrypted: number; dropped: Record<string, number> };
    type Conf = { e2eeStats(): Promise<Stats> };
    const c = (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference;
    const s = await c?.e2eeStats();
    return {
      decrypted: s?.decrypted ?? 0,
      dropped: Object.values(s?.dropped ?? {}).reduce((a, b) => a + b, 0),
    };
  });
}

// With E2EE the SFU still finds key frames (clear VP8 header) and so still switches layers.
describe.each([
  { e2ee: false, room: 'AmberHeronsGlideSlowly' },
  { e2ee: true, room: 'SealedHeronsGlideSlowly' },
])('simulcast through the SFU in Chromium (E2EE $e2ee)', ({ e2ee, room }) => {
  it('the publisher sends three layers; a small tile gets a lower layer than a big one', async () => {
    const passphrase = e2ee ? 'layered secret' : undefined;
    const publisher = await openMeeting(room, 'Pia', { width: 1280, height: 800 }, true, passphrase);
    const small = await openMeeting(room, 'Sam', { width: 480, height: 320 }, false, passphrase);
    const big = await openMeeting(room, 'Bea', { width: 1920, height: 1400 }, false, passphrase);
    for (const page of [publisher, small, big]) {
      await eventually(async () => ((await mode(page)) === 'sfu' ? true : undefined), 'SFU mode');
    }
    const publisherId = await publisher.evaluate(
      () =>
        (globalThis as { conclave?: { conference?: { self: { id: string } } } }).conclave?.conference?.self
          .id,
    );
    expect(publisherId).toBeTruthy();

    // Three encodings, each with its own SSRC, each encoding frames (the top one only once REMB
    // has let Chromium's bandwidth estimate grow enough for it).
    const layers = await eventually(
      async () => {
        const out = await outboundLayers(publisher);
        trace('outbound', JSON.stringify(out));
        return out.length === 3 && out.every((l) => l.framesEncoded > 0 && l.frameHeight > 0)
          ? out
          : undefined;
      },
      'three simulcast layers encoding',
      60_000,
    );
    // The rids the engine asked for (outboundLayers sorts by rid).
    expect(layers.map((l) => l.rid)).toEqual([...SIMULCAST_RIDS].sort());
    expect(new Set(layers.map((l) => l.ssrc)).size).toBe(3);
    const [low, mid, high] = SIMULCAST_RIDS;
    const byRid = Object.fromEntries(layers.map((l) => [l.rid, l.frameHeight]));
    const top = Math.max(...layers.map((l) => l.frameHeight));
    expect(byRid[low]).toBeLessThan(byRid[mid] as number);
    expect(byRid[mid]).toBeLessThan(byRid[high] as number);

    const smallTile = await tileHeight(small, publisherId as string);
    const bigTile = await tileHeight(big, publisherId as string);
    trace('tiles', { smallTile, bigTile, layers: byRid });
    // The layouts really differ: the small tile is shorter than the top layer, the big one taller
    // than the middle layer.
    expect(smallTile).toBeLessThan(top);
    expect(bigTile).toBeGreaterThan(byRid[mid] as number);

    // The small tile gets a layer below the top one; the big tile ramps up to the top layer.
    const smallHeight = await eventually(
      async () => {
        const v = await inboundVideo(small);
        trace('small', v);
        return v.frameHeight > 0 && v.frameHeight < top ? v.frameHeight : undefined;
      },
      'the small tile to decode a lower layer',
      60_000,
    );
    const bigHeight = await eventually(
      async () => {
        const v = await inboundVideo(big);
        trace('big', v);
        return v.frameHeight === top ? v.frameHeight : undefined;
      },
      'the big tile to decode the top layer',
      60_000,
    );
    expect(smallHeight).toBeLessThan(bigHeight);
    // Both keep decoding on their layers (not one stray frame each).
    const before = { small: await inboundVideo(small), big: await inboundVideo(big) };
    await eventually(
      async () => {
        const now = { small: await inboundVideo(small), big: await inboundVideo(big) };
        trace('later', now);
        return now.small.framesDecoded >= before.small.framesDecoded + 10 &&
          now.big.framesDecoded >= before.big.framesDecoded + 10
          ? now
          : undefined;
      },
      'both subscribers to keep decoding',
      30_000,
    );
    expect((await inboundVideo(small)).frameHeight).toBeLessThan(top);
    expect((await inboundVideo(big)).frameHeight).toBe(top);
    if (e2ee) {
      // What they decoded came through the decrypting transform.
      for (const page of [small, big]) expect((await e2eeCounts(page)).decrypted).toBeGreaterThan(0);
    }

    for (const page of [publisher, small, big]) await page.close();
  }, 240_000);
});

describe('simulcast layers nobody needs', () => {
  it('the publisher pauses its top layer while every tile is small, also across renegotiations, and resumes it for a big one', async () => {
    const room = 'QuietKitesRestAloft';
    const publisher = await openMeeting(room, 'Pia', { width: 1280, height: 800 }, true, undefined);
    const sam = await openMeeting(room, 'Sam', { width: 480, height: 320 }, false, undefined);
    const sue = await openMeeting(room, 'Sue', { width: 480, height: 320 }, false, undefined);
    const tim = await openMeeting(room, 'Tim', { width: 480, height: 320 }, false, undefined);
    for (const page of [publisher, sam, sue, tim]) {
      await eventually(async () => ((await mode(page)) === 'sfu' ? true : undefined), 'SFU mode');
    }
    const [lowest, , highest] = SIMULCAST_RIDS;
    const top = (layers: OutboundLayer[]) => layers.find((l) => l.rid === highest);
    const encodedBy = async () => {
      const first = await outboundLayers(publisher);
      await new Promise((r) => setTimeout(r, 1000));
      const then = await outboundLayers(publisher);
      const grew = (rid: string) =>
        (then.find((l) => l.rid === rid)?.framesEncoded ?? 0) -
        (first.find((l) => l.rid === rid)?.framesEncoded ?? 0);
      trace('outbound', JSON.stringify(then));
      return { layers: then, top: grew(highest), low: grew(lowest) };
    };
    const paused = async () => {
      const now = await encodedBy();
      return top(now.layers)?.active === false && now.top === 0 && now.low > 0 ? true : undefined;
    };
    const audioReceived = async () =>
      (await stats(publisher)).filter((s) => s.type === 'inbound-rtp' && s.kind === 'audio').length;
    await eventually(
      async () => ((await audioReceived()) === 3 ? true : undefined),
      'the publisher to receive the three others',
    );
    // Everyone shows the camera in a tile shorter than the middle layer: the top layer is paused
    // (no frames encoded in a second) while the lowest goes on.
    await eventually(paused, 'the top layer to be paused', 60_000);
    // Tim leaves: the engine renegotiates with the publisher (his audio's m-line is rejected).
    // Chromium re-activates every layer when it applies an offer that asks for simulcast; the
    // tallest tile is unchanged, so the engine says nothing new and the client must pause again.
    await tim.close();
    await eventually(
      async () => ((await audioReceived()) === 2 ? true : undefined),
      'the publisher to apply the offer without Tim',
    );
    await eventually(paused, 'the top layer to stay paused after the renegotiation', 20_000);
    // Sue's window grows: her tile is now taller than the middle layer, so the top layer resumes
    // and she ramps up to it.
    await sue.setViewportSize({ width: 1920, height: 1400 });
    await eventually(
      async () => {
        const now = await encodedBy();
        return top(now.layers)?.active && now.top > 0 ? true : undefined;
      },
      'the top layer to resume',
      60_000,
    );
    const topHeight = top(await outboundLayers(publisher))?.frameHeight ?? 0;
    await eventually(
      async () => ((await inboundVideo(sue)).frameHeight === topHeight ? true : undefined),
      'the big tile to decode the top layer',
      60_000,
    );
    expect((await inboundVideo(sam)).frameHeight).toBeLessThan(topHeight);
    for (const page of [publisher, sam, sue]) await page.close();
  }, 240_000);
});
