import { it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startE2EServerWith } from './support/server.js';

it('debug', { timeout: 300_000 }, async () => {
  const server = await startE2EServerWith({ media: { port: 0 } });
  const browser = await launchChromium();
  const mode = process.env.DBG_MODE ?? 'fragment';
  const pages = [];
  for (const n of ['A', 'B']) {
    const page = await (await browser.newContext()).newPage();
    page.on('console', (m) => console.log(n, 'console', m.text()));
    const frag = mode === 'fragment' ? '&e2ee=secret phrase' : '';
    await page.goto(`${server.url}/DebugRoomWithLongName#name=${n}&prejoin=0${frag}`);
    pages.push(page);
  }
  await new Promise((r) => setTimeout(r, 8000));
  if (mode === 'late')
    for (const p of pages)
      await p.evaluate(() => (globalThis as any).conclave.conference.setE2EE('secret phrase'));
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 8000));
    for (const [n, page] of pages.entries()) {
      const s = await page.evaluate(async () => {
        const c = (globalThis as any).conclave?.conference;
        const r = await c.getStats();
        const out: any[] = [
          { e2ee: c.e2eeEnabled, mode: c.mediaMode, st: typeof (globalThis as any).RTCRtpScriptTransform },
        ];
        r.forEach((s: any) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video')
            out.push({
              in: 1,
              fr: s.framesReceived,
              fd: s.framesDecoded,
              kfd: s.keyFramesDecoded,
              drop: s.framesDropped,
              pli: s.pliCount,
              fir: s.firCount,
              nack: s.nackCount,
              dec: s.decoderImplementation,
              codec: s.codecId,
            });
          if (s.type === 'outbound-rtp' && s.kind === 'video')
            out.push({
              out: 1,
              fe: s.framesEncoded,
              kfe: s.keyFramesEncoded,
              pli: s.pliCount,
              fir: s.firCount,
              enc: s.encoderImplementation,
              codec: s.codecId,
              q: s.qualityLimitationReason,
            });
          if (s.type === 'codec') out.push({ codec: s.id, mime: s.mimeType });
        });
        return out;
      });
      console.log(i, n, JSON.stringify(s));
    }
  }
  await browser.close();
  await server.close();
});
