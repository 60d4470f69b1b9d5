import type { SimulcastLayer } from '@conclave/protocol';

/**
 * The SSRC of each simulcast layer this side sends, from a getStats() report (`outbound-rtp`
 * video entries that have a rid), sorted by rid, and a key that changes when they do. Fewer than
 * two: nothing to report (no simulcast, or its encoders are not set up yet).
 */
export function simulcastLayers(report: RTCStatsReport): {
  layers: SimulcastLayer[];
  key: string;
} {
  const layers: SimulcastLayer[] = [];
  report.forEach((s: { type?: string; kind?: string; rid?: string; ssrc?: number }) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid && typeof s.ssrc === 'number')
      layers.push({ rid: s.rid, ssrc: s.ssrc });
  });
  if (layers.length < 2) return { layers: [], key: '' };
  layers.sort((a, b) => a.rid.localeCompare(b.rid));
  return { layers, key: layers.map((l) => `${l.rid}:${l.ssrc}`).join() };
}
