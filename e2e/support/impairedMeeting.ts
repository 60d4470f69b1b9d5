import {
  addIptablesRule,
  capUdpTo,
  downlinkEstimatesArrived,
  eventually,
  type TestServer,
  type TrafficCap,
} from '@conclave/testkit';
import {
  type Browser,
  type FreezeReading,
  mediaStats,
  type Page,
  readFreeze,
  startFreezeMonitor,
  withoutCamera,
} from '@conclave/testkit/browser';
import { onTestFinished } from 'vitest';

/*
 * The meeting of the impaired-network files (impaired-network, impaired-delay): through the SFU,
 * Ann publishes a simulcast camera and Ben and Cyd watch it in big tiles. Each file impairs the
 * path its own way; both then drop some UDP packets, cap Cyd's downlink, and watch what the
 * viewers decode while it lasts.
 */

export const LOSS = 0.03;
export const CAP_KBIT = 400;
export const OBSERVE_MS = 30_000;
/** How long a viewer may take to reach the top layer before a baseline on the middle one counts. */
const TOP_LAYER_WAIT_MS = 20_000;

/** The height of the remote video the page decodes now, and its frames so far. */
export async function inbound(page: Page): Promise<{ height: number; frames: number }> {
  return page.evaluate(async () => {
    const report = await globalThis.conclave?.conference?.getStats();
    let out = { height: 0, frames: 0 };
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && Number(s.framesDecoded ?? 0) > out.frames)
        out = { height: Number(s.frameHeight ?? 0), frames: Number(s.framesDecoded) };
    });
    return out;
  });
}

/** The publisher's top simulcast layer height, once all three layers encode. */
export async function topLayer(page: Page): Promise<number> {
  return eventually(
    async () => {
      const heights = await page.evaluate(async () => {
        const report = await globalThis.conclave?.conference?.getStats();
        const out: number[] = [];
        report?.forEach((s: Record<string, unknown>) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video' && Number(s.framesEncoded ?? 0) > 0)
            out.push(Number(s.frameHeight ?? 0));
        });
        return out;
      });
      return heights.length === 3 && heights.every((h) => h > 0) ? Math.max(...heights) : undefined;
    },
    'three simulcast layers encoding',
    60_000,
  );
}

export interface ImpairedMeeting {
  ann: Page;
  ben: Page;
  cyd: Page;
  annId: string;
  /** Ann's top layer height. */
  top: number;
  /** Each viewer's steady layer before the impairment. */
  before: Record<'ben' | 'cyd', number>;
  /** Cyd's local media port (what the cap shapes). */
  cydPort: number;
}

/** Opens the room in a 1920×1200 context of its own, closed when the attempt ends. */
async function openMeeting(
  browser: Browser,
  server: TestServer,
  room: string,
  name: string,
  camera: boolean,
) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1200 }, deviceScaleFactor: 1 });
  onTestFinished(() => context.close().catch(() => {}));
  if (!camera) await withoutCamera(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  return page;
}

/**
 * Ann, Ben and Cyd in `room`, each viewer steady on a layer of at least half Ann's top one, the
 * freeze monitors running.
 */
export async function startImpairedMeeting(
  browser: Browser,
  server: TestServer,
  room: string,
): Promise<ImpairedMeeting> {
  const ann = await openMeeting(browser, server, room, 'Ann', true);
  const ben = await openMeeting(browser, server, room, 'Ben', false);
  const cyd = await openMeeting(browser, server, room, 'Cyd', false);
  const top = await topLayer(ann);
  // The viewers' layers are judged against their own downlink estimates, so those must exist
  // first: Chromium sent its first REMB 10–16 s into the call in the runs traced (BENCHMARKS.md),
  // and until then the SFU allocates as if the downlink were unbounded — a baseline read before
  // would be a layer no estimate ever granted (Ben "moved down" from 720p to the 360p his first
  // REMB allowed, with no impairment involved). A few REMBs from each of the two viewers.
  await downlinkEstimatesArrived(server);
  // Each viewer's layer once steady, the same two samples in a row: the top one, which their big
  // tiles ask for; after TOP_LAYER_WAIT_MS at least the middle one (a three-tile grid may not be
  // tall enough for the top). A baseline read on the middle layer while a viewer's estimate still
  // ramps would make a later probe up to it look like "back on his old layer while capped".
  const before: Record<'ben' | 'cyd', number> = { ben: 0, cyd: 0 };
  for (const [page, who] of [
    [ben, 'ben'],
    [cyd, 'cyd'],
  ] as const) {
    let previous = 0;
    const since = Date.now();
    before[who] = await eventually(
      async () => {
        const { height } = await inbound(page);
        const least = Date.now() - since < TOP_LAYER_WAIT_MS ? top : top / 2;
        const steady = height >= least && height === previous;
        previous = height;
        return steady ? height : undefined;
      },
      `${who} to decode a layer of at least ${top / 2}p before the impairment`,
      60_000,
    );
  }
  const annId = await ann.evaluate(() => globalThis.conclave?.conference?.self.id ?? '');
  const cydPort = (await mediaStats(cyd)).pair?.local.port;
  if (!cydPort) throw new Error("Cyd's media path has no selected pair");
  for (const page of [ben, cyd]) {
    await startFreezeMonitor(page);
    await readFreeze(page, true);
  }
  return { ann, ben, cyd, annId, top, before, cydPort };
}

