/*
 * E2EE cost per frame in Chromium at 720p (issue 4, item 8). Usage:
 *
 *   npx tsx bench/e2ee/run.ts [frames per round, default 300] [rounds, default 3]
 *
 * Bundles page.ts (esbuild, the workspace sources), serves it on 127.0.0.1, opens it in the
 * e2e tests' headless Chromium (fake 1280×720 camera), and prints per-frame encrypt/decrypt times,
 * bytes added per frame and the CPU share they cost at 30 video + 50 audio frames per second.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@conclave/testkit/browser';
import { build } from 'esbuild';
import type { BenchResult } from './page.js';

const count = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 3);

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
  bundle: true,
  format: 'iife',
  write: false,
  conditions: ['source'],
  target: 'es2022',
});
const js = bundle.outputFiles[0]?.text ?? '';
const server = http.createServer((req, res) => {
  if (req.url === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(js);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><script src="/bench.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await launchChromium();
const results: BenchResult[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    results.push(
      await page.evaluate(
        (n) => (globalThis as unknown as { runBench(n: number): Promise<BenchResult> }).runBench(n),
        count,
      ),
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

const all = (pick: (r: BenchResult) => number[]) => results.flatMap(pick).sort((a, b) => a - b);
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const f = (x: number, d = 3) => x.toFixed(d);

const ve = all((r) => r.video.encryptMs);
const vd = all((r) => r.video.decryptMs);
const ae = all((r) => r.audio.encryptMs);
const ad = all((r) => r.audio.decryptMs);
const vb = all((r) => r.video.bytesAdded);
const ab = all((r) => r.audio.bytesAdded);
// One participant sending 720p30 + Opus 50/s, and receiving the same from one other.
const sendMsPerSecond = 30 * mean(ve) + 50 * mean(ae);
const recvMsPerSecond = 30 * mean(vd) + 50 * mean(ad);

console.log(
  `machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `frames: ${results.map((r) => `${r.frames} (${r.keyFrames} key, mean ${Math.round(r.meanFrameBytes)} B)`).join('; ')}`,
);
console.log(`decrypt failures: ${results.reduce((s, r) => s + r.decryptFailures, 0)}`);
console.log('');
console.log('| per frame | median ms | p95 ms | mean ms |');
console.log('| --- | --- | --- | --- |');
console.log(`| VP8 720p encrypt | ${f(q(ve, 0.5))} | ${f(q(ve, 0.95))} | ${f(mean(ve))} |`);
console.log(`| VP8 720p decrypt | ${f(q(vd, 0.5))} | ${f(q(vd, 0.95))} | ${f(mean(vd))} |`);
console.log(`| Opus encrypt | ${f(q(ae, 0.5))} | ${f(q(ae, 0.95))} | ${f(mean(ae))} |`);
console.log(`| Opus decrypt | ${f(q(ad, 0.5))} | ${f(q(ad, 0.95))} | ${f(mean(ad))} |`);
console.log('');
console.log(
  `bytes added per video frame: min ${vb[0]}, median ${q(vb, 0.5)}, max ${vb[vb.length - 1]}; per audio frame: min ${ab[0]}, max ${ab[ab.length - 1]}`,
);
console.log(
  `CPU at 30 video + 50 audio frames/s: sending ${f(sendMsPerSecond / 10, 2)} % of one core, receiving one participant ${f(recvMsPerSecond / 10, 2)} % of one core`,
);
