import type { Conference, RemoteTrack } from '@conclave/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { describeMeetingError, errorCode } from '../ui/errors.js';
import { icon } from '../ui/icons.js';

export interface ScreenStageOptions {
  conference: Conference;
  nameOf(participantId: string): string;
  /** Shows a notice (a refused or failed share). */
  notify(text: string, tone: 'info' | 'error'): void;
  /** Whether a shared screen is on the stage now (the cameras then go to the filmstrip: stageLayout.ts). */
  onStaged(staged: boolean): void;
}

/**
 * Screen sharing in the meeting: the toolbar's share button (and, for moderators, whether several
 * may present at once), and the stage: a shared screen takes it while the cameras move to a
 * filmstrip, with "X is presenting" above it. The sharer does not see their own screen mirrored
 * (a hall of mirrors); they see that they are presenting, with a way to stop. When a moderator lets
 * several present, the newest screen takes the stage and a row of buttons lets each viewer put
 * another one there instead (a choice of this page only: nobody else's stage changes).
 */
export class ScreenStage {
  readonly el: HTMLElement;
  readonly toolbarGroup: HTMLElement;
  readonly #options: ScreenStageOptions;
  readonly #share: HTMLButtonElement;
  readonly #multiple: HTMLButtonElement;
  readonly #video: HTMLVideoElement;
  readonly #caption: HTMLElement;
  readonly #picker: HTMLElement;
  /** The presenter whose screen this viewer chose for the stage; null: the newest screen. */
  #chosen: string | null = null;
  /** The presenters (and their names) the picker's buttons were built for. */
  #pickerFor = '';
  readonly #audio = new Map<MediaStreamTrack, HTMLAudioElement>();
  /** Screens shown to this participant, latest last: the last one is on the stage. */
  #screens: RemoteTrack[] = [];
  #busy = false;
  readonly #offs: (() => void)[] = [];

