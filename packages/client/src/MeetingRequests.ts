import type { ClientMessage, ReactionEmoji, RecordingDestination } from '@conclave/protocol';
import type { ConferenceEvents } from './ConferenceEvents.js';
import { Emitter } from './Emitter.js';

/**
 * The requests a participant sends and the server decides on: moderator actions, recording, raised
 * hands, reactions and ending the meeting. Each is one message; the server checks the role and
 * the limits, a refusal arrives as `serverError`, and the outcome reaches everyone as an event
 * (`roomUpdated`, `recording`, `hands`, `reaction`, `left` with reason `ended`, …). Kept apart from
 * `Conference`, which owns the connection and the state, so the API stays easy to read.
 */
export abstract class MeetingRequests extends Emitter<ConferenceEvents> {
  /** Sends one message on the meeting's signalling connection (throws when it is closed). */
  protected abstract request(message: ClientMessage): void;

  // Raised hands and reactions: everyone's, kept by the server only while the meeting lasts.

  /** Raises this participant's hand: it goes to the end of the queue (`hands` event for everyone). */
  raiseHand(): void {
    this.request({ type: 'raiseHand' });
  }

  /** Lowers this participant's own hand, or (moderators) someone else's. */
  lowerHand(participantId?: string): void {
    this.request({ type: 'lowerHand', ...(participantId ? { id: participantId } : {}) });
  }

  /** Shows a reaction to everyone for a moment (`reaction` event); the server limits the rate. */
  react(emoji: ReactionEmoji): void {
    this.request({ type: 'react', emoji });
  }

  /** Moderators: ends the meeting for everyone (each gets `left` with reason `ended`). */
  endMeeting(): void {
    this.request({ type: 'endMeeting' });
  }

  // Moderator actions.

  setPassword(password: string | null): void {
    this.request({ type: 'setPassword', password });
  }

  setLobby(enabled: boolean): void {
    this.request({ type: 'setLobby', enabled });
  }

  admit(knockerId: string): void {
    this.request({ type: 'lobbyDecision', id: knockerId, admit: true });
  }

  deny(knockerId: string): void {
    this.request({ type: 'lobbyDecision', id: knockerId, admit: false });
  }

  kick(participantId: string): void {
    this.request({ type: 'kick', id: participantId });
  }

  requestMute(participantId: string): void {
    this.request({ type: 'requestMute', id: participantId });
  }

  muteAll(): void {
    this.request({ type: 'muteAll' });
  }

  grantModerator(participantId: string): void {
    this.request({ type: 'grantModerator', id: participantId });
  }

  /**
   * Moderators: record the meeting to `destination` (one of `recordingOptions.destinations`).
   * Refused with E2EE_ACTIVE while anyone has E2EE on; the `recording` event follows for everyone.
   */
  startRecording(destination: RecordingDestination): void {
    this.request({ type: 'startRecording', destination });
  }

  stopRecording(): void {
    this.request({ type: 'stopRecording' });
  }
}
