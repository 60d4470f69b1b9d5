import { z } from 'zod';
import {
  ChatBody,
  ChatMessage,
  DisplayName,
  Email,
  IceCandidate,
  IceServer,
  Knocker,
  MediaMode,
  ParticipantId,
  ParticipantInfo,
  Password,
  RecordingDestination,
  RecordingOptions,
  RoomState,
  SessionDescription,
  SpeakerStat,
} from './fields.js';
import { MAX_VIDEO_HEIGHT, SIMULCAST_RIDS } from './media.js';
import { EndMeeting, Hands, LowerHand, MeetingEnded, RaiseHand, React, ReactionIn } from './presence.js';

/*
 * Every message on the signalling WebSocket is one JSON object with a `type`. Client→server and
 * server→client messages are separate unions so that neither side can be handed a message that
 * only the other may send. Limits live here so that the server and third-party clients agree.
 */

export * from './fields.js';
export * from './presence.js';

/**
 * P2P: the mids of the m-lines on which the sender of this description sends its shared screen, so
 * the other browser can tell them from the camera's. Sent with every description while it shares.
 */
export const ScreenMids = z.array(z.string().min(1).max(32)).max(2);

// ---- client → server ----

export const Hello = z.strictObject({
  type: z.literal('hello'),
  versions: z.array(z.number().int()).min(1).max(16),
});
export const Join = z.strictObject({
  type: z.literal('join'),
  room: z.string().max(256),
  displayName: DisplayName.optional(),
  email: Email.optional(),
  /** Needed when the meeting is locked; lets its holder skip the lobby. */
  password: Password.optional(),
  /**
   * Whether this browser has encoded transforms and so can do E2EE. Optional so that clients from
   * before this field still join; the server then assumes true (nothing known against them).
   */
  e2eeSupported: z.boolean().optional(),
  /**
   * Whether this client can connect audio and video at all (its browser has WebRTC). False: the
   * server never gives it a media path, leaves it out of the media-mode decision (so a two-person
   * meeting does not wait for a P2P call that cannot happen) and tells the others. Absent: true.
   */
  media: z.boolean().optional(),
  /** Protocol 2: the `ticket` of the `redirect` that sent this client here (docs/cluster.md). */
  ticket: z.string().max(64).optional(),
});
export const Leave = z.strictObject({ type: z.literal('leave') });
/** Relay of WebRTC negotiation to one other participant (P2P mode). The server never reads or logs the payload. */
export const SignalOut = z.strictObject({
  type: z.literal('signal'),
  to: ParticipantId,
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
  screenMids: ScreenMids.optional(),
});
/**
 * Start (true) or stop presenting. The server accepts a start only while nobody else presents,
 * unless a moderator allowed several (`setMultipleScreenShares`): otherwise SCREEN_SHARE_BUSY. It
 * then sets `screenSharing` in this participant's info for everyone and, in SFU mode, renegotiates
 * so the screen m-lines (`SCREEN_PUBLISH_MIDS`) can send; it forwards a screen only while the
 * participant's `screenSharing` is true.
 */
export const SetScreenShare = z.strictObject({ type: z.literal('setScreenShare'), sharing: z.boolean() });
/** Moderators: allow several screens at once, or (false) one; turning it off stops all but the earliest. */
export const SetMultipleScreenShares = z.strictObject({
  type: z.literal('setMultipleScreenShares'),
  allowed: z.boolean(),
});
export const SetMediaState = z.strictObject({
  type: z.literal('setMediaState'),
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
});
/** Announces whether this participant's media is end-to-end encrypted. Never carries a key. */
export const SetE2EE = z.strictObject({ type: z.literal('setE2EE'), enabled: z.boolean() });
export const SetProfile = z.strictObject({
  type: z.literal('setProfile'),
  displayName: DisplayName.nullable(),
  email: Email.nullable(),
});

/** Simulcast: the SSRC of each video layer this client sends, by rid (from getStats outbound-rtp). */
export const SimulcastLayer = z.strictObject({
  rid: z.string().max(16),
  ssrc: z.number().int().min(0).max(0xffffffff),
});
export type SimulcastLayer = z.infer<typeof SimulcastLayer>;
/**
 * What this client shows of each other participant's video (SFU mode): the tile height in device
 * pixels (0 = not shown), and whom it pins (kept under last-N). The server picks simulcast layers
 * and last-N from it; a participant without a tile entry gets the best layer.
 */
export const VideoConstraints = z.strictObject({
  tiles: z
    .array(
      z.strictObject({ participantId: ParticipantId, height: z.number().int().min(0).max(MAX_VIDEO_HEIGHT) }),
    )
    .max(256),
  pinned: z.array(ParticipantId).max(16).optional(),
});
export type VideoConstraints = z.infer<typeof VideoConstraints>;
/** Negotiation with the server's media engine (SFU mode), plus simulcast layers and video constraints. */
export const MediaSignalOut = z.strictObject({
  type: z.literal('mediaSignal'),
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
  simulcast: z.array(SimulcastLayer).max(SIMULCAST_RIDS.length).optional(),
  videoConstraints: VideoConstraints.optional(),
  /**
   * The client's connection to its session is lost (its network changed, say): it asks for a new
   * session, which comes as `mediaMode: sfu` and a new offer. The engine cannot restart ICE.
   */
  restart: z.literal(true).optional(),
});

