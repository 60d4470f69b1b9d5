import { describe, expect, it } from 'vitest';
import { PacketCache } from './PacketCache.js';
import { StreamRewriter } from './StreamRewriter.js';

type Step = [source: number, seq: number, ts: number, now: number, expected: [number, number] | undefined];

describe('StreamRewriter', () => {
  it.each<[string, Step[]]>([
    [
      'continues from the initial sequence and timestamp',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 501, 9900, 10, [101, 5900]],
      ],
    ],
    [
      'keeps reordering',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 502, 10800, 20, [102, 6800]],
        [1, 501, 9900, 21, [101, 5900]],
      ],
    ],
    [
      "drops packets older than the source's first",
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 499, 8100, 5, undefined],
      ],
    ],
    [
      'wraps at 16 bits',
      [
        [1, 0xffff, 0, 0, [100, 5000]],
        [1, 0, 90, 1, [101, 5090]],
      ],
    ],
    [
      'continues sequence and elapsed time on a source switch',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 501, 9900, 10, [101, 5900]],
        [2, 7000, 123, 110, [102, 5900 + 9000]],
        [2, 7001, 213, 111, [103, 5900 + 9090]],
      ],
    ],
    [
      'drops the old source after a switch',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [2, 7000, 0, 10, [101, 5900]],
        [1, 501, 9900, 11, [102, 5990]],
      ],
    ],
  ])('%s', (_name, steps) => {
    const r = new StreamRewriter(90_000, 100, 5000);
    for (const [source, seq, ts, now, expected] of steps) {
      const out = r.rewrite(source, seq, ts, now);
      expect(out ? [out.sequence, out.timestamp] : undefined).toEqual(expected);
    }
  });

  it('forwards one source for longer than half the sequence space (minutes of media)', () => {
    // 32768 packets are 11 minutes of Opus, 3–4 of 720p video: a long meeting passes them.
    const r = new StreamRewriter(48_000, 100, 0);
    const dropped: number[] = [];
    let last = 99;
    for (let i = 0; i < 3 * 0x10000; i++) {
      const out = r.rewrite(1, (500 + i) & 0xffff, (i * 960) >>> 0, i * 20);
      if (!out) dropped.push(i);
      else if (out.sequence !== ((last + 1) & 0xffff)) throw new Error(`gap at packet ${i}`);
      else last = out.sequence;
    }
    expect(dropped).toEqual([]);
    // A NACK for a recent packet still maps back to its source sequence number.
    expect(r.sourceSequence((last - 10) & 0xffff)).toBe((500 + 3 * 0x10000 - 11) & 0xffff);
  });

  it('maps outgoing sequence numbers back to the current source only', () => {
    const r = new StreamRewriter(90_000, 100, 0);
    r.rewrite(1, 500, 0, 0);
    r.rewrite(1, 501, 0, 1);
    r.rewrite(2, 9000, 0, 2); // out 102
    r.rewrite(2, 9001, 0, 3); // out 103
    expect(r.sourceSequence(103)).toBe(9001);
    expect(r.sourceSequence(102)).toBe(9000);
    expect(r.sourceSequence(101)).toBeUndefined(); // previous source
    expect(r.sourceSequence(104)).toBeUndefined(); // not sent yet
  });
});

describe('PacketCache', () => {
  it.each([
    ['hit', 10, 10, 0, true],
    ['overwritten by a newer packet in the same slot', 10, 10 + 8, 0, false],
    ['too old', 10, 10, 2000, false],
  ])('%s', (_name, stored, extra, age, hit) => {
    const cache = new PacketCache(8, 1000);
    cache.put(Buffer.from([1]), stored, 0, 0);
    if (extra !== stored) cache.put(Buffer.from([2]), extra, 0, 0);
    expect(cache.get(stored, age) !== undefined).toBe(hit);
  });
});
