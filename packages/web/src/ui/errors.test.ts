import { ERROR_CODE_LIST } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { useLanguage } from '../i18n/index.js';
import {
  asCodedError,
  describeJoinError,
  describeMediaError,
  describeMeetingError,
  errorCode,
} from './errors.js';

const serverError = (code: string) => Object.assign(new Error('raw server text'), { code });

describe('describeJoinError', () => {
  it.each([
    ['ROOM_FULL', /full/],
    ['JOIN_RATE_LIMITED', /Too many attempts/],
    ['INVALID_ROOM_NAME', /not valid/],
    ['NOT_CONNECTED', /Cannot reach/],
    ['PASSWORD_REQUIRED', /locked/],
    ['WRONG_PASSWORD', /not correct/],
    ['PASSWORD_RATE_LIMITED', /Too many password attempts/],
    ['LOBBY_DENIED', /declined/],
    ['MEETING_ENDED', /ended while you were waiting/],
  ])('%s is explained in plain words', (code, expected) => {
    expect(describeJoinError(serverError(code))).toMatch(expected);
  });

  it('never shows the raw message, even for unknown codes', () => {
    expect(describeJoinError(serverError('SOMETHING_NEW'))).toBe(
      'Could not join the meeting (SOMETHING_NEW). Try again.',
    );
    expect(describeJoinError(new Error('stack-ish details'))).toBe('Could not join the meeting. Try again.');
    expect(describeJoinError('oops')).toBe('Could not join the meeting. Try again.');
  });
});

describe('describeMediaError', () => {
  const domError = (name: string) => Object.assign(new Error('x'), { name });
  it.each([
    ['NotAllowedError', /not allowed/],
    ['NotFoundError', /No camera or microphone/],
    ['NotReadableError', /in use/],
    ['TypeError', /HTTPS/],
    ['Weird', /could not be started/],
  ])('%s', (name, expected) => {
    const text = describeMediaError(domError(name));
    expect(text).toMatch(expected);
    expect(text).toMatch(/join/);
  });
});

describe('describeMeetingError', () => {
  it('explains chat refusals in plain words', () => {
    expect(describeMeetingError({ code: 'CHAT_TOO_LONG', message: 'x' })).toMatch(/too long/);
    expect(describeMeetingError({ code: 'CHAT_RATE_LIMITED', message: 'x' })).toMatch(/too fast/);
    expect(describeMeetingError({ code: 'NOT_MODERATOR', message: 'x' })).toMatch(/Only moderators/);
  });

  it('has words of its own for every protocol code, and names a code it does not know', () => {
    for (const code of ERROR_CODE_LIST) {
      const text = describeMeetingError({ code, message: 'RAW' });
      expect(text).not.toContain('RAW');
      expect(text).not.toContain(code);
    }
    expect(describeMeetingError({ code: 'SOMETHING_NEW', message: 'RAW' })).toBe(
      'The server refused that (SOMETHING_NEW).',
    );
  });

  it('speaks the page language, never the server English', () => {
    useLanguage('de');
    try {
      expect(describeMeetingError({ code: 'NOT_MODERATOR', message: 'Only moderators can do this.' })).toBe(
        'Das dürfen nur Moderatoren.',
      );
      expect(describeJoinError(serverError('ROOM_FULL'))).toMatch(/voll/);
    } finally {
      useLanguage('en');
    }
  });
});

describe('errorCode', () => {
  it('reads a string code and ignores anything else', () => {
    expect(errorCode(serverError('WRONG_PASSWORD'))).toBe('WRONG_PASSWORD');
    expect(errorCode(new Error('plain'))).toBeUndefined();
    expect(errorCode({ code: 42 })).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
  });
});

describe('asCodedError', () => {
  it('keeps a thrown ServerError-like code and gives anything else a readable fallback', () => {
    expect(asCodedError(serverError('NOT_CONNECTED'))).toEqual({
      code: 'NOT_CONNECTED',
      message: 'raw server text',
    });
    expect(describeMeetingError(asCodedError(new Error('boom')))).toBe('That did not work. Try again.');
  });
});
