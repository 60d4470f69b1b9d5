import { describe, expect, it } from 'vitest';
import { parseFragment, withoutFragmentOption } from './fragment.js';

describe('parseFragment', () => {
  it('defaults to the pre-join page with microphone and camera on', () => {
    const defaults = {
      displayName: undefined,
      prejoin: true,
      audio: true,
      video: true,
      relay: false,
      e2ee: undefined,
      lang: undefined,
    };
    expect(parseFragment('')).toEqual(defaults);
    expect(parseFragment('#')).toEqual(defaults);
  });

  it.each([
    ['#name=Alice', { displayName: 'Alice' }],
    ['#name=Ana%20Mar%C3%ADa', { displayName: 'Ana María' }],
    ['#name=Bob+Smith', { displayName: 'Bob Smith' }],
    ['#name=%20%20Carol%20', { displayName: 'Carol' }],
    ['#prejoin=0', { prejoin: false }],
    ['#prejoin=false&audio=off&video=no', { prejoin: false, audio: false, video: false }],
    ['#audio=0', { audio: false, video: true }],
    ['#video=0', { audio: true, video: false }],
    ['#audio=1&video=true', { audio: true, video: true }],
    ['name=Dave&prejoin=0', { displayName: 'Dave', prejoin: false }],
    ['#relay=1', { relay: true }],
    ['#relay', { relay: true }],
    ['#relay=0', { relay: false }],
    ['#relay=maybe', { relay: false }],
    ['#e2ee=secret%20phrase', { e2ee: 'secret phrase' }],
    ['#e2ee=secret phrase&prejoin=0', { e2ee: 'secret phrase', prejoin: false }],
    ['#e2ee=a%2Bb%26c%3D', { e2ee: 'a+b&c=' }],
    ['#lang=de-CH&prejoin=0', { lang: 'de-CH', prejoin: false }],
    ['#e2ee=', { e2ee: undefined }],
  ])('%s', (hash, expected) => {
    expect(parseFragment(hash)).toMatchObject(expected);
  });

  it('keeps the default for values it does not understand', () => {
    expect(parseFragment('#audio=maybe&video=2&prejoin=x')).toMatchObject({
      audio: true,
      video: true,
      prejoin: true,
    });
  });

  it('drops names the server would reject', () => {
    expect(parseFragment('#name=').displayName).toBeUndefined();
    expect(parseFragment('#name=%20%20').displayName).toBeUndefined();
    expect(parseFragment(`#name=${'x'.repeat(65)}`).displayName).toBeUndefined();
    // A right-to-left override would let a name rewrite how the names around it render.
    expect(parseFragment('#name=Eve%E2%80%AEevil').displayName).toBeUndefined();
    expect(parseFragment('#name=a%00b').displayName).toBeUndefined();
  });
});

describe('withoutFragmentOption', () => {
  it('removes the passphrase and keeps the other options', () => {
    expect(withoutFragmentOption('#name=A&prejoin=0&e2ee=secret%20phrase', 'e2ee')).toBe('#name=A&prejoin=0');
    expect(withoutFragmentOption('#e2ee=x&audio=0', 'e2ee')).toBe('#audio=0');
  });

  it('leaves nothing when the passphrase was all there was', () => {
    expect(withoutFragmentOption('#e2ee=x', 'e2ee')).toBe('');
    expect(withoutFragmentOption('', 'e2ee')).toBe('');
  });
});
