import type { IceServer, ServerMessage } from '@conclave/protocol';
import type { KnockEnd } from './Lobby.js';
import type { Participant, Profile } from './Participant.js';

export type LeaveReason = 'left' | 'disconnected' | 'kicked';

/** Everything needed to let someone in, now or, from the lobby, later. */
export interface Admission {
  profile: Profile;
  sink: (message: ServerMessage) => void;
  /** Per participant, because TURN credentials are. */
  iceServers: IceServer[];
  password?: string | undefined;
  /** The client's `join.e2eeSupported`; absent (an older client) counts as supported. */
  e2eeSupported?: boolean | undefined;
  /** The client's `join.media`: false when its browser cannot connect audio and video at all. */
  media?: boolean | undefined;
  /** Called when a moderator removes the participant, after `removed` was sent. */
  onRemoved: () => void;
}

/** What happened to a join: in, or waiting in the lobby (then `admitted` or `refused` follows). */
export type Entry = { kind: 'joined'; participant: Participant } | { kind: 'waiting'; withdraw: () => void };

export interface LobbyCallbacks {
  admitted(participant: Participant): void;
  refused(reason: KnockEnd): void;
}
