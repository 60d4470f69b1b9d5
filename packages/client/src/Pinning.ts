import type { ParticipantInfo } from '@conclave/protocol';
import type { MediaPaths } from './media/MediaPaths.js';
import { ScreenSharing } from './ScreenSharing.js';
import { ServerError } from './signaling/ServerError.js';

/**
 * What this participant chooses to see of the others' video: whom it pins, and at what size it
 * shows each video. Both go to the SFU (`videoConstraints`), which forwards the simulcast layer
 * that fits each tile, serves a pinned video first and keeps it under last-N; in P2P there is
 * nothing to choose and only the UI follows the pin. Nothing here is sent to other participants
 * or kept beyond the meeting.
 */
export abstract class Pinning extends ScreenSharing {
  #pinned: string | null = null;

  /** Where tile sizes and pins go: the media paths. */
  protected abstract get shownVideo(): Pick<MediaPaths, 'setVideoConstraint' | 'setPinned'>;
  abstract get participants(): ReadonlyMap<string, ParticipantInfo>;

  /** The participant this one pinned (its own id included), or null. */
  get pinned(): string | null {
    return this.#pinned;
  }

  /**
   * Pins a participant (this one included: to see oneself large), replacing any earlier pin, or
   * (null) unpins. Emits `pinned`. Someone not in the meeting is refused with UNKNOWN_PARTICIPANT;
   * the pin ends by itself when the pinned participant leaves.
   */
  pin(participantId: string | null): void {
    if (participantId !== null && participantId !== this.self.id && !this.participants.has(participantId))
      throw new ServerError('UNKNOWN_PARTICIPANT', 'No such participant in this meeting.');
    if (participantId === this.#pinned) return;
    this.#pinned = participantId;
    // The engine sends nobody this participant's own video: pinning oneself changes nothing there.
    this.shownVideo.setPinned(
      participantId === null || participantId === this.self.id ? [] : [participantId],
    );
    this.emit('pinned', participantId);
  }

  /**
   * Tells the SFU at which height (device pixels; 0 = not shown) this client shows a participant's
   * video, so that it forwards the simulcast layer that fits. Remembered across SFU sessions and
   * sent (batched) whenever on the SFU; P2P ignores it.
   */
  setVideoConstraint(participantId: string, height: number): void {
    this.shownVideo.setVideoConstraint(participantId, height);
  }

  /** Someone left: a pin on them ends (the media paths forget it themselves). */
  protected unpinLeaver(participantId: string): void {
    if (this.#pinned !== participantId) return;
    this.#pinned = null;
    this.emit('pinned', null);
  }
}
