import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rtpPacket } from '@conclave/server/rtp';

/*
 * Synthetic publishers for the recorder: RTP packets as the SFU's tap hands them over (no header
 * extensions), Opus every 20 ms and VP8 frames at a given rate and bitrate, packetized per RFC 7741.
 * Video is either filler with valid keyframe headers (enough for depacketizing and muxing) or real
 * VP8 frames read from an IVF file (for composition, which decodes).
 */

export type Tap = (
  participantId: string,
  kind: 'audio' | 'video',
  packet: Buffer,
  layer: number,
  keyframe: boolean,
  source?: 'camera' | 'screen',
) => void;

export interface Vp8Frame {
  data: Buffer;
  keyframe: boolean;
}

/** Filler VP8 frames: a keyframe header (RFC 6386 §9.1) every `keyEvery` frames, random bytes otherwise. */
export function fillerVp8(width: number, height: number, bytesPerFrame: number, keyEvery: number) {
  const body = randomBytes(Math.max(bytesPerFrame * 4, 16));
  let n = 0;
  return (): Vp8Frame => {
    const keyframe = n++ % keyEvery === 0;
    const size = keyframe ? bytesPerFrame * 4 : bytesPerFrame;
    const data = Buffer.from(body.subarray(0, size));
    if (keyframe) {
      data[0] = (data[0] as number) & 0xfe;
      data.set([0x9d, 0x01, 0x2a], 3);
      data.writeUInt16LE(width, 6);
      data.writeUInt16LE(height, 8);
    } else {
      data[0] = (data[0] as number) | 0x01;
    }
    return { data, keyframe };
  };
}

/** Real VP8 frames from an IVF file (e.g. made by Debian's ffmpeg with libvpx), looped. */
export function ivfVp8(path: string) {
  const file = readFileSync(path);
  const frames: Vp8Frame[] = [];
  let at = file.readUInt16LE(6); // header length
  while (at + 12 <= file.length) {
    const size = file.readUInt32LE(at);
    const data = file.subarray(at + 12, at + 12 + size);
    frames.push({ data, keyframe: ((data[0] as number) & 0x01) === 0 });
    at += 12 + size;
  }
  let n = 0;
  return (): Vp8Frame => frames[n++ % frames.length] as Vp8Frame;
}

/** One packet, written by the engine's own RTP writer (`@conclave/server/rtp`). */
function rtp(
  payloadType: number,
  sequence: number,
  timestamp: number,
  ssrc: number,
  marker: boolean,
  payload: Buffer,
) {
  return rtpPacket({ payloadType, sequence, timestamp, ssrc, marker }, payload);
}

export interface PublisherOptions {
  /** VP8 frames per second (0: audio only). */
  fps: number;
  video: () => Vp8Frame;
  /** Bytes of one Opus packet (20 ms). */
  opusBytes?: number;
  /** Largest RTP payload. */
  mtu?: number;
  /** The simulcast layer its video is (default 0: no simulcast); another layer is another SSRC. */
  layer?: number;
  /** Publish no audio (a higher simulcast layer of someone whose audio another publisher sends). */
  noAudio?: boolean;
  /** A shared screen instead of a camera (what the tap says of each packet). */
  source?: 'camera' | 'screen';
}

/** One participant publishing Opus and VP8; `advance(ms)` emits what is due in that time. */
export class SyntheticPublisher {
  #audioSeq = Math.floor(Math.random() * 60000);
  #videoSeq = Math.floor(Math.random() * 60000);
  #audioTs = Math.floor(Math.random() * 2 ** 31);
  #videoTs = Math.floor(Math.random() * 2 ** 31);
  #audioDue = 0;
  #videoDue = 0;
  readonly #opus: Buffer;
  readonly #ssrc = Math.floor(Math.random() * 2 ** 31);
  packets = 0;
  bytes = 0;

  constructor(
    readonly id: string,
    private readonly options: PublisherOptions,
  ) {
    this.#opus = randomBytes(options.opusBytes ?? 80);
  }

  advance(ms: number, tap: Tap): void {
    if (!this.options.noAudio) this.#audioDue += ms;
    while (this.#audioDue >= 20) {
      this.#audioDue -= 20;
      this.#emit(tap, 'audio', rtp(111, this.#audioSeq++, this.#audioTs, this.#ssrc, false, this.#opus));
      this.#audioTs += 960;
    }
    if (!this.options.fps) return;
    const interval = 1000 / this.options.fps;
    this.#videoDue += ms;
    while (this.#videoDue >= interval) {
      this.#videoDue -= interval;
      const frame = this.options.video();
      const mtu = this.options.mtu ?? 1180;
      for (let at = 0; at < frame.data.length; at += mtu) {
        const chunk = frame.data.subarray(at, at + mtu);
        const payload = Buffer.allocUnsafe(1 + chunk.length);
        payload[0] = at === 0 ? 0x10 : 0x00; // S bit on the first packet, partition 0
        chunk.copy(payload, 1);
        const last = at + mtu >= frame.data.length;
        const packet = rtp(96, this.#videoSeq++, this.#videoTs, this.#ssrc + 1, last, payload);
        this.#emit(tap, 'video', packet, at === 0 && frame.keyframe);
      }
      this.#videoTs += Math.round(90_000 / this.options.fps);
    }
  }

  #emit(tap: Tap, kind: 'audio' | 'video', packet: Buffer, keyframe = false): void {
    this.packets++;
    this.bytes += packet.length;
    tap(this.id, kind, packet, this.options.layer ?? 0, keyframe, this.options.source ?? 'camera');
  }
}
