import type { TrackSource } from '@conclave/protocol';
import { DEFAULT_MAX_HEIGHT, REMB_HEADROOM, type Viewer } from './downlink.js';
import { LossBound } from './LossBound.js';
import type { MediaSignal } from './MediaEngine.js';
import type { DownlinkFeedback } from './Subscription.js';

/**
 * What one participant reported about the video it shows (tile heights, pins), what last-N lets
 * it receive, and its downlink estimate: the subscriber-side inputs of downlink allocation.
 */
export class ViewerState implements Viewer, DownlinkFeedback {
  /** Tile heights by publisher id; absent = best layer. */
  #tileHeights = new Map<string, number>();
  /** Last-N: the publishers whose video this participant gets; undefined = everyone. */
  #allowed: ReadonlySet<string> | undefined;
  /** Pinned by this participant (last-N keeps them). */
  pinned: ReadonlySet<string> = new Set();
  /** The participant's latest REMB, bits/s. */
  #remb = Number.POSITIVE_INFINITY;
  /** The ceiling its loss reports put on its downlink. */
  readonly loss = new LossBound();
  /** Whether the participant has said what it shows (its first `videoConstraints`). */
  #reported = false;

  constructor(readonly participantId: string) {}

  setConstraints(c: NonNullable<MediaSignal['videoConstraints']>): void {
    this.#reported = true;
    this.#tileHeights = new Map(c.tiles.map((t) => [t.participantId, t.height]));
    this.pinned = new Set(c.pinned ?? []);
  }

  /**
   * The downlink estimate allocation works with, as a REMB would say it: layer selection lets a
   * video use REMB_HEADROOM times its share of a REMB, but the loss bound is a measured ceiling, so
   * it is scaled down by the same factor to be met exactly.
   */
  get bandwidth(): number {
    return Math.min(this.#remb, this.loss.bitsPerSecond / REMB_HEADROOM);
  }

  remb(bitsPerSecond: number): void {
    this.#remb = bitsPerSecond;
  }

  reception(lost: number, expected: number): void {
    this.loss.record(lost, expected);
  }

  /** Last-N: only these publishers' video is forwarded (undefined: all). */
  setAllowed(allowed: ReadonlySet<string> | undefined): void {
    this.#allowed = allowed;
  }

  /** A shared screen is always wanted at its one layer, whatever the camera tile's size or last-N. */
  wantedHeight(publisherId: string, source: TrackSource = 'camera'): number {
    if (source === 'screen') return DEFAULT_MAX_HEIGHT;
    if (this.#allowed && !this.#allowed.has(publisherId)) return 0;
    return this.#tileHeights.get(publisherId) ?? DEFAULT_MAX_HEIGHT;
  }

  /**
   * How tall this participant shows `publisherId`'s camera, as the publisher's send height counts
   * it: as wantedHeight, but 0 while the participant can receive nothing yet (`connected` false)
   * and has not said what it shows. A joiner reports its tiles before its connection is up;
   * counted meanwhile at the best layer's height, it made every simulcast publisher resume its top
   * layer and pause it again a few hundred ms later, each a reconfiguration of the encoder that
   * stalled the publishers' video for 0.35–0.9 s just as the joiner waited for its first
   * keyframes (bench/join-time). A participant that never reports counts once connected.
   */
  sendHeightFor(publisherId: string, connected: boolean): number {
    return connected || this.#reported ? this.wantedHeight(publisherId) : 0;
  }
}
