import { describe, expect, it } from 'vitest';
import { describeJoinError, describeMediaError } from './errors.js';

const serverError = (code: string) => Object.assign(new Error('raw server text'), { code });

describe('describeJoinError', () => {
  it.each([
    ['ROOM_FULL', /full/],
    ['JOIN_RATE_LIMITED', /Too many attempts/],
    ['INVALID_ROOM_NAME', /not valid/],
    ['NOT_CONNECTED', /Cannot reach/],
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
