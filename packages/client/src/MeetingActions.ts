import type { RecordingDestination, SpeakerStat } from '@conclave/protocol';
import type { ConferenceEvents } from './ConferenceEvents.js';
import { Emitter } from './Emitter.js';
import type { SignalingClient } from './signaling/SignalingClient.js';

/**
 * The requests about the meeting itself that a Conference sends: moderation, recording, the
 * screen-sharing policy, this participant's profile and the speaker statistics. The server checks the role for each, and its answer
 * comes back as the Conference's events (a refusal as `serverError`).
 */
export abstract class MeetingActions extends Emitter<ConferenceEvents> {
  protected constructor(protected readonly signaling: SignalingClient) {
    super();
  }

  // Moderator actions. The server checks the role; a refusal arrives as `serverError`.

  setPassword(password: string | null): void {
    this.signaling.send({ type: 'setPassword', password });
  }

  setLobby(enabled: boolean): void {
    this.signaling.send({ type: 'setLobby', enabled });
  }

  admit(knockerId: string): void {
    this.signaling.send({ type: 'lobbyDecision', id: knockerId, admit: true });
  }

  deny(knockerId: string): void {
    this.signaling.send({ type: 'lobbyDecision', id: knockerId, admit: false });
  }

  kick(participantId: string): void {
    this.signaling.send({ type: 'kick', id: participantId });
  }

  requestMute(participantId: string): void {
    this.signaling.send({ type: 'requestMute', id: participantId });
  }

  muteAll(): void {
    this.signaling.send({ type: 'muteAll' });
  }

  grantModerator(participantId: string): void {
    this.signaling.send({ type: 'grantModerator', id: participantId });
  }

  /**
   * Moderators: record the meeting to `destination` (one of `recordingOptions.destinations`).
   * Refused with E2EE_ACTIVE while anyone has E2EE on; the `recording` event follows for everyone.
   */
  startRecording(destination: RecordingDestination): void {
    this.signaling.send({ type: 'startRecording', destination });
  }

  stopRecording(): void {
    this.signaling.send({ type: 'stopRecording' });
  }

  /** Moderators: let several participants present at once, or (false) only the earliest. */
  setMultipleScreenShares(allowed: boolean): void {
    this.signaling.send({ type: 'setMultipleScreenShares', allowed });
  }

  setProfile(profile: { displayName?: string | null; email?: string | null }): void {
    this.signaling.send({
      type: 'setProfile',
      displayName: profile.displayName ?? null,
      email: profile.email ?? null,
    });
  }

  /** Dominant-speaker time per participant, from the server's memory of this meeting. */
  async speakerStats(): Promise<SpeakerStat[]> {
    const reply = this.signaling.waitFor('speakerStats', 'getSpeakerStats');
    this.signaling.send({ type: 'getSpeakerStats' });
    return (await reply).stats;
  }
}
