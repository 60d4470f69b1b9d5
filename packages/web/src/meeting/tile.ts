import type { QualityReading } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { audioOutput } from '../media/audioOutput.js';
import { displayLabel } from '../ui/avatar.js';
import { type AvatarView, avatarView } from '../ui/avatarView.js';
import { h, srOnly } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { mediaProblem } from '../ui/mediaAvailability.js';
import { e2eeCover, placeIndicator } from './e2eeMarks.js';
import { placeHandBadge } from './handBadge.js';
import { pinWords } from './pinWords.js';
import { QualityIndicator } from './qualityIndicator.js';
import type { TileEncryption } from './securityState.js';

/** Longest time a tile keeps showing its old picture while the new track has no frame yet. */
const PENDING_VIDEO_MS = 4_000;

/**
 * One participant's square in the grid: their video when there is a picture to show, otherwise
 * a locally drawn avatar; their name; a muted-microphone mark; their end-to-end encryption mark,
 * and a cover when this page cannot show their media (setEncryption). Remote audio plays through one
 * `<audio>` element per track, kept apart from the video so that the video can stay muted (and so
 * autoplay it) while sound still plays.
 */
export class Tile {
  readonly el: HTMLElement;
  readonly #kind: 'self' | 'remote';
  readonly #avatar: AvatarView;
  readonly #name: HTMLElement;
  readonly #micOff: HTMLElement;
  readonly #moderator: HTMLElement;
  readonly #caption: HTMLElement;
  #e2eeMark: HTMLElement | undefined;
  #e2eeCover: HTMLElement | undefined;
  #hand: HTMLElement | undefined;
  /** Why this participant's audio and video cannot arrive, when they cannot. */
  readonly #mediaNote: HTMLElement;
  readonly #audio = new Map<MediaStreamTrack, HTMLAudioElement>();
  readonly #onAudioBlocked: () => void;
  #video: HTMLVideoElement | undefined;
  /** The replacement picture, until it has a frame (see setVideo). */
  #pending: HTMLVideoElement | undefined;
  #pendingTimer: ReturnType<typeof setTimeout> | undefined;
  #pendingHasFrames = false;
  /** The track `#video` shows (the previous one while `#pending` waits), and whether it ended. */
  #shownTrack: MediaStreamTrack | undefined;
  #shownTrackEnded = false;
  #videoTrack: MediaStreamTrack | undefined;
  #hasFrames = false;
  #info: ParticipantInfo;
  #resizeObserver: ResizeObserver | undefined;
  readonly #quality = new QualityIndicator();
  /** Pins this participant to the stage or unpins them; shown on hover and keyboard focus. */
  readonly #pin: HTMLButtonElement | undefined;
  #pinned = false;

