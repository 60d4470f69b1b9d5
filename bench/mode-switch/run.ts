import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, startTestServer } from '@conclave/testkit';
import {
  type Browser,
  launchChromium,
  type Page,
  readFreeze,
  startFreezeMonitor,
} from '@conclave/testkit/browser';

/*
 * bench/mode-switch: the freeze a receiver sees when a meeting switches P2P → SFU (a third person
 * joins) and SFU → P2P (they leave). Three Chromium pages; Ann measures Ben's video with the
 * monitor of @conclave/testkit/browser (freeze.ts): `tile` = largest gap between frames presented by Ben's tile,
 * `media` = largest gap between frames arriving on any of Ben's tracks (old path or new).
 *
 * With `--prejoin 1` (the default) Cyd's page is opened on the pre-join screen (camera preview
 * running) before the measurement and joins with its button, as a person does; with `--prejoin 0`
 * the third Chromium context starts, loads and joins inside the measured window.
 *
 * With `--camera-height H` every page's fake camera is an ffmpeg test pattern of height H (16:9)
 * instead of Chromium's 640×480 pattern: three Chromiums encoding and decoding on two cores are
 * CPU-starved at 480p (steady gaps of 100–150 ms), which hides what the handover itself costs.
 * `--simulcast 0` turns simulcast off (one layer per publisher; it is on by default).
 *
 *   npm run build && unshare -n bash -c 'ip link set lo up && npx tsx bench/mode-switch/run.ts --switches 5'
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const switches = arg('switches', 5);
const settleMs = arg('settle', 3000);
const prejoin = arg('prejoin', 1) === 1;
const cameraHeight = arg('camera-height', 0);
/** `--simulcast 0` measures with one layer per publisher (media.simulcast off; on by default). */
const simulcast = arg('simulcast', 1) === 1;

const server = await startTestServer(
  {
    // Silent: a bench measures the product, not its trace logging.
    log: { level: 'silent' },
    media: { simulcast },
    p2p: { backToP2PDelay: 1 },
    limits: { joinBurst: 1000, joinsPerMinute: 1000 },
  },
  { ui: 'built' },
);
const chromiumOptions = {
  extraArgs: cameraHeight ? [`--use-file-for-fake-video-capture=${testPattern(cameraHeight)}`] : [],
};
// Each person in a Chromium of their own, as in a real meeting: no page shares the browser, GPU
// or network process of another (they still share the machine's two cores).
const browsers: Browser[] = [];

/** A 2 s moving test pattern, 16:9, `height` lines, 30 fps, as y4m (Chromium loops it). */
function testPattern(height: number): string {
  const width = Math.round((height * 16) / 9 / 2) * 2;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'conclave-bench-')), `camera-${height}p.y4m`);
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`].concat([
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      file,
    ]),
  );
  return file;
}

async function open(name: string, atPrejoin = false): Promise<Page> {
  const browser = await launchChromium(chromiumOptions);
  browsers.push(browser);
  const context = await browser.newContext();
  // tsx (esbuild keepNames) wraps functions passed to page.evaluate in `__name(...)`.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  await page.goto(`${server.url}/WhirlingDervishTimesTheTurn#name=${name}${atPrejoin ? '' : '&prejoin=0'}`, {
    timeout: 60_000,
  });
  if (atPrejoin) {
    await page.getByTestId('prejoin-join').waitFor({ timeout: 60_000 });
    return page;
  }
  await eventually(
    () => page.evaluate(() => ((globalThis as { conclave?: object }).conclave ? true : undefined)),
    `${name} joined`,
    60_000,
  );
  return page;
}
const mode = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as { conclave?: { conference?: { mediaMode: string } } }).conclave?.conference?.mediaMode,
  );
const selfId = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { conclave: { conference: { self: { id: string } } } }).conclave.conference
        .self.id,
  );
