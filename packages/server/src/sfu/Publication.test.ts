import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIO_LEVEL_ID, OPUS_PT, VP8_PT } from './codecs.js';
import type { Layer } from './Layer.js';
import { emptyStats, type MediaEngineStats } from './MediaEngine.js';
import { MAX_TRIES, REORDER_WAIT_MS } from './MissingPackets.js';
import { KEYFRAME_REQUEST_INTERVAL_MS, Publication } from './Publication.js';
import { buildSenderReport, parseRtcp, RTCP_RR, type SenderReport } from './rtcp.js';
import { parseRtp, type RtpFields, rtpPacket } from './rtp.js';
import type { DownTrack, MediaTrack } from './tracks.js';

/*
 * Publication alone, driven with synthetic RTP and RTCP: the publisher's track is a fake that
 * records the RTCP the engine sends back, and each subscriber is a DownTrack that records what it
 * was handed. No PeerConnection, no network; time is Vitest's fake `performance.now()`.
 */

/** The receive track as Publication sees it: records what is sent to the publisher. */
class FakeTrack implements MediaTrack {
  open = true;
  readonly sent: Buffer[] = [];
  isOpen(): boolean {
    return this.open;
  }
  sendMessageBinary(buffer: Buffer): boolean {
    this.sent.push(Buffer.from(buffer));
    return true;
  }
  onMessage(): void {}
  /** The PLIs and NACKs sent so far, parsed. */
  feedback() {
    return this.sent.map((p) => parseRtcp(p));
  }
}

interface Forwarded {
  packet: Buffer;
  layer: number;
  ssrc: number;
  sequence: number;
  timestamp: number;
  keyframe: boolean;
}

/** A subscriber that records every packet it is handed (copied: the buffer is reused). */
class RecordingDownTrack implements DownTrack {
  readonly got: Forwarded[] = [];
  readonly reports: [number, SenderReport][] = [];
  closed = false;
  forward(packet: Buffer, layer: Layer, sequence: number, timestamp: number, keyframe: boolean): void {
    this.got.push({
      packet: Buffer.from(packet),
      layer: layer.index,
      ssrc: layer.ssrc,
      sequence,
      timestamp,
      keyframe,
    });
  }
  relaySenderReport(source: number, sr: SenderReport): void {
    this.reports.push([source, sr]);
  }
  close(): void {
    this.closed = true;
  }
}

/** VP8 payload descriptor + frame start of a keyframe of `width`×`height` (RFC 7741, RFC 6386 §9.1). */
function vp8Keyframe(width: number, height: number): Buffer {
  const b = Buffer.from([0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0, 0xaa, 0xbb]);
  b.writeUInt16LE(width, 7);
  b.writeUInt16LE(height, 9);
  return b;
}
const vp8Delta = () => Buffer.from([0x10, 0x01, 0x02, 0x03, 0x04]);

function video(fields: Partial<RtpFields>, payload: Buffer = vp8Delta()): Buffer {
  return rtpPacket({ payloadType: VP8_PT, sequence: 1, timestamp: 1000, ssrc: 0xa0, ...fields }, payload);
}

/** A one-byte-form (0xBEDE) extension block holding one element. */
const oneByteExtension = (id: number, value: number[]) => ({
  profile: 0xbede,
  data: Uint8Array.from([(id << 4) | (value.length - 1), ...value]),
});

let stats: MediaEngineStats;
let track: FakeTrack;
let levels: [string, number][];

function publication(kind: 'audio' | 'video'): Publication {
  return new Publication(kind, 'alice', track, stats, (id, level) => levels.push([id, level]));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
  vi.advanceTimersByTime(10_000);
  stats = emptyStats();
  track = new FakeTrack();
  levels = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Publication: what it accepts', () => {
  it.each([
    ['oversized', Buffer.concat([video({}), Buffer.alloc(1500)]), 'oversized'],
    ['truncated', video({}).subarray(0, 10), 'malformed'],
    ['version 1', Buffer.from([0x40, ...video({}).subarray(1)]), 'malformed'],
    [
      'Opus on the video track',
      rtpPacket({ payloadType: OPUS_PT, sequence: 1, timestamp: 1, ssrc: 1 }, Buffer.alloc(10)),
      'payloadType',
    ],
  ] as const)('drops %s (counted as %s)', (_name, packet, reason) => {
    const pub = publication('video');
    const down = new RecordingDownTrack();
    pub.addSubscriber(down);
    pub.receive(packet);
    expect(down.got).toEqual([]);
    expect(stats.dropped[reason]).toBe(1);
    expect(stats.rtpReceived).toBe(0);
  });

  it('learns the SSRC from the first packet and starts over on a new one (a restarted stream)', () => {
    const pub = publication('video');
    pub.receive(video({ ssrc: 0xa0 }));
    expect(pub.layers.map((l) => l?.ssrc)).toEqual([0xa0]);
    pub.receive(video({ ssrc: 0xb0 }));
    expect(pub.layers.map((l) => l?.ssrc)).toEqual([0xb0]);
    expect(pub.layerBySsrc(0xa0)).toBeUndefined();
    expect(stats.rtpReceived).toBe(2);
  });

  it('with simulcast maps each declared SSRC to its layer and drops undeclared ones', () => {
    const pub = publication('video');
    pub.declareLayers([0x10, 0x20, 0x30]);
    expect(pub.simulcast).toBe(true);
    pub.receive(video({ ssrc: 0x30 }));
    pub.receive(video({ ssrc: 0x10 }));
    pub.receive(video({ ssrc: 0x99 }));
    expect(pub.layers.map((l) => l?.index)).toEqual([0, undefined, 2]);
    expect(stats.dropped.malformed).toBe(1);
  });
});

