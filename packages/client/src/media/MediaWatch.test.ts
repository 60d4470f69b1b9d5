import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaWatch } from './MediaWatch.js';

describe('MediaWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says nothing while paths connect in time, and nothing when there is no path', () => {
    const reports: boolean[] = [];
    const watch = new MediaWatch((c) => reports.push(c), 1000);
    watch.started();
    vi.advanceTimersByTime(900);
    watch.state('connected');
    vi.advanceTimersByTime(5000);
    watch.started();
    watch.stopped();
    vi.advanceTimersByTime(5000);
    expect(reports).toEqual([]);
  });

  it('reports a path that does not come up in time, once, and that it came up later', () => {
    const reports: boolean[] = [];
    const watch = new MediaWatch((c) => reports.push(c), 1000);
    watch.started();
    watch.state('connecting');
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([false]);
    // A replacement path (the SFU) also takes long: no second report of the same thing.
    watch.started();
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([false]);
    watch.state('connected');
    expect(reports).toEqual([false, true]);
  });

  it('gives a path that dropped the same time to come back before reporting it', () => {
    const reports: boolean[] = [];
    const watch = new MediaWatch((c) => reports.push(c), 1000);
    watch.started();
    watch.state('connected');
    watch.state('disconnected');
    vi.advanceTimersByTime(500);
    watch.state('failed'); // still the same window
    vi.advanceTimersByTime(400);
    watch.state('connected');
    vi.advanceTimersByTime(5000);
    expect(reports).toEqual([]);
    watch.state('failed');
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([false]);
  });
});
