/*
 * Turning errors into plain words. The UI matches on stable codes (protocol `ERROR_CODES`, DOM
 * exception names), never on messages, and never shows a stack trace.
 */

import type { ErrorCode } from '@conclave/protocol';
import { type PlainKey, t } from '../i18n/index.js';

/** Codes the client adds to the server's own (see SignalingClient and Conference.join). */
type ClientCode = 'NOT_CONNECTED' | 'ABORTED' | 'REDIRECT_REFUSED';

const JOIN_ERRORS: Partial<Record<ErrorCode | ClientCode, PlainKey>> = {
  INVALID_ROOM_NAME: 'joinError.INVALID_ROOM_NAME',
  ROOM_FULL: 'joinError.ROOM_FULL',
  JOIN_RATE_LIMITED: 'joinError.JOIN_RATE_LIMITED',
  RATE_LIMITED: 'joinError.RATE_LIMITED',
  UNSUPPORTED_VERSION: 'joinError.UNSUPPORTED_VERSION',
  ABUSE: 'joinError.ABUSE',
  NOT_CONNECTED: 'joinError.NOT_CONNECTED',
  INTERNAL: 'joinError.INTERNAL',
  PASSWORD_REQUIRED: 'joinError.PASSWORD_REQUIRED',
  WRONG_PASSWORD: 'joinError.WRONG_PASSWORD',
  PASSWORD_RATE_LIMITED: 'joinError.PASSWORD_RATE_LIMITED',
  LOBBY_DENIED: 'joinError.LOBBY_DENIED',
  MEETING_ENDED: 'joinError.MEETING_ENDED',
  ABORTED: 'joinError.ABORTED',
  DIRECTORY_UNAVAILABLE: 'joinError.DIRECTORY_UNAVAILABLE',
  REDIRECT_UNSUPPORTED: 'joinError.REDIRECT_UNSUPPORTED',
  REDIRECT_REFUSED: 'joinError.REDIRECT_REFUSED',
};

/** A sentence for why joining failed; `error` is whatever `Conference.join` threw. */
export function describeJoinError(error: unknown): string {
  const code = errorCode(error);
  const known = code ? JOIN_ERRORS[code as ErrorCode | ClientCode] : undefined;
  if (known) return t(known);
  return code ? t('joinError.withCode', { code }) : t('joinError.unknown');
}

/** The stable `code` of an error thrown by the client, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Every server code has words of its own: a code added to the protocol fails to compile here until it has. */
const SERVER_ERRORS: Record<ErrorCode, PlainKey> = {
  BAD_FRAME: 'serverError.BAD_FRAME',
  UNKNOWN_TYPE: 'serverError.UNKNOWN_TYPE',
  FRAME_TOO_LARGE: 'serverError.FRAME_TOO_LARGE',
  RATE_LIMITED: 'serverError.RATE_LIMITED',
  ABUSE: 'serverError.ABUSE',
  HANDSHAKE_REQUIRED: 'serverError.HANDSHAKE_REQUIRED',
  ALREADY_GREETED: 'serverError.ALREADY_GREETED',
  UNSUPPORTED_VERSION: 'serverError.UNSUPPORTED_VERSION',
  INVALID_ROOM_NAME: 'serverError.INVALID_ROOM_NAME',
  ALREADY_JOINED: 'serverError.ALREADY_JOINED',
  NOT_JOINED: 'serverError.NOT_JOINED',
  JOIN_RATE_LIMITED: 'serverError.JOIN_RATE_LIMITED',
  ROOM_FULL: 'serverError.ROOM_FULL',
  UNKNOWN_PARTICIPANT: 'serverError.UNKNOWN_PARTICIPANT',
  WRONG_MEDIA_MODE: 'serverError.WRONG_MEDIA_MODE',
  PASSWORD_REQUIRED: 'serverError.PASSWORD_REQUIRED',
  WRONG_PASSWORD: 'serverError.WRONG_PASSWORD',
  PASSWORD_RATE_LIMITED: 'serverError.PASSWORD_RATE_LIMITED',
  LOBBY_DENIED: 'serverError.LOBBY_DENIED',
  MEETING_ENDED: 'serverError.MEETING_ENDED',
  NOT_MODERATOR: 'serverError.NOT_MODERATOR',
  SCREEN_SHARE_BUSY: 'serverError.SCREEN_SHARE_BUSY',
  CHAT_TOO_LONG: 'serverError.CHAT_TOO_LONG',
  CHAT_RATE_LIMITED: 'serverError.CHAT_RATE_LIMITED',
  REACTION_RATE_LIMITED: 'serverError.REACTION_RATE_LIMITED',
  E2EE_ACTIVE: 'serverError.E2EE_ACTIVE',
  E2EE_UNSUPPORTED: 'serverError.E2EE_UNSUPPORTED',
  RECORDING_UNAVAILABLE: 'serverError.RECORDING_UNAVAILABLE',
  ALREADY_RECORDING: 'serverError.ALREADY_RECORDING',
  NOT_RECORDING: 'serverError.NOT_RECORDING',
  DIRECTORY_UNAVAILABLE: 'serverError.DIRECTORY_UNAVAILABLE',
  REDIRECT_UNSUPPORTED: 'serverError.REDIRECT_UNSUPPORTED',
  INTERNAL: 'serverError.INTERNAL',
};

/**
 * A sentence for something the server refused during the meeting (the `serverError` event), in the
 * page's language. The server's own English `message` is never shown: every protocol code has
 * catalogue words, and a code this page does not know yet is named as it is.
 */
export function describeMeetingError(error: { code: string; message: string }): string {
  if (error.code === 'NOT_CONNECTED') return t('meetingError.NOT_CONNECTED');
  if (error.code === 'UNKNOWN') return t('meetingError.unknown');
  const key = Object.hasOwn(SERVER_ERRORS, error.code) ? SERVER_ERRORS[error.code as ErrorCode] : undefined;
  return key ? t(key) : t('meetingError.withCode', { code: error.code });
}

/** Anything thrown by a conference action, as the `{ code, message }` describeMeetingError takes. */
export function asCodedError(error: unknown): { code: string; message: string } {
  const code = errorCode(error);
  if (code) return { code, message: error instanceof Error ? error.message : '' };
  return { code: 'UNKNOWN', message: 'That did not work.' };
}

/** A sentence for why the camera or microphone could not be opened (getUserMedia failure). */
export function describeMediaError(error: unknown): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return t('mediaError.notAllowed');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return t('mediaError.notFound');
    case 'NotReadableError':
    case 'AbortError':
      return t('mediaError.notReadable');
    case 'TypeError':
    case 'NotSupportedError':
      return t('mediaError.notSupported');
    default:
      return t('mediaError.other');
  }
}