describe('Publication: fan-out', () => {
  it('strips header extensions in place and hands every subscriber the same packet', () => {
    const pub = publication('video');
    const a = new RecordingDownTrack();
    const b = new RecordingDownTrack();
    pub.addSubscriber(a);
    pub.addSubscriber(b);
    pub.addSubscriber(a); // once only
    const payload = vp8Delta();
    pub.receive(video({ sequence: 7, timestamp: 900, extension: oneByteExtension(3, [1, 2]) }, payload));
    expect(a.got).toHaveLength(1);
    expect(b.got).toHaveLength(1);
    const got = a.got[0] as Forwarded;
    expect(got).toMatchObject({ layer: 0, ssrc: 0xa0, sequence: 7, timestamp: 900, keyframe: false });
    expect(parseRtp(got.packet)).toMatchObject({ extensionOffset: -1, payloadOffset: 12, sequence: 7 });
    expect(got.packet.subarray(12)).toEqual(payload);
    pub.removeSubscriber(a);
    pub.receive(video({ sequence: 8 }));
    expect([a.got.length, b.got.length]).toEqual([1, 2]);
  });

  it('detects VP8 keyframes and learns the layer size from them', () => {
    const pub = publication('video');
    const down = new RecordingDownTrack();
    pub.addSubscriber(down);
    pub.receive(video({ sequence: 1 }, vp8Keyframe(640, 360)));
    pub.receive(video({ sequence: 2 }));
    expect(down.got.map((g) => g.keyframe)).toEqual([true, false]);
    expect(pub.layer(0)).toMatchObject({ width: 640, height: 360 });
  });

  it('shows the recorder tap each packet before the subscribers', () => {
    const pub = publication('video');
    const order: string[] = [];
    pub.onRtp = (packet, layer, keyframe) => order.push(`tap ${packet.length} ${layer} ${keyframe}`);
    pub.addSubscriber({
      forward: () => order.push('forward'),
      relaySenderReport: () => {},
      close: () => {},
    });
    pub.receive(video({ extension: oneByteExtension(3, [1]) }, vp8Keyframe(320, 180)));
    expect(order).toEqual([`tap ${12 + 13} 0 true`, 'forward']);
  });

  it('reads the RFC 6464 audio level of audio packets', () => {
    const pub = publication('audio');
    /** `byte`: the V bit (voice activity) and the level in -dBov. */
    const audio = (byte: number) =>
      rtpPacket(
        {
          payloadType: OPUS_PT,
          sequence: 1,
          timestamp: 1,
          ssrc: 5,
          extension: oneByteExtension(AUDIO_LEVEL_ID, [byte]),
        },
        Buffer.alloc(20),
      );
    pub.receive(audio(0x80 | 30));
    pub.receive(rtpPacket({ payloadType: OPUS_PT, sequence: 2, timestamp: 2, ssrc: 5 }, Buffer.alloc(20)));
    pub.receive(audio(127));
    pub.receive(audio(0)); // loudest, no voice flag
    expect(levels).toEqual([
      ['alice', 30],
      ['alice', 127],
      ['alice', 0],
    ]);
  });

  it("relays the publisher's sender reports of known SSRCs to every subscriber", () => {
    const pub = publication('video');
    const down = new RecordingDownTrack();
    pub.addSubscriber(down);
    pub.receive(video({ ssrc: 0xa0 }));
    pub.receive(buildSenderReport(0xa0, 1, 2, 3, 4, 5));
    pub.receive(buildSenderReport(0xdead, 1, 2, 3, 4, 5));
    expect(down.reports).toEqual([[0xa0, { ssrc: 0xa0, ntpSeconds: 1, ntpFraction: 2, rtpTimestamp: 3 }]]);
    expect(stats.rtcpReceived).toBe(2);
  });

  it('closes its subscribers when it closes', () => {
    const pub = publication('video');
    const down = new RecordingDownTrack();
    pub.addSubscriber(down);
    pub.close();
    expect(down.closed).toBe(true);
  });
});

