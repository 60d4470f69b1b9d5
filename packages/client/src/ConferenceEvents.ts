import type {
  Knocker,
  MediaMode,
  ParticipantInfo,
  ReactionEmoji,
  RoomState,
  ServerMessageOf,
} from '@conclave/protocol';
import type { ChatEntry } from './chat/ChatLog.js';
import type { DecryptState } from './e2ee/FrameCryptor.js';
import type { RemoteTrack } from './media/MediaPath.js';

/** `ended`: a moderator ended the meeting for everyone. */
export type LeaveReason = 'left' | 'disconnected' | 'kicked' | 'ended';

/** What a `Conference` tells its listeners (the UI, tests, load bots). */
export type ConferenceEvents = {
  participantJoined: [ParticipantInfo];
  participantLeft: [ParticipantInfo, LeaveReason];
  roomUpdated: [RoomState];
  /** Moderators: someone is waiting in the lobby. */
  knock: [Knocker];
  /** Moderators: a knock was decided or withdrawn. */
  knockResolved: [{ id: string; outcome: 'admitted' | 'denied' | 'withdrawn' }];
  chatMessage: [ChatEntry];
  /** A moderator asked this participant to mute; the microphone has been muted. */
  muteRequested: [{ by: string }];
  dominantSpeaker: [string | null];
  /** This participant pinned someone (`pin`), or unpinned (null; also when the pinned one left). */
  pinned: [string | null];
  /**
   * The raised hands changed: the queue, first raised first (this participant's own included), and
   * what changed — `by` differs from `id` when a moderator lowered someone's hand.
   */
  hands: [Omit<ServerMessageOf<'hands'>, 'type'>];
  /** Someone (this participant included) sent a reaction: show it briefly; nothing keeps it. */
  reaction: [{ from: string; emoji: ReactionEmoji }];
  /** Whether this participant can decrypt someone's end-to-end encrypted media (wrong key → `cannot-decrypt`). */
  decryptState: [{ participantId: string; state: DecryptState }];
  /** This participant turned end-to-end encryption on or off. */
  e2eeChanged: [boolean];
  /** The server refused something this participant asked for (e.g. NOT_MODERATOR). */
  serverError: [{ code: string; message: string; inReplyTo?: string }];
  participantUpdated: [ParticipantInfo];
  /** This participant's own info changed (e.g. became moderator). */
  selfUpdated: [ParticipantInfo];
  mediaModeChanged: [MediaMode];
  /** This participant started or stopped presenting (also by the browser's own stop button). */
  screenShareChanged: [boolean];
  trackAdded: [RemoteTrack];
  trackRemoved: [RemoteTrack];
  /** State of the current media path's connection. */
  mediaConnectionState: [RTCPeerConnectionState];
  /**
   * The conference ended for this participant: by `leave()`, because the connection dropped, a
   * moderator removed them (`kicked`) or ended the meeting for everyone (`ended`, `by` that moderator).
   */
  left: [{ reason: LeaveReason; by?: string }];
  /**
   * A recording started or stopped (PRIVACY P13: show an indicator while `recording` is true).
   * `by` is who did it (null: the server, e.g. because E2EE was turned on).
   */
  recording: [Omit<ServerMessageOf<'recording'>, 'type'>];
  /** What happened to the recording after it stopped: processing, uploading, retrying, uploaded, failed. */
  recordingUpload: [Omit<ServerMessageOf<'recordingUpload'>, 'type'>];
};
