import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPUS_CLOCK, OPUS_PT, VP8_CLOCK, VP8_PT } from './codecs.js';
import { Layer } from './Layer.js';
import { emptyStats, type MediaEngineStats } from './MediaEngine.js';
import { buildNack, buildPli, buildReceiverReport, buildRemb, parseRtcp, RTCP_SR } from './rtcp.js';
import { parseRtp, rtpPacket } from './rtp.js';
import { Subscription } from './Subscription.js';
import type { DownTrack, MediaTrack, UpTrack } from './tracks.js';
import { readVp8Ids, vp8Ids } from './vp8.js';

/*
 * Subscription alone: its publication is a fake UpTrack that forwards synthetic packets the way
 * Publication does (cache, then forward), and its send track is a fake that records what leaves
 * and delivers the subscriber's RTCP. No PeerConnection, no network; time is Vitest's fake
 * `performance.now()`.
 */

/** The send track to the subscriber. */
class FakeTrack implements MediaTrack {
  open = true;
  throws = false;
  readonly sent: Buffer[] = [];
  #listener: ((msg: Buffer) => void) | undefined;
  isOpen(): boolean {
    return this.open;
  }
  sendMessageBinary(buffer: Buffer): boolean {
    if (this.throws) throw new Error('Track is closed');
    this.sent.push(Buffer.from(buffer));
    return true;
  }
  onMessage(cb: (msg: Buffer) => void): void {
    this.#listener = cb;
  }
  /** RTCP from the subscriber. */
  deliver(packet: Buffer): void {
    this.#listener?.(packet);
  }
  rtp() {
    return this.sent
      .filter((p) => p[1] !== RTCP_SR)
      .map((p) => ({ header: parseRtp(p), payload: p.subarray(12) }));
  }
}

/** A publication with `layerCount` layers, as a Subscription sees it. */
class FakeUpTrack implements UpTrack {
  readonly ownerId = 'alice';
  readonly source = 'camera' as const;
  readonly video: boolean;
  readonly clockRate: number;
  readonly layers: Layer[];
  readonly keyframeRequests: number[] = [];
  readonly subscribers = new Set<DownTrack>();
  readonly #sequences: number[];

  constructor(
    readonly kind: 'audio' | 'video',
    layerCount = 1,
  ) {
    this.video = kind === 'video';
    this.clockRate = this.video ? VP8_CLOCK : OPUS_CLOCK;
    this.layers = Array.from(
      { length: layerCount },
      (_, i) => new Layer(0x100 + i, i, this.video, this.clockRate),
    );
    this.#sequences = this.layers.map((_, i) => 1000 * (i + 1));
  }

  layerBySsrc(ssrc: number): Layer | undefined {
    return this.layers.find((l) => l.ssrc === ssrc);
  }
  requestKeyframe(index: number): void {
    this.keyframeRequests.push(index);
  }
  addSubscriber(down: DownTrack): void {
    this.subscribers.add(down);
  }
  removeSubscriber(down: DownTrack): void {
    this.subscribers.delete(down);
  }

  /** The next packet of layer `index`, cached and fanned out as Publication does; returns its sequence. */
  send(
    index: number,
    keyframe = false,
    payload = Buffer.from([0x10, keyframe ? 0 : 1, index, 0xee]),
  ): number {
    const layer = this.layers[index] as Layer;
    const sequence = this.#sequences[index] as number;
    this.#sequences[index] = sequence + 1;
    const timestamp = sequence * 3000;
    const now = performance.now();
    const packet = rtpPacket(
      { payloadType: this.video ? VP8_PT : OPUS_PT, sequence, timestamp, ssrc: layer.ssrc },
      payload,
    );
    const ids = vp8Ids();
    if (this.video) readVp8Ids(packet, 12, packet.length, ids);
    layer.cache?.put(packet, sequence, timestamp, now, ids.pictureId, ids.tl0PicIdx);
    for (const sub of this.subscribers)
      sub.forward(Buffer.from(packet), layer, sequence, timestamp, keyframe, now, ids);
    return sequence;
  }
}

const SSRC = 0x5eed;
let stats: MediaEngineStats;
let track: FakeTrack;
let bandwidth: number[];
let reception: [number, number][];

