import { readFileSync } from 'node:fs';

/*
 * The SFU's added latency from a packet capture on loopback (tcpdump -w, nanosecond timestamps):
 * for every RTP packet the engine sent, the time since the kernel saw the packet it came from
 * arrive. Both times are the kernel's, taken at each sender's sendto(), so the figure holds the
 * engine's receive wake-up, its processing and its place in the fan-out of a burst, and none of
 * the load bots' own scheduling (which the bots' in-payload timestamps include).
 *
 * SRTP leaves the RTP header in clear, so packets are matched by header: an outgoing stream's
 * sequence numbers are its source's plus a constant (StreamRewriter), found as the most common
 * difference to the recent packets of the source. One publisher per payload type only, unless the
 * caller says which source each outgoing SSRC forwards (`sourceOf`, from the subscribers'
 * signalling): the bots' streams advance in lockstep, so with several sources a wrong one's
 * difference is as constant. An SFU with a port per PeerConnection (Janus) passes `isServerPort`.
 */

interface RtpPacket {
  at: number;
  ssrc: number;
  seq: number;
  pt: number;
}

export interface LatencyOptions {
  /** Whether a UDP port is the SFU's; by default the port in most packets (one port for all). */
  isServerPort?: (port: number) => boolean;
  /** Outgoing SSRC → the incoming SSRC it forwards; by default found by the sequence offsets. */
  sourceOf?: ReadonlyMap<number, number>;
}

export interface AddedLatency {
  /** Milliseconds, sorted. */
  samples: number[];
  /** Outgoing RTP packets that matched no incoming one (first sends only; resends are skipped). */
  unmatched: number;
  enginePort: number;
}

/** Reads a pcap (Ethernet-framed loopback, IPv4/UDP) and splits RTP by direction at the engine's port. */
function readRtp(
  path: string,
  isServerPort?: (port: number) => boolean,
): { incoming: RtpPacket[]; outgoing: RtpPacket[]; enginePort: number } {
  const buf = readFileSync(path);
  const magic = buf.readUInt32LE(0);
  const nano = magic === 0xa1b23c4d;
  if (!nano && magic !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian pcap file`);
  if (buf.readUInt32LE(20) !== 1) throw new Error(`${path}: expected Ethernet link type (lo)`);
  const udp: { at: number; src: number; dst: number; payload: Buffer }[] = [];
  const ports = new Map<number, number>();
  for (let off = 24; off + 16 <= buf.length; ) {
    const sec = buf.readUInt32LE(off);
    const frac = buf.readUInt32LE(off + 4);
    const caplen = buf.readUInt32LE(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + caplen);
    off += 16 + caplen;
    if (frame.length < 14 + 20 + 8 + 12 || frame.readUInt16BE(12) !== 0x0800) continue;
    const ihl = ((frame[14] as number) & 0x0f) * 4;
    if (frame[14 + 9] !== 17) continue;
    const u = 14 + ihl;
    const src = frame.readUInt16BE(u);
    const dst = frame.readUInt16BE(u + 2);
    udp.push({ at: sec * 1000 + frac / (nano ? 1e6 : 1e3), src, dst, payload: frame.subarray(u + 8) });
    ports.set(src, (ports.get(src) ?? 0) + 1);
    ports.set(dst, (ports.get(dst) ?? 0) + 1);
  }
  // Every flow has the engine at one end.
  const enginePort = isServerPort ? 0 : ([...ports].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0);
  const isEngine = isServerPort ?? ((port: number) => port === enginePort);
  const incoming: RtpPacket[] = [];
  const outgoing: RtpPacket[] = [];
  for (const { at, src, dst, payload } of udp) {
    const b0 = payload[0] as number;
    const b1 = payload[1] as number;
    // RTP version 2, and not RTCP (packet types 192–223 in the second byte).
    if (b0 >> 6 !== 2 || (b1 >= 192 && b1 <= 223) || payload.length < 12) continue;
    const p = { at, ssrc: payload.readUInt32BE(8), seq: payload.readUInt16BE(2), pt: b1 & 0x7f };
    if (isEngine(dst)) incoming.push(p);
    else if (isEngine(src)) outgoing.push(p);
  }
  return { incoming, outgoing, enginePort };
}

export function addedLatency(path: string, options: LatencyOptions = {}): AddedLatency {
  const { incoming, outgoing, enginePort } = readRtp(path, options.isServerPort);
  const { sourceOf } = options;
  const sources = new Map<number, Set<number>>();
  for (const p of incoming) sources.set(p.pt, (sources.get(p.pt) ?? new Set()).add(p.ssrc));
  if (!sourceOf && [...sources.values()].some((s) => s.size > 1))
    throw new Error('pcap latency: one publishing SSRC per payload type only, or pass sourceOf');
  const arrival = new Map<string, number>();
  for (const p of incoming) {
    const key = `${p.ssrc}:${p.seq}`;
    if (!arrival.has(key)) arrival.set(key, p.at);
  }
  // For each outgoing SSRC: its source SSRC and sequence offset, from its first packets.
  const mapping = new Map<number, { source: number; offset: number }>();
  const votes = new Map<number, Map<string, number>>();
  let recent: RtpPacket[] = [];
  let i = 0;
  for (const out of outgoing) {
    if (mapping.has(out.ssrc)) continue;
    while (i < incoming.length && (incoming[i] as RtpPacket).at <= out.at)
      recent.push(incoming[i++] as RtpPacket);
    recent = recent.filter((p) => out.at - p.at < 50);
    const tally = votes.get(out.ssrc) ?? new Map<string, number>();
    votes.set(out.ssrc, tally);
    const source = sourceOf?.get(out.ssrc);
    for (const p of recent) {
      if (p.pt !== out.pt || (sourceOf && p.ssrc !== source)) continue;
      const key = `${p.ssrc}:${(out.seq - p.seq) & 0xffff}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const best = [...tally].sort((a, b) => b[1] - a[1])[0];
    if (best && best[1] >= 20) {
      const [source, offset] = best[0].split(':').map(Number) as [number, number];
      mapping.set(out.ssrc, { source, offset });
    }
  }
  const samples: number[] = [];
  const sent = new Set<string>();
  let unmatched = 0;
  for (const out of outgoing) {
    const m = mapping.get(out.ssrc);
    const key = `${out.ssrc}:${out.seq}`;
    if (sent.has(key)) continue; // a resend answering a NACK
    sent.add(key);
    const inAt = m && arrival.get(`${m.source}:${(out.seq - m.offset) & 0xffff}`);
    if (inAt === undefined || out.at < inAt || out.at - inAt > 1000) unmatched++;
    else samples.push(out.at - inAt);
  }
  samples.sort((a, b) => a - b);
  return { samples, unmatched, enginePort };
}
