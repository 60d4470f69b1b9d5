import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MS, MAX_TRIES, MissingPackets, REORDER_WAIT_MS, RETRY_MS } from './MissingPackets.js';

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
    let lost = 0;
    for (let t = REORDER_WAIT_MS; t < 900; t += 10) {
      const out: number[] = [];
      lost += m.due(t, out);
      asked.push(...out);
      // The last request still gets its wait for an answer before the packet counts as lost.
      if (t < REORDER_WAIT_MS + RETRY_MS * MAX_TRIES) expect(lost).toBe(0);
    }
    expect(asked).toEqual(Array(MAX_TRIES).fill(101));
    expect(lost).toBe(1);
    expect(m.size).toBe(0);
  });

  it('a packet that comes after the last request is not lost', () => {
    const m = new MissingPackets();
    m.packet(100, 0);
    m.packet(102, 0);
    let lost = 0;
    for (let t = REORDER_WAIT_MS; t < 900; t += 10) {
      if (t === REORDER_WAIT_MS + RETRY_MS * (MAX_TRIES - 1) + 50) m.packet(101, t);
      lost += m.due(t, []);
    }
    expect(lost).toBe(0);
  });

  it('behind a long round trip, waits for the answer before asking again', () => {
    const m = new MissingPackets();
    // Each retransmission comes back 150 ms after the first request for it.
    let sequence = 0;
    let now = 0;
    for (let round = 0; round < 20; round++) {
      m.packet(sequence, now);
      m.packet(sequence + 2, now);
      const askedAt = now + REORDER_WAIT_MS;
      expect(due(m, askedAt)).toEqual([sequence + 1]);
      m.packet(sequence + 1, askedAt + 150);
      sequence += 3;
      now += 1000;
    }
    expect(m.retryMs).toBeGreaterThan(150);
    // A new hole: asked for once, and not again while its answer may still be on the way.
    m.packet(sequence, now);
    m.packet(sequence + 2, now);
    const asked: number[] = [];
    for (let t = now + REORDER_WAIT_MS; t <= now + REORDER_WAIT_MS + 150; t += 10) asked.push(...due(m, t));
    expect(asked).toEqual([sequence + 1]);
    expect(due(m, now + REORDER_WAIT_MS + m.retryMs)).toEqual([sequence + 1]);
  });

  it('asks again after RETRY_MS at the soonest, and MAX_RETRY_MS at the latest, whatever the answers took', () => {
    const quick = new MissingPackets();
    const slow = new MissingPackets();
    for (const [m, answerMs] of [
      [quick, 1],
      [slow, 5000],
    ] as const) {
      for (let i = 0; i < 30; i++) {
        const base = i * 10_000;
        m.packet(i * 3, base);
        m.packet(i * 3 + 2, base);
        due(m, base + REORDER_WAIT_MS);
        m.packet(i * 3 + 1, base + REORDER_WAIT_MS + answerMs);
      }
    }
    expect(quick.retryMs).toBe(RETRY_MS);
    expect(slow.retryMs).toBe(MAX_RETRY_MS);
    expect(MAX_RETRY_MS * MAX_TRIES).toBeLessThan(1000);
  });

  it('gives up on holes older than a second', () => {
    const m = new MissingPackets();
    m.packet(1, 0);
    m.packet(3, 0);
    expect(m.due(1001, [])).toBe(1);
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
