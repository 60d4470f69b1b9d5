import type { Conference } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { displayLabel } from '../ui/avatar.js';
import { modal } from '../ui/dialog.js';
import { h, srOnly } from '../ui/dom.js';
import { type IconName, icon } from '../ui/icons.js';
import {
  blocksMedia,
  cannotEncryptWarning,
  type E2EEIndicatorState,
  INDICATOR_TEXT,
  meetingBadgeText,
  meetingState,
  type RemoteE2EE,
  remoteIndicatorState,
} from './securityState.js';

/** Longest passphrase the Key field takes; PBKDF2 takes any length, this only bounds typing. */
const MAX_PASSPHRASE = 256;

const STATE_ICON: Record<E2EEIndicatorState, IconName> = {
  encrypted: 'lock',
  unencrypted: 'unlock',
  'cannot-encrypt': 'warning',
  'cannot-decrypt': 'warning',
};

export interface SecurityOptions {
  conference: Conference;
  /** The tile grid and the people panel: indicators are added to their tiles and items. */
  grid: HTMLElement;
  people: HTMLElement;
  /** A passphrase was applied (or null: E2EE turned off), so a rejoin can apply it again. */
  onPassphraseChange(passphrase: string | null): void;
  /** A short notice for everyone to read (toasts). */
  notify(text: string, tone?: 'error'): void;
}

/**
 * End-to-end encryption in the meeting UI (issue 4, PRIVACY P11): the Security button and dialog
 * (E2EE switch and Key field), a header badge saying whether E2EE is on for everyone, an indicator
 * per participant on tiles and in the people panel (encrypted / not encrypted / cannot decrypt),
 * a cover over tiles whose media this page cannot show, and warnings when this browser cannot
 * encrypt or someone does not.
 *
 * It reads the conference's events and decorates the tiles and people items it finds in the DOM
 * (re-decorating when those lists change), so the grid and the people panel need no knowledge of it.
 * The passphrase stays in this page's memory: it goes to `Conference.setE2EE`, which derives keys
 * locally and tells the server only "on" or "off".
 */
export class SecurityControls {
  /** The toolbar button (`security-toggle`), in a group of its own. */
  readonly toolbarGroup: HTMLElement;
  /** The header badge (`e2ee-badge`, `data-state="on|partial|off"`). */
  readonly badge: HTMLElement;
  /** Warnings under the header: this browser cannot encrypt, or someone does not while others do. */
  readonly banner: HTMLElement;
  readonly #options: SecurityOptions;
  readonly #conference: Conference;
  readonly #button: HTMLButtonElement;
  readonly #badgeText: HTMLElement;
  readonly #dialog: ReturnType<typeof modal>;
  readonly #status: HTMLElement;
  readonly #problems: HTMLUListElement;
  readonly #switch: HTMLInputElement;
  readonly #key: HTMLInputElement;
  readonly #apply: HTMLButtonElement;
  readonly #off: HTMLButtonElement;
  readonly #error: HTMLElement;
  readonly #unsupportedSelf: HTMLElement;
  readonly #othersWarning: HTMLElement;
  readonly #cannotEncrypt: HTMLElement;
  readonly #offs: (() => void)[] = [];
  readonly #observers: MutationObserver[] = [];
  /** Changes in flight; a later one supersedes an earlier one still deriving. */
  #busy = 0;
  #disposed = false;

  constructor(options: SecurityOptions) {
    this.#options = options;
    const conference = options.conference;
    this.#conference = conference;

    this.#button = h(
      'button',
      {
        class: 'button round security-toggle',
        testid: 'security-toggle',
        props: { type: 'button', title: 'End-to-end encryption' },
        attrs: { 'aria-label': 'Security: end-to-end encryption', 'aria-haspopup': 'dialog' },
        on: { click: () => this.open() },
      },
      icon('unlock'),
    );
    this.toolbarGroup = h(
      'div',
      { class: 'toolbar-group', attrs: { role: 'group', 'aria-label': 'Security' } },
      this.#button,
    );