  constructor(options: ScreenStageOptions) {
    this.#options = options;
    const { conference } = options;
    this.#share = h(
      'button',
      {
        class: 'button round',
        testid: 'share-screen',
        props: { type: 'button' },
        on: { click: () => void this.#toggle() },
      },
      icon('screen'),
    );
    this.#multiple = h('button', {
      class: 'button',
      testid: 'allow-multiple-screens',
      props: { type: 'button', hidden: true },
      on: { click: () => conference.setMultipleScreenShares(!conference.room.multipleScreenShares) },
    });
    this.toolbarGroup = h(
      'div',
      { class: 'toolbar-group', attrs: { role: 'group', 'aria-label': t('screen.group') } },
      this.#share,
      this.#multiple,
    );
    this.#video = h('video', {
      class: 'screen-video',
      testid: 'screen-video',
      props: { autoplay: true, playsInline: true, muted: true },
    });
    this.#caption = h('p', { class: 'screen-caption', testid: 'presenter-banner' });
    this.#picker = h('div', {
      class: 'screen-picker',
      testid: 'screen-picker',
      attrs: { role: 'group', 'aria-label': t('screen.choose') },
      props: { hidden: true },
    });
    this.el = h(
      'section',
      { class: 'screen-stage', testid: 'screen-stage', attrs: { 'aria-label': t('screen.stage') } },
      this.#caption,
      this.#picker,
      this.#video,
    );
    for (const t of conference.remoteTracks) this.#added(t);
    this.#offs.push(
      conference.on('trackAdded', (t) => this.#added(t)),
      conference.on('trackRemoved', (t) => this.#removed(t)),
      conference.on('screenShareChanged', () => this.#render()),
      conference.on('participantUpdated', () => this.#render()),
      conference.on('participantLeft', () => this.#render()),
      conference.on('selfUpdated', () => this.#render()),
      conference.on('roomUpdated', () => this.#render()),
    );
    this.#render();
  }

  dispose(): void {
    for (const off of this.#offs) off();
    for (const audio of this.#audio.values()) audio.srcObject = null;
    this.#audio.clear();
    this.#video.srcObject = null;
  }

  async #toggle(): Promise<void> {
    const { conference } = this.#options;
    if (this.#busy) return;
    this.#busy = true;
    this.#render();
    try {
      if (conference.screenTracks.length) await conference.stopScreenShare();
      else await conference.startScreenShare();
    } catch (error) {
      const { name } = error as { name?: string };
      // The user closed the browser's picker: nothing to say. A refusal by the server says why.
      if (name !== 'NotAllowedError' && name !== 'AbortError') {
        const code = errorCode(error);
        this.#options.notify(
          code ? describeMeetingError({ code, message: '' }) : t('screen.failed'),
          'error',
        );
      }
    } finally {
      this.#busy = false;
      this.#render();
    }
  }

  #added(remote: RemoteTrack): void {
    if (remote.source !== 'screen') return;
    if (remote.track.kind === 'audio') {
      const audio = h('audio', { props: { autoplay: true, srcObject: new MediaStream([remote.track]) } });
      this.#audio.set(remote.track, audio);
      this.el.append(audio);
    } else {
      this.#screens = [...this.#screens.filter((s) => s.track !== remote.track), remote];
      // A new presenter takes the stage, as when they are the only one; the picker brings back
      // the screen this viewer had chosen.
      this.#chosen = null;
    }
    this.#render();
  }

  #removed(remote: RemoteTrack): void {
    const audio = this.#audio.get(remote.track);
    if (audio) {
      audio.srcObject = null;
      audio.remove();
      this.#audio.delete(remote.track);
    }
    this.#screens = this.#screens.filter((s) => s.track !== remote.track);
    this.#render();
  }

  #render(): void {
    const { conference, nameOf } = this.#options;
    const sharing = conference.screenTracks.length > 0;
    const label = sharing ? t('screen.stop') : t('screen.share');
    this.#share.setAttribute('aria-label', label);
    this.#share.title = sharing ? t('screen.stopTitle') : t('screen.shareTitle');
    this.#share.setAttribute('aria-pressed', String(sharing));
    this.#share.classList.toggle('active', sharing);
    this.#share.disabled = this.#busy;
    const multiple = conference.room.multipleScreenShares === true;
    this.#multiple.hidden = !conference.isModerator;
    this.#multiple.setAttribute('aria-pressed', String(multiple));
    this.#multiple.textContent = multiple ? t('screen.several') : t('screen.one');
    this.#multiple.title = multiple ? t('screen.allowOneTitle') : t('screen.allowSeveralTitle');
    const shown = this.#screens.find((s) => s.participantId === this.#chosen) ?? this.#screens.at(-1);
    this.#renderPicker(shown);
    if (shown && this.#video.srcObject !== shown.stream) this.#video.srcObject = shown.stream;
    if (!shown) this.#video.srcObject = null;
    this.#video.hidden = !shown;
    const presenters = [...conference.participants.values()].filter((p) => p.screenSharing);
    const caption = shown
      ? t('screen.presenting', { name: nameOf(shown.participantId) })
      : sharing
        ? t('screen.selfPresenting')
        : presenters.length
          ? t('screen.presenting', { name: nameOf(presenters[0]?.id ?? '') })
          : '';
    this.#caption.textContent = caption;
    const staged = Boolean(shown);
    this.el.hidden = !caption;
    this.el.classList.toggle('screen-stage-self', !staged);
    this.#options.onStaged(staged);
  }

  #renderPicker(shown: RemoteTrack | undefined): void {
    const { nameOf } = this.#options;
    const presenters = this.#screens.map((s) => s.participantId);
    this.#picker.hidden = presenters.length < 2;
    // Rebuilt only when a presenter or a name changes, so that keyboard focus stays on its button.
    const key = presenters.map((id) => `${id}:${nameOf(id)}`).join('\n');
    if (key !== this.#pickerFor) {
      this.#pickerFor = key;
      this.#picker.replaceChildren(
        ...presenters.map((id) =>
          h('button', {
            class: 'button',
            text: t('screen.showScreen', { name: nameOf(id) }),
            props: { type: 'button' },
            attrs: { 'data-participant': id },
            on: {
              click: () => {
                this.#chosen = id;
                this.#render();
              },
            },
          }),
        ),
      );
    }
    for (const button of this.#picker.querySelectorAll<HTMLButtonElement>('button'))
      button.setAttribute('aria-pressed', String(button.dataset.participant === shown?.participantId));
  }
}
