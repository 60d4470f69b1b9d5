import type { TrackSource } from '@conclave/protocol';
import { DEFAULT_MAX_HEIGHT, type Viewer } from './downlink.js';
import type { MediaSignal } from './MediaEngine.js';

/**
 * What one participant reported about the video it shows (tile heights, pins), what last-N lets
 * it receive, and its downlink estimate: the subscriber-side inputs of downlink allocation.
 */
export class ViewerState implements Viewer {
  /** Tile heights by publisher id; absent = best layer. */
  #tileHeights = new Map<string, number>();
  /** Last-N: the publishers whose video this participant gets; undefined = everyone. */
  #allowed: ReadonlySet<string> | undefined;
  /** Pinned by this participant (last-N keeps them). */
  pinned: ReadonlySet<string> = new Set();
  /** The participant's downlink estimate from its REMBs, bits/s. */
  bandwidth = Number.POSITIVE_INFINITY;

  constructor(readonly participantId: string) {}

  setConstraints(c: NonNullable<MediaSignal['videoConstraints']>): void {
    this.#tileHeights = new Map(c.tiles.map((t) => [t.participantId, t.height]));
    this.pinned = new Set(c.pinned ?? []);
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
}
