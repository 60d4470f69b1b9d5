import { MeetingRequests } from './MeetingRequests.js';
import type { ScreenShare, ScreenShareOptions } from './media/screen/ScreenShare.js';

/**
 * The Conference's screen-sharing API, over its ScreenShare (media/screen/ScreenShare.ts: capture,
 * the server's consent, the browser's stop, the media paths). Only the camera's connection quality
 * is measured: a shared screen's size and frame rate say nothing about someone's connection.
 */
export abstract class ScreenSharing extends MeetingRequests {
  protected abstract readonly screen: ScreenShare;

  /**
   * Presents a screen, window or tab (with its audio where the browser offers it) beside the
   * camera, in P2P and SFU mode and across a switch, encrypted like the camera under E2EE.
   * Refused with SCREEN_SHARE_BUSY while someone else presents, unless a moderator allowed several.
   * Ends with `stopScreenShare`, the browser's own stop button, or leaving.
   */
  startScreenShare(options?: ScreenShareOptions): Promise<void> {
    return this.screen.start(options);
  }

  stopScreenShare(): Promise<void> {
    return this.screen.stop();
  }

  /** The tracks this participant presents now (empty when it does not). */
  get screenTracks(): readonly MediaStreamTrack[] {
    return this.screen.current?.tracks ?? [];
  }
}
