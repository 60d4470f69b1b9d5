import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter, StrikeCounter, TokenBucket } from './rateLimit.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst of `capacity` then refills at the configured rate', () => {
    const c = clock();
    const bucket = new TokenBucket(3, 2, c.now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    c.advance(499);
    expect(bucket.take()).toBe(false);
    c.advance(1);
    expect(bucket.take()).toBe(true);
  });

  it('never holds more than its capacity', () => {
    const c = clock();
    const bucket = new TokenBucket(2, 10, c.now);
    c.advance(60_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});

describe('KeyedRateLimiter', () => {
  it('limits each key separately', () => {
    const c = clock();
    const limiter = new KeyedRateLimiter({ capacity: 1, perSecond: 1 }, c.now);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
  });

  it('forgets refilled keys on sweep and bounds the number of keys', () => {
    const c = clock();
    const limiter = new KeyedRateLimiter({ capacity: 1, perSecond: 1, maxKeys: 2 }, c.now);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.size).toBe(2);
    c.advance(2000);
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});

describe('StrikeCounter', () => {
  it('trips when more than `limit` strikes fall inside the window', () => {
    const c = clock();
    const strikes = new StrikeCounter(2, 1000, c.now);
    expect(strikes.strike()).toBe(false);
    expect(strikes.strike()).toBe(false);
    c.advance(1001);
    expect(strikes.strike()).toBe(false);
    expect(strikes.strike()).toBe(false);
    expect(strikes.strike()).toBe(true);
  });
});
