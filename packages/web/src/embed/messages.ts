import { z } from 'zod/mini';

/*
 * The embedding API's messages (docs/embedding.md): what a host page and the meeting page in its
 * iframe say to each other through `postMessage`. Each side parses every message it receives
 * with these schemas, because the other side is another origin. zod/mini keeps /external_api.js
 * small; the bounds repeat the wire protocol's (LIMITS in @conclave/protocol, checked equal by
 * messages.test.ts) without pulling the whole protocol into a host page.
 */

/** Every message carries this tag, so both sides ignore other scripts' messages at a glance. */
export const EMBED_TAG = 'conclave-embed/1';

export const EMBED_LIMITS = {
  displayName: 64,
  password: 128,
  participantId: 64,
  chatText: 10_000,
  roomName: 256,
  participants: 1000,
  errorText: 500,
} as const;

// Control characters and bidi overrides would let a name rewrite how other names render.
const SAFE_TEXT = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;

const Tag = z.literal(EMBED_TAG);
const Id = z.string().check(z.minLength(1), z.maxLength(EMBED_LIMITS.participantId));
const Name = z.string().check(z.minLength(1), z.maxLength(EMBED_LIMITS.displayName), z.regex(SAFE_TEXT));
const ChatText = z.string().check(z.minLength(1), z.maxLength(EMBED_LIMITS.chatText));
const ErrorText = z.string().check(z.maxLength(EMBED_LIMITS.errorText));
const RequestId = z.number().check(z.int(), z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));

/* ---------- host page → meeting page ---------- */

const noArgs = z.tuple([]);

/** The commands of `executeCommand`, each with the arguments it takes. */
export const Command = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('toggleAudio'), args: noArgs }),
  z.strictObject({ name: z.literal('toggleVideo'), args: noArgs }),
  z.strictObject({ name: z.literal('toggleShareScreen'), args: noArgs }),
  z.strictObject({ name: z.literal('toggleRaiseHand'), args: noArgs }),
  z.strictObject({ name: z.literal('hangup'), args: noArgs }),
  z.strictObject({ name: z.literal('displayName'), args: z.tuple([Name]) }),
  // '' removes the meeting password (moderators).
  z.strictObject({
    name: z.literal('password'),
    args: z.tuple([z.string().check(z.maxLength(EMBED_LIMITS.password))]),
  }),
  // The optional second argument makes it a private message to that participant.
  z.strictObject({ name: z.literal('sendChatMessage'), args: z.tuple([ChatText, z.optional(Id)]) }),
  // As in Jitsi: no argument (or null) unpins.
  z.strictObject({ name: z.literal('pinParticipant'), args: z.tuple([z.optional(z.nullable(Id))]) }),
]);
export type Command = z.infer<typeof Command>;
export type CommandName = Command['name'];
export const COMMAND_NAMES: readonly CommandName[] = [
  'toggleAudio',
  'toggleVideo',
  'toggleShareScreen',
  'toggleRaiseHand',
  'hangup',
  'displayName',
  'password',
  'sendChatMessage',
  'pinParticipant',
];