/**
 * Whether this client's media path is up: `connected: false` when it did not come up in time or
 * failed (the server then tells the others, and moves a P2P call to the SFU where it can);
 * `connected: true` once it is up again. Sent only on changes.
 */
export const MediaStatus = z.strictObject({ type: z.literal('mediaStatus'), connected: z.boolean() });

// Moderator actions: the server checks the role for every one of them.
export const SetPassword = z.strictObject({ type: z.literal('setPassword'), password: Password.nullable() });
export const SetLobby = z.strictObject({ type: z.literal('setLobby'), enabled: z.boolean() });
export const LobbyDecision = z.strictObject({
  type: z.literal('lobbyDecision'),
  id: z.string().max(64),
  admit: z.boolean(),
});
export const Kick = z.strictObject({ type: z.literal('kick'), id: ParticipantId });
export const RequestMute = z.strictObject({ type: z.literal('requestMute'), id: ParticipantId });
export const MuteAll = z.strictObject({ type: z.literal('muteAll') });
export const GrantModerator = z.strictObject({ type: z.literal('grantModerator'), id: ParticipantId });

export const SendChat = z.strictObject({
  type: z.literal('chat'),
  to: ParticipantId.optional(),
  body: ChatBody,
});
/** P2P mode: the client reports when its own microphone starts or stops carrying speech. */
export const Speaking = z.strictObject({ type: z.literal('speaking'), speaking: z.boolean() });
export const GetSpeakerStats = z.strictObject({ type: z.literal('getSpeakerStats') });
/** Moderators: start recording to `destination` (refused while anyone has E2EE on, PRIVACY P12). */
export const StartRecording = z.strictObject({
  type: z.literal('startRecording'),
  destination: RecordingDestination,
});
export const StopRecording = z.strictObject({ type: z.literal('stopRecording') });

