import type { ErrorCode, RecordingDestinationKind, ServerMessageOf } from '@conclave/protocol';

/*
 * Recording in plain words: refusals, start and stop, and what happened to the file. Matches on
 * the protocol's stable codes and enums only (never on server messages), so every participant reads
 * the same sentence for the same event.
 */

type RecordingEvent = Omit<ServerMessageOf<'recording'>, 'type'>;
type UploadEvent = Omit<ServerMessageOf<'recordingUpload'>, 'type'>;

/** Client-side failures of the Dropbox sign-in, before anything reaches the server. */
export type DropboxFailure = 'popup-blocked' | 'denied' | 'timeout' | 'token-failed' | 'cancelled';

const REFUSALS: Partial<Record<ErrorCode | 'NOT_CONNECTED', string>> = {
  // PRIVACY P12: the one refusal people will meet in practice; say what to do about it.
  E2EE_ACTIVE:
    'Recording is impossible while end-to-end encryption is on: the server cannot see the media. Everyone must turn encryption off first (Security).',
  RECORDING_UNAVAILABLE: 'This server cannot record right now, or not to that destination.',
  ALREADY_RECORDING: 'This meeting is already being recorded.',
  NOT_RECORDING: 'This meeting is not being recorded any more.',
  NOT_MODERATOR: 'Only moderators can start or stop a recording.',
  RATE_LIMITED: 'Too many actions in a short time. Wait a moment, then try again.',
  BAD_FRAME: 'The server did not accept that destination. Check the address and try again.',
  NOT_CONNECTED: 'You are not connected to the meeting any more.',
  INTERNAL: 'The server had a problem starting the recording. Try again in a moment.',
};

/** Why the server refused `startRecording` / `stopRecording`, for the moderator who asked. */
export function describeRecordingRefusal(code: string): string {
  return REFUSALS[code as ErrorCode] ?? `The recording request was refused (${code}).`;
}

export function describeDropboxFailure(failure: DropboxFailure): string {
  switch (failure) {
    case 'popup-blocked':
      return 'Your browser blocked the Dropbox window. Allow pop-ups for this site and try again.';
    case 'denied':
      return 'Dropbox access was not granted, so the recording did not start.';
    case 'timeout':
      return 'Dropbox did not answer in time. Try again.';
    case 'token-failed':
      return 'Dropbox did not give access to your account. Try again, or choose another destination.';
    case 'cancelled':
      return 'Dropbox sign-in cancelled.';
  }
}

export function destinationLabel(kind: RecordingDestinationKind): string {
  switch (kind) {
    case 'dropbox':
      return 'Dropbox';
    case 'webdav':
      return 'the WebDAV folder';
    case 'local':
      return "the server's folder";
  }
}

/** The notice everyone gets when a recording starts or stops (PRIVACY P13). */
export function recordingChangeText(event: RecordingEvent, nameOf: (id: string) => string): string {
  const who = event.by ? nameOf(event.by) : undefined;
  if (event.recording) {
    return who
      ? `${who} started recording this meeting. Everyone's camera and microphone are recorded.`
      : "This meeting is being recorded. Everyone's camera and microphone are recorded.";
  }
  switch (event.reason) {
    case 'e2ee':
      return 'Recording stopped: end-to-end encryption was turned on, and encrypted meetings are never recorded.';
    case 'limit':
      return 'Recording stopped: it reached the longest recording this server allows.';
    case 'error':
      return 'Recording stopped because of a problem on the server. What was recorded is not kept.';
    default:
      return who ? `${who} stopped the recording.` : 'The recording stopped.';
  }
}

const UPLOAD_REASONS: Record<string, string> = {
  unreachable: 'the destination could not be reached',
  timeout: 'the destination did not answer in time',
  'bad-response': 'the destination gave an unexpected answer',
  unauthorized: 'the destination refused the credentials (wrong password, or access expired)',
  'token-expired': 'the Dropbox sign-in expired during the upload (sign in again for the next recording)',
  'private-address':
    'the WebDAV address points into the server’s own network, which this server does not allow',
  'no-space': 'the destination is full',
  rejected: 'the destination refused the file',
  expired: 'it could not be uploaded before the deadline',
  error: 'of a problem on the server',
  empty: 'nothing was recorded (no camera or microphone reached the server)',
};

export interface UploadNotice {
  text: string;
  tone: 'info' | 'error';
  /** The last word about this recording: shown longer than the steps before it. */
  final: boolean;
}

/** What became of the recording after it stopped, for everyone still in the meeting. */
export function uploadNotice(event: UploadEvent, retentionHours: number | undefined): UploadNotice {
  const where = destinationLabel(event.destination);
  const why = event.reason ? (UPLOAD_REASONS[event.reason] ?? 'of an unknown problem') : undefined;
  switch (event.status) {
    case 'processing':
      return {
        text:
          event.format === 'archive'
            ? 'Preparing the recording (an archive of every camera and microphone)…'
            : 'Preparing the recording video…',
        tone: 'info',
        final: false,
      };
    case 'uploading':
      return { text: `Uploading the recording to ${where}…`, tone: 'info', final: false };
    case 'retrying': {
      const deadline = retentionHours
        ? ` Conclave keeps trying for up to ${formatHours(retentionHours)} after the meeting, then deletes it.`
        : '';
      return {
        text: `The upload to ${where} did not work yet, because ${why ?? 'of a problem'}.${deadline}`,
        tone: 'error',
        final: false,
      };
    }
    case 'uploaded':
      return {
        text: `The recording was uploaded to ${where} and deleted from the server.`,
        tone: 'info',
        final: true,
      };
    case 'failed':
      return {
        text: `The recording could not be uploaded to ${where}, because ${why ?? 'of a problem'}. It was deleted from the server.`,
        tone: 'error',
        final: true,
      };
  }
}

export function formatHours(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} hour${rounded === 1 ? '' : 's'}`;
}

/**
 * Checks what the moderator typed for WebDAV before it goes to the server (which checks again):
 * an http(s) URL without credentials in it (they belong in the fields, which are not logged).
 */
export function checkWebDavUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Enter the address of the WebDAV folder.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'That is not a web address. It starts with https://' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'The address must start with https:// (or http://).' };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'Put the user name and password in their own fields, not in the address.' };
  }
  if (text.length > 2048) return { ok: false, message: 'That address is too long.' };
  return { ok: true, url: text };
}
