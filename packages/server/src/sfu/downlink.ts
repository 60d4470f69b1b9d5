import { MAX_VIDEO_HEIGHT } from '@conclave/protocol';
import { type LayerInfo, selectLayer } from './layers.js';

/*
 * Downlink allocation, pure: which simulcast layer each of a subscriber's videos gets, from the
 * subscriber's bandwidth estimate (REMB) and the height at which it shows each video; and, on the
 * publishing side, the tallest picture anyone shows of a publisher's video (its send height).
 * PeerSession feeds it what the subscriber reported and what the layers measured, and applies
 * the result; nothing here keeps state or reads a clock.
 */

/** Height assumed for a video whose tile size the subscriber has not reported: the best layer. */
export const DEFAULT_MAX_HEIGHT = MAX_VIDEO_HEIGHT;
/**
 * Layer selection may use this multiple of a video's share of the REMB. A receiver's REMB stays
 * near what it receives (libwebrtc caps it at 1.5× the incoming rate), so it can never show room
 * for the layer above the current one: allow one step up, and move down only when the estimate
 * falls well under the layer's rate (congestion).
 */
export const REMB_HEADROOM = 2;

/** One video a subscriber receives. */
export interface DownlinkVideo {
  /** Height at which the subscriber shows it, device pixels; 0 = not at all (hidden, last-N). */
  wantedHeight: number;
  /** The publication's layers by index; a layer not seen yet is a hole. */
  layers: readonly (LayerInfo | undefined)[];
  /** The subscriber pinned its publisher: served first when the estimate cannot fit everyone. */
  pinned?: boolean;
}

/**
 * The layer to forward for each video, in the order given: -1 pauses it (not shown), 0 while no
 * layer has arrived yet (forwarding starts with the lowest). Without pins every shown video gets an
 * equal share of `bandwidth` (bits/s; Infinity before the first REMB). With pins, the pinned videos
 * share what is left once every other shown video has its lowest layer, and the others share what
 * the pinned ones leave: the participant someone chose to watch is sharp before the filmstrip is.
 */
export function allocateDownlink(bandwidth: number, videos: readonly DownlinkVideo[]): number[] {
  const shown = videos.filter((v) => v.wantedHeight > 0);
  const pinned = shown.filter((v) => v.pinned);
  if (pinned.length === 0) {
    const share = bandwidth / Math.max(1, shown.length);
    return videos.map((video) => targetLayer(video, share));
  }
  const others = shown.length - pinned.length;
  let reserve = 0;
  for (const video of shown) if (!video.pinned) reserve += lowestBitrate(video);
  const out = new Map<DownlinkVideo, number>();
  let used = 0;
  for (const video of pinned) {
    const layer = targetLayer(video, Math.max(0, bandwidth - reserve) / pinned.length);
    out.set(video, layer);
    used += video.layers[layer]?.bitrate ?? 0;
  }
  const share = Math.max(0, bandwidth - used) / Math.max(1, others);
  return videos.map((video) => out.get(video) ?? targetLayer(video, share));
}

function lowestBitrate(video: DownlinkVideo): number {
  for (const layer of video.layers) if (layer?.active) return layer.bitrate;
  return 0;
}

function targetLayer(video: DownlinkVideo, share: number): number {
  if (video.wantedHeight <= 0) return -1;
  const layers = video.layers.filter((l): l is LayerInfo => l !== undefined);
  if (layers.length === 0) return 0;
  return selectLayer(layers, { maxHeight: video.wantedHeight, bandwidth: share * REMB_HEADROOM });
}

/** A participant as a viewer of others' video. */
export interface Viewer {
  readonly participantId: string;
  /** How tall it shows `publisherId`'s video: 0 = not at all. */
  wantedHeight(publisherId: string): number;
}

/**
 * The send height for one publisher: the tallest picture any other participant shows of its
 * video; a recording wants every video at full size (MAX_VIDEO_HEIGHT). 0: nobody shows it.
 */
export function maxSendHeight(publisherId: string, viewers: Iterable<Viewer>, recording: boolean): number {
  let height = recording ? MAX_VIDEO_HEIGHT : 0;
  for (const viewer of viewers)
    if (viewer.participantId !== publisherId) height = Math.max(height, viewer.wantedHeight(publisherId));
  return height;
}
