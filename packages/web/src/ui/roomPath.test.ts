import { describe, expect, it } from 'vitest';
import { pathForRoom, roomFromPath } from './roomPath.js';

describe('roomFromPath', () => {
  it.each([
    ['/', undefined],
    ['', undefined],
    ['//', undefined],
    ['/BrightOtter', 'BrightOtter'],
    ['/BrightOtter/', 'BrightOtter'],
    ['/Caf%C3%A9Meeting', 'CaféMeeting'],
    ['/a/b', 'a/b'],
    ['/%E0%A4%A', '%E0%A4%A'],
  ])('%j → %j', (path, expected) => {
    expect(roomFromPath(path)).toBe(expected);
  });

  it('round-trips with pathForRoom', () => {
    for (const name of ['BrightOtter', 'CaféMeeting', 'with space', 'a/b?c#d']) {
      expect(roomFromPath(pathForRoom(name))).toBe(name);
    }
  });
});
