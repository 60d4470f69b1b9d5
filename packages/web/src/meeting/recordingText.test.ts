import { describe, expect, it } from 'vitest';
import {
  checkWebDavUrl,
  describeDropboxFailure,
  describeRecordingRefusal,
  formatHours,
  recordingChangeText,
  uploadNotice,
} from './recordingText.js';

const names = (id: string) => (id === 'me' ? 'You' : id === 'p1' ? 'Alice' : 'Someone');

describe('recording refusals', () => {
  it('explains E2EE (P12) and what to do about it', () => {
    const text = describeRecordingRefusal('E2EE_ACTIVE');
    expect(text).toMatch(/end-to-end encryption/);
    expect(text).toMatch(/turn encryption off/);
  });

  it('has its own words for every recording code, not the fallback', () => {
    for (const code of [
      'E2EE_ACTIVE',
      'RECORDING_UNAVAILABLE',
      'ALREADY_RECORDING',
      'NOT_RECORDING',
      'NOT_MODERATOR',
    ] as const) {
      const text = describeRecordingRefusal(code);
      expect(text).not.toMatch(/was refused \(/);
      expect(text).not.toContain(code);
    }
    expect(describeRecordingRefusal('ALREADY_RECORDING')).toMatch(/already being recorded/);
    expect(describeRecordingRefusal('RECORDING_UNAVAILABLE')).toMatch(/cannot record/);
  });

  it('names an unknown code rather than hiding it', () => {
    expect(describeRecordingRefusal('SOMETHING_NEW')).toBe(
      'The recording request was refused (SOMETHING_NEW).',
    );
  });

  it('explains each Dropbox sign-in failure', () => {
    expect(describeDropboxFailure('popup-blocked')).toMatch(/pop-ups/);
    expect(describeDropboxFailure('denied')).toMatch(/not granted/);
    expect(
      new Set(
        (['popup-blocked', 'denied', 'timeout', 'token-failed', 'cancelled'] as const).map(
          describeDropboxFailure,
        ),
      ).size,
    ).toBe(5);
  });
});

describe('recording notices (P13)', () => {
  it('says who started and stopped it', () => {
    expect(recordingChangeText({ recording: true, by: 'p1' }, names)).toMatch(/^Alice started recording/);
    expect(recordingChangeText({ recording: true, by: 'me' }, names)).toMatch(/^You started recording/);
    expect(recordingChangeText({ recording: false, by: 'p1', reason: 'requested' }, names)).toBe(
      'Alice stopped the recording.',
    );
    expect(recordingChangeText({ recording: false, by: null }, names)).toBe('The recording stopped.');
  });

  it('explains a stop the server made', () => {
    expect(recordingChangeText({ recording: false, by: null, reason: 'e2ee' }, names)).toMatch(
      /end-to-end encryption was turned on/,
    );
    expect(recordingChangeText({ recording: false, by: null, reason: 'limit' }, names)).toMatch(/longest/);
    expect(recordingChangeText({ recording: false, by: null, reason: 'error' }, names)).toMatch(/problem/);
  });

  it('follows the upload to its end', () => {
    expect(uploadNotice({ status: 'processing', destination: 'local', format: 'archive' }, 24).final).toBe(
      false,
    );
    expect(uploadNotice({ status: 'uploading', destination: 'dropbox' }, 24).text).toBe(
      'Uploading the recording to Dropbox…',
    );
    const done = uploadNotice({ status: 'uploaded', destination: 'webdav' }, 24);
    expect(done).toEqual({
      text: 'The recording was uploaded to the WebDAV folder and deleted from the server.',
      tone: 'info',
      final: true,
    });
    const failed = uploadNotice({ status: 'failed', destination: 'dropbox', reason: 'unauthorized' }, 24);
    expect(failed.tone).toBe('error');
    expect(failed.final).toBe(true);
    expect(failed.text).toMatch(/refused the credentials/);
    expect(failed.text).toMatch(/deleted from the server/);
    expect(
      uploadNotice({ status: 'failed', destination: 'dropbox', reason: 'token-expired' }, 24).text,
    ).toMatch(/sign-in expired/);
    expect(
      uploadNotice({ status: 'failed', destination: 'webdav', reason: 'private-address' }, 24).text,
    ).toMatch(/own network/);
    const retry = uploadNotice({ status: 'retrying', destination: 'webdav', reason: 'unreachable' }, 2);
    expect(retry.text).toMatch(/could not be reached.*2 hours/);
    expect(uploadNotice({ status: 'failed', destination: 'local', reason: 'new-reason' }, 24).text).toMatch(
      /unknown problem/,
    );
  });

  it('writes retention in hours or minutes', () => {
    expect(formatHours(24)).toBe('24 hours');
    expect(formatHours(1)).toBe('1 hour');
    expect(formatHours(0.5)).toBe('30 minutes');
    expect(formatHours(1 / 60)).toBe('1 minute');
  });
});

describe('WebDAV address', () => {
  it('accepts http(s) folder URLs', () => {
    expect(checkWebDavUrl(' https://cloud.example.org/remote.php/dav/files/a/ ')).toEqual({
      ok: true,
      url: 'https://cloud.example.org/remote.php/dav/files/a/',
    });
  });

  it('refuses empty, non-web and credential-carrying addresses', () => {
    expect(checkWebDavUrl('').ok).toBe(false);
    expect(checkWebDavUrl('cloud.example.org').ok).toBe(false);
    expect(checkWebDavUrl('ftp://cloud.example.org/').ok).toBe(false);
    const withPassword = checkWebDavUrl('https://alice:secret@cloud.example.org/');
    expect(withPassword.ok).toBe(false);
    if (!withPassword.ok) expect(withPassword.message).toMatch(/own fields/);
  });
});
