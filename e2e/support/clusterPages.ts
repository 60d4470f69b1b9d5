import { eventually } from '@conclave/testkit';
import { mediaStats, type Page } from '@conclave/testkit/browser';

/*
 * What e2e/cluster.e2e.test.ts asks of its Chromium pages: which meeting a page is in, whether it
 * decodes the others, and its signalling sockets. The cluster itself (Redis, three nodes, one
 * browser): clusterRig.ts.
 */

export const meetingId = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as { conclave?: { conference?: { meetingId: string } } }).conclave?.conference?.meetingId,
  );

/** Until both pages are in one meeting other than `before` (their node is gone: a new meeting). */
export function inOneNewMeeting(
  pages: [Page, Page],
  before: string | undefined,
  what: string,
  timeoutMs: number,
) {
  return eventually(
    async () => {
      const [first, second] = [await meetingId(pages[0]), await meetingId(pages[1])];
      return first && first !== before && first === second ? true : undefined;
    },
    what,
    timeoutMs,
  );
}

/** Total frames decoded from remote videos on the page's current path. */
export async function framesDecoded(page: Page): Promise<number> {
  const { video } = await mediaStats(page);
  return video.reduce((sum, v) => sum + v.framesDecoded, 0);
}

/** Until the page decodes another participant's video, advancing; returns its media stats. */
export async function decodes(page: Page, what: string, timeoutMs = 30_000) {
  const before = await eventually(
    async () => ((await framesDecoded(page)) > 0 ? framesDecoded(page) : undefined),
    what,
    timeoutMs,
  );
  await eventually(
    async () => ((await framesDecoded(page)) > before + 5 ? true : undefined),
    `${what} (advancing)`,
  );
  return mediaStats(page);
}

/**
 * Until every page has decoded new frames in three consecutive seconds: a meeting that just
 * started still switches simulcast layers as its bandwidth estimate ramps up, and a switch waits
 * for a keyframe, so its first seconds may hold short freezes that have nothing to do with a test.
 */
export async function steady(pages: Page[]): Promise<void> {
  let good = 0;
  let last = await Promise.all(pages.map(framesDecoded));
  const deadline = Date.now() + 30_000;
  while (good < 3) {
    if (Date.now() > deadline) throw new Error('media never became steady');
    await new Promise((r) => setTimeout(r, 1000));
    const now = await Promise.all(pages.map(framesDecoded));
    good = now.every((n, i) => n > (last[i] ?? 0)) ? good + 1 : 0;
    last = now;
  }
}

/**
 * Keeps every WebSocket the page opens in `__sockets`, so that a test can drop the signalling
 * connection from the page's side as a network blip would (the client cannot tell the difference:
 * its socket closes and it joins again).
 */
export const KEEP_SOCKETS = `(() => {
  const Native = WebSocket;
  const sockets = [];
  globalThis.__sockets = sockets;
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
})();`;

export type KeptSockets = { __sockets: WebSocket[] };

/** Closes the page's open WebSockets; returns their URLs. */
export const dropSockets = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as KeptSockets).__sockets
      .filter((s) => s.readyState === WebSocket.OPEN)
      .map((s) => {
        s.close();
        return s.url;
      }),
  );

/** The URL of the page's open WebSocket (its signalling now), if any. */
export const openSocketUrl = (page: Page) =>
  page.evaluate(
    () => (globalThis as unknown as KeptSockets).__sockets.find((s) => s.readyState === WebSocket.OPEN)?.url,
  );

/** The participant id a page is in its meeting as now (a new one after it rejoined). */
export const selfId = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as { conclave?: { conference?: { self: { id: string } } } }).conclave?.conference?.self.id,
  );

/** Receive-side video counters that tell a stall's cause apart, summed over the page's inbound videos. */
const RECEIVE_COUNTERS = ['packetsLost', 'nackCount', 'pliCount', 'freezeCount', 'keyFramesDecoded'] as const;

async function receiveCounters(page: Page): Promise<number[]> {
  return page.evaluate(async (names) => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const report = await (
      globalThis as { conclave?: { conference?: Conf } }
    ).conclave?.conference?.getStats();
    const sums = names.map(() => 0);
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
      for (const [i, name] of names.entries()) sums[i] = (sums[i] ?? 0) + Number(s[name] ?? 0);
    });
    return sums;
  }, RECEIVE_COUNTERS);
}

/**
 * Samples the pages' decoded frames every second until stopped; returns the smallest step seen.
 * "Never stops decoding": no page goes a whole sampling interval without a new frame. `perPage`
 * says which page stalled; a page that could not be read (a page closed under the watch) ends the
 * watch with its error, which is reported as such rather than as a stall. The detail also says how
 * each page's loss, NACKs, PLIs, freezes and keyframes grew meanwhile: a stall after loss and a PLI
 * is a lost frame waiting for a keyframe, one without is a sender or forwarder that stopped.
 */
export function watchDecoding(pages: Page[]) {
  let running = true;
  const steps: number[] = [];
  const perPage: number[][] = pages.map(() => []);
  let error: string | undefined;
  const counters = Promise.all(pages.map(receiveCounters)).catch(() => undefined);
  const done = (async () => {
    let last = await Promise.all(pages.map(framesDecoded));
    while (running) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await Promise.all(pages.map(framesDecoded));
      const step = now.map((n, i) => n - (last[i] ?? 0));
      for (const [i, n] of step.entries()) perPage[i]?.push(n);
      steps.push(Math.min(...step));
      last = now;
    }
  })().catch((err: unknown) => {
    error = err instanceof Error ? err.message : String(err);
    steps.push(0);
  });
  let result: Promise<{ samples: number; smallestStep: number; detail: string }> | undefined;
  const finish = async () => {
    await done;
    const [before, after] = [
      await counters,
      await Promise.all(pages.map(receiveCounters)).catch(() => undefined),
    ];
    const grown = pages.map((_, i) =>
      RECEIVE_COUNTERS.map((name, j) => `${name} +${(after?.[i]?.[j] ?? 0) - (before?.[i]?.[j] ?? 0)}`).join(
        ', ',
      ),
    );
    const detail = `per page: ${perPage.map((p) => p.join(' ')).join(' | ')}${error ? `; ${error}` : ''}; meanwhile: ${grown.join(' | ')}`;
    if (process.env.E2E_TRACE) console.log(`frames decoded per interval, ${detail}`);
    return { samples: steps.length, smallestStep: Math.min(...steps), detail };
  };
  return {
    /** Ends the watch (once; a second call gives the same answer). */
    stop() {
      running = false;
      result ??= finish();
      return result;
    },
  };
}
