import type { RunningServer } from '@conclave/server';
import { until } from '../wait/until.js';

/**
 * Waits until the SFU has received `count` REMBs (downlink estimates) from the meeting's viewers.
 * Chromium sends its first REMB seconds into a call, and until then the SFU allocates layers as if
 * the downlink were unbounded: a test that judges a viewer's layer before that may see one that no
 * estimate ever granted, followed by a drop when the first REMB arrives.
 */
export function downlinkEstimatesArrived(server: RunningServer, count = 10): Promise<void> {
  return until(
    () => (server.media?.stats().rembReceived ?? 0) >= count,
    "the viewers' downlink estimates (REMB) to reach the SFU",
    60_000,
  );
}
