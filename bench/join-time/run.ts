import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { eventually, startTestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { PHASE_ORDER, type PhaseName, type Phases, phases } from './phases.js';
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
 *   bash bench/join-time/run.sh [--rounds 5] [--settle 3000] [--simulcast 0] [--trace 1] [--profile DIR]
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
  nav: { ben: number; cyd: number; dan: number };
}

async function browserPage(browsers: Browser[]): Promise<Page> {
  const browser = await launchChromium();
  browsers.push(browser);
  const context = await browser.newContext();
  await context.addInitScript({ content: PROBE });
  return context.newPage();
}

async function join(page: Page, room: string, name: string): Promise<void> {
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`, { timeout: 60_000 });
}

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
    await eventually(
      async () => ((await readTimeline(ann)).events.some(([, w]) => w === 'in joined') ? true : undefined),
      'Ann joined',
      60_000,
    );
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
    if (trace) printTrace(index, { Ann: a, Ben: b, Cyd: c, Dan: d }, c.nav);
    return {
      oneToOne: phases(b, 'p2p', 1),
      third: phases(c, 'sfu', 2),
      // Until they see Cyd: each had the other's tile before.
      thirdPublishers: [phases(a, 'sfu', 1, c.nav), phases(b, 'sfu', 1, c.nav)],
      fourth: phases(d, 'sfu', 3),
      nav: { ben: b.nav, cyd: c.nav, dan: d.nav },
    };
  } finally {
    for (const browser of browsers) await browser.close().catch(() => {});
  }
}

/** Every event of every page and the server from `from` on, ms after `from`. */
function printTrace(index: number, pages: Record<string, PageTimeline>, from: number): void {
  const lines: [number, string][] = [];
  for (const [who, t] of Object.entries(pages))
    for (const [at, what] of t.events)
      if (at >= from && !what.includes('candidate')) lines.push([at, `${who}: ${what}`]);
  for (const line of server.logs) {
    try {
      const entry = JSON.parse(line) as { time: string; msg: string; [k: string]: unknown };
      const at = Date.parse(entry.time);
      if (at >= from && /^(sfu|room|participant)\./.test(entry.msg)) lines.push([at, `server: ${entry.msg}`]);
    } catch {
      // not a log line
    }
  }
  lines.sort((x, y) => x[0] - y[0]);
  console.log(`\nround ${index + 1}, from Cyd's navigation (${from}):`);
  for (const [at, what] of lines) console.log(`  ${String(Math.round(at - from)).padStart(6)}  ${what}`);
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
  `\njoin time, ${results.length} rounds, simulcast ${simulcast ? 'on' : 'off'}: ms after navigation, median (min–max)\n`,
);
console.log('| what | first remote frame | all remote frames |');
console.log('|---|---|---|');
console.log(
  `| 1:1, navigation → first decoded remote frame | ${stat(results.map((r) => rel(r.oneToOne, 'first tile frame', r.nav.ben)))} | |`,
);
console.log(
  `| third joiner (P2P → SFU), → first / both | ${stat(results.map((r) => rel(r.third, 'first tile frame', r.nav.cyd)))} | ${stat(results.map((r) => rel(r.third, 'all tile frames', r.nav.cyd)))} |`,
);
console.log(
  `| fourth joiner (steady SFU), → first / all three | ${stat(results.map((r) => rel(r.fourth, 'first tile frame', r.nav.dan)))} | ${stat(results.map((r) => rel(r.fourth, 'all tile frames', r.nav.dan)))} |`,
);

console.log("\nper phase, ms after the joiner's navigation, median (min–max)\n");
console.log(
  "| phase | 1:1 joiner (P2P) | third joiner (SFU) | its publishers' new SFU paths | fourth joiner (SFU) |",
);
console.log('|---|---|---|---|---|');
for (const k of PHASE_ORDER) {
  console.log(
    `| ${k} | ${stat(results.map((r) => rel(r.oneToOne, k, r.nav.ben)))} | ${stat(results.map((r) => rel(r.third, k, r.nav.cyd)))} | ${stat(results.flatMap((r) => r.thirdPublishers.map((p) => rel(p, k, r.nav.cyd))))} | ${stat(results.map((r) => rel(r.fourth, k, r.nav.dan)))} |`,
  );
}
const offers = (xs: Phases[]) => stat(xs.map((p) => p.offers));
console.log(
  `| offers applied by the path until all tiles showed | ${offers(results.map((r) => r.oneToOne))} | ${offers(results.map((r) => r.third))} | ${offers(results.flatMap((r) => r.thirdPublishers))} | ${offers(results.map((r) => r.fourth))} |`,
);
// node-datachannel's threads outlive the closed engine and would keep the process alive.
process.exit(0);
