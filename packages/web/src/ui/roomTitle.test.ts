import { describe, expect, it } from 'vitest';
import { roomNameWords } from './roomTitle.js';

describe('roomNameWords', () => {
  it('splits a generated name between its words, and the words make the name again', () => {
    expect(roomNameWords('SilverKitesCrossTheBay42')).toEqual(['Silver', 'Kites', 'Cross', 'The', 'Bay42']);
    expect(roomNameWords('SilverKitesCrossTheBay42').join('')).toBe('SilverKitesCrossTheBay42');
  });

  it('keeps names without inner capitals whole', () => {
    expect(roomNameWords('standup')).toEqual(['standup']);
    expect(roomNameWords('ABC')).toEqual(['ABC']);
  });
});
