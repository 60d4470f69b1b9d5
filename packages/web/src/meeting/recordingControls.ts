import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import type { ToastOptions } from '../ui/toasts.js';
import { RecordingDialog } from './recordingDialog.js';
import { describeRecordingRefusal, recordingChangeText, uploadNotice } from './recordingText.js';

/** Final upload notices stay long enough to be read after the meeting's other notices. */
const FINAL_NOTICE_MS = 20_000;

/**
 * Recording in the meeting (PRIVACY P13): the moderators' Record / Stop recording control and its
 * dialog, and for everyone a notice when a recording starts or stops and what became of the file.
 * The "Recording" badge itself is RoomBadges', from `conference.room.recording`. The control is
 * hidden when the server does not record; the server refuses non-moderators anyway.
 */
export class RecordingControls {
  readonly toolbarGroup: HTMLElement;
  readonly #conference: Conference;
  readonly #button: HTMLButtonElement;
  readonly #dialog: RecordingDialog | undefined;
  readonly #notify: (text: string, options: ToastOptions) => HTMLElement;
  readonly #nameOf: (id: string) => string;
  readonly #act: (action: () => void) => boolean;
  readonly #offs: (() => void)[] = [];
  #moderator = false;
  /** The last upload notice: a newer status replaces it ("Uploading…" does not stay beside "uploaded"). */
  #uploadNotice: HTMLElement | undefined;

  constructor(options: {
    conference: Conference;
    nameOf(id: string): string;
    notify(text: string, options: ToastOptions): HTMLElement;
    /** Runs a conference action; a closed connection becomes a notice (false) instead of an exception. */
    act(action: () => void): boolean;
  }) {
    const conference = options.conference;
    this.#conference = conference;
    this.#notify = options.notify;
    this.#nameOf = options.nameOf;
    this.#act = options.act;
    const recordingOptions = conference.recordingOptions;
    this.#dialog =
      recordingOptions && recordingOptions.destinations.length > 0
        ? new RecordingDialog({
            options: recordingOptions,
            start: (destination) => this.#act(() => conference.startRecording(destination)),
            encrypting: () =>
              conference.self.e2ee || [...conference.participants.values()].some((p) => p.e2ee),
          })
        : undefined;
    this.#button = h('button', {
      class: 'button round recording-toggle',
      testid: 'recording-control',
      props: { type: 'button' },
      on: { click: () => this.#onClick() },
    });
    this.toolbarGroup = h(
      'div',
      {
        class: 'toolbar-group',
        props: { hidden: true },
        attrs: { role: 'group', 'aria-label': t('recording.group') },
      },
      this.#button,
    );
    this.#render();
    this.#offs.push(
      conference.on('recording', (event) => {
        this.#button.disabled = false;
        this.#render();
        if (event.recording) this.#dialog?.started();
        this.#notify(recordingChangeText(event, this.#nameOf), {
          testid: 'recording-notice',
          tone: event.reason === 'error' ? 'error' : 'info',
        }).dataset.recording = String(event.recording);
      }),
      conference.on('recordingUpload', (event) => {
        const notice = uploadNotice(event, conference.recordingOptions?.retentionHours);
        this.#uploadNotice?.remove();
        this.#uploadNotice = this.#notify(notice.text, {
          testid: 'recording-upload',
          tone: notice.tone,
          ...(notice.final ? { durationMs: FINAL_NOTICE_MS } : {}),
        });
        this.#uploadNotice.dataset.status = event.status;
      }),
    );
  }

  setModerator(moderator: boolean): void {
    this.#moderator = moderator;
    this.#render();
  }

  /** A `startRecording` / `stopRecording` refusal from the server (the `serverError` event). */
  refused(error: { code: string }): void {
    this.#button.disabled = false;
    const text = describeRecordingRefusal(error.code);
    if (this.#dialog?.refused(text)) return;
    this.#notify(text, { testid: 'recording-refused', tone: 'error' });
  }

  dispose(): void {
    for (const off of this.#offs) off();
    this.#dialog?.dispose();
  }

  #onClick(): void {
    if (!this.#conference.room.recording) {
      this.#dialog?.open();
      return;
    }
    // Disabled until the server announces the stop (or refuses), so a double click sends one stop.
    if (this.#act(() => this.#conference.stopRecording())) this.#button.disabled = true;
  }

  #render(): void {
    const recording = this.#conference.room.recording;
    this.toolbarGroup.hidden = !this.#moderator || this.#dialog === undefined;
    const label = recording ? t('recording.stop') : t('recording.record');
    this.#button.setAttribute('aria-label', label);
    this.#button.setAttribute('aria-pressed', String(recording));
    this.#button.setAttribute('aria-haspopup', recording ? 'false' : 'dialog');
    this.#button.title = recording ? t('recording.stopTitle') : t('recording.recordTitle');
    this.#button.classList.toggle('recording-on', recording);
    this.#button.replaceChildren(icon(recording ? 'stop' : 'record'));
  }
}