export const HostMessage = z.discriminatedUnion('kind', [
  /** Sent until the meeting page answers `ready`: it learns the host's origin from it. */
  z.strictObject({ tag: Tag, kind: z.literal('hello') }),
  z.strictObject({ tag: Tag, kind: z.literal('command'), command: Command }),
  z.strictObject({
    tag: Tag,
    kind: z.literal('request'),
    id: RequestId,
    name: z.literal('getParticipantsInfo'),
  }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/* ---------- meeting page → host page ---------- */

export const ParticipantSummary = z.strictObject({
  participantId: Id,
  displayName: z.optional(Name),
  role: z.enum(['moderator', 'participant']),
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  /** This is the participant in this iframe. */
  local: z.boolean(),
});
export type ParticipantSummary = z.infer<typeof ParticipantSummary>;

/**
 * Why a command or request failed: `not-supported` (this server's meeting page lacks the
 * feature), `not-joined` (no meeting yet, or no more), `no-device`, `not-allowed`, `failed`.
 */
export const ErrorName = z.enum([
  'not-supported',
  'not-joined',
  'no-device',
  'not-allowed',
  'invalid',
  'failed',
]);
export type ErrorName = z.infer<typeof ErrorName>;

export const EmbedEvent = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('videoConferenceJoined'),
    data: z.strictObject({
      roomName: z.string().check(z.maxLength(EMBED_LIMITS.roomName)),
      id: Id,
      displayName: z.optional(Name),
    }),
  }),
  z.strictObject({
    name: z.literal('videoConferenceLeft'),
    data: z.strictObject({ roomName: z.string().check(z.maxLength(EMBED_LIMITS.roomName)) }),
  }),
  z.strictObject({
    name: z.literal('participantJoined'),
    data: z.strictObject({ id: Id, displayName: z.optional(Name) }),
  }),
  z.strictObject({ name: z.literal('participantLeft'), data: z.strictObject({ id: Id }) }),
  z.strictObject({ name: z.literal('audioMuteStatusChanged'), data: z.strictObject({ muted: z.boolean() }) }),
  z.strictObject({ name: z.literal('videoMuteStatusChanged'), data: z.strictObject({ muted: z.boolean() }) }),
  z.strictObject({
    name: z.literal('screenSharingStatusChanged'),
    data: z.strictObject({ on: z.boolean() }),
  }),
  z.strictObject({
    name: z.literal('raiseHandUpdated'),
    data: z.strictObject({ id: Id, handRaised: z.boolean() }),
  }),
  z.strictObject({ name: z.literal('dominantSpeakerChanged'), data: z.strictObject({ id: z.nullable(Id) }) }),
  /** Whom this participant pinned to the stage (its own id included), or null. */
  z.strictObject({
    name: z.literal('pinnedParticipantChanged'),
    data: z.strictObject({ id: z.nullable(Id) }),
  }),
  z.strictObject({
    name: z.literal('incomingMessage'),
    data: z.strictObject({
      from: Id,
      nick: z.optional(Name),
      message: ChatText,
      privateMessage: z.boolean(),
      /** When the server received it, in ms since the epoch. */
      stamp: z.number(),
    }),
  }),
  z.strictObject({ name: z.literal('passwordRequired'), data: z.strictObject({}) }),
  z.strictObject({ name: z.literal('readyToClose'), data: z.strictObject({}) }),
  z.strictObject({
    name: z.literal('errorOccurred'),
    data: z.strictObject({
      name: ErrorName,
      message: ErrorText,
      command: z.optional(z.enum(COMMAND_NAMES as [CommandName, ...CommandName[]])),
    }),
  }),
]);
export type EmbedEvent = z.infer<typeof EmbedEvent>;
export type EmbedEventName = EmbedEvent['name'];
export type EmbedEventData<N extends EmbedEventName> = Extract<EmbedEvent, { name: N }>['data'];

export const FrameMessage = z.discriminatedUnion('kind', [
  z.strictObject({ tag: Tag, kind: z.literal('ready') }),
  z.strictObject({ tag: Tag, kind: z.literal('event'), event: EmbedEvent }),
  z.strictObject({
    tag: Tag,
    kind: z.literal('response'),
    id: RequestId,
    result: z.array(ParticipantSummary).check(z.maxLength(EMBED_LIMITS.participants)),
  }),
  z.strictObject({
    tag: Tag,
    kind: z.literal('failure'),
    id: RequestId,
    error: z.strictObject({ name: ErrorName, message: ErrorText }),
  }),
]);
export type FrameMessage = z.infer<typeof FrameMessage>;

/** What the server tells an embedded meeting page: the origins it may be framed by. */
export const EmbedConfig = z.strictObject({
  frameAncestors: z.array(z.string().check(z.maxLength(2048))).check(z.maxLength(64)),
});
