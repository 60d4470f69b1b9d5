import type {
  ClientMessage,
  ParticipantInfo,
  ReactionEmoji,
  RecordingDestination,
  ServerMessageOf,
} from '@conclave/protocol';
import type { ConferenceEvents } from './ConferenceEvents.js';
import { Emitter } from './Emitter.js';

/**
 * The requests a participant sends and the server decides on: moderator actions, recording, raised
 * hands, reactions and ending the meeting. Each is one message; the server checks the role and
 * the limits, a refusal arrives as `serverError`, and the outcome reaches everyone as an event
 * (`roomUpdated`, `recording`, `hands`, `reaction`, `left` with reason `ended`, …). It also keeps
 * the raised-hand queue those requests change. Kept apart from `Conference`, which owns the
 * connection and the rest of the state, so the API stays easy to read.
 */
export abstract class MeetingRequests extends Emitter<ConferenceEvents> {
  #hands: readonly string[] = [];

  /** Sends one message on the meeting's signalling connection (throws when it is closed). */
  protected abstract request(message: ClientMessage): void;
  abstract get self(): ParticipantInfo;

  /** Raised hands, first raised first (participant ids, this participant's own included). */
  get hands(): readonly string[] {
    return this.#hands;
  }

  /** Whether this participant's own hand is up. */
  get handRaised(): boolean {
    return this.#hands.includes(this.self.id);
  }

  /** The server's `hands` and `reaction` messages, turned into state and events. */
  protected receivePresence(message: ServerMessageOf<'hands' | 'reaction'>): void {
    if (message.type === 'reaction') {
      this.emit('reaction', { from: message.from, emoji: message.emoji });
      return;
    }
    this.#hands = [...message.queue];
    const { type: _, ...event } = message;
    this.emit('hands', event);
  }

  /** Left the meeting: nobody's hand is up any more, as far as this participant knows. */
  protected forgetHands(): void {
    this.#hands = [];
  }

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

  /** Moderators: let several participants present at once, or (false) only the earliest. */
  setMultipleScreenShares(allowed: boolean): void {
    this.request({ type: 'setMultipleScreenShares', allowed });
  }

  setProfile(profile: { displayName?: string | null; email?: string | null }): void {
    this.request({
      type: 'setProfile',
      displayName: profile.displayName ?? null,
      email: profile.email ?? null,
    });
  }
}
