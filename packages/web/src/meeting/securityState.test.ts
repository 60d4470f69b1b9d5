import { describe, expect, it } from 'vitest';
import {
  blocksMedia,
  cannotEncryptWarning,
  coverText,
  e2eeMarks,
  meetingState,
  remoteIndicatorState,
} from './securityState.js';

const on = { e2ee: true, e2eeSupported: true, decrypt: 'ok' as const };
const pending = { e2ee: true, e2eeSupported: true, decrypt: undefined };
const wrongKey = { e2ee: true, e2eeSupported: true, decrypt: 'cannot-decrypt' as const };
const off = { e2ee: false, e2eeSupported: true, decrypt: undefined };
/** Their browser declared no E2EE support; this page dropped their clear frames as failures. */
const unable = { e2ee: false, e2eeSupported: false, decrypt: 'cannot-decrypt' as const };

describe('remoteIndicatorState', () => {
  it('shows encrypted only when both sides encrypt and the frames open', () => {
    expect(remoteIndicatorState(on, true)).toBe('encrypted');
    expect(remoteIndicatorState(pending, true)).toBe('encrypted');
    expect(remoteIndicatorState(wrongKey, true)).toBe('cannot-decrypt');
  });

  it('says cannot decrypt when they encrypt and this page has no key', () => {
    expect(remoteIndicatorState(on, false)).toBe('cannot-decrypt');
    expect(remoteIndicatorState(pending, false)).toBe('cannot-decrypt');
  });

  it('says not encrypted when they do not encrypt, whatever this page does', () => {
    expect(remoteIndicatorState(off, true)).toBe('unencrypted');
    expect(remoteIndicatorState(off, false)).toBe('unencrypted');
    // A stale verdict from before they turned E2EE off does not count.
    expect(remoteIndicatorState({ ...off, decrypt: 'cannot-decrypt' }, true)).toBe('unencrypted');
  });

  it('says cannot encrypt when their browser cannot, distinct from not encrypted and a wrong key', () => {
    expect(remoteIndicatorState(unable, true)).toBe('cannot-encrypt');
    expect(remoteIndicatorState(unable, false)).toBe('cannot-encrypt');
    expect(remoteIndicatorState({ ...unable, decrypt: undefined }, true)).toBe('cannot-encrypt');
  });
});

describe('blocksMedia', () => {
  it('explains missing media: a key mismatch, or clear media dropped under E2EE', () => {
    expect(blocksMedia(wrongKey, true)).toBe(true);
    expect(blocksMedia(on, false)).toBe(true);
    expect(blocksMedia(off, true)).toBe(true);
    expect(blocksMedia(on, true)).toBe(false);
    expect(blocksMedia(off, false)).toBe(false);
  });

  it('covers the media of someone who cannot encrypt only while this page encrypts (it drops clear frames)', () => {
    expect(blocksMedia(unable, true)).toBe(true);
    expect(blocksMedia(unable, false)).toBe(false);
  });
});

describe('cannotEncryptWarning', () => {
  it('names who cannot encrypt while this page encrypts, and says their media stays hidden from encrypting participants', () => {
    const text = cannotEncryptWarning(true, false, ['Bob', 'Eve']);
    expect(text).toMatch(/^Cannot encrypt: Bob, Eve\./);
    expect(text).toMatch(/hidden from you and from everyone else who encrypts/);
    expect(text).toMatch(/cannot decrypt what you send/);
  });

  it('still warns when only others encrypt, worded for a page that does not', () => {
    const text = cannotEncryptWarning(false, true, ['Bob']);
    expect(text).toMatch(/^Cannot encrypt: Bob\./);
    expect(text).toMatch(/participants who encrypt neither see nor hear them/);
    expect(text).not.toMatch(/from you/);
  });

  it('is hidden when nobody cannot encrypt, or nobody encrypts at all', () => {
    expect(cannotEncryptWarning(true, true, [])).toBeUndefined();
    expect(cannotEncryptWarning(false, false, ['Bob'])).toBeUndefined();
  });
});

describe('meetingState', () => {
  it('is on only when everyone encrypts and everything decrypts', () => {
    expect(meetingState(true, [])).toBe('on');
    expect(meetingState(true, [on, pending])).toBe('on');
    expect(meetingState(true, [on, wrongKey])).toBe('partial');
    expect(meetingState(true, [on, off])).toBe('partial');
    expect(meetingState(true, [on, unable])).toBe('partial');
  });

  it('is off when nobody encrypts, partial when only others do', () => {
    expect(meetingState(false, [])).toBe('off');
    expect(meetingState(false, [off, off])).toBe('off');
    expect(meetingState(false, [off, unable])).toBe('off');
    expect(meetingState(false, [on])).toBe('partial');
  });
});

describe('e2eeMarks', () => {
  it('hides every tile mark while nobody encrypts, and covers nothing; the people panel still says not encrypted', () => {
    const marks = e2eeMarks({ id: 'me', e2ee: false }, [{ id: 'bob', ...off }]);
    expect([...marks.tiles]).toEqual([
      ['me', { state: 'unencrypted', markHidden: true, cover: undefined }],
      ['bob', { state: 'unencrypted', markHidden: true, cover: undefined }],
    ]);
    expect([...marks.people]).toEqual([
      ['me', 'unencrypted'],
      ['bob', 'unencrypted'],
    ]);
  });

  it('shows the marks once anyone encrypts, and covers exactly the media this page cannot show', () => {
    const marks = e2eeMarks({ id: 'me', e2ee: true }, [
      { id: 'ann', ...on },
      { id: 'bob', ...wrongKey },
      { id: 'cat', ...off },
      { id: 'dan', ...unable },
    ]);
    expect(marks.tiles.get('me')).toEqual({ state: 'encrypted', markHidden: false, cover: undefined });
    expect(marks.tiles.get('ann')).toEqual({ state: 'encrypted', markHidden: false, cover: undefined });
    expect(marks.tiles.get('bob')).toEqual({
      state: 'cannot-decrypt',
      markHidden: false,
      cover: coverText('cannot-decrypt', true),
    });
    expect(marks.tiles.get('cat')?.cover).toBe(coverText('unencrypted', true));
    expect(marks.tiles.get('dan')?.cover).toBe(coverText('cannot-encrypt', true));
    expect(marks.people.get('dan')).toBe('cannot-encrypt');
  });

  it('only others encrypt: their tiles say why this page sees nothing', () => {
    const marks = e2eeMarks({ id: 'me', e2ee: false }, [{ id: 'ann', ...on }]);
    expect(marks.tiles.get('me')).toEqual({ state: 'unencrypted', markHidden: false, cover: undefined });
    expect(marks.tiles.get('ann')?.cover).toBe('Encrypted: enter the meeting key to see and hear them');
  });
});

describe('coverText', () => {
  it('says why the media is hidden, from the point of view of this page', () => {
    expect(coverText('cannot-decrypt', true)).toBe('Cannot decrypt: they use a different key');
    expect(coverText('cannot-decrypt', false)).toBe('Encrypted: enter the meeting key to see and hear them');
    expect(coverText('unencrypted', true)).toBe(
      'Not encrypted: hidden while your end-to-end encryption is on',
    );
    expect(coverText('cannot-encrypt', true)).toMatch(/^Cannot encrypt: their browser cannot/);
  });
});
