import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { stagedParticipant, type ViewMode } from './stageChoice.js';
import type { TileGrid } from './tileGrid.js';

export interface StageLayoutOptions {
  conference: Conference;
  grid: TileGrid;
  /** The people panel, which shows the pin too. */
  people: { setPinned(id: string | null): void };
  /** Runs a conference action; a refusal becomes a notice. */
  act(action: () => void): boolean;
  announce(text: string): void;
  nameOf(id: string): string;
}

/**
 * Tile view and speaker view (issue 13). Tile view is the grid; speaker view puts one camera on
 * the stage with the others in a filmstrip: the pinned participant, else the dominant speaker
 * (stageChoice.ts). A shared screen still takes the stage in either view (screenStage.ts).
 * Pinning (from a tile, the people panel or `Conference.pin`) switches to speaker view; tile view
 * has no stage, so choosing it ends the pin. The choice lives in this object only: it is never
 * stored, and the next meeting starts in tile view (PRIVACY: nothing kept beyond the meeting).
 */
export class StageLayout {
  readonly button: HTMLButtonElement;
  readonly toolbarGroup: HTMLElement;
  readonly #options: StageLayoutOptions;
  #view: ViewMode = 'tile';
  #screenOnStage = false;
  #scheduled = false;
  #disposed = false;
  readonly #offs: (() => void)[] = [];

  constructor(options: StageLayoutOptions) {
    this.#options = options;
    const { conference, grid, people } = options;
    this.button = h(
      'button',
      {
        class: 'button round toggle-on',
        testid: 'view-toggle',
        props: { type: 'button' },
        attrs: { 'aria-label': t('stage.speakerView'), 'aria-pressed': 'false' },
        on: { click: () => this.toggle() },
      },
      icon('speaker'),
    );
    this.toolbarGroup = h(
      'div',
      { class: 'toolbar-group', attrs: { role: 'group', 'aria-label': t('stage.layout') } },
      this.button,
    );
    grid.setDominant(conference.dominantSpeaker);
    grid.setPinned(conference.pinned);
    people.setPinned(conference.pinned);
    if (conference.pinned !== null) this.#view = 'speaker';
    this.#offs.push(
      conference.on('pinned', (id) => {
        grid.setPinned(id);
        people.setPinned(id);
        if (id !== null) this.#view = 'speaker';
        options.announce(
          id === null ? t('stage.unpinned') : t('stage.pinnedAnnounce', { name: options.nameOf(id) }),
        );
        this.#schedule();
      }),
      conference.on('dominantSpeaker', (id) => {
        grid.setDominant(id);
        this.#schedule();
      }),
      conference.on('participantJoined', () => this.#schedule()),
      conference.on('participantLeft', () => this.#schedule()),
    );
    this.#render();
  }

  get view(): ViewMode {
    return this.#view;
  }

  toggle(): void {
    this.setView(this.#view === 'tile' ? 'speaker' : 'tile');
  }

  setView(view: ViewMode): void {
    const { conference, act } = this.#options;
    if (view === 'tile' && conference.pinned !== null) act(() => conference.pin(null));
    this.#view = view;
    this.#render();
  }

  /** Pins that participant, or unpins them if they are the one pinned. */
  togglePin(participantId: string): void {
    const { conference, act } = this.#options;
    act(() => conference.pin(conference.pinned === participantId ? null : participantId));
  }

  /** A shared screen took the stage (true) or left it: screenStage.ts says so. */
  setScreenOnStage(onStage: boolean): void {
    if (this.#screenOnStage === onStage) return;
    this.#screenOnStage = onStage;
    this.#render();
  }

  dispose(): void {
    this.#disposed = true;
    for (const off of this.#offs) off();
  }

  /** Renders once the event's other listeners (the grid adding or removing a tile) have run. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (!this.#disposed) this.#render();
    });
  }

  #render(): void {
    const { conference, grid } = this.#options;
    const staged = stagedParticipant({
      view: this.#view,
      screenOnStage: this.#screenOnStage,
      selfId: conference.self.id,
      others: grid.remoteIds,
      pinned: conference.pinned,
      dominant: conference.dominantSpeaker,
      previous: grid.staged,
    });
    grid.setStaged(staged);
    grid.el.classList.toggle('filmstrip', staged !== null || this.#screenOnStage);
    const speaker = this.#view === 'speaker';
    grid.el.dataset.view = this.#view;
    this.button.setAttribute('aria-pressed', String(speaker));
    this.button.title = speaker ? t('stage.toTileTitle') : t('stage.toSpeakerTitle');
  }
}
