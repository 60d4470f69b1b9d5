import { describe, expect, it } from 'vitest';
import { MAX_TRIES, MissingPackets, REORDER_WAIT_MS, RETRY_MS } from './MissingPackets.js';

function due(missing: MissingPackets, now: number): number[] {
  const out: number[] = [];
  missing.due(now, out);
  return out;
}

describe('MissingPackets (holes to NACK upstream)', () => {
  it('finds the holes a forward jump leaves, after the reordering wait', () => {
    const m = new MissingPackets();
    m.packet(10, 0);
    expect(m.packet(11, 1)).toBe(false);
    expect(m.packet(14, 2)).toBe(true);
    expect(due(m, 2 + REORDER_WAIT_MS - 1)).toEqual([]);
    expect(due(m, 2 + REORDER_WAIT_MS)).toEqual([12, 13]);
  });

  it('a reordered or retransmitted packet fills its hole', () => {
    const m = new MissingPackets();
    m.packet(1, 0);
    m.packet(4, 0);
    m.packet(2, 5);
    expect(due(m, 50)).toEqual([3]);
    m.packet(3, 60);
    expect(m.size).toBe(0);
  });

  it('asks again after RETRY_MS, at most MAX_TRIES times, then forgets', () => {
    const m = new MissingPackets();
    m.packet(100, 0);
    m.packet(102, 0);
    const asked: number[] = [];
    for (let t = REORDER_WAIT_MS; t < 900; t += 10) asked.push(...due(m, t));
    expect(asked).toEqual(Array(MAX_TRIES).fill(101));
    expect(due(m, REORDER_WAIT_MS + RETRY_MS * MAX_TRIES + 1)).toEqual([]);
    expect(m.size).toBe(0);
  });

  it('gives up on holes older than a second', () => {
    const m = new MissingPackets();
    m.packet(1, 0);
    m.packet(3, 0);
    expect(due(m, 1001)).toEqual([]);
    expect(m.size).toBe(0);
  });

  it('works across the sequence-number wrap', () => {
    const m = new MissingPackets();
    m.packet(0xfffe, 0);
    m.packet(1, 0);
    expect(due(m, 20)).toEqual([0xffff, 0]);
  });

  it('treats a large jump as a restart, not as loss', () => {
    const m = new MissingPackets();
    m.packet(1, 0);
    m.packet(3, 0);
    expect(m.packet(5000, 0)).toBe(false);
    expect(m.size).toBe(0);
  });

  it('tracks a bounded number of holes however wildly a publisher skips', () => {
    const m = new MissingPackets();
    for (let i = 1; i <= 100; i++) m.packet(i * 100, 0);
    expect(m.size).toBeLessThanOrEqual(512);
  });
});