const inMode = (page: Page, m: string) =>
  eventually(async () => ((await mode(page)) === m ? true : undefined), m, 60_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const results = {
  up: { tile: [] as number[], media: [] as number[] },
  down: { tile: [] as number[], media: [] as number[] },
  // The same measure without a switch: the machine's own stalls (see BENCHMARKS.md).
  steady2: { tile: [] as number[], media: [] as number[] },
  steady3: { tile: [] as number[], media: [] as number[] },
};
try {
  const ann = await open('Ann');
  const ben = await open('Ben');
  const benId = await selfId(ben);
  await inMode(ann, 'p2p');
  await eventually(
    async () => {
      await startFreezeMonitor(ann);
      return (await readFreeze(ann)).ui[benId] !== undefined ? true : undefined;
    },
    'Ben on screen',
    60_000,
  );
  await sleep(settleMs);
  const steady = await readFreeze(ann, true);
  console.log(`steady P2P: tile ${steady.ui[benId]} ms, media ${steady.media[benId]} ms`);
  for (let i = 0; i < switches; i++) {
    let cyd: Page;
    let steady2: Awaited<ReturnType<typeof readFreeze>> | undefined;
    if (prejoin) {
      cyd = await open('Cyd', true);
      await sleep(settleMs);
      // From here on, only what the switch causes (Cyd's page loading is not part of it)…
      await readFreeze(ann, true);
      // …but first the same measure over a window as long, with Cyd waiting on the pre-join screen.
      await sleep(settleMs + 1000);
      steady2 = await readFreeze(ann, true);
      await cyd.getByTestId('prejoin-join').click();
    } else {
      cyd = await open('Cyd');
    }
    const clickedAt = Date.now();
    await inMode(ann, 'sfu');
    await sleep(settleMs);
    const up = await readFreeze(ann, true);
    if (process.env.E2E_TRACE) console.log(`2→3 timeline at Ann:\n  ${up.timeline.join('\n  ')}`);
    // Three people, no switch, over a window as long as the switch's.
    await sleep(Date.now() - clickedAt);
    const steady3 = await readFreeze(ann, true);
    await cyd.context().browser()?.close();
    await inMode(ann, 'p2p');
    await sleep(settleMs);
    const down = await readFreeze(ann, true);
    if (process.env.E2E_TRACE) console.log(`3→2 timeline at Ann:\n  ${down.timeline.join('\n  ')}`);
    for (const [dir, r] of [
      ['up', up],
      ['down', down],
      ['steady3', steady3],
      ...(steady2 ? ([['steady2', steady2]] as const) : []),
    ] as const) {
      results[dir].tile.push(r.ui[benId] ?? Number.NaN);
      results[dir].media.push(r.media[benId] ?? Number.NaN);
    }
    console.log(
      `switch ${i + 1}: 2→3 tile ${up.ui[benId]} ms / media ${up.media[benId]} ms; 3→2 tile ${down.ui[benId]} ms / media ${down.media[benId]} ms; no switch: 2 ${steady2?.ui[benId]} / ${steady2?.media[benId]} ms, 3 ${steady3.ui[benId]} / ${steady3.media[benId]} ms`,
    );
  }
} finally {
  for (const browser of browsers) await browser.close().catch(() => {});
  await server.close();
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const max = (xs: number[]) => Math.max(...xs);
console.log('\n| switch | tile freeze p50 | tile freeze max | media gap p50 | media gap max |');
console.log('|---|---|---|---|---|');
for (const [dir, label] of [
  ['up', '2→3 (P2P→SFU)'],
  ['down', '3→2 (SFU→P2P)'],
  ['steady2', 'no switch: 2 in P2P, third on the pre-join screen'],
  ['steady3', 'no switch: 3 in SFU'],
] as const) {
  const r = results[dir];
  if (r.tile.length === 0) continue;
  console.log(
    `| ${label} | ${p50(r.tile)} ms | ${max(r.tile)} ms | ${p50(r.media)} ms | ${max(r.media)} ms |`,
  );
}
// node-datachannel's threads outlive the closed engine and would keep the process alive.
process.exit(0);
