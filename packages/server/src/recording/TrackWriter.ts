import { type FileHandle, open } from 'node:fs/promises';
import {
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedVideoPacketSource,
  Output,
  StreamTarget,
  WebMOutputFormat,
} from 'mediabunny';
import { OPUS_CLOCK, VP8_CLOCK } from '../sfu/codecs.js';
import { readRtpHeader, rtpHeader } from '../sfu/rtp.js';
import { JitterBuffer } from './JitterBuffer.js';
import { type SenderClock, SyncGroup, TrackTimeline } from './TrackTimeline.js';
import { Vp8Depacketizer } from './vp8Depacketizer.js';

/** Opens the track's file; `fs/promises.open` except in tests that make the disk fail. */
export type OpenFile = (path: string, flags: string, mode: number) => Promise<FileHandle>;

/** Bytes the muxer collects before each write. */
const CHUNK_BYTES = 1 << 20;

/** How long a missing packet is waited for before it is declared lost. */
const JITTER_MS = 150;

export interface TrackSummary {
  file: string;
  kind: 'audio' | 'video';
  /** Participant number in order of appearance (never a name, PRIVACY P5). */
  participant: number;
  /** Present for a shared screen (and the audio captured with it); absent for a camera or microphone. */
  source?: 'screen' | undefined;
  /** Seconds from the start of the recording to the track's first frame. */
  start: number;
  /** Seconds from the start of the recording to the end of the track's last frame. */
  end: number;
  frames: number;
  lostPackets: number;
  width?: number | undefined;
  height?: number | undefined;
}

/**
 * One participant's audio or video track, from RTP to a WebM file (Opus or VP8, remuxed, never
 * transcoded) with mediabunny. Timing (TrackTimeline): RTP timestamps place every frame, so a
 * silence or a frozen camera keeps its length; the publisher's sender reports put the track on the
 * same clock as the sender's other tracks (lip sync), and until the first one the first packet's
 * arrival anchors it, so tracks of different people line up.
 */
export class TrackWriter {
  #jitter = new JitterBuffer(JITTER_MS);
  #vp8 = new Vp8Depacketizer();
  /** The publisher's SSRC: a new one is a new source (its SFU session was replaced). */
  #ssrc: number | undefined;
  #output: Output | undefined;
  #source: EncodedAudioPacketSource | EncodedVideoPacketSource | undefined;
  #file: FileHandle | undefined;
  /** Writes are chained: mediabunny wants them one at a time. */
  #queue: Promise<void> = Promise.resolve();
  readonly #timeline: TrackTimeline;
  #lastTime = -1;
  #failed: unknown;
  /** Refilled by every packet. */
  readonly #header = rtpHeader();
  readonly summary: TrackSummary;

  constructor(
    readonly path: string,
    file: string,
    readonly kind: 'audio' | 'video',
    participant: number,
    /** Seconds since the recording started, on a monotonic clock. */
    private readonly elapsed: () => number,
    /** Asked when video is unusable until a keyframe arrives. */
    private readonly wantKeyframe: () => void,
    private readonly openFile: OpenFile = open,
    /** The publisher's sender reports, and its tracks that share its wall clock; none by default. */
    private readonly sender: SenderClock = { group: new SyncGroup(), report: () => undefined },
  ) {
    this.#timeline = new TrackTimeline(kind === 'audio' ? OPUS_CLOCK : VP8_CLOCK, sender.group);
    this.summary = { file, kind, participant, start: 0, end: 0, frames: 0, lostPackets: 0 };
  }

  get failed(): unknown {
    return this.#failed;
  }

