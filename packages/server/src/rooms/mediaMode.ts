import type { MediaMode } from '@conclave/protocol';

export interface MediaPolicy {
  p2pEnabled: boolean;
  /** Whether a media engine (SFU) is available on this server. */
  sfuAvailable: boolean;
}

/** The server decides the media path from who is present (DESIGN "Media mode"). */
export function decideMediaMode(participantCount: number, policy: MediaPolicy, recording = false): MediaMode {
  if (participantCount < 2) return 'none';
  // A recording taps the media inside the SFU, so a recorded two-person meeting stays on it.
  if (participantCount === 2 && policy.p2pEnabled && !recording) return 'p2p';
  return 'sfu';
}

/** The most participants a meeting can hold with the paths this server has. */
export function mediaCapacity(policy: MediaPolicy, configured: number): number {
  if (policy.sfuAvailable) return configured;
  return policy.p2pEnabled ? Math.min(2, configured) : 1;
}
