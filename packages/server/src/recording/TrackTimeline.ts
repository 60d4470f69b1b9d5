/*
 * Where a recorded frame goes on the recording's timeline (seconds since it started).
 *
 * RTP timestamps are capture times, but each stream has its own random origin, so they say how far
 * apart two frames of one track are, not how an audio frame stands to a video frame. The first
 * frame's arrival anchors a track; that is wrong by however much longer one track's packets take to
 * leave the sender than the other's (Chromium paces video, an encoded transform can hold frames):
 * the recording then shows the lips move before or after the sound. The publisher's RTCP sender
 * reports map each stream's RTP timestamps to one wall clock (NTP) shared by its audio and video;
 * a track with a report is placed by that clock plus one offset per sender (SyncGroup), which is
 * what keeps lip sync. Until a track's first report it is placed as before, by its first arrival.
 * Each later report re-anchors the track: a stream's RTP clock (an audio device's sample clock)
 * drifts from the sender's wall clock by up to a few hundred ppm, i.e. up to a second an hour
 * between a participant's audio and video if only the first report were used.
 */

/**
 * A later report that disagrees with the track's placement by more than this is not a drift (that
 * is ≈ 1 ms between two reports) but a step of the sender's wall clock; ignored, so the track keeps
 * its place (a jump would open a gap, or drop the frames that it moved back over).
 */
const MAX_REANCHOR_SECONDS = 0.02;

/** A sender report as the engine passes it on: the sender's wall clock (ms) at an RTP timestamp. */
export interface SenderReportTime {
  ntpMs: number;
  rtpTimestamp: number;
}

/** What a track needs to be placed by its sender's clock. */
export interface SenderClock {
  /** The sender's tracks that share its wall clock. */
  group: SyncGroup;
  /** The latest sender report of one of the track's SSRCs (its simulcast layers, replaced sessions). */
  report(ssrc: number): SenderReportTime | undefined;
}

/**
 * The tracks that share one sender's wall clock (a participant's microphone and camera, or its
 * screen and the screen's audio), and how that clock maps onto the recording's.
 */
export class SyncGroup {
  #offset = Number.NEGATIVE_INFINITY;

  /** Recording seconds minus sender-clock seconds; -Infinity until a track had a report. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * A track's first report: `offset` would keep that track where its arrival put it. The group
   * keeps the largest such offset, so a track moving onto the sender's clock only ever moves later
   * (a short gap in the file), never back over frames already written; the earlier track waits.
   */
  propose(offset: number): void {
    if (offset > this.#offset) this.#offset = offset;
  }
}

export class TrackTimeline {
  /** The last frame's RTP timestamp, extended past the 32-bit wrap. */
  #last: number | undefined;
  /** Arrival anchoring: the first frame's extended timestamp and recording time. */
  #anchor: { rtp: number; seconds: number } | undefined;
  /** The sender's clock: its seconds at an extended RTP timestamp (from the latest usable report). */
  #report: { seconds: number; rtp: number } | undefined;

  constructor(
    private readonly clockRate: number,
    private readonly group: SyncGroup,
  ) {}

  /** Whether frames are placed by the sender's clock (a report arrived) rather than by arrival. */
  get synced(): boolean {
    return this.#report !== undefined;
  }

  /**
   * The recording time of a frame with RTP timestamp `rtp`, handed over at recording time `now`
   * (seconds), in decoding order. `report`: the latest sender report of this stream, if any.
   */
  place(rtp: number, now: number, report?: SenderReportTime): number {
    const ext = this.#last === undefined ? rtp : this.#last + ((rtp - (this.#last >>> 0)) | 0);
    this.#last = ext;
    this.#anchor ??= { rtp: ext, seconds: now };
    const seconds = report ? report.ntpMs / 1000 : Number.NaN;
    if (report && Number.isFinite(seconds) && seconds !== this.#report?.seconds) {
      // The report was made around this frame's time: the signed 32-bit distance puts it on the
      // same side of any wrap as the frame.
      const next = { seconds, rtp: ext + ((report.rtpTimestamp - (ext >>> 0)) | 0) };
      const first = !this.#report;
      if (first || Math.abs(seconds - this.#senderSeconds(next.rtp)) <= MAX_REANCHOR_SECONDS) {
        this.#report = next;
        if (first) this.group.propose(this.#anchor.seconds - this.#senderSeconds(this.#anchor.rtp));
      }
    }
    if (this.#report) return this.#senderSeconds(ext) + this.group.offset;
    return this.#anchor.seconds + (ext - this.#anchor.rtp) / this.clockRate;
  }

  /** A new source (new SSRC, timestamps and clock relation): anchored afresh by its own first frame. */
  reset(): void {
    this.#last = undefined;
    this.#anchor = undefined;
    this.#report = undefined;
  }

  #senderSeconds(ext: number): number {
    const report = this.#report as { seconds: number; rtp: number };
    return report.seconds + (ext - report.rtp) / this.clockRate;
  }
}
