/**
 * The closed set of errors a Conclave server can report. Each code is stable: clients match on
 * `code`, never on `message`. `fatal` errors are followed by the server closing the socket.
 */
export const ERROR_CODES = {
  BAD_FRAME: { fatal: false, message: 'The frame is not valid JSON or does not match any message schema.' },
  UNKNOWN_TYPE: { fatal: false, message: 'The message type is not part of this protocol version.' },
  FRAME_TOO_LARGE: { fatal: false, message: 'The frame exceeds the maximum message size.' },
  RATE_LIMITED: { fatal: false, message: 'Too many messages; slow down.' },
  ABUSE: { fatal: true, message: 'Too many invalid or excessive messages; closing the connection.' },
  HANDSHAKE_REQUIRED: { fatal: false, message: 'Send "hello" before any other message.' },
  ALREADY_GREETED: { fatal: false, message: 'The handshake was already completed on this connection.' },
  UNSUPPORTED_VERSION: { fatal: true, message: 'None of the offered protocol versions is supported.' },
  INVALID_ROOM_NAME: { fatal: false, message: 'The room name is not valid.' },
  ALREADY_JOINED: { fatal: false, message: 'This connection has already joined a meeting.' },
  NOT_JOINED: { fatal: false, message: 'Join a meeting first.' },
  JOIN_RATE_LIMITED: { fatal: false, message: 'Too many join attempts from this address; try again later.' },
  ROOM_FULL: { fatal: false, message: 'The meeting has reached its participant limit.' },
  UNKNOWN_PARTICIPANT: { fatal: false, message: 'No such participant in this meeting.' },
  WRONG_MEDIA_MODE: { fatal: false, message: 'This message is not valid in the current media mode.' },
  PASSWORD_REQUIRED: { fatal: false, message: 'This meeting is locked: a password is required.' },
  WRONG_PASSWORD: { fatal: false, message: 'The meeting password is not correct.' },
  PASSWORD_RATE_LIMITED: {
    fatal: false,
    message: 'Too many password attempts from this address; try again later.',
  },
  LOBBY_DENIED: { fatal: false, message: 'A moderator declined your request to join.' },
  MEETING_ENDED: { fatal: false, message: 'The meeting ended while you were waiting.' },
  NOT_MODERATOR: { fatal: false, message: 'Only moderators can do this.' },
  SCREEN_SHARE_BUSY: {
    fatal: false,
    message:
      'Someone else is presenting. Only one screen can be shared at a time unless a moderator allows more.',
  },
  CHAT_TOO_LONG: { fatal: false, message: 'The chat message is too long.' },
  CHAT_RATE_LIMITED: { fatal: false, message: 'You are sending chat messages too fast.' },
  REACTION_RATE_LIMITED: {
    fatal: false,
    message: 'You are sending reactions too fast; wait a moment before the next one.',
  },
  E2EE_ACTIVE: {
    fatal: false,
    message: 'Recording is impossible while end-to-end encryption is on (turn it off for everyone first).',
  },
  E2EE_UNSUPPORTED: {
    fatal: false,
    message: 'You joined saying this browser cannot do end-to-end encryption, so it cannot turn it on.',
  },
  RECORDING_UNAVAILABLE: { fatal: false, message: 'This server cannot record, or not to that destination.' },
  ALREADY_RECORDING: { fatal: false, message: 'This meeting is already being recorded.' },
  NOT_RECORDING: { fatal: false, message: 'This meeting is not being recorded.' },
  DIRECTORY_UNAVAILABLE: {
    fatal: false,
    message:
      'The meeting directory cannot be reached just now, so a new meeting cannot start. Try again in a few seconds.',
  },
  REDIRECT_UNSUPPORTED: {
    fatal: false,
    message: 'This meeting runs on another node of this service; joining it needs protocol version 2.',
  },
  INTERNAL: { fatal: false, message: 'An internal error occurred.' },
} as const satisfies Record<string, { fatal: boolean; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** WebSocket close codes used by the server (4000-4999 are application-defined, RFC 6455 §7.4.2). */
export const CLOSE_CODES = {
  /** The socket was closed because of repeated abuse (see `ABUSE`). */
  ABUSE: 4008,
  /** No common protocol version. */
  UNSUPPORTED_VERSION: 4009,
  /** The participant was removed from the meeting by the server (e.g. the server shuts down). */
  SERVER_SHUTDOWN: 4010,
  /** The socket did not send `hello` within the server's deadline (`signaling.helloTimeoutSeconds`). */
  HELLO_TIMEOUT: 4011,
  /**
   * The meeting is moving off this node (it drains, or the directory gave the meeting to another
   * node): join again through the address you first used; you arrive in a new meeting (PRIVACY P1).
   */
  MOVED: 4012,
} as const;
