import { describe, expect, it } from 'vitest';
import { clampCodePoints, codePointLength, formatDuration } from './format.js';

describe('formatDuration', () => {
  it('shows minutes and seconds, zero-padded', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(999)).toBe('00:00');
    expect(formatDuration(61_000)).toBe('01:01');
    expect(formatDuration(599_999)).toBe('09:59');
  });

  it('keeps counting minutes past an hour, and never goes negative', () => {
    expect(formatDuration(75 * 60_000 + 3_000)).toBe('75:03');
    expect(formatDuration(-5)).toBe('00:00');
  });
});

describe('code points', () => {
  it('counts an emoji once, like the server does', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
  });

  it('clamps without splitting a surrogate pair', () => {
    expect(clampCodePoints('😀😀😀', 2)).toBe('😀😀');
    expect(clampCodePoints('short', 10)).toBe('short');
    expect(clampCodePoints('abcdef', 3)).toBe('abc');
  });
});
