import type { Toolbar } from './toolbar.js';

export type PanelName = 'people' | 'chat';

/**
 * The people and chat panels beside the tiles: which is open (on a narrow screen they cover the
 * tiles, so only one at a time; narrow screens start with both closed), the toolbar buttons that
 * say so, and the unread-chat count while the chat is closed.
 */
export class SidePanels {
  readonly #narrow = window.matchMedia('(max-width: 720px)');
  readonly #els: Record<PanelName, HTMLElement>;
  readonly #toolbar: Toolbar;
  readonly #focusChat: () => void;
  #unread = 0;

  constructor(options: { people: HTMLElement; chat: HTMLElement; toolbar: Toolbar; focusChat(): void }) {
    this.#els = { people: options.people, chat: options.chat };
    this.#toolbar = options.toolbar;
    this.#focusChat = options.focusChat;
    this.set('people', !this.#narrow.matches);
    this.set('chat', false);
  }

  toggle(panel: PanelName): void {
    this.set(panel, this.#els[panel].hidden);
  }

  set(panel: PanelName, open: boolean): void {
    this.#els[panel].hidden = !open;
    this.#toolbar.setPanelOpen(panel, open);
    if (open && this.#narrow.matches) this.set(panel === 'people' ? 'chat' : 'people', false);
    if (panel === 'chat' && open) {
      this.#unread = 0;
      this.#toolbar.setUnread(0);
      this.#focusChat();
    }
  }

  /** A chat message from someone else arrived: counted while the chat is closed. */
  chatArrived(): void {
    if (this.#els.chat.hidden) this.#toolbar.setUnread(++this.#unread);
  }
}
