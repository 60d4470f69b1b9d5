import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';

/** One keyboard shortcut: a single key, what it does in words, and the control it stands for. */
export interface Shortcut {
  /** `KeyboardEvent.key`, lower case for letters (`m`), or a symbol (`?`). */
  key: string;
  /** What it does, as listed in the shortcuts dialog ("Mute or unmute your microphone"). */
  label: string;
  run(): void;
  /** The control it presses, if any: it gets `aria-keyshortcuts`, so screen readers announce the key. */
  control?: HTMLElement;
}

/** Form fields and editable text, where a letter is text and never a command. */
const TYPING = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/**
 * The meeting's single-key shortcuts (issue 14). A registry: the meeting registers its controls
 * (M, V, C, P, R, …) and any later feature adds its own with `register` — one key each, listed in
 * the `?` dialog in the order registered. A key never fires while the user types (in an input,
 * textarea, select or contenteditable), with Ctrl, Alt or Meta held (those belong to the browser
 * and the system), with Shift except for keys that need it (`?`), on auto-repeat, during IME
 * composition, or while a modal dialog is open (the page behind it is inert).
 */
export class Shortcuts {
  readonly #byKey = new Map<string, Shortcut>();
  readonly #dialog = modal({ testid: 'shortcuts-dialog', title: t('shortcuts.title') });
  readonly #list = h('dl', { class: 'shortcut-list', testid: 'shortcut-list' });
  readonly #onKeydown = (event: KeyboardEvent) => this.#handle(event);

  constructor(private readonly target: Document = document) {
    this.#dialog.body.append(h('p', { class: 'dialog-text', text: t('shortcuts.help') }), this.#list);
    this.register({ key: '?', label: t('shortcuts.list'), run: () => this.open() });
    target.addEventListener('keydown', this.#onKeydown);
  }

  /** Adds a shortcut; a key registered twice keeps its first meaning (returns false). */
  register(shortcut: Shortcut): boolean {
    const key = shortcut.key.toLowerCase();
    if (this.#byKey.has(key)) return false;
    this.#byKey.set(key, shortcut);
    shortcut.control?.setAttribute('aria-keyshortcuts', key === '?' ? 'Shift+?' : key.toUpperCase());
    this.#renderList();
    return true;
  }

  open(): void {
    this.#dialog.open();
  }

  dispose(): void {
    this.target.removeEventListener('keydown', this.#onKeydown);
    this.#dialog.close();
    this.#dialog.el.remove();
  }

  #handle(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.repeat || event.isComposing) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const shortcut = this.#byKey.get(key);
    if (!shortcut) return;
    // Shift is part of '?' on most layouts; with a letter it is someone typing a capital.
    if (event.shiftKey && /^[a-z]$/.test(key)) return;
    if (isTyping(event.target) || this.target.querySelector('dialog[open]')) return;
    event.preventDefault();
    shortcut.run();
  }

  #renderList(): void {
    this.#list.replaceChildren(
      ...[...this.#byKey.values()].flatMap((s) => [
        h('dt', {}, h('kbd', { text: s.key === '?' ? '?' : s.key.toUpperCase() })),
        h('dd', { text: s.label }),
      ]),
    );
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target instanceof Element && target.closest(TYPING) !== null;
}
