import type { LayerInfo } from './layers.js';
import { MissingPackets } from './MissingPackets.js';
import { PacketCache } from './PacketCache.js';
import { ReceptionStats } from './ReceptionStats.js';
import { ntpMs, type SenderReport } from './rtcp.js';
import type { SenderClock } from './StreamRewriter.js';

/** A layer that sent nothing for this long is not offered to subscribers. */
const LAYER_ACTIVE_MS = 1000;

/**
 * One encoding of a published track: the whole track without simulcast, one simulcast layer
 * with it. Keeps the cache that answers NACKs and what layer selection needs (size, bitrate).
 */
export class Layer implements LayerInfo, SenderClock {
  readonly cache: PacketCache | undefined;
  height = 0;
  width = 0;
  bitrate = 0;
  lastAt = -Infinity;
  lastKeyframeRequest = -Infinity;
  /** What arrived of this SSRC, for the receiver reports to the publisher. */
  readonly reception: ReceptionStats;
  /** Video: holes in the sequence numbers, NACKed upstream. */
  readonly missing: MissingPackets | undefined;
  /** The publisher's last sender report for this SSRC: wall clock (NTP ms) at an RTP timestamp. */
  reportNtpMs = Number.NaN;
  reportRtp = 0;
  #bytes = 0;
  #windowStart = 0;

  constructor(
    readonly ssrc: number,
    readonly index: number,
    video: boolean,
    clockRate: number,
  ) {
    this.cache = video ? new PacketCache(512) : undefined;
    this.reception = new ReceptionStats(clockRate);
    this.missing = video ? new MissingPackets() : undefined;
  }

  get active(): boolean {
    return performance.now() - this.lastAt < LAYER_ACTIVE_MS;
  }

  senderReport(sr: SenderReport): void {
    this.reportNtpMs = ntpMs(sr.ntpSeconds, sr.ntpFraction);
    this.reportRtp = sr.rtpTimestamp;
  }

  count(bytes: number, now: number): void {
    this.lastAt = now;
    this.#bytes += bytes;
    const elapsed = now - this.#windowStart;
    if (elapsed >= 1000) {
      this.bitrate = this.#windowStart === 0 ? 0 : (this.#bytes * 8000) / elapsed;
      this.#bytes = 0;
      this.#windowStart = now;
    }
  }
}
