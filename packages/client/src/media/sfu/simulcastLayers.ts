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

/**
 * Simulcast: when the engine's offer asks for layers (`a=simulcast:recv l;m;h`), the browser gives
 * the publish sender one encoding per rid, in the offer's order, lowest first. Their sizes are set
 * here explicitly — 1/4, 1/2 and full size — before the answer, rather than left to the browser's
 * defaults. Without simulcast (one encoding) nothing changes.
 */
export async function scaleSimulcastLayers(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters();
  const encodings = params.encodings ?? [];
  if (encodings.length < 2 || !encodings.every((e) => e.rid)) return;
  encodings.forEach((encoding, i) => {
    encoding.scaleResolutionDownBy = 2 ** (encodings.length - 1 - i);
    encoding.active = true;
  });
  await sender.setParameters(params).catch(() => {
    // Kept at the browser's defaults; the engine still forwards whatever layers arrive.
  });
}