describe('Publication: RTCP to the publisher', () => {
  it('asks for a keyframe of a layer with a PLI, at most once per interval', () => {
    const pub = publication('video');
    pub.declareLayers([0x10, 0x20]);
    pub.requestKeyframe(1); // nothing of layer 1 (or any) has arrived: no SSRC to ask
    pub.receive(video({ ssrc: 0x10 }));
    pub.receive(video({ ssrc: 0x20 }));
    pub.requestKeyframe(1);
    pub.requestKeyframe(1);
    pub.requestKeyframe(0);
    vi.advanceTimersByTime(KEYFRAME_REQUEST_INTERVAL_MS);
    pub.requestKeyframe(1);
    expect(track.feedback().map((f) => f.keyframeFor)).toEqual([[0x20], [0x10], [0x20]]);
    expect(stats.keyframeRequests).toBe(3);
  });

  it('asks nothing of an audio track, nor of a closed one', () => {
    const audio = publication('audio');
    audio.receive(rtpPacket({ payloadType: OPUS_PT, sequence: 1, timestamp: 1, ssrc: 5 }, Buffer.alloc(20)));
    audio.requestKeyframe(0);
    const pub = publication('video');
    pub.receive(video({}));
    track.open = false;
    pub.requestKeyframe(0);
    expect(track.sent).toEqual([]);
  });

  it('NACKs packets lost on the way in, once they are past reordering', () => {
    const pub = publication('video');
    pub.receive(video({ sequence: 10 }));
    pub.receive(video({ sequence: 13 }));
    expect(track.sent).toEqual([]); // 11 and 12 may still come out of order
    vi.advanceTimersByTime(REORDER_WAIT_MS);
    pub.receive(video({ sequence: 14 }));
    expect(track.feedback().flatMap((f) => f.nacks)).toEqual([{ ssrc: 0xa0, sequences: [11, 12] }]);
    expect(stats.nacksSent).toBe(2);
  });

  it('asks for a keyframe once a packet it NACKed never comes: no subscriber can decode on without one', () => {
    const pub = publication('video');
    let sequence = 10;
    pub.receive(video({ sequence }));
    sequence += 2; // 11 is lost on the way in, and every retransmission of it too
    for (let ms = 0; ms < 1200; ms += 10) {
      pub.receive(video({ sequence: sequence++ }));
      vi.advanceTimersByTime(10);
    }
    const feedback = track.feedback();
    expect(feedback.flatMap((f) => f.nacks.flatMap((n) => n.sequences))).toEqual(Array(MAX_TRIES).fill(11));
    expect(feedback.flatMap((f) => f.keyframeFor)).toEqual([0xa0]);
    expect(stats.upstreamLost).toBe(1);
  });

  it('asks for no keyframe when the last retransmission comes', () => {
    const pub = publication('video');
    let sequence = 10;
    pub.receive(video({ sequence }));
    sequence += 2;
    for (let ms = 0; ms < 1200; ms += 10) {
      if (ms === 250) pub.receive(video({ sequence: 11 })); // after the third request (≈ 210 ms)
      pub.receive(video({ sequence: sequence++ }));
      vi.advanceTimersByTime(10);
    }
    expect(track.feedback().flatMap((f) => f.keyframeFor)).toEqual([]);
    expect(stats.upstreamLost).toBe(0);
  });

  it('reports reception per layer, with a REMB for video', () => {
    const pub = publication('video');
    pub.declareLayers([0x10, 0x20]);
    pub.sendReports(1_000_000);
    expect(track.sent).toEqual([]); // nothing received: nothing to report
    pub.receive(video({ ssrc: 0x10 }));
    pub.receive(video({ ssrc: 0x20 }));
    pub.sendReports(1_000_000);
    const [packet] = track.sent as [Buffer];
    expect(packet[1]).toBe(RTCP_RR);
    expect((packet[0] as number) & 0x1f).toBe(2);
    expect([packet.readUInt32BE(8), packet.readUInt32BE(32)]).toEqual([0x10, 0x20]);
    expect(parseRtcp(packet).remb).toBe(1_000_000);
    expect(stats.receiverReports).toBe(1);
  });
});
