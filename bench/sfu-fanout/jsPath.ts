import { emptyStats } from '../../packages/server/src/sfu/MediaEngine.js';
import { Publication } from '../../packages/server/src/sfu/Publication.js';
import { Subscription } from '../../packages/server/src/sfu/Subscription.js';
import type { MediaTrack } from '../../packages/server/src/sfu/tracks.js';

/*
 * bench/sfu-fanout/jsPath.ts: the JavaScript share of forwarding alone, with no network and no
 * native send. One video Publication fans each packet out to --subscribers Subscriptions whose
 * tracks are no-op fakes; every packet carries a header extension to strip, a VP8 payload
 * descriptor with PictureID and TL0PICIDX (rewritten per subscriber) and a 1000-byte payload; one
 * in 100 starts a keyframe. Reports CPU time per received packet and per forwarded copy.
 *
 *   taskset -c 1 npx tsx bench/sfu-fanout/jsPath.ts --subscribers 30 --packets 400000
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const subscribers = arg('subscribers', 30);
const packets = arg('packets', 400_000);

const fake = (): MediaTrack => ({ isOpen: () => true, sendMessageBinary: () => true, onMessage: () => {} });
const stats = emptyStats();
const publication = new Publication('video', 'publisher', fake(), stats, () => {});
for (let i = 0; i < subscribers; i++) new Subscription(publication, fake(), 1000 + i, stats);

const POOL = 2000;
const pool = Array.from({ length: POOL }, (_, i) => {
  const b = Buffer.alloc(12 + 8 + 1000);
  b[0] = 0x90; // version 2, extension
  b[1] = 96;
  b.writeUInt32BE(0xabc, 8);
  b.writeUInt16BE(0xbede, 12);
  b.writeUInt16BE(1, 14);
  b[16] = 0x10;
  // VP8 payload descriptor as Chromium sends it: start of a frame, 15-bit PictureID, TL0PICIDX, TID.
  b[20] = 0x90;
  b[21] = 0xe0;
  b.writeUInt16BE(0x8000 | (i & 0x7fff), 22);
  b[24] = (i >> 2) & 0xff;
  b[25] = (i & 3) << 6;
  b[26] = i % 100 === 0 ? 0 : 1; // keyframe or not
  return b;
});
/**
 * A new SSRC (a publisher restart) this often keeps every outgoing stream under 32768 packets, so
 * that the code before the StreamRewriter fix of 2026-12-02 (which dropped a stream's packets as
 * stale from its 32769th on) can be compared like for like.
 */
const RESTART_EVERY = 10_000;
let sequence = 0;
// The packet is rewritten in place by forwarding, so each one is a fresh copy (as from the binding).
const run = (n: number) => {
  for (let i = 0; i < n; i++, sequence++) {
    const packet = Buffer.from(pool[sequence % POOL] as Buffer);
    packet.writeUInt16BE(sequence & 0xffff, 2);
    packet.writeUInt32BE((sequence * 30) >>> 0, 4);
    packet.writeUInt32BE(0xabc + Math.floor(sequence / RESTART_EVERY), 8);
    publication.receive(packet);
  }
};
run(packets / 2); // warm-up
const start = process.cpuUsage();
run(packets);
const cpu = process.cpuUsage(start);
const usPerPacket = (cpu.user + cpu.system) / packets;
console.log(
  JSON.stringify({
    subscribers,
    packets,
    usPerReceivedPacket: Number(usPerPacket.toFixed(3)),
    nsPerForwardedCopy: Number(((usPerPacket * 1000) / subscribers).toFixed(1)),
    forwarded: stats.rtpForwarded,
  }),
);