  /** One RTP packet (as the tap hands it over: no header extensions). Copies what it keeps. */
  rtp(packet: Buffer): void {
    const h = this.#header;
    if (this.#failed !== undefined || !readRtpHeader(packet, h)) return;
    const payload = Buffer.from(packet.subarray(h.payloadOffset, packet.length - h.padding));
    const now = this.elapsed();
    if (this.#ssrc !== undefined && h.ssrc !== this.#ssrc) this.#newSource(now);
    this.#ssrc = h.ssrc;
    const out = this.#jitter.push(h.sequence, h.timestamp, h.marker, payload, now * 1000);
    this.#consume(out, now);
  }

  /** Called periodically: declares long-missing packets lost so frames behind them come out. */
  tick(): void {
    const now = this.elapsed();
    this.#consume(this.#jitter.drain(now * 1000), now);
  }

  /** Flushes and finalizes the file. */
  async finish(): Promise<TrackSummary> {
    const now = this.elapsed();
    this.#consume(this.#jitter.drain(now * 1000, true), now);
    const output = this.#output;
    this.#queue = this.#queue.then(async () => {
      if (output) await output.finalize();
      else await this.#file?.close();
    });
    await this.#queue.catch((err) => {
      this.#failed ??= err;
    });
    if (this.#failed !== undefined) throw this.#failed;
    return this.summary;
  }

  /**
   * The same person publishing again from a new SFU session: new SSRC, sequence numbers and RTP
   * timestamps. What the old source left is written out, then the track is placed afresh (by its
   * sender reports, else by arrival: it goes on from now; the time between is a gap) and video waits for a keyframe
   * (asked for after the first frame that is not one: a simulcast layer switch starts with one).
   */
  #newSource(now: number): void {
    this.#consume(this.#jitter.drain(now * 1000, true), now);
    this.#jitter = new JitterBuffer(JITTER_MS);
    this.#vp8 = new Vp8Depacketizer();
    this.#timeline.reset();
  }

  #consume(items: ReturnType<JitterBuffer['drain']>, now: number): void {
    for (const item of items) {
      if (item.lost) {
        this.summary.lostPackets += item.count;
        if (this.kind === 'video') {
          this.#vp8.lost();
          this.wantKeyframe();
        }
        continue;
      }
      const { payload, timestamp, marker } = item.packet;
      if (this.kind === 'audio') {
        if (payload.length > 0) this.#frame(payload, timestamp, true, now);
        continue;
      }
      const frame = this.#vp8.push(payload, timestamp, marker);
      if (frame) this.#frame(frame.data, frame.timestamp, frame.keyframe, now, frame.width, frame.height);
      else if (this.#vp8.needsKeyframe && marker) this.wantKeyframe();
    }
  }

  #frame(data: Buffer, rtp: number, key: boolean, now: number, width?: number, height?: number): void {
    const report = this.#ssrc === undefined ? undefined : this.sender.report(this.#ssrc);
    const time = this.#timeline.place(rtp, now, report);
    // Frames must go forward (a reordered frame past the buffer, or a publisher restart, is dropped).
    if (time <= this.#lastTime) return;
    const first = this.#lastTime < 0;
    if (first) this.summary.start = time;
    this.#lastTime = time;
    const duration = this.kind === 'audio' ? 0.02 : 1 / 30;
    this.summary.end = time + duration;
    this.summary.frames++;
    // The largest size seen: a simulcast publisher's layers differ (RecordedLayer).
    if (width && height && height > (this.summary.height ?? 0)) {
      this.summary.width = width;
      this.summary.height = height;
    }
    const packet = new EncodedPacket(data, key ? 'key' : 'delta', time, duration);
    this.#queue = this.#queue
      .then(async () => {
        if (first) await this.#open(width ?? 0, height ?? 0);
        const source = this.#source;
        if (source instanceof EncodedAudioPacketSource) {
          await source.add(
            packet,
            first
              ? { decoderConfig: { codec: 'opus', numberOfChannels: 2, sampleRate: OPUS_CLOCK } }
              : undefined,
          );
        } else if (source) {
          await source.add(
            packet,
            first
              ? { decoderConfig: { codec: 'vp8', codedWidth: width ?? 0, codedHeight: height ?? 0 } }
              : undefined,
          );
        }
      })
      .catch((err) => {
        // A full disk or a muxer error: this track stops; the recorder notices through `failed`.
        this.#failed ??= err;
      });
  }

  async #open(_width: number, _height: number): Promise<void> {
    const file = await this.openFile(this.path, 'wx', 0o600);
    this.#file = file;
    const stream = new WritableStream<{ type: 'write'; data: Uint8Array; position: number }>({
      write: async (chunk) => {
        await file.write(chunk.data, 0, chunk.data.length, chunk.position);
      },
      close: async () => {
        await file.close();
      },
    });
    const output = new Output({
      format: new WebMOutputFormat(),
      // 1 MiB chunks: bounded memory per track (the default, 16 MiB, is ~1 GiB for ten 3-person
      // recordings) and a write error such as a full disk surfaces within seconds, not at the end.
      target: new StreamTarget(stream, { chunked: true, chunkSize: CHUNK_BYTES }),
    });
    const source =
      this.kind === 'audio' ? new EncodedAudioPacketSource('opus') : new EncodedVideoPacketSource('vp8');
    if (source instanceof EncodedAudioPacketSource) output.addAudioTrack(source);
    else output.addVideoTrack(source);
    await output.start();
    this.#output = output;
    this.#source = source;
  }
}
