import type { QualityReading, RemoteTrack } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { queuePositions } from './handBadge.js';
import type { TileEncryption } from './securityState.js';
import { Tile } from './tile.js';

/** The grid of tiles: this participant first, then one tile per remote participant. */
export class TileGrid {
  readonly el: HTMLElement;
  readonly #self: Tile;
  readonly #remote = new Map<string, Tile>();
  readonly #onAudioBlocked: () => void;
  readonly #onVideoHeight: ((participantId: string, height: number) => void) | undefined;
  #dominant: string | null = null;
  #encryption: ReadonlyMap<string, TileEncryption> = new Map();
  #hands: ReadonlyMap<string, number> = new Map();

  /** `onVideoHeight`: the height in device pixels at which a remote participant's tile shows video. */
  constructor(
    self: ParticipantInfo,
    selfVideo: MediaStreamTrack | undefined,
    onAudioBlocked: () => void,
    onVideoHeight?: (participantId: string, height: number) => void,
  ) {
    this.#onAudioBlocked = onAudioBlocked;
    this.#onVideoHeight = onVideoHeight;
    this.#self = new Tile('self', self);
    this.#self.setVideo(selfVideo);
    this.el = h('section', { class: 'grid', testid: 'tile-grid', attrs: { 'aria-label': t('grid.label') } });
    this.el.append(this.#self.el);
    this.#layout();
  }

  /** Another camera chosen mid-call. */
  setSelfVideo(track: MediaStreamTrack): void {
    this.#self.setVideo(track);
  }

  /** Each remote participant's connection quality, as last measured. */
  setQuality(readings: ReadonlyMap<string, QualityReading>): void {
    for (const [id, reading] of readings) this.#remote.get(id)?.setQuality(reading);
  }

  updateSelf(info: ParticipantInfo): void {
    this.#self.update(info);
  }

  upsert(info: ParticipantInfo): void {
    const tile = this.#remote.get(info.id);
    if (tile) {
      tile.update(info);
      return;
    }
    const onHeight = this.#onVideoHeight;
    const created = new Tile(
      'remote',
      info,
      this.#onAudioBlocked,
      onHeight && ((height) => onHeight(info.id, height)),
    );
    created.setDominant(info.id === this.#dominant);
    const encryption = this.#encryption.get(info.id);
    if (encryption) created.setEncryption(encryption);
    created.setHand(this.#hands.get(info.id));
    this.#remote.set(info.id, created);
    this.el.append(created.el);
    this.#layout();
  }

  remove(id: string): void {
    this.#remote.get(id)?.dispose();
    this.#remote.delete(id);
    this.#layout();
  }

  /** A camera's or microphone's track; a shared screen's goes to the stage (screenStage.ts). */
  addTrack({ participantId, track, source }: RemoteTrack): void {
    const tile = this.#remote.get(participantId);
    if (!tile || source === 'screen') return;
    if (track.kind === 'video') tile.setVideo(track);
    else tile.addAudio(track);
  }

  removeTrack({ participantId, track, source }: RemoteTrack): void {
    const tile = this.#remote.get(participantId);
    if (!tile || source === 'screen') return;
    if (track.kind === 'audio') tile.removeAudio(track);
    else tile.removeVideo(track);
  }

  /** Marks the dominant speaker's tile (this participant's own included); `null` marks none. */
  setDominant(id: string | null): void {
    this.#dominant = id;
    for (const tile of [this.#self, ...this.#remote.values()]) tile.setDominant(tile.id === id);
  }

  /** The raised hands, first raised first: each tile shows its place in the queue. */
  setHands(queue: readonly string[]): void {
    this.#hands = queuePositions(queue);
    for (const tile of [this.#self, ...this.#remote.values()]) tile.setHand(this.#hands.get(tile.id));
  }

  /** Each participant's E2EE mark and cover, by participant id (this participant's own included). */
  setEncryption(marks: ReadonlyMap<string, TileEncryption>): void {
    this.#encryption = marks;
    for (const tile of [this.#self, ...this.#remote.values()]) {
      const encryption = marks.get(tile.id);
      if (encryption) tile.setEncryption(encryption);
    }
  }

  /** Retries remote audio after a user gesture, when the browser blocked autoplay. */
  playAudio(): void {
    for (const tile of this.#remote.values()) tile.playAudio();
  }

  dispose(): void {
    for (const tile of this.#remote.values()) tile.dispose();
    this.#remote.clear();
    this.#self.dispose();
  }

  // The stylesheet picks column counts from the tile count; one tile alone fills the stage.
  #layout(): void {
    this.el.dataset.count = String(Math.min(this.#remote.size + 1, 9));
  }
}
