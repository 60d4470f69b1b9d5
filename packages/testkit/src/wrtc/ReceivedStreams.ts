import wrtc from '@roamhq/wrtc';

export interface ReceivedStream {
  participantId: string;
  kind: string;
  /** Video frames decoded (0 when not decoding). */
  frames: number;
  track: MediaStreamTrack;
}

/**
 * What a wrtc participant has received, one entry per remote track (kept after the track ends,
 * so counts survive a P2P⇄SFU switch), with a decoder counting frames on each video track.
 */
export class ReceivedStreams {
  readonly list: ReceivedStream[] = [];
  readonly #decode: boolean;
  readonly #sinks = new Map<MediaStreamTrack, { stop(): void }>();

  /** `decode`: decode video to count frames (costly), or only receive it. */
  constructor(decode: boolean) {
    this.#decode = decode;
  }

  add(participantId: string, track: MediaStreamTrack): void {
    const entry: ReceivedStream = { participantId, kind: track.kind, frames: 0, track };
    this.list.push(entry);
    if (track.kind !== 'video' || !this.#decode) return;
    const sink = new wrtc.nonstandard.RTCVideoSink(track as never);
    sink.onframe = () => {
      entry.frames++;
    };
    this.#sinks.set(track, sink);
  }

  /** Video frames decoded from `participantId`, over every track it came on. */
  framesFrom(participantId: string): number {
    return this.list
      .filter((r) => r.participantId === participantId && r.kind === 'video')
      .reduce((n, r) => n + r.frames, 0);
  }

  /** The track is gone: its decoder stops (its count stays). */
  ended(track: MediaStreamTrack): void {
    this.#sinks.get(track)?.stop();
    this.#sinks.delete(track);
  }

  stop(): void {
    for (const sink of this.#sinks.values()) sink.stop();
    this.#sinks.clear();
  }
}
