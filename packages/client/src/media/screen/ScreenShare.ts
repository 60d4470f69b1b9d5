import { ERROR_CODES, type ParticipantInfo, SCREEN_ENCODING } from '@conclave/protocol';
import { ServerError } from '../../signaling/ServerError.js';
import type { ScreenTracks } from '../MediaPath.js';
import { markScreenTrack } from './screenEncoding.js';

/** How long the server may take to accept a share before it counts as refused. */
const CLAIM_TIMEOUT_MS = 10_000;

export interface ScreenShareOptions {
  /**
   * Tracks to present instead of capturing with getDisplayMedia (load bots, Node). They stay their
   * owner's: stopping the share does not stop them.
   */
  tracks?: MediaStreamTrack[];
}

export interface ScreenShareDeps {
  /** Asks the server to start or stop presenting (it applies the one-sharer rule). */
  claim(sharing: boolean): void;
  /** Sends the screen on the media paths, or (undefined) stops it there. */
  setScreen(screen: ScreenTracks | undefined): Promise<void>;
  /** Whether someone else presents while only one may: refused here without asking the browser. */
  busy(): boolean;
  /** The share started or ended (also when the browser's own stop button ended it). */
  changed(sharing: boolean): void;
  MediaStream: typeof MediaStream | undefined;
}

/**
 * This participant's screen share: captures the screen (getDisplayMedia, with its audio where the
 * browser offers it), asks the server, hands the tracks to the media paths once the server has
 * accepted, and ends the share when asked, when the browser's own "stop sharing" ends the capture
 * (track `ended`), or when the server stops it (a moderator allowed only one presenter again).
 */
export class ScreenShare {
  readonly #deps: ScreenShareDeps;
  #screen: ScreenTracks | undefined;
  /** Whether the tracks were captured here (then stopping the share stops them). */
  #owned = false;
  #claim: { screen: ScreenTracks; owned: boolean; resolve(): void; reject(err: Error): void } | undefined;
  readonly #onEnded = () => void this.stop();

  constructor(deps: ScreenShareDeps) {
    this.#deps = deps;
  }

  get current(): ScreenTracks | undefined {
    return this.#screen;
  }

  async start(options: ScreenShareOptions = {}): Promise<void> {
    if (this.#screen || this.#claim) return;
    if (this.#deps.busy()) throw busyError();
    const owned = !options.tracks;
    const tracks = options.tracks ?? (await capture());
    for (const track of tracks) markScreenTrack(track);
    const Stream = this.#deps.MediaStream;
    const screen: ScreenTracks = { tracks, stream: Stream ? new Stream([...tracks]) : undefined };
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new ServerError('TIMEOUT', 'The server did not answer.')),
          CLAIM_TIMEOUT_MS,
        );
        this.#claim = {
          screen,
          owned,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        this.#deps.claim(true);
      });
    } catch (err) {
      this.#claim = undefined;
      if (owned) for (const t of tracks) t.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const screen = this.#end();
    if (!screen) return;
    this.#deps.claim(false);
    await this.#deps.setScreen(undefined);
  }

  /**
   * The server's word on this participant (its own `participantUpdated`): an accepted claim starts
   * sending at once, in the same turn, so that the engine's offer that follows finds the screen.
   */
  selfUpdated(self: ParticipantInfo): void {
    const claim = this.#claim;
    if (self.screenSharing && claim) {
      this.#claim = undefined;
      this.#screen = claim.screen;
      this.#owned = claim.owned;
      for (const t of claim.screen.tracks) t.addEventListener('ended', this.#onEnded);
      void this.#deps.setScreen(claim.screen);
      this.#deps.changed(true);
      claim.resolve();
    } else if (!self.screenSharing && this.#screen && !claim) {
      // The server ended it (a moderator allowed one presenter again, and another was first).
      this.#end();
      void this.#deps.setScreen(undefined);
    }
  }

  /** The server refused the claim (SCREEN_SHARE_BUSY). */
  refused(code: string, message: string): void {
    this.#claim?.reject(new ServerError(code, message));
    this.#claim = undefined;
  }

  /** Leaving: the capture ends (if it was made here). */
  close(): void {
    this.#claim?.reject(new ServerError('NOT_CONNECTED', 'The meeting ended.'));
    this.#claim = undefined;
    this.#end();
  }

  #end(): ScreenTracks | undefined {
    const screen = this.#screen;
    if (!screen) return undefined;
    this.#screen = undefined;
    for (const t of screen.tracks) {
      t.removeEventListener('ended', this.#onEnded);
      if (this.#owned) t.stop();
    }
    this.#deps.changed(false);
    return screen;
  }
}

function busyError(): ServerError {
  return new ServerError('SCREEN_SHARE_BUSY', ERROR_CODES.SCREEN_SHARE_BUSY.message);
}

/** The browser's screen picker; with audio where it can (Chromium: a tab's or the system's). */
async function capture(): Promise<MediaStreamTrack[]> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getDisplayMedia)
    throw new ServerError('SCREEN_SHARE_UNSUPPORTED', 'This browser cannot share a screen.');
  // No size constraints: Chromium scales the capture up to a `max` it is given (a 1280×720 screen
  // became 1920×1080). The encoder caps the size instead (screenEncoding.ts).
  const video = { frameRate: { ideal: SCREEN_ENCODING.maxFramerate, max: SCREEN_ENCODING.maxFramerate } };
  let stream: MediaStream;
  try {
    stream = await devices.getDisplayMedia({ video, audio: true });
  } catch (err) {
    // A browser that cannot capture audio with the screen may refuse the whole request for it.
    if (!(err instanceof TypeError) && (err as { name?: string }).name !== 'NotSupportedError') throw err;
    stream = await devices.getDisplayMedia({ video, audio: false });
  }
  return stream.getTracks();
}
