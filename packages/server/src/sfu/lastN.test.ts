import { describe, expect, it } from 'vitest';
import { noteSpeaker, selectLastN } from './lastN.js';

const pubs = ['a', 'b', 'c', 'd', 'e'];

describe('selectLastN', () => {
  it.each<[string, string, string[], number, string[], string[]]>([
    ['off: everyone but yourself', 'a', ['c'], 0, [], ['b', 'c', 'd', 'e']],
    ['the N most recent speakers', 'a', ['d', 'c', 'b'], 2, [], ['c', 'd']],
    ['yourself never counts', 'd', ['d', 'c', 'b'], 2, [], ['b', 'c']],
    ['quiet room: filled in join order', 'a', [], 2, [], ['b', 'c']],
    ['fewer speakers than N: filled in join order', 'a', ['e'], 3, [], ['b', 'c', 'e']],
    ['pinned come on top of N', 'a', ['d', 'c'], 1, ['b'], ['b', 'd']],
    ['pinned who is also a recent speaker does not use a slot', 'a', ['d', 'c'], 1, ['d'], ['c', 'd']],
    ['pinned non-publisher is ignored', 'a', ['d'], 1, ['zz'], ['d']],
    ['speaker who stopped publishing is skipped', 'a', ['x', 'c'], 1, [], ['c']],
    ['N larger than the room', 'a', ['b'], 10, [], ['b', 'c', 'd', 'e']],
  ])('%s', (_name, subscriber, speakers, n, pinned, expected) => {
    expect([...selectLastN(subscriber, pubs, speakers, n, new Set(pinned))].sort()).toEqual(expected);
  });

  it('noteSpeaker keeps a most-recent-first list without duplicates', () => {
    const list: string[] = [];
    for (const s of ['a', 'b', 'a', 'c', 'c']) noteSpeaker(list, s);
    expect(list).toEqual(['c', 'a', 'b']);
  });
});
