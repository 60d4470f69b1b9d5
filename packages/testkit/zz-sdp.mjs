import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
const dir = mkdtempSync('/tmp/x/ffprof-');
const b = await puppeteer.launch({ browser: 'firefox', protocol: 'webDriverBiDi', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: dir, extraPrefsFirefox: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true } });
try {
  const p = await b.newPage();
  const out = await p.evaluate(async () => {
    const caps = RTCRtpReceiver.getCapabilities('video').codecs.concat(RTCRtpReceiver.getCapabilities('audio').codecs);
    const pc = new RTCPeerConnection();
    const res = [JSON.stringify(caps)];
    for (const kind of ['audio', 'video']) {
      const t = pc.addTransceiver(kind);
      const codecs = RTCRtpReceiver.getCapabilities(kind).codecs;
      const wanted = kind === 'video' ? /^video\/(vp8|rtx)$/i : /^audio\/(opus)$/i;
      t.setCodecPreferences(codecs.filter((c) => wanted.test(c.mimeType)));
    }
    const o = await pc.createOffer();
    res.push(o.sdp);
    return res.join('\n');
  });
  console.log(out);
} finally { await b.close(); rmSync(dir, { recursive: true, force: true }); }
