/*
 * Simulcast layer selection for one subscription, pure: which of a publisher's layers to forward
 * given the size at which the subscriber shows the video (its tile) and the share of the
 * subscriber's bandwidth estimate (REMB) available to this stream.
 */

export interface LayerInfo {
  /** 0 = lowest. */
  index: number;
  /** Height of the layer's last keyframe; 0 when not known yet. */
  height: number;
  /** Measured bitrate in bits/s; 0 when not known yet. */
  bitrate: number;
  /** Packets arrived recently. */
  active: boolean;
}

export interface LayerConstraints {
  /** Height in CSS pixels × devicePixelRatio at which the subscriber shows this video; 0 = not shown. */
  maxHeight: number;
  /** Bits/s this stream may use; Infinity when unknown. */
  bandwidth: number;
}

/** Index of the layer to forward, or -1 for none (the tile is hidden or nothing is active). */
export function selectLayer(layers: readonly LayerInfo[], c: LayerConstraints): number {
  if (c.maxHeight <= 0) return -1;
  // Before any layer is active (nothing received yet), aim at the lowest so forwarding starts with it.
  const live = layers.filter((l) => l.active);
  const active = (live.length ? live : layers.slice(0, 1)).sort((a, b) => a.index - b.index);
  const lowest = active[0];
  if (!lowest) return -1;
  let chosen = lowest;
  for (const layer of active) {
    if (layer === lowest) continue;
    // Unknown heights are ordered by index: treat a higher layer as at least as tall as the one below.
    if (layer.bitrate > c.bandwidth) break;
    if (chosen.height >= c.maxHeight && chosen.height > 0) break;
    chosen = layer;
  }
  return chosen.index;
}
