import { describe, expect, it } from 'vitest';
import { mediaProblem, mediaProblemNotice, noWebRTCNotice } from './mediaAvailability.js';

describe('media availability words', () => {
  it('names the problem, or nothing when media is available', () => {
    expect(mediaProblem({ media: 'available' })).toBeUndefined();
    expect(mediaProblem({ media: 'unsupported' })).toMatch(/browser cannot connect/);
    expect(mediaProblem({ media: 'failed' })).toMatch(/could not connect/);
    expect(mediaProblemNotice('Bea', { media: 'unsupported' })).toBe(
      "Bea's browser cannot join with audio or video (it has no WebRTC); you can still chat.",
    );
    expect(mediaProblemNotice('Bea', { media: 'available' })).toBeUndefined();
  });

  it('the pre-join notice says it cannot join with audio/video and which browsers can', () => {
    expect(noWebRTCNotice()).toMatch(/cannot take part with audio or video/);
    for (const browser of ['Firefox', 'Chrome', 'Edge', 'Safari'])
      expect(noWebRTCNotice()).toContain(browser);
  });
});
