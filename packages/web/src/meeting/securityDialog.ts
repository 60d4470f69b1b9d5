import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { e2eeIndicator } from './e2eeMarks.js';
import { type E2EEIndicatorState, indicatorText, type MeetingE2EEState } from './securityState.js';

/** Longest passphrase the Key field takes; PBKDF2 takes any length, this only bounds typing. */
const MAX_PASSPHRASE = 256;

export interface SecurityDialogOptions {
  /** This browser can do E2EE; otherwise the dialog says why it cannot be turned on. */
  supported: boolean;
  /** Whether this page encrypts now. */
  enabled(): boolean;
  /** Applies a passphrase (null: turns E2EE off); rejects when it could not be changed. */
  change(passphrase: string | null): Promise<void>;
  /** A change was applied (and the dialog closed, unless a later change is still deriving). */
  applied(): void;
}

/** What the dialog shows about the meeting. */
export interface SecurityDialogView {
  /** This page encrypts. */
  self: boolean;
  meeting: MeetingE2EEState;
  /** Anyone in the meeting encrypts, this page included. */
  anyone: boolean;
  /** Everyone whose media is not (or not decryptably) end-to-end encrypted here. */
  problems: readonly { id: string; name: string; state: E2EEIndicatorState }[];
}

/**
 * The Security dialog (`security-dialog`): the meeting's E2EE status and who is not encrypted,
 * the Key field and one control: Turn on (off) or Change key and Turn off (on); no separate switch
 * that would say the same thing twice. The typed key lives only in the field, which is emptied
 * whenever the dialog closes.
 */
export class SecurityDialog {
  readonly #options: SecurityDialogOptions;
  readonly #dialog: ReturnType<typeof modal>;
  readonly #status: HTMLElement;
  readonly #problems: HTMLUListElement;
  readonly #key: HTMLInputElement;
  readonly #apply: HTMLButtonElement;
  readonly #off: HTMLButtonElement;
  readonly #error: HTMLElement;
  /** Changes in flight; a later one supersedes an earlier one still deriving. */
  #busy = 0;
  #disposed = false;

  constructor(options: SecurityDialogOptions) {
    this.#options = options;
    this.#dialog = modal({
      testid: 'security-dialog',
      title: t('e2ee.title'),
      onClose: () => this.#resetForm(),
    });
    this.#status = h('p', { class: 'dialog-text', testid: 'e2ee-status', attrs: { role: 'status' } });
    this.#problems = h('ul', { class: 'e2ee-problems', testid: 'e2ee-problems' });
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
      text: t('e2ee.show'),
      props: { type: 'button' },
      attrs: { 'aria-pressed': 'false' },
      on: {
        click: () => {
          const visible = this.#key.type === 'password';
          this.#key.type = visible ? 'text' : 'password';
          show.textContent = visible ? t('e2ee.hide') : t('e2ee.show');
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
      text: t('e2ee.turnOff'),
      props: { type: 'button' },
      on: { click: () => void this.apply(null) },
    });
    const unsupportedNote = options.supported
      ? null
      : h('p', {
          class: 'field-error',
          testid: 'e2ee-unsupported',
          props: { id: 'e2ee-unsupported-note' },
          attrs: { 'data-who': 'self' },
          text: t('e2ee.unsupportedNote'),
        });
    // A disabled button must say why to those who cannot see the note next to it.
    if (unsupportedNote) this.#apply.setAttribute('aria-describedby', 'e2ee-unsupported-note');
    const form = h(
      'form',
      { class: 'dialog-form', on: { submit: (event) => this.#onSubmit(event) } },
      this.#status,
      this.#problems,
      unsupportedNote,
      h('label', { class: 'field-label', text: t('e2ee.key'), props: { htmlFor: 'e2ee-key' } }),
      h('div', { class: 'input-row' }, this.#key, show),
      h('p', {
        class: 'field-help',
        props: { id: 'e2ee-help' },
        text: t('e2ee.help'),
      }),
      this.#error,
      h('div', { class: 'dialog-actions' }, this.#off, this.#apply),
    );
    this.#dialog.body.append(form);
  }

  open(): void {
    this.#resetForm();
    this.#dialog.open();
    if (this.#options.supported) this.#key.focus();
  }

  /**
   * Turns E2EE on with `passphrase` (or changes the key), or off with null. Deriving the key takes
   * about a second (PBKDF2, 600,000 iterations). Resolves true once applied.
   */
  async apply(passphrase: string | null): Promise<boolean> {
    if (!this.#options.supported) {
      this.#error.textContent = t('e2ee.unsupported');
      return false;
    }
    const change = ++this.#busy;
    this.#setBusy(true);
    try {
      await this.#options.change(passphrase);
    } catch {
      if (change === this.#busy && !this.#disposed) {
        this.#setBusy(false);
        this.#error.textContent = t('e2ee.changeFailed');
      }
      return false;
    }
    if (this.#disposed) return true;
    if (change === this.#busy) {
      this.#setBusy(false);
      this.#dialog.close();
    }
    this.#options.applied();
    return true;
  }

  render({ self, meeting, anyone, problems }: SecurityDialogView): void {
    const supported = this.#options.supported;
    this.#status.textContent = !supported
      ? t('e2ee.statusUnavailable')
      : self
        ? meeting === 'on'
          ? t('e2ee.statusOn')
          : t('e2ee.statusPartial')
        : anyone
          ? t('e2ee.statusOthers')
          : t('e2ee.statusOff');
    this.#problems.replaceChildren(
      ...problems.map(({ id, name, state }) =>
        h(
          'li',
          { attrs: { 'data-participant-id': id, 'data-state': state } },
          e2eeIndicator(state),
          ` ${t('e2ee.problem', { name, state: indicatorText(state).title })}`,
        ),
      ),
    );
    this.#key.disabled = !supported;
    this.#apply.disabled = !supported || this.#apply.disabled;
    this.#apply.textContent = self ? t('e2ee.changeKey') : t('e2ee.turnOn');
    this.#off.hidden = !self;
  }

  dispose(): void {
    this.#disposed = true;
    this.#dialog.close();
    this.#dialog.el.remove();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const passphrase = this.#key.value;
    if (passphrase === '') {
      this.#error.textContent = t('e2ee.enterKey');
      this.#key.focus();
      return;
    }
    if (passphrase !== passphrase.trim()) {
      this.#error.textContent = t('e2ee.keySpaces');
      this.#key.focus();
      return;
    }
    void this.apply(passphrase);
  }

  #setBusy(busy: boolean): void {
    this.#apply.disabled = busy || !this.#options.supported;
    this.#off.disabled = busy;
    this.#apply.setAttribute('aria-busy', String(busy));
    if (busy) this.#error.textContent = '';
    this.#apply.textContent = busy
      ? t('e2ee.deriving')
      : this.#options.enabled()
        ? t('e2ee.changeKey')
        : t('e2ee.turnOn');
  }

  #resetForm(): void {
    // The typed key is forgotten as soon as the dialog closes.
    this.#key.value = '';
    this.#key.type = 'password';
    if (this.#busy === 0 || !this.#apply.disabled) this.#error.textContent = '';
  }
}