/**
 * Drops LOSS of the UDP packets that each of `matches` selects (on their way in on lo: a packet
 * dropped on its way out fails sendto() and is sent again, see nack-loss) and caps Cyd's downlink
 * at CAP_KBIT. Lifted at the latest when this attempt ends, so that a retry starts on a clean network.
 */
export function impair(meeting: ImpairedMeeting, matches: readonly (readonly string[])[]): TrafficCap {
  const rules = matches.map((match) =>
    addIptablesRule([
      ...['INPUT', '-i', 'lo', '-p', 'udp', ...match],
      ...['-m', 'statistic', '--mode', 'random', '--probability', String(LOSS)],
      ...['-m', 'comment', '--comment', `conclave-e2e-${process.pid}`],
      ...['-j', 'DROP'],
    ]),
  );
  const cap = capUdpTo({ port: meeting.cydPort, kbitPerSecond: CAP_KBIT });
  onTestFinished(() => {
    cap.remove();
    for (const rule of rules) rule.remove();
  });
  return cap;
}

type Reading = { ben: { height: number; frames: number }; cyd: { height: number; frames: number } };

export interface ImpairedWatch {
  /** What Cyd decoded first under a layer lower than before, and when (ms after `impairedAt`). */
  lowered: { height: number; frames: number };
  switchMs: number;
  /** Cyd's freezes around the switch. */
  transition: FreezeReading;
  /** Both viewers' decoded heights every 2 s over OBSERVE_MS, and their readings at its ends. */
  samples: { ben: number; cyd: number }[];
  start: Reading;
  last: Reading;
  /** 2-s samples in which Cyd decoded no new frame. */
  cydStalls: number;
  minutes: number;
  freezes: { ben: FreezeReading; cyd: FreezeReading };
}

/** From `impairedAt` on: Cyd's switch to a lower layer, then both viewers for OBSERVE_MS. */
export async function watchImpaired(meeting: ImpairedMeeting, impairedAt: number): Promise<ImpairedWatch> {
  const { ben, cyd, before } = meeting;
  const lowered = await eventually(
    async () => {
      const v = await inbound(cyd);
      return v.height > 0 && v.height < before.cyd ? v : undefined;
    },
    'Cyd to decode a lower layer',
    // Issue 16 asks for 5 s (measured: BENCHMARKS.md); the tests assert that it happens.
    20_000,
  );
  const switchMs = Date.now() - impairedAt;
  // The switch itself may freeze Cyd's picture (the cap's queue, then a keyframe of the new
  // layer): reported, then the steady state under loss and cap is what is judged.
  await new Promise((r) => setTimeout(r, 4_000));
  const transition = await readFreeze(cyd, true);
  await readFreeze(ben, true);
  const observedAt = Date.now();

  const samples: { ben: number; cyd: number }[] = [];
  const start = { ben: await inbound(ben), cyd: await inbound(cyd) };
  let last = start;
  let cydStalls = 0;
  const until = Date.now() + OBSERVE_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = { ben: await inbound(ben), cyd: await inbound(cyd) };
    samples.push({ ben: now.ben.height, cyd: now.cyd.height });
    if (now.cyd.frames <= last.cyd.frames) cydStalls++;
    last = now;
  }
  const minutes = (Date.now() - observedAt) / 60_000;
  const freezes = { ben: await readFreeze(ben), cyd: await readFreeze(cyd) };
  return { lowered, switchMs, transition, samples, start, last, cydStalls, minutes, freezes };
}

/** The figures both files print (BENCHMARKS.md), `cap` read now. */
export function describeWatch(
  meeting: ImpairedMeeting,
  watch: ImpairedWatch,
  cap: TrafficCap,
  impairedAt: number,
): string {
  const { top, before, annId } = meeting;
  const { lowered, switchMs, transition, samples, start, last, cydStalls, minutes, freezes } = watch;
  const counters = cap.counters();
  const perMinute = (n: number | undefined) => ((n ?? 0) / minutes).toFixed(1);
  return (
    `top ${top}p, before ben ${before.ben}p cyd ${before.cyd}p; Cyd down to ${lowered.height}p after ${switchMs} ms (longest gap around the switch ${transition.ui[annId]} ms); ` +
    `samples (ben/cyd) ${samples.map((s) => `${s.ben}/${s.cyd}`).join(' ')}; ` +
    `2-s samples without a new frame at Cyd: ${cydStalls}; frames decoded in ${OBSERVE_MS / 1000} s: ben ${last.ben.frames - start.ben.frames}, cyd ${last.cyd.frames - start.cyd.frames}; ` +
    `freezes > 500 ms per minute: ben ${perMinute(freezes.ben.freezes[annId])}, cyd ${perMinute(freezes.cyd.freezes[annId])}; ` +
    `longest gap ben ${freezes.ben.ui[annId]} ms, cyd ${freezes.cyd.ui[annId]} ms; ` +
    `cap sent ${Math.round((counters.sentBytes * 8) / 1000 / ((Date.now() - impairedAt) / 1000))} kbit/s, dropped ${counters.dropped} packets`
  );
}