  /**
   * `onVideoHeight` (remote tiles) hears the height in device pixels at which this tile shows video,
   * whenever it changes, so that the SFU can send the simulcast layer that fits.
   */
  constructor(
    kind: 'self' | 'remote',
    info: ParticipantInfo,
    onAudioBlocked: () => void = () => {},
    onVideoHeight?: (height: number) => void,
    onPin?: () => void,
  ) {
    this.#kind = kind;
    this.#pin =
      onPin &&
      h(
        'button',
        {
          class: 'tile-pin',
          testid: 'tile-pin',
          props: { type: 'button' },
          attrs: { 'aria-pressed': 'false' },
          on: { click: () => onPin() },
        },
        icon('pin'),
      );
    this.#info = info;
    this.#onAudioBlocked = onAudioBlocked;
    this.#avatar = avatarView(info.id, 'tile-avatar');
    this.#name = h('span', { class: 'tile-name-text' });
    this.#micOff = h(
      'span',
      { class: 'tile-muted', testid: 'tile-audio-muted', props: { title: t('tile.micMuted') } },
      icon('micOff'),
      srOnly(t('tile.micMutedSr')),
    );
    this.#moderator = h('span', { class: 'badge', text: t('tile.moderator') });
    this.#caption = h(
      'figcaption',
      { class: 'tile-name', testid: 'tile-name' },
      this.#micOff,
      this.#name,
      this.#moderator,
    );
    this.#mediaNote = h('span', { class: 'tile-media-problem', testid: 'tile-media-problem' });
    this.el = h(
      'figure',
      {
        class: `tile tile-${kind}`,
        testid: kind === 'self' ? 'self-tile' : 'remote-tile',
        attrs: { 'data-participant-id': info.id },
      },
      this.#avatar.el,
      this.#caption,
      this.#mediaNote,
      kind === 'remote' ? this.#quality.el : null,
      this.#pin ?? null,
    );
    this.update(info);
    if (onVideoHeight && typeof ResizeObserver === 'function') {
      // The tile, not the <video>: the video stays hidden (size 0) until its first frame, and a 0
      // would tell the SFU to send nothing.
      this.#resizeObserver = new ResizeObserver(() => {
        onVideoHeight(Math.round(this.el.clientHeight * (globalThis.devicePixelRatio || 1)));
      });
      this.#resizeObserver.observe(this.el);
    }
  }

  get id(): string {
    return this.#info.id;
  }

  update(info: ParticipantInfo): void {
    this.#info = info;
    const label = displayLabel(info.displayName);
    this.#name.textContent = this.#kind === 'self' ? t('tile.self', { name: label }) : label;
    this.#avatar.setName(info.displayName);
    this.#micOff.hidden = !info.audioMuted;
    this.#moderator.hidden = info.role !== 'moderator';
    const problem = this.#kind === 'remote' ? mediaProblem(info) : undefined;
    this.#mediaNote.textContent = problem ?? '';
    this.#mediaNote.hidden = problem === undefined;
    this.el.classList.toggle('audio-muted', info.audioMuted);
    this.#labelPin();
    this.#refreshVideo();
  }

  /** Whether this participant is pinned to the stage (the pin button says so, and stays visible). */
  setPinned(pinned: boolean): void {
    this.#pinned = pinned;
    this.el.classList.toggle('pinned', pinned);
    this.#labelPin();
  }

  #labelPin(): void {
    if (!this.#pin) return;
    const { label, title } = pinWords(
      this.#pinned,
      this.#kind === 'self',
      displayLabel(this.#info.displayName),
    );
    this.#pin.setAttribute('aria-label', label);
    this.#pin.title = title;
    this.#pin.setAttribute('aria-pressed', String(this.#pinned));
  }

  /** Shows whether their media is end-to-end encrypted, and covers it when this page cannot show it. */
  setEncryption({ state, markHidden, cover }: TileEncryption): void {
    this.#e2eeMark = placeIndicator(this.#caption, this.#e2eeMark, state);
    this.#e2eeMark.hidden = markHidden;
    if (cover === undefined) {
      this.#e2eeCover?.remove();
      this.#e2eeCover = undefined;
      this.el.classList.remove('e2ee-blocked');
      return;
    }
    const current = this.#e2eeCover;
    if (current?.dataset.state === state && current.textContent === cover) return;
    this.#e2eeCover = e2eeCover(state, cover);
    if (current) current.replaceWith(this.#e2eeCover);
    else this.el.append(this.#e2eeCover);
    this.el.classList.add('e2ee-blocked');
  }

  /** Their place in the raised-hand queue (1 = first), or undefined when their hand is down. */
  setHand(position: number | undefined): void {
    this.#hand = placeHandBadge(this.el, this.#hand, position);
    this.el.classList.toggle('hand-raised', position !== undefined);
  }

  setQuality(reading: QualityReading): void {
    this.#quality.update(reading);
  }

  setDominant(dominant: boolean): void {
    this.el.classList.toggle('dominant', dominant);
    this.el.dataset.dominant = String(dominant);
  }

  /**
   * Shows `track` as this tile's picture (the latest video track wins), or none. During a P2P⇄SFU
   * switch the old track keeps the tile until it ends *and* the new one has a frame (PENDING_VIDEO_MS
   * at most): the new path's first second is often choppy while its bandwidth estimate ramps up,
   * and the Conference ends the old path only once the new one decodes.
   */
  setVideo(track: MediaStreamTrack | undefined): void {
    if (this.#videoTrack === track) return;
    this.#videoTrack = track;
    this.#dropPending();
    if (!track) {
      this.#replaceVideo(undefined);
      return;
    }
    const replacing = this.#video !== undefined && this.#hasFrames && !this.#info.videoMuted;
    const video = h('video', {
      class: this.#kind === 'self' ? 'mirrored' : '',
      testid: replacing ? 'remote-video-pending' : this.#videoTestId(),
      // Muted so autoplay policies let it start on its own; sound comes from the audio elements.
      props: { autoplay: true, playsInline: true, muted: true, srcObject: new MediaStream([track]) },
      on: {
        // The avatar stays until there is a picture: a black box while a peer connects says nothing.
        // (The track's own `muted` flag is not used: Chrome can leave it set while frames flow.)
        loadeddata: () => {
          if (this.#pending === video) {
            this.#pendingHasFrames = true;
            if (this.#shownTrackEnded) this.#promotePending();
          }
          if (this.#video !== video) return;
          this.#hasFrames = true;
          this.#refreshVideo();
        },
      },
    });
    if (replacing) {
      // Behind the old picture (earlier sibling, same absolute box) but rendered, so that its
      // frames are already being presented when the old one is removed.
      this.#pending = video;
      this.#pendingHasFrames = false;
      this.#shownTrackEnded = false;
      this.#pendingTimer = setTimeout(() => this.#promotePending(), PENDING_VIDEO_MS);
      this.el.prepend(video);
    } else {
      this.#replaceVideo(video);
    }
    video.play().catch(() => {});
  }

  #videoTestId(): string {
    return this.#kind === 'self' ? 'self-video' : 'remote-video';
  }

  /** Makes `video` (or nothing) the tile's picture, removing the one it had. */
  #replaceVideo(video: HTMLVideoElement | undefined): void {
    if (this.#video) {
      this.#video.srcObject = null;
      this.#video.remove();
    }
    this.#video = video;
    this.#shownTrack = video ? this.#videoTrack : undefined;
    this.#hasFrames = false;
    if (video && !video.isConnected) this.el.prepend(video);
    this.#refreshVideo();
  }

  /**
   * A remote track ended. The tile's current track: no picture. The track still shown while a
   * replacement waits (see setVideo): the replacement takes over once it has a frame.
   */
  removeVideo(track: MediaStreamTrack): void {
    if (track === this.#videoTrack) return this.setVideo(undefined);
    if (!this.#pending || track !== this.#shownTrack) return;
    this.#shownTrackEnded = true;
    if (this.#pendingHasFrames) this.#promotePending();
  }

  #promotePending(): void {
    const video = this.#pending;
    if (!video) return;
    clearTimeout(this.#pendingTimer);
    this.#pending = undefined;
    video.dataset.testid = this.#videoTestId();
    const hasFrames = this.#pendingHasFrames;
    this.#replaceVideo(video);
    this.#shownTrack = this.#videoTrack;
    this.#hasFrames = hasFrames;
    this.#refreshVideo();
  }

  #dropPending(): void {
    clearTimeout(this.#pendingTimer);
    if (this.#pending) {
      this.#pending.srcObject = null;
      this.#pending.remove();
    }
    this.#pending = undefined;
  }

  get videoTrack(): MediaStreamTrack | undefined {
    return this.#videoTrack;
  }

  addAudio(track: MediaStreamTrack): void {
    if (this.#audio.has(track)) return;
    const audio = h('audio', {
      testid: 'remote-audio',
      props: { autoplay: true, srcObject: new MediaStream([track]) },
    });
    this.#audio.set(track, audio);
    audioOutput.attach(audio);
    this.el.append(audio);
    this.playAudio();
  }

  removeAudio(track: MediaStreamTrack): void {
    const audio = this.#audio.get(track);
    if (!audio) return;
    audioOutput.detach(audio);
    audio.srcObject = null;
    audio.remove();
    this.#audio.delete(track);
  }

  /** Starts (or retries, after a click) audio playback; browsers may refuse it without a gesture. */
  playAudio(): void {
    for (const audio of this.#audio.values()) {
      audio.play().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError') this.#onAudioBlocked();
      });
    }
  }

  dispose(): void {
    this.#resizeObserver?.disconnect();
    this.setVideo(undefined);
    for (const track of [...this.#audio.keys()]) this.removeAudio(track);
    this.el.remove();
  }

  #refreshVideo(): void {
    const live = this.#videoTrack !== undefined && this.#hasFrames && !this.#info.videoMuted;
    if (this.#video) this.#video.hidden = !live;
    this.#avatar.el.hidden = live;
    this.el.classList.toggle('has-video', live);
  }
}
