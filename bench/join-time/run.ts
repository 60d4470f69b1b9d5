import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { eventually, startTestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { CLICK_PHASES, PHASE_ORDER, type PhaseName, type Phases, phases } from './phases.js';
import { type PageTimeline, PROBE, readTimeline } from './probe.js';

/*
 * bench/join-time: how long someone joining waits for the others' video (issue 16, "Joining
 * fast"). Each round is a new meeting in Chromiums of their own (fake camera, real server, built UI):
 *  - Ann joins; Ben joins (1:1, P2P): Ben's navigation → first decoded remote frame on screen;
 *  - Cyd joins (the meeting switches P2P → SFU): Cyd's navigation → first / both remote frames;
 *  - Dan joins the steady SFU meeting: navigation → first / all three remote frames.
 * "On screen" = the remote tile's first presented frame (requestVideoFrameCallback). Then a
 * median / min / max over the rounds, and per phase (probe.ts, phases.ts; ms after the joiner's
 * navigation) for the two SFU cases, with the publishers' side of the switch. With `--trace 1`
 * the whole timeline of every round (pages and the server's debug log) is printed.
 *
 * `--from navigation` (the default) opens each joiner with `#prejoin=0`, an invite link that skips
 * the pre-join screen, and measures from the navigation: the camera opens on the critical path.
 * `--from click` is how most people join: each joiner opens the pre-join screen, waits until its
 * camera preview shows frames and `--click-after` ms more (a person looking at themselves; 1000 by
 * default), then clicks the real "Join meeting" button; everything is measured from that click (the
 * input event's time). Phases before the click (DOM ready, camera open) are then negative.
 *
 *   bash bench/join-time/run.sh [--rounds 5] [--from navigation|click] [--click-after 1000]
 *        [--settle 3000] [--simulcast 0] [--trace 1] [--profile DIR]
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('rounds', 5);
const settleMs = arg('settle', 3000);
const simulcast = arg('simulcast', 1) === 1;
const trace = arg('trace', 0) === 1;
const profileAt = process.argv.indexOf('--profile');
const profileDir = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;
const fromAt = process.argv.indexOf('--from');
const from = fromAt >= 0 ? process.argv[fromAt + 1] : 'navigation';
if (from !== 'navigation' && from !== 'click') throw new Error('--from is navigation or click');
const clickAfterMs = arg('click-after', 1000);
/** What the clock starts at, in the tables: the navigation, or the click on the join button. */
const origin = from === 'click' ? 'click on Join' : 'navigation';

const server = await startTestServer(
  {
    // Debug: sfu.session_connected, participant.joined, room.mode carry the server's side of the
    // timeline (counts and booleans only, P7). No trace level: that logs every message.
    log: { level: 'debug' },
    media: { simulcast },
    limits: { joinBurst: 1000, joinsPerMinute: 1000 },
  },
  { ui: 'built' },
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Round {
  oneToOne: Phases;
  third: Phases;
  /** The switch at the two who were there (their new SFU paths). */
  thirdPublishers: Phases[];
  fourth: Phases;
  /** Each joiner's start of the clock (navigation or click), epoch ms. */
  nav: { ben: number; cyd: number; dan: number };
  /** getUserMedia calls each joiner made from that start on (--from click: the meeting's own). */
  cameraCalls: { ben: number; cyd: number; dan: number };
}

async function browserPage(browsers: Browser[]): Promise<Page> {
  const browser = await launchChromium();
  browsers.push(browser);
  const context = await browser.newContext();
  await context.addInitScript({ content: PROBE });
  return context.newPage();
}

const hasEvent = (page: Page, event: string, what: string) =>
  eventually(
    async () => ((await readTimeline(page)).events.some(([, w]) => w === event) ? true : undefined),
    what,
    60_000,
  );

async function join(page: Page, room: string, name: string): Promise<void> {
  if (from === 'navigation') {
    await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`, { timeout: 60_000 });
    return;
  }
  // The pre-join screen, its name field filled from the link, as an invite link with a name does.
  await page.goto(`${server.url}/${room}#name=${name}`, { timeout: 60_000 });
  await hasEvent(page, 'preview frame', `${name}'s preview`);
  await sleep(clickAfterMs);
  await page.getByRole('button', { name: 'Join meeting', exact: true }).click();
}

/** Where this joiner's clock starts: its navigation, or (--from click) its click on Join. */
function start(t: PageTimeline): number {
  if (from === 'navigation') return t.nav;
  const click = t.events.find(([, w]) => w === 'click prejoin-join');
  if (!click) throw new Error('no click on the join button in the timeline');
  return click[0];
}

const cameraCalls = (t: PageTimeline) =>
  t.events.filter(([at, w]) => at >= start(t) && w === 'camera opening').length;

/** Waits until `page` shows a frame of `count` remote participants. */
const tilesShowing = (page: Page, count: number, what: string) =>
  eventually(
    async () => {
      const t = await readTimeline(page);
      return Object.keys(t.firstTile).length >= count ? true : undefined;
    },
    what,
    60_000,
  );

async function round(index: number): Promise<Round> {
  const browsers: Browser[] = [];
  try {
    // Every Chromium starts before the first navigation: a browser's start-up is not the join.
    const [ann, ben, cyd, dan] = [
      await browserPage(browsers),
      await browserPage(browsers),
      await browserPage(browsers),
      await browserPage(browsers),
    ] as [Page, Page, Page, Page];
    const room = `JoinTime-${process.pid}-${index}`;
    await join(ann, room, 'Ann');
    await hasEvent(ann, 'in joined', 'Ann joined');
    await sleep(1000);
    await join(ben, room, 'Ben');
    await tilesShowing(ben, 1, 'Ben sees Ann');
    await tilesShowing(ann, 1, 'Ann sees Ben');
    await sleep(settleMs);
    await join(cyd, room, 'Cyd');
    await tilesShowing(cyd, 2, 'Cyd sees both');
    // The handover at Ann and Ben is over and the meeting steady before the fourth comes.
    await sleep(settleMs + 3000);
    // --profile DIR: the fourth joiner's JavaScript CPU profile (DevTools format), one per round.
    const cdp = profileDir ? await dan.context().newCDPSession(dan) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await join(dan, room, 'Dan');
    await tilesShowing(dan, 3, 'Dan sees all three');
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(
        joinPath(profileDir ?? '.', `fourth-joiner-${index}.cpuprofile`),
        JSON.stringify(profile),
      );
    }
    const [a, b, c, d] = (await Promise.all([ann, ben, cyd, dan].map(readTimeline))) as [
      PageTimeline,
      PageTimeline,
      PageTimeline,
      PageTimeline,
    ];
    if (trace) printTrace(index, { Ann: a, Ben: b, Cyd: c, Dan: d }, start(c));
    return {
      oneToOne: phases(b, 'p2p', 1),
      third: phases(c, 'sfu', 2),
      // Until they see Cyd: each had the other's tile before.
      thirdPublishers: [phases(a, 'sfu', 1, start(c)), phases(b, 'sfu', 1, start(c))],
      fourth: phases(d, 'sfu', 3),
      nav: { ben: start(b), cyd: start(c), dan: start(d) },
      cameraCalls: { ben: cameraCalls(b), cyd: cameraCalls(c), dan: cameraCalls(d) },
    };
  } finally {
    for (const browser of browsers) await browser.close().catch(() => {});
  }
}

/** Every event of every page and the server from `from` on, ms after `from`. */
function printTrace(index: number, pages: Record<string, PageTimeline>, since: number): void {
  const lines: [number, string][] = [];
  for (const [who, t] of Object.entries(pages))
    for (const [at, what] of t.events)
      if (at >= since && !what.includes('candidate')) lines.push([at, `${who}: ${what}`]);
  for (const line of server.logs) {
    try {
      const entry = JSON.parse(line) as { time: string; msg: string; [k: string]: unknown };
      const at = Date.parse(entry.time);
      if (at >= since && /^(sfu|room|participant)\./.test(entry.msg))
        lines.push([at, `server: ${entry.msg}`]);
    } catch {
      // not a log line
    }
  }
  lines.sort((x, y) => x[0] - y[0]);
  console.log(`\nround ${index + 1}, from Cyd's ${origin} (${since}):`);
  for (const [at, what] of lines) console.log(`  ${String(Math.round(at - since)).padStart(6)}  ${what}`);
}

const results: Round[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    const r = await round(i);
    results.push(r);
    const since = (p: Phases, k: PhaseName, nav: number) =>
      p[k] === undefined ? '–' : Math.round((p[k] as number) - nav);
    console.log(
      `round ${i + 1}: 1:1 ${since(r.oneToOne, 'first tile frame', r.nav.ben)} ms; third ${since(r.third, 'first tile frame', r.nav.cyd)} / ${since(r.third, 'all tile frames', r.nav.cyd)} ms; fourth ${since(r.fourth, 'first tile frame', r.nav.dan)} / ${since(r.fourth, 'all tile frames', r.nav.dan)} ms`,
    );
  }
} finally {
  await server.close();
}

const stat = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return '–';
  const median = v[Math.floor((v.length - 1) / 2)] as number;
  const miss = xs.length - v.length;
  return `${Math.round(median)} (${Math.round(v[0] as number)}–${Math.round(v.at(-1) as number)})${miss ? ` [${miss} missing]` : ''}`;
};
const rel = (p: Phases, k: PhaseName, nav: number) =>
  p[k] === undefined ? undefined : (p[k] as number) - nav;

