import { describe, expect, it } from 'vitest';
import { blocksMedia, meetingState, remoteIndicatorState } from './securityState.js';

const on = { e2ee: true, decrypt: 'ok' as const };
const pending = { e2ee: true, decrypt: undefined };
const wrongKey = { e2ee: true, decrypt: 'cannot-decrypt' as const };
const off = { e2ee: false, decrypt: undefined };

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
    expect(remoteIndicatorState({ e2ee: false, decrypt: 'cannot-decrypt' }, true)).toBe('unencrypted');
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
});

describe('meetingState', () => {
  it('is on only when everyone encrypts and everything decrypts', () => {
    expect(meetingState(true, [])).toBe('on');
    expect(meetingState(true, [on, pending])).toBe('on');
    expect(meetingState(true, [on, wrongKey])).toBe('partial');
    expect(meetingState(true, [on, off])).toBe('partial');
  });

  it('is off when nobody encrypts, partial when only others do', () => {
    expect(meetingState(false, [])).toBe('off');
    expect(meetingState(false, [off, off])).toBe('off');
    expect(meetingState(false, [on])).toBe('partial');
  });
});
