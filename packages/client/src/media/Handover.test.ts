import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Handover } from './Handover.js';
import type { MediaPath } from './MediaPath.js';

/** A media path whose getStats reports `decoding()` decoded remote videos. */
function path(decoding: () => number) {
  const closed = { value: false };
  const p = {
    close: () => {
      closed.value = true;
    },
    getStats: async () => {
      const stats = new Map<string, { type: string; kind: string; framesDecoded: number }>();
      for (let i = 0; i < decoding(); i++)
        stats.set(`in${i}`, { type: 'inbound-rtp', kind: 'video', framesDecoded: 5 });
      return stats as unknown as RTCStatsReport;
    },
  } as unknown as MediaPath;
  return { path: p, closed };
}

describe('Handover', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the old path until the new one decodes everyone, then stops showing it and closes it 3 s later', async () => {
    const released: MediaPath[] = [];
    const handover = new Handover({ release: (p) => released.push(p), expectedVideos: () => 2 });
    const old = path(() => 2);
    let decoding = 0;
    const next = path(() => decoding);
    handover.begin(old.path);
    handover.connected(next.path);
    await vi.advanceTimersByTimeAsync(500);
    expect(released).toEqual([]);
    decoding = 2;
    await vi.advanceTimersByTimeAsync(100);
    // Shown no more, but still open: the other side may still be playing this side's media from it.
    expect(released).toEqual([old.path]);
    expect(old.closed.value).toBe(false);
    await vi.advanceTimersByTimeAsync(2_900);
    expect(old.closed.value).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(old.closed.value).toBe(true);
    expect(next.closed.value).toBe(false);
  });

  it('gives up waiting for first frames 3 s after connecting', async () => {
    const released: MediaPath[] = [];
    const handover = new Handover({ release: (p) => released.push(p), expectedVideos: () => 1 });
    const old = path(() => 1);
    handover.begin(old.path);
    handover.connected(path(() => 0).path);
    await vi.advanceTimersByTimeAsync(2_900);
    expect(released).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(released).toEqual([old.path]);
  });

  it('close() ends everything at once: the path being replaced and the ones still lingering', async () => {
    const handover = new Handover({ release: () => {}, expectedVideos: () => 0 });
    const first = path(() => 0);
    const second = path(() => 0);
    handover.begin(first.path);
    handover.finish();
    handover.begin(second.path);
    expect(first.closed.value).toBe(false);
    handover.close();
    expect(first.closed.value).toBe(true);
    expect(second.closed.value).toBe(true);
  });
});
