import { describe, expect, it } from 'vitest';
import { HandQueue } from './HandQueue.js';

describe('HandQueue', () => {
  it('keeps hands in the order they went up; raising again keeps the place', () => {
    const q = new HandQueue();
    expect(q.raise('b')).toBe(true);
    expect(q.raise('a')).toBe(true);
    expect(q.raise('c')).toBe(true);
    expect(q.raise('b')).toBe(false);
    expect(q.list()).toEqual(['b', 'a', 'c']);
  });

  it('lowering takes a hand out and a later raise goes to the end', () => {
    const q = new HandQueue();
    for (const id of ['a', 'b', 'c']) q.raise(id);
    expect(q.lower('a')).toBe(true);
    expect(q.lower('a')).toBe(false);
    q.raise('a');
    expect(q.list()).toEqual(['b', 'c', 'a']);
    q.clear();
    expect(q.list()).toEqual([]);
    expect(q.size).toBe(0);
  });
});