    this.#badgeText = h('span');
    this.badge = h(
      'button',
      {
        class: 'room-badge e2ee-badge',
        testid: 'e2ee-badge',
        props: { type: 'button' },
        on: { click: () => this.open() },
      },
      this.#badgeText,
    );

    this.#unsupportedSelf = h(
      'p',
      {
        class: 'banner e2ee-warning',
        testid: 'e2ee-unsupported',
        attrs: { 'data-who': 'self', role: 'alert' },
        props: { hidden: true },
      },
      icon('warning'),
      'This browser cannot do end-to-end encryption, so it cannot see or hear participants who use it, ' +
        'and cannot encrypt what it sends. Use a recent Chrome, Edge, Firefox or Safari.',
    );
    this.#othersWarning = h('p', {
      class: 'banner e2ee-warning',
      testid: 'e2ee-not-everyone',
      attrs: { role: 'status' },
      props: { hidden: true },
    });
    this.#cannotEncrypt = h('p', {
      class: 'banner e2ee-warning',
      testid: 'e2ee-cannot-encrypt',
      attrs: { role: 'status' },
      props: { hidden: true },
    });
    this.banner = h(
      'div',
      { class: 'e2ee-banners' },
      this.#unsupportedSelf,
      this.#cannotEncrypt,
      this.#othersWarning,
    );

    // The dialog.
    this.#dialog = modal({
      testid: 'security-dialog',
      title: 'End-to-end encryption',
      onClose: () => this.#resetForm(),
    });
    this.#status = h('p', { class: 'dialog-text', testid: 'e2ee-status', attrs: { role: 'status' } });
    this.#problems = h('ul', { class: 'e2ee-problems', testid: 'e2ee-problems' });
    this.#switch = h('input', {
      testid: 'e2ee-switch',
      props: { type: 'checkbox', id: 'e2ee-switch' },
      attrs: { role: 'switch' },
      on: { change: () => this.#onSwitch() },
    });
    this.#key = h('input', {
      class: 'text-input',
      testid: 'e2ee-key',
      props: {
        id: 'e2ee-key',
        type: 'password',
        maxLength: MAX_PASSPHRASE,
        autocomplete: 'off',
        spellcheck: false,
      },
      attrs: { 'aria-describedby': 'e2ee-help e2ee-error' },
      on: { input: () => (this.#error.textContent = '') },
    });
    const show = h('button', {
      class: 'button button-secondary',
      text: 'Show',
      props: { type: 'button' },
      attrs: { 'aria-pressed': 'false' },
      on: {
        click: () => {
          const visible = this.#key.type === 'password';
          this.#key.type = visible ? 'text' : 'password';
          show.textContent = visible ? 'Hide' : 'Show';
          show.setAttribute('aria-pressed', String(visible));
        },
      },
    });
    this.#error = h('p', {
      class: 'field-error',
      testid: 'e2ee-error',
      props: { id: 'e2ee-error' },
      attrs: { role: 'alert' },
    });
    this.#apply = h('button', {
      class: 'button button-primary',
      testid: 'e2ee-apply',
      props: { type: 'submit' },
    });
    this.#off = h('button', {
      class: 'button button-danger',
      testid: 'e2ee-off',
      text: 'Turn off',
      props: { type: 'button' },
      on: { click: () => void this.apply(null) },
    });
    const unsupportedNote = conference.e2eeSupported
      ? null
      : h('p', {
          class: 'field-error',
          testid: 'e2ee-unsupported',
          props: { id: 'e2ee-unsupported-note' },
          attrs: { 'data-who': 'self' },
          text:
            'This browser cannot do end-to-end encryption, so it cannot be turned on here. The others ' +
            'see that you cannot encrypt.',
        });
    // A disabled switch must say why to those who cannot see the note next to it.
    if (unsupportedNote) this.#switch.setAttribute('aria-describedby', 'e2ee-unsupported-note');
    const form = h(
      'form',
      { class: 'dialog-form', on: { submit: (event) => this.#onSubmit(event) } },
      this.#status,
      this.#problems,
      unsupportedNote,
      h(
        'label',
        { class: 'e2ee-switch-row', props: { htmlFor: 'e2ee-switch' } },
        this.#switch,
        h('span', { text: 'End-to-end encryption' }),
      ),
      h('label', { class: 'field-label', text: 'Key', props: { htmlFor: 'e2ee-key' } }),
      h('div', { class: 'input-row' }, this.#key, show),
      h('p', {
        class: 'field-help',
        props: { id: 'e2ee-help' },
        text:
          'Everyone must type the same key; whoever has another key sees and hears nothing. The key never ' +
          'leaves this browser: not even the server gets it. Tell it to the others on another channel ' +
          'than the meeting link, and use several random words.',
      }),
      this.#error,
      h('div', { class: 'dialog-actions' }, this.#off, this.#apply),
    );
    this.#dialog.body.append(form);

    const rerender = () => this.render();
    this.#offs.push(
      conference.on('decryptState', rerender),
      conference.on('e2eeChanged', rerender),
      conference.on('participantJoined', rerender),
      conference.on('participantUpdated', rerender),
      conference.on('participantLeft', rerender),
      conference.on('selfUpdated', rerender),
    );
    // Tiles come and go, and the people panel re-renders its items: decorate what is new.
    for (const target of [options.grid, options.people]) {
      const observer = new MutationObserver(() => this.#decorate());
      observer.observe(target, { childList: true, subtree: target === options.people });
      this.#observers.push(observer);
    }
    this.render();
  }

  open(): void {
    this.#resetForm();
    this.#dialog.open();
    if (this.#conference.e2eeSupported) this.#key.focus();
  }

  /**
   * Turns E2EE on with `passphrase` (or changes the key), or off with null. Deriving the key takes
   * about a second (PBKDF2, 600,000 iterations). Resolves true once applied.
   */
  async apply(passphrase: string | null): Promise<boolean> {
    const conference = this.#conference;
    if (!conference.e2eeSupported) {
      this.#error.textContent = 'This browser cannot do end-to-end encryption.';
      return false;
    }
    const change = ++this.#busy;
    this.#setBusy(true);
    try {
      await conference.setE2EE(passphrase);
    } catch {
      if (change === this.#busy && !this.#disposed) {
        this.#setBusy(false);
        this.#error.textContent = 'End-to-end encryption could not be changed. Try again.';
      }
      return false;
    }
    if (this.#disposed) return true;
    this.#options.onPassphraseChange(passphrase);
    if (change === this.#busy) {
      this.#setBusy(false);
      this.#dialog.close();
    }
    this.render();
    return true;
  }

  /** Updates badge, warnings, dialog status and every indicator from the conference's state. */
  render(): void {
    if (this.#disposed) return;
    const conference = this.#conference;
    const self = conference.e2eeEnabled;
    const others = [...conference.participants.values()];
    const remote = others.map((p) => this.#remoteOf(p));
    const state = meetingState(self, remote);

    const text = meetingBadgeText(state);
    this.badge.dataset.state = state;
    this.badge.title = text.title;
    this.badge.replaceChildren(
      icon(state === 'on' ? 'lock' : state === 'off' ? 'unlock' : 'warning'),
      text.label,
    );
    this.#button.replaceChildren(icon(self ? 'lock' : 'unlock'));
    this.#button.classList.toggle('active', self);
    this.#button.setAttribute('aria-pressed', String(self));

    // Warnings: this browser cannot encrypt (shown once anyone in the meeting uses E2EE, and
    // always in the dialog); someone does not encrypt or cannot be decrypted while E2EE is in use.
    const anyone = self || remote.some((r) => r.e2ee);
    this.#unsupportedSelf.hidden = conference.e2eeSupported || !anyone;
    const problems = others
      .map((p, i) => ({ p, state: remoteIndicatorState(remote[i] as RemoteE2EE, self) }))
      .filter((x) => x.state !== 'encrypted');
    const notEncrypting = problems.filter((x) => x.state === 'unencrypted').map((x) => name(x.p));
    this.#othersWarning.hidden = !anyone || notEncrypting.length === 0;
    const cannotEncrypt = cannotEncryptWarning(
      self,
      remote.some((r) => r.e2ee),
      problems.filter((x) => x.state === 'cannot-encrypt').map((x) => name(x.p)),
    );
    this.#cannotEncrypt.hidden = cannotEncrypt === undefined;
    this.#cannotEncrypt.replaceChildren(icon('warning'), cannotEncrypt ?? '');
    this.#othersWarning.replaceChildren(
      icon('warning'),
      // Those whose browser cannot encrypt are named by the `e2ee-cannot-encrypt` warning instead.
      `Not end-to-end encrypted: ${notEncrypting.join(', ')}. They have not turned it on with the key. ` +
        'Only what they send and receive is affected.',
    );

    // The dialog.
    this.#status.textContent = !conference.e2eeSupported
      ? 'Not available in this browser.'
      : self
        ? state === 'on'
          ? 'On for everyone: every participant encrypts with the same key.'
          : 'On for you, but not for everyone.'
        : anyone
          ? 'Off for you. Others encrypt: enter the same key to see and hear them.'
          : 'Off. Turn it on so that only people with the key can see and hear this meeting.';
    this.#problems.replaceChildren(
      ...problems.map(({ p, state: s }) =>
        h(
          'li',
          { attrs: { 'data-participant-id': p.id, 'data-state': s } },
          indicator(s),
          ` ${name(p)}: ${INDICATOR_TEXT[s].title}`,
        ),
      ),
    );
    this.#switch.checked = self;
    this.#switch.disabled = !conference.e2eeSupported;
    this.#key.disabled = !conference.e2eeSupported;
    this.#apply.disabled = !conference.e2eeSupported || this.#apply.disabled;
    this.#apply.textContent = self ? 'Change key' : 'Turn on';
    this.#off.hidden = !self;

    this.#decorate();
  }

  dispose(): void {
    this.#disposed = true;
    for (const off of this.#offs) off();
    for (const observer of this.#observers) observer.disconnect();
    this.#dialog.close();
    this.#dialog.el.remove();
  }

  #remoteOf(info: ParticipantInfo): RemoteE2EE {
    return {
      e2ee: info.e2ee,
      e2eeSupported: info.e2eeSupported,
      decrypt: this.#conference.decryptStateOf(info.id),
    };
  }

  /** Adds or updates the indicator on every tile and people item, and the cover on blocked tiles. */
  #decorate(): void {
    const conference = this.#conference;
    const self = conference.e2eeEnabled;
    const anyone = self || [...conference.participants.values()].some((p) => p.e2ee);
    const selfState: E2EEIndicatorState = self ? 'encrypted' : 'unencrypted';
    const stateOf = (id: string | undefined): E2EEIndicatorState | undefined => {
      if (id === undefined) return undefined;
      if (id === conference.self.id) return selfState;
      const info = conference.participants.get(id);
      return info ? remoteIndicatorState(this.#remoteOf(info), self) : undefined;
    };

    for (const tile of this.#options.grid.querySelectorAll<HTMLElement>('.tile')) {
      const id = tile.dataset.participantId;
      const state = stateOf(id);
      if (!state) continue;
      const caption = tile.querySelector('figcaption') ?? tile;
      // Tiles show the mark only while E2EE is in use in the meeting: otherwise every tile would
      // carry the same "not encrypted" mark. The people panel always shows it.
      setIndicator(caption, state, !anyone);
      const info = id === undefined ? undefined : conference.participants.get(id);
      const blocked = info !== undefined && blocksMedia(this.#remoteOf(info), self);
      setCover(tile, blocked ? state : undefined, self);
    }
    for (const item of this.#options.people.querySelectorAll<HTMLElement>(
      '[data-testid="participant-item"]',
    )) {
      const state = stateOf(item.dataset.participantId);
      if (!state) continue;
      const place = item.querySelector('.person-state') ?? item;
      setIndicator(place, state, false);
    }
  }

  #onSwitch(): void {
    if (this.#switch.checked) {
      // Turning on needs the key: the switch only leads to it.
      this.#switch.checked = this.#conference.e2eeEnabled;
      this.#error.textContent = this.#conference.e2eeEnabled
        ? ''
        : 'Enter the key everyone uses, then Turn on.';
      this.#key.focus();
      return;
    }
    if (this.#conference.e2eeEnabled) void this.apply(null);
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const passphrase = this.#key.value;
    if (passphrase === '') {
      this.#error.textContent = 'Enter the key everyone in this meeting uses.';
      this.#key.focus();
      return;
    }
    if (passphrase !== passphrase.trim()) {
      this.#error.textContent = 'The key starts or ends with a space. Remove it, so that others can type it.';
      this.#key.focus();
      return;
    }
    void this.apply(passphrase);
  }

  #setBusy(busy: boolean): void {
    this.#apply.disabled = busy || !this.#conference.e2eeSupported;
    this.#off.disabled = busy;
    this.#apply.setAttribute('aria-busy', String(busy));
    if (busy) this.#error.textContent = '';
    this.#apply.textContent = busy
      ? 'Deriving key…'
      : this.#conference.e2eeEnabled
        ? 'Change key'
        : 'Turn on';
  }

  #resetForm(): void {
    // The typed key is forgotten as soon as the dialog closes.
    this.#key.value = '';
    this.#key.type = 'password';
    if (this.#busy === 0 || !this.#apply.disabled) this.#error.textContent = '';
  }
}

function name(info: ParticipantInfo): string {
  return displayLabel(info.displayName);
}

function indicator(state: E2EEIndicatorState): HTMLElement {
  const text = INDICATOR_TEXT[state];
  return h(
    'span',
    {
      class: `e2ee-indicator e2ee-${state}`,
      testid: 'e2ee-indicator',
      attrs: { 'data-state': state },
      props: { title: text.title },
    },
    icon(STATE_ICON[state]),
    srOnly(text.label),
  );
}

function setIndicator(parent: Element, state: E2EEIndicatorState, hidden: boolean): void {
  let el = parent.querySelector<HTMLElement>(':scope > [data-testid="e2ee-indicator"]');
  if (el?.dataset.state !== state) {
    const next = indicator(state);
    if (el) el.replaceWith(next);
    else parent.append(next);
    el = next;
  }
  el.hidden = hidden;
}

/** A cover over a tile whose media this page cannot show, saying why (instead of a frozen image). */
function setCover(tile: HTMLElement, state: E2EEIndicatorState | undefined, selfE2EE: boolean): void {
  const existing = tile.querySelector<HTMLElement>(':scope > [data-testid="e2ee-blocked"]');
  if (!state) {
    existing?.remove();
    tile.classList.remove('e2ee-blocked');
    return;
  }
  const message =
    state === 'cannot-decrypt'
      ? selfE2EE
        ? 'Cannot decrypt: they use a different key'
        : 'Encrypted: enter the meeting key to see and hear them'
      : state === 'cannot-encrypt'
        ? 'Cannot encrypt: their browser cannot do end-to-end encryption, so their media is hidden while yours is on'
        : 'Not encrypted: hidden while your end-to-end encryption is on';
  if (existing?.dataset.state === state && existing.textContent === message) return;
  const cover = h(
    'div',
    { class: 'e2ee-cover', testid: 'e2ee-blocked', attrs: { 'data-state': state, role: 'status' } },
    icon(STATE_ICON[state]),
    h('span', { text: message }),
  );
  if (existing) existing.replaceWith(cover);
  else tile.append(cover);
  tile.classList.add('e2ee-blocked');
}