function subscribe(up: UpTrack): Subscription {
  return new Subscription(up, track, SSRC, stats, {
    remb: (bps) => bandwidth.push(bps),
    reception: (lost, expected) => reception.push([lost, expected]),
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
  vi.advanceTimersByTime(10_000);
  stats = emptyStats();
  track = new FakeTrack();
  bandwidth = [];
  reception = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Subscription: forwarding', () => {
  it('forwards audio at once, rewritten into one continuous stream of its own SSRC', () => {
    const up = new FakeUpTrack('audio');
    const sub = subscribe(up);
    expect(up.subscribers.has(sub)).toBe(true);
    up.send(0);
    up.send(0);
    const out = track.rtp();
    expect(out.map((p) => p.header?.ssrc)).toEqual([SSRC, SSRC]);
    const [a, b] = out.map((p) => p.header) as [
      NonNullable<(typeof out)[0]['header']>,
      NonNullable<(typeof out)[0]['header']>,
    ];
    expect((b.sequence - a.sequence) & 0xffff).toBe(1);
    expect((b.timestamp - a.timestamp) >>> 0).toBe(3000);
    expect(out[0]?.payload).toEqual(Buffer.from([0x10, 1, 0, 0xee]));
    expect(stats.rtpForwarded).toBe(2);
  });

  it('sends nothing until its track is open, then asks for a keyframe for the new viewer', () => {
    const up = new FakeUpTrack('video');
    track.open = false;
    subscribe(up);
    up.send(0, true);
    expect(track.sent).toEqual([]);
    expect(up.keyframeRequests).toEqual([]);
    track.open = true;
    up.send(0, true);
    expect(up.keyframeRequests).toEqual([0]);
    expect(track.rtp()).toHaveLength(1);
  });

  it("asks for its viewer's keyframe as soon as the subscriber's connection is up, before any packet", () => {
    const up = new FakeUpTrack('video', 3);
    track.open = false;
    const sub = subscribe(up);
    sub.setTarget(1);
    sub.connected(); // the connection's state can come before the track opens: nothing yet
    expect(up.keyframeRequests).toEqual([]);
    track.open = true;
    sub.connected();
    expect(up.keyframeRequests).toEqual([1]);
    sub.connected(); // once
    // Then as before: a delta frame it must drop asks again (Publication rate-limits), a keyframe starts it.
    up.send(1);
    up.send(1, true);
    expect(up.keyframeRequests).toEqual([1, 1]);
    expect(track.rtp()).toHaveLength(1);
    expect(sub.currentLayer).toBe(1);
  });

  it('starts video on a keyframe of its target layer, asking for one meanwhile', () => {
    const up = new FakeUpTrack('video');
    const sub = subscribe(up);
    expect(sub.currentLayer).toBe(-1);
    up.send(0);
    up.send(0);
    expect(track.rtp()).toEqual([]);
    expect(up.keyframeRequests).toEqual([0, 0, 0]); // on open, then for each packet it had to drop
    up.send(0, true);
    up.send(0);
    expect(track.rtp()).toHaveLength(2);
    expect(sub.currentLayer).toBe(0);
  });

  it('switches layer only at a keyframe of the new one, with no gap in its sequence numbers', () => {
    const up = new FakeUpTrack('video', 2);
    const sub = subscribe(up);
    up.send(0, true);
    sub.setTarget(1);
    expect(up.keyframeRequests).toEqual([0, 1]);
    up.send(1); // not a keyframe: dropped, layer 0 goes on
    up.send(0);
    up.send(1, true);
    up.send(0); // the old layer is no longer forwarded
    up.send(1);
    const out = track.rtp();
    expect(out.map((p) => p.payload[2])).toEqual([0, 0, 1, 1]);
    const sequences = out.map((p) => p.header?.sequence as number);
    expect(sequences.slice(1).map((s, i) => (s - (sequences[i] as number)) & 0xffff)).toEqual([1, 1, 1]);
    expect(sub.currentLayer).toBe(1);
  });

  it('keeps VP8 PictureID and TL0PICIDX continuous across a layer switch, retransmissions too', () => {
    const up = new FakeUpTrack('video', 2);
    const sub = subscribe(up);
    // Each layer counts both from a start of its own, as Chromium's simulcast layers do.
    const vp8 = (pictureId: number, tl0: number, keyframe = false) =>
      Buffer.from([0x90, 0xc0, 0x80 | (pictureId >> 8), pictureId & 0xff, tl0, keyframe ? 0 : 1]);
    up.send(0, true, vp8(20_000, 200, true));
    up.send(0, false, vp8(20_001, 201));
    sub.setTarget(1);
    up.send(1, true, vp8(1_400, 74, true));
    up.send(1, false, vp8(1_401, 75));
    const ids = () =>
      track.rtp().map(({ payload: p }) => [((p[2] as number) & 0x7f) * 256 + (p[3] as number), p[4]]);
    expect(ids()).toEqual([
      [20_000, 200],
      [20_001, 201],
      [20_002, 202],
      [20_003, 203],
    ]);
    const last = track.rtp()[3]?.header?.sequence as number;
    track.sent.length = 0;
    track.deliver(buildNack(9, SSRC, [last]));
    expect(ids()).toEqual([[20_003, 203]]);
  });

  it('pauses at target -1 and resumes on the next keyframe', () => {
    const up = new FakeUpTrack('video');
    const sub = subscribe(up);
    up.send(0, true);
    sub.setTarget(-1);
    up.send(0, true);
    expect(track.rtp()).toHaveLength(1);
    sub.setTarget(0);
    up.send(0);
    up.send(0, true);
    expect(track.rtp()).toHaveLength(2);
  });

  it('stops when its track closes underneath, and leaves its publication on close', () => {
    const up = new FakeUpTrack('audio');
    const sub = subscribe(up);
    up.send(0);
    track.throws = true;
    up.send(0);
    track.throws = false;
    up.send(0);
    expect(track.rtp()).toHaveLength(1);
    sub.close();
    expect(up.subscribers.size).toBe(0);
  });
});

describe("Subscription: the subscriber's RTCP", () => {
  it('answers NACKs from the cache, in its own sequence and SSRC space', () => {
    const up = new FakeUpTrack('video');
    subscribe(up);
    up.send(0, true);
    up.send(0, false, Buffer.from([0x10, 1, 0, 0x42]));
    up.send(0);
    const lost = track.rtp()[1]?.header?.sequence as number;
    track.sent.length = 0;
    track.deliver(buildNack(9, SSRC, [lost, (lost + 100) & 0xffff]));
    const [again] = track.rtp();
    expect(again?.header).toMatchObject({ sequence: lost, ssrc: SSRC });
    expect(again?.payload).toEqual(Buffer.from([0x10, 1, 0, 0x42]));
    expect(stats).toMatchObject({ nacksReceived: 2, retransmitted: 1, nackMisses: 1 });
  });

  it('ignores NACKs for other SSRCs and rate-limits a flood', () => {
    const up = new FakeUpTrack('video');
    subscribe(up);
    up.send(0, true);
    const first = track.rtp()[0]?.header?.sequence as number;
    track.deliver(buildNack(9, SSRC + 1, [first]));
    expect(stats.nacksReceived).toBe(0);
    // 16 NACK messages' worth of one sequence number: more than the bucket holds.
    track.deliver(Buffer.concat(Array.from({ length: 16 }, () => buildNack(9, SSRC, Array(17).fill(first)))));
    expect(stats.nacksReceived).toBe(16 * 17);
    expect(stats.retransmitted).toBe(200);
    expect(stats.dropped.nackRateLimited).toBe(16 * 17 - 200);
  });

  it('passes keyframe requests for its SSRC upstream, for the layer it wants', () => {
    const up = new FakeUpTrack('video', 2);
    const sub = subscribe(up);
    up.send(0, true);
    sub.setTarget(1);
    up.keyframeRequests.length = 0;
    track.deliver(buildPli(9, SSRC));
    track.deliver(buildPli(9, SSRC + 1));
    expect(up.keyframeRequests).toEqual([1]);
  });

  it('reports the REMB estimate and counts malformed RTCP', () => {
    subscribe(new FakeUpTrack('video'));
    track.deliver(buildRemb(9, 750_000, [SSRC]));
    track.deliver(Buffer.from([0x80, 0xc8, 0x00, 0x40, 0, 0, 0, 0]));
    track.deliver(rtpPacket({ payloadType: VP8_PT, sequence: 1, timestamp: 1, ssrc: 1 }, Buffer.alloc(4)));
    expect(bandwidth).toEqual([750_000]);
    expect(stats.rembReceived).toBe(1);
    expect(stats.rtcpReceived).toBe(2);
    expect(stats.dropped.malformed).toBe(1);
  });

  it("turns the subscriber's reports of its SSRC into packets expected and lost for good since the previous one", () => {
    subscribe(new FakeUpTrack('video'));
    const block = (highestSequence: number, cumulativeLost: number, ssrc = SSRC, fractionLost = 0) => ({
      ssrc,
      fractionLost,
      cumulativeLost,
      highestSequence,
      jitter: 0,
      lastSenderReport: 0,
      delaySinceLastSenderReport: 0,
    });
    track.deliver(buildReceiverReport(9, [block(1000, 7)])); // the first only sets where counting starts
    track.deliver(buildReceiverReport(9, [block(1200, 57), block(5000, 900, SSRC + 1)])); // 50 of 200
    track.deliver(buildReceiverReport(9, [block(1200, 57)])); // the same report again: nothing new
    // A report sent as the receiver asks for a retransmission: its fraction says 1 of 2 lost...
    track.deliver(buildReceiverReport(9, [block(1202, 58, SSRC, 128)]));
    // ...and the retransmission arrived before the next: the gap is no longer counted.
    track.deliver(buildReceiverReport(9, [block(1210, 57)]));
    track.deliver(buildReceiverReport(9, [block(0x1_0000 + 100, 57)])); // across a sequence cycle
    track.deliver(buildReceiverReport(9, [block(5, 57)])); // backwards (bogus): ignored
    expect(reception).toEqual([
      [50, 200],
      [1, 2],
      [-1, 8],
      [0, 0x1_0000 + 100 - 1210],
    ]);
  });

  it('ignores RTCP once closed', () => {
    const sub = subscribe(new FakeUpTrack('video'));
    sub.close();
    track.deliver(buildRemb(9, 750_000, [SSRC]));
    expect(bandwidth).toEqual([]);
  });
});

describe("Subscription: the publisher's sender reports", () => {
  it('relays those of the SSRC that feeds it now, in its own timestamp space and counts', () => {
    const up = new FakeUpTrack('audio', 2);
    const sub = subscribe(up);
    up.send(0);
    up.send(0);
    const [first] = track.rtp();
    const sr = { ssrc: 0x100, ntpSeconds: 77, ntpFraction: 88, rtpTimestamp: 1000 * 3000 };
    sub.relaySenderReport(0x101, { ...sr, ssrc: 0x101 });
    sub.relaySenderReport(0x100, sr);
    const reports = track.sent.filter((p) => p[1] === RTCP_SR);
    expect(reports).toHaveLength(1);
    const report = reports[0] as Buffer;
    expect(parseRtcp(report).senderReports).toEqual([
      { ssrc: SSRC, ntpSeconds: 77, ntpFraction: 88, rtpTimestamp: first?.header?.timestamp },
    ]);
    expect([report.readUInt32BE(20), report.readUInt32BE(24)]).toEqual([2, 2 * 4]);
    expect(stats.senderReportsRelayed).toBe(1);
  });
});

describe('Subscription: lip sync across a layer switch', () => {
  it("places the new layer's packets on the wall clock that the relayed reports told the subscriber", () => {
    const up = new FakeUpTrack('video', 2);
    const sub = subscribe(up);
    const [low, high] = up.layers as [Layer, Layer];
    // Layer 0's first packet (sequence 1000, timestamp 3_000_000) was captured at NTP 1000 s.
    low.senderReport({ ssrc: low.ssrc, ntpSeconds: 1000, ntpFraction: 0, rtpTimestamp: 3_000_000 });
    up.send(0, true);
    sub.relaySenderReport(low.ssrc, {
      ssrc: low.ssrc,
      ntpSeconds: 1000,
      ntpFraction: 0,
      rtpTimestamp: 3_000_000,
    });
    // Layer 1's timestamps have their own offset: its packet 2000 (timestamp 6_000_000) was
    // captured 100 ms after its report of NTP 1001 s, i.e. 1.1 s after layer 0's first packet.
    high.senderReport({ ssrc: high.ssrc, ntpSeconds: 1001, ntpFraction: 0, rtpTimestamp: 6_000_000 - 9000 });
    sub.setTarget(1);
    vi.advanceTimersByTime(300); // it arrives earlier than its capture time says: arrival must not matter
    up.send(1, true);
    const [first, switched] = track.rtp().map((p) => p.header?.timestamp ?? 0);
    expect(((switched ?? 0) - (first ?? 0)) >>> 0).toBe(99_000); // 1.1 s at 90 kHz
    // Layer 1's own reports, relayed now, state the same relation.
    sub.relaySenderReport(high.ssrc, {
      ssrc: high.ssrc,
      ntpSeconds: 1001,
      ntpFraction: 0,
      rtpTimestamp: 5_991_000,
    });
    const relayed = track.sent.filter((p) => p[1] === RTCP_SR).map((p) => parseRtcp(p).senderReports[0]);
    expect(((relayed[1]?.rtpTimestamp ?? 0) - (relayed[0]?.rtpTimestamp ?? 0)) >>> 0).toBe(VP8_CLOCK);
  });
});
