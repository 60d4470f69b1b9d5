import type { ErrorCode, RecordingDestinationKind, ServerMessageOf } from '@conclave/protocol';
import { type PlainKey, t } from '../i18n/index.js';

/*
 * Recording in plain words: refusals, start and stop, and what happened to the file. Matches on
 * the protocol's stable codes and enums only (never on server messages), so every participant reads
 * the same sentence for the same event.
 */

type RecordingEvent = Omit<ServerMessageOf<'recording'>, 'type'>;
type UploadEvent = Omit<ServerMessageOf<'recordingUpload'>, 'type'>;

/** Client-side failures of the Dropbox sign-in, before anything reaches the server. */
export type DropboxFailure = 'popup-blocked' | 'denied' | 'timeout' | 'token-failed' | 'cancelled';

const REFUSALS: Partial<Record<ErrorCode | 'NOT_CONNECTED', PlainKey>> = {
  // PRIVACY P12: the one refusal people will meet in practice; say what to do about it.
  E2EE_ACTIVE: 'recording.refused.E2EE_ACTIVE',
  RECORDING_UNAVAILABLE: 'recording.refused.RECORDING_UNAVAILABLE',
  ALREADY_RECORDING: 'recording.refused.ALREADY_RECORDING',
  NOT_RECORDING: 'recording.refused.NOT_RECORDING',
  NOT_MODERATOR: 'recording.refused.NOT_MODERATOR',
  RATE_LIMITED: 'recording.refused.RATE_LIMITED',
  BAD_FRAME: 'recording.refused.BAD_FRAME',
  NOT_CONNECTED: 'recording.refused.NOT_CONNECTED',
  INTERNAL: 'recording.refused.INTERNAL',
};

/** Why the server refused `startRecording` / `stopRecording`, for the moderator who asked. */
export function describeRecordingRefusal(code: string): string {
  const key = Object.hasOwn(REFUSALS, code) ? REFUSALS[code as ErrorCode] : undefined;
  return key ? t(key) : t('recording.refused.other', { code });
}

export function describeDropboxFailure(failure: DropboxFailure): string {
  switch (failure) {
    case 'popup-blocked':
      return t('dropbox.popupBlocked');
    case 'denied':
      return t('dropbox.deniedStart');
    case 'timeout':
      return t('dropbox.timeout');
    case 'token-failed':
      return t('dropbox.tokenFailed');
    case 'cancelled':
      return t('dropbox.cancelled');
  }
}

/** Where the file goes, with its preposition ("to Dropbox", "in den WebDAV-Ordner"): languages differ there. */
export function destinationLabel(kind: RecordingDestinationKind): string {
  switch (kind) {
    case 'dropbox':
      return t('recording.to.dropbox');
    case 'webdav':
      return t('recording.to.webdav');
    case 'local':
      return t('recording.to.local');
  }
}

/** The notice everyone gets when a recording starts or stops (PRIVACY P13). */
export function recordingChangeText(event: RecordingEvent, nameOf: (id: string) => string): string {
  const who = event.by ? nameOf(event.by) : undefined;
  if (event.recording) {
    return who ? t('recording.startedBy', { name: who }) : t('recording.started');
  }
  switch (event.reason) {
    case 'e2ee':
      return t('recording.stoppedE2EE');
    case 'limit':
      return t('recording.stoppedLimit');
    case 'error':
      return t('recording.stoppedError');
    default:
      return who ? t('recording.stoppedBy', { name: who }) : t('recording.stopped');
  }
}

/** Why an upload did not work, as a clause that starts with its conjunction ("because …", "weil …"). */
const UPLOAD_REASONS: Record<string, PlainKey> = {
  unreachable: 'upload.because.unreachable',
  timeout: 'upload.because.timeout',
  'bad-response': 'upload.because.bad-response',
  unauthorized: 'upload.because.unauthorized',
  'token-expired': 'upload.because.token-expired',
  'private-address': 'upload.because.private-address',
  'no-space': 'upload.because.no-space',
  rejected: 'upload.because.rejected',
  expired: 'upload.because.expired',
  error: 'upload.because.error',
  empty: 'upload.because.empty',
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
  const reason =
    event.reason && Object.hasOwn(UPLOAD_REASONS, event.reason) ? UPLOAD_REASONS[event.reason] : undefined;
  const why = t(reason ?? (event.reason ? 'upload.because.unknown' : 'upload.because.problem'));
  switch (event.status) {
    case 'processing':
      return {
        text: event.format === 'archive' ? t('upload.processingArchive') : t('upload.processingVideo'),
        tone: 'info',
        final: false,
      };
    case 'uploading':
      return { text: t('upload.uploading', { where }), tone: 'info', final: false };
    case 'retrying': {
      const deadline = retentionHours ? t('upload.deadline', { hours: formatHours(retentionHours) }) : '';
      return {
        text: t('upload.retrying', { where, why, deadline }),
        tone: 'error',
        final: false,
      };
    }
    case 'uploaded':
      return {
        text: t('upload.uploaded', { where }),
        tone: 'info',
        final: true,
      };
    case 'failed':
      return {
        text: t('upload.failed', { where, why }),
        tone: 'error',
        final: true,
      };
  }
}

export function formatHours(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return t('hours.minutes', { count: minutes });
  }
  return t('hours.hours', { count: Math.round(hours * 10) / 10 });
}

/**
 * Checks what the moderator typed for WebDAV before it goes to the server (which checks again):
 * an http(s) URL without credentials in it (they belong in the fields, which are not logged).
 */
export function checkWebDavUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, message: t('webdav.empty') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: t('webdav.notUrl') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: t('webdav.scheme') };
  }
  if (url.username || url.password) {
    return { ok: false, message: t('webdav.credentials') };
  }
  if (text.length > 2048) return { ok: false, message: t('webdav.tooLong') };
  return { ok: true, url: text };
}
