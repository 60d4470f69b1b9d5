import type { ParticipantInfo } from '@conclave/protocol';
import { displayLabel } from '../ui/avatar.js';
import { type AvatarView, avatarView } from '../ui/avatarView.js';
import { h, srOnly } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/**
 * One participant's square in the grid: their video when there is a picture to show, otherwise
 * a locally drawn avatar; their name; a muted-microphone mark. Remote audio plays through one
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
  readonly #audio = new Map<MediaStreamTrack, HTMLAudioElement>();
  readonly #onAudioBlocked: () => void;
  #video: HTMLVideoElement | undefined;
  #videoTrack: MediaStreamTrack | undefined;
  #hasFrames = false;
  #info: ParticipantInfo;
  #resizeObserver: ResizeObserver | undefined;

  /**
   * `onVideoHeight` (remote tiles) hears the height in device pixels at which this tile shows video,
   * whenever it changes, so that the SFU can send the simulcast layer that fits.
   */
  constructor(
    kind: 'self' | 'remote',
    info: ParticipantInfo,
    onAudioBlocked: () => void = () => {},
    onVideoHeight?: (height: number) => void,
  ) {
    this.#kind = kind;
    this.#info = info;
    this.#onAudioBlocked = onAudioBlocked;
    this.#avatar = avatarView(info.id, 'tile-avatar');
    this.#name = h('span', { class: 'tile-name-text' });
    this.#micOff = h(
      'span',
      { class: 'tile-muted', testid: 'tile-audio-muted', props: { title: 'Microphone muted' } },
      icon('micOff'),
      srOnly('microphone muted'),
    );
    this.#moderator = h('span', { class: 'badge', text: 'Moderator' });
    this.el = h(
      'figure',
      {
        class: `tile tile-${kind}`,
        testid: kind === 'self' ? 'self-tile' : 'remote-tile',
        attrs: { 'data-participant-id': info.id },
      },
      this.#avatar.el,
      h('figcaption', { class: 'tile-name', testid: 'tile-name' }, this.#micOff, this.#name, this.#moderator),
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
    this.#name.textContent = this.#kind === 'self' ? `${label} (you)` : label;
    this.#avatar.setName(info.displayName);
    this.#micOff.hidden = !info.audioMuted;
    this.#moderator.hidden = info.role !== 'moderator';
    this.el.classList.toggle('audio-muted', info.audioMuted);
    this.#refreshVideo();
  }

  setDominant(dominant: boolean): void {
    this.el.classList.toggle('dominant', dominant);
    this.el.dataset.dominant = String(dominant);
  }

  /** Shows `track` as this tile's picture (the latest video track wins), or none. */
  setVideo(track: MediaStreamTrack | undefined): void {
    if (this.#videoTrack === track) return;
    if (this.#video) {
      this.#video.srcObject = null;
      this.#video.remove();
    }
    this.#video = undefined;
    this.#hasFrames = false;
    this.#videoTrack = track;
    if (track) {
      const video = h('video', {
        class: this.#kind === 'self' ? 'mirrored' : '',
        testid: this.#kind === 'self' ? 'self-video' : 'remote-video',
        // Muted so autoplay policies let it start on its own; sound comes from the audio elements.
        props: { autoplay: true, playsInline: true, muted: true, srcObject: new MediaStream([track]) },
        on: {
          // The avatar stays until there is a picture: a black box while a peer connects says nothing.
          // (The track's own `muted` flag is not used: Chrome can leave it set while frames flow.)
          loadeddata: () => {
            if (this.#video !== video) return;
            this.#hasFrames = true;
            this.#refreshVideo();
          },
        },
      });
      this.#video = video;
      this.el.prepend(video);
      video.play().catch(() => {});
    }
    this.#refreshVideo();
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
    this.el.append(audio);
    this.playAudio();
  }

  removeAudio(track: MediaStreamTrack): void {
    const audio = this.#audio.get(track);
    if (!audio) return;
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
