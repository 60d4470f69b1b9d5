import type { RecordingDestination, RecordingDestinationKind, RecordingOptions } from '@conclave/protocol';
import { type PlainKey, t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { DropboxSignInError } from './dropboxSignInError.js';
import { dropboxSettings, signInToDropbox } from './recordingDropbox.js';
import { checkWebDavUrl, describeDropboxFailure, formatHours } from './recordingText.js';

/** The example WebDAV folder, shown on a line of its own that wraps anywhere (it has no spaces). */
const WEBDAV_EXAMPLE = 'https://cloud.example.org/remote.php/dav/files/alice/Recordings/';

const LABELS = {
  webdav: { title: 'recording.webdav', help: 'recording.webdavHelp' },
  local: { title: 'recording.local', help: 'recording.localHelp' },
  dropbox: { title: 'recording.dropbox', help: 'recording.dropboxHelp' },
} as const satisfies Record<RecordingDestinationKind, { title: PlainKey; help: PlainKey }>;

/**
 * Moderators: choose where the recording goes and start it. Credentials (WebDAV password, Dropbox
 * token) go into the one `startRecording` message and nowhere else; the fields are cleared when
 * the dialog closes. The dialog stays open, saying "Starting…", until the server announces the
 * recording or refuses it, so a refusal is explained where the moderator is looking.
 */
export class RecordingDialog {
  readonly #dialog: ReturnType<typeof modal>;
  readonly #options: RecordingOptions;
  readonly #start: (destination: RecordingDestination) => boolean;
  readonly #encrypting: () => boolean;
  readonly #radios = new Map<RecordingDestinationKind, HTMLInputElement>();
  readonly #help: HTMLElement;
  readonly #webdav: HTMLElement;
  readonly #example: HTMLElement;
  readonly #url: HTMLInputElement;
  readonly #user: HTMLInputElement;
  readonly #password: HTMLInputElement;
  readonly #e2eeWarning: HTMLElement;
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;
  readonly #submit: HTMLButtonElement;
  #pending = false;
  #signIn: AbortController | undefined;

  constructor(options: {
    options: RecordingOptions;
    /** Sends `startRecording`; false when it could not be sent (already explained). */
    start(destination: RecordingDestination): boolean;
    /** Whether anyone in the meeting encrypts end to end (the server would refuse, P12). */
    encrypting(): boolean;
  }) {
    this.#options = options.options;
    this.#start = options.start;
    this.#encrypting = options.encrypting;
    this.#dialog = modal({
      testid: 'recording-dialog',
      title: t('recording.dialogTitle'),
      // Wide, so that the whole form fits a 1280×800 screen without scrolling (e2e/recording-ui).
      wide: true,
      onClose: () => this.#reset(),
    });

    const offered = this.#offered();
    const choices = h(
      'fieldset',
      { class: 'recording-choices' },
      h('legend', { class: 'field-label', text: t('recording.saveTo') }),
    );
    for (const kind of offered) {
      const radio = h('input', {
        testid: `recording-destination-${kind}`,
        props: {
          type: 'radio',
          name: 'recording-destination',
          value: kind,
          id: `recording-destination-${kind}`,
        },
        on: { change: () => this.#render() },
      });
      this.#radios.set(kind, radio);
      choices.append(
        h(
          'label',
          { class: 'recording-choice', props: { htmlFor: radio.id } },
          radio,
          h('span', { text: t(LABELS[kind].title) }),
        ),
      );
    }
    this.#help = h('p', { class: 'field-help', props: { id: 'recording-help' } });
    this.#example = h('code', {
      class: 'recording-example',
      testid: 'recording-webdav-example',
      text: WEBDAV_EXAMPLE,
    });

    this.#url = this.#input('recording-webdav-url', 'url', t('recording.folderAddress'));
    this.#user = this.#input('recording-webdav-user', 'text', t('recording.userName'));
    this.#password = this.#input('recording-webdav-password', 'password', t('recording.password'));
    const field = (input: HTMLInputElement) =>
      h(
        'div',
        { class: 'recording-field' },
        h('label', { class: 'field-label', text: input.title, props: { htmlFor: input.id } }),
        input,
      );
    this.#webdav = h(
      'div',
      { class: 'recording-webdav', testid: 'recording-webdav-fields' },
      this.#example,
      field(this.#url),
      // Side by side where there is room: the form then fits a laptop screen without scrolling.
      h('div', { class: 'recording-credentials' }, field(this.#user), field(this.#password)),
    );

    this.#e2eeWarning = h(
      'p',
      { class: 'banner recording-warning', testid: 'recording-e2ee-warning', props: { hidden: true } },
      icon('warning'),
      t('recording.e2eeWarning'),
    );
    this.#status = h('p', { class: 'field-help', testid: 'recording-status', attrs: { role: 'status' } });
    this.#error = h('p', {
      class: 'field-error',
      testid: 'recording-error',
      props: { id: 'recording-error' },
      attrs: { role: 'alert' },
    });
    this.#submit = h('button', {
      class: 'button button-primary',
      testid: 'recording-start',
      props: { type: 'submit' },
    });
    const cancel = h('button', {
      class: 'button button-secondary',
      testid: 'recording-cancel',
      text: t('dialog.cancel'),
      props: { type: 'button' },
      on: { click: () => this.close() },
    });
    const retention = this.#options.retentionHours;
    const form = h(
      'form',
      { class: 'dialog-form', on: { submit: (event) => this.#onSubmit(event) } },
      h('p', {
        class: 'dialog-text',
        text: t('recording.intro', { retention: formatHours(retention) }),
      }),
      this.#e2eeWarning,
      choices,
      this.#help,
      this.#webdav,
      this.#status,
      this.#error,
      h('div', { class: 'dialog-actions' }, cancel, this.#submit),
    );
    this.#dialog.body.append(form);
  }

  open(): void {
    this.#reset();
    const first = this.#offered()[0];
    if (first) {
      const radio = this.#radios.get(first);
      if (radio) radio.checked = true;
    }
    this.#render();
    this.#dialog.open();
    this.#radios.get(this.#selected() ?? 'local')?.focus();
  }

  close(): void {
    this.#dialog.close();
  }

  /** The server announced a recording: whoever started it, this dialog has done its job. */
  started(): void {
    this.#pending = false;
    this.close();
  }

  /** The server refused the start; shown here when this dialog asked, otherwise false. */
  refused(text: string): boolean {
    if (!this.#dialog.isOpen || !this.#pending) return false;
    this.#pending = false;
    this.#showError(text);
    return true;
  }

  dispose(): void {
    this.#signIn?.abort();
    this.close();
    this.#dialog.el.remove();
  }

  #offered(): RecordingDestinationKind[] {
    // Dropbox needs the whole app description; an older server without its URLs cannot run PKCE.
    return this.#options.destinations.filter((d) => d !== 'dropbox' || dropboxSettings(this.#options));
  }

  #selected(): RecordingDestinationKind | undefined {
    for (const [kind, radio] of this.#radios) if (radio.checked) return kind;
    return undefined;
  }

  #input(testid: string, type: 'url' | 'text' | 'password', label: string): HTMLInputElement {
    return h('input', {
      class: 'text-input',
      testid,
      props: { id: testid, type, title: label, autocomplete: 'off', spellcheck: false },
      attrs: { 'aria-describedby': 'recording-error' },
      on: { input: () => (this.#error.textContent = '') },
    });
  }

  #render(): void {
    const kind = this.#selected();
    this.#help.textContent = kind ? t(LABELS[kind].help) : '';
    this.#webdav.hidden = kind !== 'webdav';
    this.#e2eeWarning.hidden = !this.#encrypting();
    this.#error.textContent = '';
    if (!this.#pending) {
      this.#submit.disabled = kind === undefined;
      this.#submit.textContent = kind === 'dropbox' ? t('recording.connectDropbox') : t('recording.start');
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.#pending) return;
    const kind = this.#selected();
    if (!kind) return;
    this.#error.textContent = '';
    if (kind === 'local') {
      this.#send({ kind: 'local' });
      return;
    }
    if (kind === 'webdav') {
      const check = checkWebDavUrl(this.#url.value);
      if (!check.ok) {
        this.#showError(check.message);
        this.#url.focus();
        return;
      }
      const username = this.#user.value;
      const password = this.#password.value;
      this.#send({
        kind: 'webdav',
        url: check.url,
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
      });
      return;
    }
    const settings = dropboxSettings(this.#options);
    if (!settings) return;
    // Still inside the submit (a user gesture): the popup must open now, before anything awaits.
    const controller = new AbortController();
    this.#signIn = controller;
    const signIn = signInToDropbox(settings, controller.signal);
    this.#setPending(t('recording.waitingDropbox'));
    signIn.then(
      (accessToken) => {
        if (this.#signIn !== controller) return;
        this.#signIn = undefined;
        this.#pending = false;
        this.#send({ kind: 'dropbox', accessToken });
      },
      (error: unknown) => {
        if (this.#signIn !== controller) return;
        this.#signIn = undefined;
        this.#pending = false;
        this.#showError(
          describeDropboxFailure(error instanceof DropboxSignInError ? error.failure : 'token-failed'),
        );
      },
    );
  }

  #send(destination: RecordingDestination): void {
    if (!this.#start(destination)) {
      this.#render();
      return;
    }
    this.#setPending(t('recording.starting'));
  }

  #setPending(status: string): void {
    this.#pending = true;
    this.#status.textContent = status;
    this.#submit.disabled = true;
    this.#submit.textContent = t('recording.startingShort');
  }

  #showError(text: string): void {
    this.#status.textContent = '';
    this.#render();
    this.#error.textContent = text;
  }

  #reset(): void {
    // Closing the dialog gives up a sign-in still waiting for Dropbox.
    this.#signIn?.abort();
    this.#signIn = undefined;
    this.#pending = false;
    this.#url.value = '';
    this.#user.value = '';
    this.#password.value = '';
    this.#status.textContent = '';
    this.#error.textContent = '';
  }
}
