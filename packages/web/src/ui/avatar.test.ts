import { describe, expect, it } from 'vitest';
import { avatarColour, displayLabel, hue, initials } from './avatar.js';

describe('initials', () => {
  it.each([
    ['Alice', 'A'],
    ['alice cooper', 'AC'],
    ['  Ana  María  de la Cruz ', 'AC'],
    ['élodie', 'É'],
    ['😀 party', '😀P'],
    ['', '?'],
    ['   ', '?'],
    [undefined, '?'],
  ])('%j → %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('avatarColour', () => {
  it('is stable for an id and differs between ids', () => {
    expect(avatarColour('p-1')).toBe(avatarColour('p-1'));
    const hues = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(hue));
    expect(hues.size).toBeGreaterThan(4);
  });

  it('gives a hue in [0, 360)', () => {
    for (const id of ['', 'x', 'participant-0123456789', '🙂'.repeat(40)]) {
      const h = hue(id);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(360);
      expect(Number.isInteger(h)).toBe(true);
    }
  });

  it('P8: an avatar is a locally computed colour, never a URL to fetch', () => {
    for (const id of ['alice', 'bob@example.org', 'p-42']) {
      expect(avatarColour(id)).toMatch(/^hsl\(\d{1,3} 45% 38%\)$/);
    }
  });
});

describe('displayLabel', () => {
  it('falls back to "Guest" for a missing or blank name', () => {
    expect(displayLabel('Alice')).toBe('Alice');
    expect(displayLabel('  ')).toBe('Guest');
    expect(displayLabel(undefined)).toBe('Guest');
  });
});