console.log(
  `\njoin time, ${results.length} rounds, simulcast ${simulcast ? 'on' : 'off'}, from ${from}: ms after the joiner's ${origin}, median (min–max)\n`,
);
console.log('| what | first remote frame | all remote frames |');
console.log('|---|---|---|');
console.log(
  `| 1:1, ${origin} → first decoded remote frame | ${stat(results.map((r) => rel(r.oneToOne, 'first tile frame', r.nav.ben)))} | |`,
);
console.log(
  `| third joiner (P2P → SFU), → first / both | ${stat(results.map((r) => rel(r.third, 'first tile frame', r.nav.cyd)))} | ${stat(results.map((r) => rel(r.third, 'all tile frames', r.nav.cyd)))} |`,
);
console.log(
  `| fourth joiner (steady SFU), → first / all three | ${stat(results.map((r) => rel(r.fourth, 'first tile frame', r.nav.dan)))} | ${stat(results.map((r) => rel(r.fourth, 'all tile frames', r.nav.dan)))} |`,
);

console.log(`\nper phase, ms after the joiner's ${origin}, median (min–max)\n`);
console.log(
  "| phase | 1:1 joiner (P2P) | third joiner (SFU) | its publishers' new SFU paths | fourth joiner (SFU) |",
);
console.log('|---|---|---|---|---|');
for (const k of PHASE_ORDER) {
  if (from === 'navigation' && CLICK_PHASES.has(k)) continue;
  console.log(
    `| ${k} | ${stat(results.map((r) => rel(r.oneToOne, k, r.nav.ben)))} | ${stat(results.map((r) => rel(r.third, k, r.nav.cyd)))} | ${stat(results.flatMap((r) => r.thirdPublishers.map((p) => rel(p, k, r.nav.cyd))))} | ${stat(results.map((r) => rel(r.fourth, k, r.nav.dan)))} |`,
  );
}
const offers = (xs: Phases[]) => stat(xs.map((p) => p.offers));
console.log(
  `| offers applied by the path until all tiles showed | ${offers(results.map((r) => r.oneToOne))} | ${offers(results.map((r) => r.third))} | ${offers(results.flatMap((r) => r.thirdPublishers))} | ${offers(results.map((r) => r.fourth))} |`,
);
if (from === 'click') {
  // The meeting should take over the preview's camera and microphone: any call here is a second
  // getUserMedia (and a second camera start) on the joiner's critical path.
  const calls = results.flatMap((r) => [r.cameraCalls.ben, r.cameraCalls.cyd, r.cameraCalls.dan]);
  console.log(
    `\ngetUserMedia calls after the click, per joiner: ${calls.join(', ')} (0: the meeting reuses the preview's tracks)`,
  );
}
// node-datachannel's threads outlive the closed engine and would keep the process alive.
process.exit(0);
