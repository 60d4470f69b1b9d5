import type { QualityReading, RemoteTrack } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { queuePositions } from './handBadge.js';
import type { TileEncryption } from './securityState.js';
import { Tile } from './tile.js';

/**
 * The grid of tiles: this participant first, then one tile per remote participant. In speaker view
 * one tile moves to the stage (`stage`) and the grid becomes the filmstrip (stageLayout.ts decides
 * which); moving an element keeps its video playing.
 */
export class TileGrid {
  readonly el: HTMLElement;
  /** Where the staged tile goes, large, above the filmstrip. */
  readonly stage: HTMLElement;
  readonly #self: Tile;
  readonly #remote = new Map<string, Tile>();
  readonly #onAudioBlocked: () => void;
  readonly #onVideoHeight: ((participantId: string, height: number) => void) | undefined;
  readonly #onPin: ((participantId: string) => void) | undefined;
  #dominant: string | null = null;
  #pinned: string | null = null;
  #staged: Tile | undefined;
  #encryption: ReadonlyMap<string, TileEncryption> = new Map();
  #hands: ReadonlyMap<string, number> = new Map();

  /** `onVideoHeight`: the height in device pixels at which a remote participant's tile shows video. */
  constructor(
    self: ParticipantInfo,
    selfVideo: MediaStreamTrack | undefined,
    onAudioBlocked: () => void,
    onVideoHeight?: (participantId: string, height: number) => void,
    onPin?: (participantId: string) => void,
  ) {
    this.#onAudioBlocked = onAudioBlocked;
    this.#onVideoHeight = onVideoHeight;
    this.#onPin = onPin;
    this.#self = new Tile('self', self, undefined, undefined, onPin && (() => onPin(self.id)));
    this.#self.setVideo(selfVideo);
    this.el = h('section', { class: 'grid', testid: 'tile-grid', attrs: { 'aria-label': t('grid.label') } });
    this.el.append(this.#self.el);
    this.stage = h('section', {
      class: 'speaker-stage',
      testid: 'speaker-stage',
      props: { hidden: true },
      attrs: { 'aria-label': t('stage.label') },
    });
    this.#layout();
  }

  /** The remote participants' ids, in tile order. */
  get remoteIds(): string[] {
    return [...this.#remote.keys()];
  }

  /** Who is on the stage now, or null (tile view, or a shared screen has it). */
  get staged(): string | null {
    return this.#staged?.id ?? null;
  }

  /** Puts that participant's tile on the stage (null: everyone back in the grid). */
  setStaged(id: string | null): void {
    const next = id === null ? undefined : id === this.#self.id ? this.#self : this.#remote.get(id);
    if (next === this.#staged) return;
    const previous = this.#staged;
    this.#staged = next;
    // Moving an element drops keyboard focus from inside it (the pin button just pressed, say).
    const focused = document.activeElement;
    if (previous) this.#putBack(previous);
    if (next) this.stage.replaceChildren(next.el);
    this.stage.hidden = next === undefined;
    if (focused instanceof HTMLElement && focused !== document.activeElement && focused.isConnected)
      focused.focus({ preventScroll: true });
    this.#layout();
  }

  /** Marks the pinned participant's tile (its pin button shows "Unpin"); null marks none. */
  setPinned(id: string | null): void {
    this.#pinned = id;
    for (const tile of this.#tiles()) tile.setPinned(tile.id === id);
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
    const onPin = this.#onPin;
    const created = new Tile(
      'remote',
      info,
      this.#onAudioBlocked,
      onHeight && ((height) => onHeight(info.id, height)),
      onPin && (() => onPin(info.id)),
    );
    created.setDominant(info.id === this.#dominant);
    created.setPinned(info.id === this.#pinned);
    const encryption = this.#encryption.get(info.id);
    if (encryption) created.setEncryption(encryption);
    created.setHand(this.#hands.get(info.id));
    this.#remote.set(info.id, created);
    this.el.append(created.el);
    this.#layout();
  }

  remove(id: string): void {
    if (this.#staged?.id === id) this.setStaged(null);
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
    for (const tile of this.#tiles()) tile.setDominant(tile.id === id);
  }

  /** The raised hands, first raised first: each tile shows its place in the queue. */
  setHands(queue: readonly string[]): void {
    this.#hands = queuePositions(queue);
    for (const tile of this.#tiles()) tile.setHand(this.#hands.get(tile.id));
  }

  /** Each participant's E2EE mark and cover, by participant id (this participant's own included). */
  setEncryption(marks: ReadonlyMap<string, TileEncryption>): void {
    this.#encryption = marks;
    for (const tile of this.#tiles()) {
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

  #tiles(): Tile[] {
    return [this.#self, ...this.#remote.values()];
  }

  /** A tile leaving the stage goes back to its place in the grid (this participant first, then by arrival). */
  #putBack(tile: Tile): void {
    const order = this.#tiles();
    const after = order.slice(order.indexOf(tile) + 1).find((t) => t.el.parentElement === this.el);
    this.el.insertBefore(tile.el, after?.el ?? null);
  }

  // The stylesheet picks column counts from the tile count; one tile alone fills the stage.
  #layout(): void {
    const inGrid = this.#remote.size + 1 - (this.#staged ? 1 : 0);
    this.el.dataset.count = String(Math.min(inGrid, 9));
  }
}
