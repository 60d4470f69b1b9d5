import { describe, expect, it } from 'vitest';
import {
  DECREASE_HOLD_MS,
  DRAIN_MARGIN,
  FIRST_BACKOFF_MS,
  FLOOR_BPS,
  GROWTH_PER_SECOND,
  HIGH_LOSS_WINDOWS,
  LossBound,
  MIN_PACKETS,
} from './LossBound.js';

/**
 * Drives a LossBound through one-second windows: each sends `sentBps` and reports `loss` of
 * `packets` packets. Returns the bound after each window.
 */
function run(
  windows: { sentBps: number; loss: number; packets?: number }[],
  bound = new LossBound(),
): number[] {
  let now = 10_000;
  let octets = 0;
  bound.update(octets, now);
  return windows.map(({ sentBps, loss, packets = 100 }) => {
    now += 1000;
    octets += sentBps / 8;
    bound.record(loss * packets, packets);
    return bound.update(octets, now);
  });
}

describe('LossBound', () => {
  it('constrains nothing while loss stays moderate', () => {
    expect(
      run([
        { sentBps: 2e6, loss: 0 },
        { sentBps: 2e6, loss: 0.05 },
        { sentBps: 2e6, loss: 0.1 },
      ]),
    ).toEqual([Infinity, Infinity, Infinity]);
  });

  it('comes down to what got through, under a margin, on heavy loss in two windows in a row', () => {
    expect(HIGH_LOSS_WINDOWS).toBe(2);
    const [first, second] = run([
      { sentBps: 1_500_000, loss: 0.7 },
      { sentBps: 1_500_000, loss: 0.7 },
    ]);
    expect(first).toBe(Infinity);
    expect(second).toBeCloseTo(1_500_000 * 0.3 * DRAIN_MARGIN);
  });

  it('does not come down for a burst: heavy loss in single windows between moderate ones', () => {
    // 3 % random loss over a few dozen packets now and then loses 5 or 6 of them.
    const burst = { sentBps: 900_000, loss: 0.15, packets: 40 };
    const moderate = { sentBps: 900_000, loss: 0.03, packets: 40 };
    expect(run([burst, moderate, burst, moderate, moderate, burst]).every((b) => b === Infinity)).toBe(true);
  });

  it('counts only what stayed lost: gaps a retransmission filled later in the window do not count', () => {
    const bound = new LossBound();
    bound.update(0, 0);
    for (const second of [1, 2]) {
      bound.record(30, 100); // reported while the retransmissions were on their way
      bound.record(-28, 100); // recovered
      expect(bound.update((second * 1_000_000) / 8, second * 1000)).toBe(Infinity);
    }
  });

  it('never goes under its floor', () => {
    const heavy = { sentBps: 50_000, loss: 0.9 };
    expect(run([heavy, heavy])).toEqual([Infinity, FLOOR_BPS]);
  });

  it('holds between 2 % and 10 % loss, and climbs by its growth rate under 2 %', () => {
    const [, down, held, grown] = run([
      { sentBps: 1_000_000, loss: 0.5 },
      { sentBps: 1_000_000, loss: 0.5 },
      { sentBps: 400_000, loss: 0.05 },
      { sentBps: 400_000, loss: 0 },
    ]) as [number, number, number, number];
    expect(held).toBe(down);
    expect(grown).toBeCloseTo(down * GROWTH_PER_SECOND);
  });

  it('does not come down twice for one overload: reports right after a decrease describe the old rate', () => {
    expect(DECREASE_HOLD_MS).toBeGreaterThanOrEqual(1000);
    const bound = new LossBound();
    bound.update(0, 0);
    bound.record(50, 100);
    bound.update(1_000_000 / 8, 1000);
    bound.record(50, 100);
    const down = bound.update(2_000_000 / 8, 2000);
    expect(down).toBeLessThan(Infinity);
    bound.record(50, 100);
    expect(bound.update(2_000_000 / 8 + 500_000 / 8, 2000 + DECREASE_HOLD_MS / 2)).toBe(down);
  });

  it('waits for enough packets before judging', () => {
    expect(run([{ sentBps: 1_000_000, loss: 0.5, packets: MIN_PACKETS - 1 }])).toEqual([Infinity]);
  });

  it('climbs back to a rate that failed only after a backoff that doubles when it fails again', () => {
    // 600 kbit/s overdrives the link a little (15 % lost); 460 kbit/s goes through clean.
    const overload = { sentBps: 600_000, loss: 0.15 };
    const fine = { sentBps: 460_000, loss: 0 };
    const cap = 600_000 * DRAIN_MARGIN;
    const backoff = FIRST_BACKOFF_MS / 1000; // seconds, = windows
    const once = run([overload, overload, ...Array.from({ length: 8 }, () => fine)]);
    // Growing 8 % a second would pass the failed rate within the backoff; it stops under it.
    const first = 1;
    expect((once[first] as number) * GROWTH_PER_SECOND ** (backoff - 1)).toBeGreaterThan(cap);
    expect(once.slice(first, first + backoff).every((b) => b <= cap)).toBe(true);
    expect(once[first + backoff]).toBeGreaterThan(cap);
    // Failing again soon after doubles the wait.
    const twice = run([
      overload,
      overload,
      ...Array.from({ length: 5 }, () => fine),
      overload,
      overload,
      ...Array.from({ length: 10 }, () => fine),
    ]);
    const second = 8;
    expect(twice.slice(second, second + 2 * backoff).every((b) => b <= cap)).toBe(true);
    expect(twice[second + 2 * backoff]).toBeGreaterThan(cap);
  });
});
