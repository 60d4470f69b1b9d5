import { describe, expect, it } from 'vitest';
import { REMB_HEADROOM } from './downlink.js';
import { ViewerState } from './ViewerState.js';

describe('ViewerState: the downlink estimate', () => {
  it('is unbounded before any report, then the REMB', () => {
    const viewer = new ViewerState('v');
    expect(viewer.bandwidth).toBe(Infinity);
    viewer.remb(800_000);
    expect(viewer.bandwidth).toBe(800_000);
  });

  it('is held under the loss bound, scaled so that allocation meets the bound exactly', () => {
    const viewer = new ViewerState('v');
    viewer.remb(3_000_000);
    viewer.loss.update(0, 0);
    for (const second of [1, 2]) {
      viewer.reception(50, 100); // half of what was sent was lost, twice in a row
      viewer.loss.update((second * 1_000_000) / 8, second * 1000);
    }
    const bound = viewer.loss.bitsPerSecond;
    expect(bound).toBeLessThan(600_000);
    expect(viewer.bandwidth * REMB_HEADROOM).toBeCloseTo(bound);
  });
});