export const ClientMessage = z.discriminatedUnion('type', [
  Hello,
  Join,
  Leave,
  SignalOut,
  MediaSignalOut,
  MediaStatus,
  SetMediaState,
  SetScreenShare,
  SetMultipleScreenShares,
  SetProfile,
  SetE2EE,
  SetPassword,
  SetLobby,
  LobbyDecision,
  Kick,
  RequestMute,
  MuteAll,
  GrantModerator,
  SendChat,
  Speaking,
  GetSpeakerStats,
  StartRecording,
  StopRecording,
  RaiseHand,
  LowerHand,
  React,
  EndMeeting,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export const CLIENT_MESSAGE_TYPES: readonly string[] = ClientMessage.options.map((o) => o.shape.type.value);

// ---- server → client ----

export const Welcome = z.strictObject({ type: z.literal('welcome'), version: z.number().int() });
export const Joined = z.strictObject({
  type: z.literal('joined'),
  /** Random per meeting: a later meeting under the same name gets a different id (P1). */
  meetingId: z.string(),
  self: ParticipantInfo,
  participants: z.array(ParticipantInfo),
  mode: MediaMode,
  iceServers: z.array(IceServer),
  room: RoomState,
  /** Earlier public messages, only when the operator lets late joiners see them (PRIVACY P6). */
  chatHistory: z.array(ChatMessage),
  /** Moderators only: who is waiting in the lobby. */
  knocking: z.array(Knocker),
  /** Present when this server can record. */
  recordingOptions: RecordingOptions.optional(),
});
export const ParticipantJoined = z.strictObject({
  type: z.literal('participantJoined'),
  participant: ParticipantInfo,
});
export const ParticipantLeft = z.strictObject({
  type: z.literal('participantLeft'),
  id: ParticipantId,
  reason: z.enum(['left', 'disconnected', 'kicked']),
});
export const ParticipantUpdated = z.strictObject({
  type: z.literal('participantUpdated'),
  participant: ParticipantInfo,
});
/**
 * The server decides the media path. In `p2p` mode exactly one peer is named and `offerer` says
 * which side creates the offer, so the two browsers never glare.
 */
export const MediaModeChanged = z.strictObject({
  type: z.literal('mediaMode'),
  mode: MediaMode,
  peer: z.strictObject({ id: ParticipantId, offerer: z.boolean() }).optional(),
});
export const SignalIn = z.strictObject({
  type: z.literal('signal'),
  from: ParticipantId,
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
  screenMids: ScreenMids.optional(),
});
/** Negotiation from the server's media engine (SFU mode), and how much video is wanted from you. */
export const MediaSignalIn = z.strictObject({
  type: z.literal('mediaSignal'),
  description: SessionDescription.optional(),
  candidate: IceCandidate.optional(),
  /**
   * Simulcast: the tallest picture (device pixels) that anyone now shows of your video
   * (MAX_VIDEO_HEIGHT: not known, or wanted at full size, e.g. for a recording). Layers above the first one that is at
   * least this tall are wanted by nobody: pause them (`encodings[i].active = false`) and save the
   * encoding work; sent again whenever it changes.
   */
  maxSendHeight: z.number().int().min(0).max(MAX_VIDEO_HEIGHT).optional(),
});
export const Left = z.strictObject({ type: z.literal('left') });
export const RoomUpdated = z.strictObject({ type: z.literal('roomUpdated'), room: RoomState });
/** Reply to `join` when the meeting has a lobby: wait for a moderator. `joined` or an error follows. */
export const LobbyWaiting = z.strictObject({ type: z.literal('lobbyWaiting') });
/** To moderators: someone is waiting in the lobby. */
export const Knock = z.strictObject({ type: z.literal('knock'), knocker: Knocker });
/** To moderators: a knock was admitted, denied, or withdrawn (the knocker left). */
export const KnockResolved = z.strictObject({
  type: z.literal('knockResolved'),
  id: z.string(),
  outcome: z.enum(['admitted', 'denied', 'withdrawn']),
});
/** To the removed participant: a moderator removed you. The connection is back to before `join`. */
export const Removed = z.strictObject({
  type: z.literal('removed'),
  reason: z.literal('kicked'),
  by: ParticipantId,
});
export const MuteRequested = z.strictObject({ type: z.literal('muteRequested'), by: ParticipantId });
export const ChatMessageIn = z.strictObject({ type: z.literal('chatMessage'), message: ChatMessage });
export const SpeakerStatsMessage = z.strictObject({
  type: z.literal('speakerStats'),
  stats: z.array(SpeakerStat),
  dominant: ParticipantId.nullable(),
});
export const DominantSpeaker = z.strictObject({
  type: z.literal('dominantSpeaker'),
  id: ParticipantId.nullable(),
});
/** To everyone: a recording started or stopped (PRIVACY P13); `room.recording` follows it too. */
export const RecordingChanged = z.strictObject({
  type: z.literal('recording'),
  recording: z.boolean(),
  /** Who started or stopped it; null when the server stopped it. */
  by: ParticipantId.nullable(),
  /** Why it stopped: a moderator asked, E2EE was turned on (P12), the length limit, or an error. */
  reason: z.enum(['requested', 'e2ee', 'limit', 'error']).optional(),
});
/** To everyone still in the meeting: what happened to the recording after it stopped. */
export const RecordingUpload = z.strictObject({
  type: z.literal('recordingUpload'),
  status: z.enum(['processing', 'uploading', 'retrying', 'uploaded', 'failed']),
  destination: z.enum(['dropbox', 'webdav', 'local']),
  /** For `retrying` and `failed`: unreachable, timeout, bad-response, unauthorized, token-expired, private-address, no-space, rejected, expired, empty, error. */
  reason: z.string().optional(),
  /** `processing`: a composed video, or an archive of the tracks plus a manifest. */
  format: z.enum(['composed', 'archive']).optional(),
});
/**
 * Protocol 2, in reply to `join`: the meeting runs (or starts) on another node of this service.
 * Open a WebSocket to `url`, say `hello` again, and send the same `join` with `ticket` added. The
 * URL comes from the server's own directory, never from anything a client sent; a client follows
 * it only to `ws:`/`wss:` (never from `wss:` down to `ws:`) and at most a few times per join.
 */
export const Redirect = z.strictObject({
  type: z.literal('redirect'),
  url: z.url({ protocol: /^wss?$/ }).max(2048),
  ticket: z.string().max(64),
});
/**
 * Sent right after `welcome` and then every `everyMs` (the server's `signaling.heartbeatSeconds`),
 * whatever else is sent: a client that hears nothing for a few intervals knows the server hangs (a
 * stopped or overloaded host keeps its TCP connections open, so no close ever comes). Added within
 * both versions; a client that does not know it ignores it.
 */
export const Heartbeat = z.strictObject({
  type: z.literal('heartbeat'),
  everyMs: z.number().int().min(1000).max(300_000),
});
export const ErrorMessage = z.strictObject({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  /** The `type` of the client message that caused the error, when it could be read. */
  inReplyTo: z.string().optional(),
});

export const ServerMessage = z.discriminatedUnion('type', [
  Welcome,
  Joined,
  ParticipantJoined,
  ParticipantLeft,
  ParticipantUpdated,
  MediaModeChanged,
  SignalIn,
  MediaSignalIn,
  Left,
  RoomUpdated,
  LobbyWaiting,
  Knock,
  KnockResolved,
  Removed,
  MuteRequested,
  ChatMessageIn,
  SpeakerStatsMessage,
  DominantSpeaker,
  RecordingChanged,
  RecordingUpload,
  Redirect,
  Hands,
  ReactionIn,
  MeetingEnded,
  Heartbeat,
  ErrorMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
export type ClientMessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;
