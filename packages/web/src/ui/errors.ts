/*
 * Turning errors into plain words. The UI matches on stable codes (protocol `ERROR_CODES`, DOM
 * exception names), never on messages, and never shows a stack trace.
 */

import type { ErrorCode } from '@conclave/protocol';

/** Codes the client adds to the server's own (see SignalingClient and Conference.join). */
type ClientCode = 'NOT_CONNECTED' | 'ABORTED' | 'REDIRECT_REFUSED';

const JOIN_ERRORS: Partial<Record<ErrorCode | ClientCode, string>> = {
  INVALID_ROOM_NAME: 'This meeting name is not valid. Go back and choose another name.',
  ROOM_FULL: 'This meeting is full. Ask someone in it to make room, or try again later.',
  JOIN_RATE_LIMITED: 'Too many attempts to join from your network. Wait a minute, then try again.',
  RATE_LIMITED: 'Too many requests in a short time. Wait a moment, then try again.',
  UNSUPPORTED_VERSION: 'This page is out of date for the server. Reload the page and try again.',
  ABUSE: 'The server closed the connection. Reload the page and try again.',
  NOT_CONNECTED: 'Cannot reach the meeting server. Check your connection and try again.',
  INTERNAL: 'The server had a problem. Try again in a moment.',
  PASSWORD_REQUIRED: 'This meeting is locked. Enter its password to join.',
  WRONG_PASSWORD: 'That password is not correct. Check it with whoever invited you and try again.',
  PASSWORD_RATE_LIMITED: 'Too many password attempts from your network. Wait a minute before you try again.',
  LOBBY_DENIED: 'A moderator declined your request to join this meeting.',
  MEETING_ENDED: 'The meeting ended while you were waiting to be let in.',
  ABORTED: 'You stopped waiting to join.',
  DIRECTORY_UNAVAILABLE:
    'The service cannot start this meeting just now (its servers are reconnecting to each other). Try again in a few seconds.',
  REDIRECT_UNSUPPORTED: 'This page is out of date for the server. Reload the page and try again.',
  REDIRECT_REFUSED: 'The server sent this page somewhere it may not go. Reload the page and try again.',
};

/** A sentence for why joining failed; `error` is whatever `Conference.join` threw. */
export function describeJoinError(error: unknown): string {
  const code = errorCode(error);
  const known = code ? JOIN_ERRORS[code as ErrorCode | ClientCode] : undefined;
  if (known) return known;
  return code ? `Could not join the meeting (${code}). Try again.` : 'Could not join the meeting. Try again.';
}

/** The stable `code` of an error thrown by the client, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

const MEETING_ERRORS: Partial<Record<ErrorCode | ClientCode, string>> = {
  NOT_MODERATOR: 'Only moderators can do that.',
  CHAT_TOO_LONG:
    'Your message is too long for this meeting, so it was not sent. Shorten it and send it again.',
  CHAT_RATE_LIMITED:
    'You are sending messages too fast, so this one was not sent. Wait a moment and send it again.',
  REACTION_RATE_LIMITED: 'You are sending reactions too fast. Wait a moment before the next one.',
  UNKNOWN_PARTICIPANT: 'That person is no longer in the meeting.',
  RATE_LIMITED: 'Too many actions in a short time. Slow down a little.',
  NOT_CONNECTED: 'You are not connected to the meeting any more.',
  INTERNAL: 'The server had a problem with that. Try again in a moment.',
};

/**
 * A sentence for something the server refused during the meeting (the `serverError` event). Known
 * codes get plain words; others fall back to the server's message, which is the protocol's fixed
 * human text for the code and never contains anyone's data.
 */
export function describeMeetingError(error: { code: string; message: string }): string {
  return MEETING_ERRORS[error.code as ErrorCode | ClientCode] ?? error.message;
}

/** Anything thrown by a conference action, as the `{ code, message }` describeMeetingError takes. */
export function asCodedError(error: unknown): { code: string; message: string } {
  const code = errorCode(error);
  if (code) return { code, message: error instanceof Error ? error.message : '' };
  return { code: 'UNKNOWN', message: 'That did not work. Try again.' };
}

/** A sentence for why the camera or microphone could not be opened (getUserMedia failure). */
export function describeMediaError(error: unknown): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The browser was not allowed to use your camera and microphone. You can still join; allow access in the address bar and reload to be seen and heard.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera or microphone was found. You can still join and see and hear the others.';
    case 'NotReadableError':
    case 'AbortError':
      return 'Your camera or microphone is in use by another program or could not be started. You can still join.';
    case 'TypeError':
    case 'NotSupportedError':
      return 'This page cannot use a camera or microphone here (it needs HTTPS or localhost). You can still join.';
    default:
      return 'Your camera and microphone could not be started. You can still join.';
  }
}
