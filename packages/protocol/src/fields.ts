import { z } from 'zod';

/*
 * The values messages are made of: limits, names, participant and meeting state, negotiation
 * payloads, recording destinations, chat. messages.ts builds the client→server and server→client
 * unions from them.
 */

export const LIMITS = {
  displayName: 64,
  email: 254,
  sdp: 60_000,
  candidate: 1_024,
  password: 128,
  participantId: 64,
  /** Wire limit for a chat body; the server's configured limit (chat.maxLength) may be lower. */
  chatText: 10_000,
  chatCiphertext: 20_000,
} as const;

// Control characters and bidi overrides would let a name rewrite how other names render.
const SAFE_TEXT = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.displayName)
  .regex(SAFE_TEXT, 'must not contain control or bidirectional-override characters');
export const Email = z.email().max(LIMITS.email);
export const ParticipantId = z.string().min(1).max(LIMITS.participantId);
export const Role = z.enum(['moderator', 'participant']);
export type Role = z.infer<typeof Role>;

/** `none`: alone, no media path. `p2p`: two browsers connect directly. `sfu`: everyone connects to the server. */
export const MediaMode = z.enum(['none', 'p2p', 'sfu']);
export type MediaMode = z.infer<typeof MediaMode>;

export const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(LIMITS.sdp),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

export const IceCandidate = z.strictObject({
  candidate: z.string().max(LIMITS.candidate),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

export const IceServer = z.strictObject({
  urls: z.array(z.string()).min(1),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

export const MediaAvailability = z.enum(['available', 'unsupported', 'failed']);
export type MediaAvailability = z.infer<typeof MediaAvailability>;

export const ParticipantInfo = z.strictObject({
  id: ParticipantId,
  displayName: DisplayName.optional(),
  email: Email.optional(),
  role: Role,
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  /** Unique in the meeting, never reused: the sender part of this participant's SFrame key id. */
  e2eeIndex: z.number().int().min(1),
  /** This participant says it encrypts its media end to end (it never sends a key). */
  e2ee: z.boolean(),
  /**
   * This participant's browser can do E2EE, as it declared in `join` (true when it did not say).
   * Self-declared and unverifiable: it only lets the others' UI say "cannot encrypt".
   */
  e2eeSupported: z.boolean(),
  /**
   * Whether this participant's audio and video can reach the others: `available` (nothing known
   * against it), `unsupported` (its browser has no WebRTC, as it declared in `join`), or `failed`
   * (its media path did not come up, as its client reported with `mediaStatus`).
   */
  media: MediaAvailability,
  /**
   * This participant presents: the server accepted its `setScreenShare` and forwards its screen
   * (SFU), or lets it send one (P2P). Absent: false (servers before screen sharing).
   */
  screenSharing: z.boolean().optional(),
});
export type ParticipantInfo = z.infer<typeof ParticipantInfo>;

/** What every participant may know about the meeting itself. */
export const RoomState = z.strictObject({
  /** A password is required to join (its value is never sent, PRIVACY P4). */
  locked: z.boolean(),
  /** Newcomers without the password wait in the lobby until a moderator admits them. */
  lobby: z.boolean(),
  /** A recording is running (PRIVACY P13: everyone sees it while it runs). */
  recording: z.boolean(),
  /**
   * Several participants may share a screen at once (a moderator's choice); otherwise one at a
   * time. Absent: false.
   */
  multipleScreenShares: z.boolean().optional(),
});
export type RoomState = z.infer<typeof RoomState>;

/**
 * Where a recording goes, chosen by the moderator who starts it (docs/recording.md). The server
 * keeps these credentials only until the upload ends, and never logs them (PRIVACY P7, P13).
 */
export const RecordingDestination = z.discriminatedUnion('kind', [
  /** A Dropbox access token the browser obtained with OAuth PKCE for the operator's app key. */
  z.strictObject({ kind: z.literal('dropbox'), accessToken: z.string().min(1).max(4096) }),
  /** A WebDAV collection (Nextcloud, ownCloud, …): the file is PUT inside it. */
  z.strictObject({
    kind: z.literal('webdav'),
    url: z.url({ protocol: /^https?$/ }).max(2048),
    username: z.string().max(256).optional(),
    password: z.string().max(1024).optional(),
  }),
  /** The operator's local folder (only when the operator configured one). */
  z.strictObject({ kind: z.literal('local') }),
]);
export type RecordingDestination = z.infer<typeof RecordingDestination>;
export type RecordingDestinationKind = RecordingDestination['kind'];

/** What this server offers for recording; sent in `joined` only when recording is enabled. */
export const RecordingOptions = z.strictObject({
  destinations: z.array(z.enum(['dropbox', 'webdav', 'local'])),
  /** The operator's Dropbox app key, for the browser's OAuth PKCE flow (present when Dropbox is offered). */
  dropboxAppKey: z.string().optional(),
  /** Dropbox's OAuth authorize page and token endpoint (the operator may point them elsewhere); with the app key. */
  dropboxAuthorizeUrl: z.string().optional(),
  dropboxTokenUrl: z.string().optional(),
  /** Recordings not uploaded by then are deleted (PRIVACY P13). */
  retentionHours: z.number(),
});
export type RecordingOptions = z.infer<typeof RecordingOptions>;

export const Password = z.string().min(1).max(LIMITS.password);

/**
 * A chat body. `text` is plain text shown as text, never as HTML. `e2ee` is ciphertext the server
 * relays without being able to read it (end-to-end encrypted chat).
 */
export const ChatBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(LIMITS.chatText) }),
  z.strictObject({ kind: z.literal('e2ee'), ciphertext: z.base64().min(1).max(LIMITS.chatCiphertext) }),
]);
export type ChatBody = z.infer<typeof ChatBody>;

export const ChatMessage = z.strictObject({
  id: z.string(),
  from: ParticipantId,
  /** Present on a private message: the one participant it was sent to. */
  to: ParticipantId.optional(),
  body: ChatBody,
  /** Server time, milliseconds since the epoch. */
  sentAt: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Knocker = z.strictObject({ id: z.string(), displayName: DisplayName.optional() });
export type Knocker = z.infer<typeof Knocker>;

export const SpeakerStat = z.strictObject({ id: ParticipantId, dominantMs: z.number().min(0) });
export type SpeakerStat = z.infer<typeof SpeakerStat>;
