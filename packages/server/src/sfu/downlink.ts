import { MAX_VIDEO_HEIGHT, SIMULCAST_RIDS } from '@conclave/protocol';
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
 * layer has arrived yet (forwarding starts with the lowest). Without pins the shown videos share
 * `bandwidth` (bits/s; Infinity before the first REMB) fairly: a video whose tile a lower layer
 * already covers takes only that layer's rate, and what it leaves goes to the others — a filmstrip
 * tile must not hold back half of the estimate that the speaker on the stage needs. With pins, the
 * pinned videos share what is left once every other shown video has its lowest layer, and the
 * others share what the pinned ones leave: the participant someone chose to watch is sharp before
 * the filmstrip is.
 */
export function allocateDownlink(bandwidth: number, videos: readonly DownlinkVideo[]): number[] {
  const shown = videos.filter((v) => v.wantedHeight > 0);
  const pinned = shown.filter((v) => v.pinned);
  if (pinned.length === 0) {
    const shares = fairShares(bandwidth, shown);
    return videos.map((video) => targetLayer(video, shares.get(video) ?? 0));
  }
  // In shares, like everything here: a video's lowest layer needs half its rate (REMB_HEADROOM). In
  // full rates, a pin could get a lower layer than the same video unpinned.
  let reserve = 0;
  for (const video of shown) if (!video.pinned) reserve += lowestBitrate(video) / REMB_HEADROOM;
  const out = new Map<DownlinkVideo, number>();
  let used = 0;
  const pinnedShares = fairShares(Math.max(0, bandwidth - reserve), pinned);
  for (const video of pinned) {
    const layer = targetLayer(video, pinnedShares.get(video) ?? 0);
    out.set(video, layer);
    used += video.layers[layer]?.bitrate ?? 0;
  }
  const shares = fairShares(
    Math.max(0, bandwidth - used),
    shown.filter((v) => !v.pinned),
  );
  return videos.map((video) => out.get(video) ?? targetLayer(video, shares.get(video) ?? 0));
}

/**
 * Max-min fair shares of `total` (bits/s of estimate): in order of what they can use, each video is
 * given an equal part of what is left, and of that takes only what its tile's layer needs (the
 * layer it gets with no bandwidth limit, at REMB_HEADROOM). A video's share is never less than an
 * equal split would have given it.
 */
function fairShares(total: number, videos: readonly DownlinkVideo[]): Map<DownlinkVideo, number> {
  const needs = videos.map((video) => ({ video, need: need(video) })).sort((a, b) => a.need - b.need);
  const shares = new Map<DownlinkVideo, number>();
  let left = total;
  needs.forEach(({ video, need }, i) => {
    const share = left / (needs.length - i);
    shares.set(video, share);
    left -= Math.min(need, share);
  });
  return shares;
}

/** The estimate a video can use: the rate of the layer its tile wants, over the REMB headroom. */
function need(video: DownlinkVideo): number {
  const layer = targetLayer(video, Number.POSITIVE_INFINITY);
  return (video.layers[layer]?.bitrate ?? 0) / REMB_HEADROOM;
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

/**
 * The rids a simulcast publisher pauses at send height `height`, by its client's rule
 * (SfuSession): each layer above the lowest whose lower neighbour is already at least `height`
 * tall. Nothing while the height is not told yet (< 0), while not every rid's layer is declared
 * (`declared`: indexes would not be rids), or above a neighbour no keyframe gave a height yet: the
 * client's own pause after the offer still applies then.
 */
export function pausedRids(
  layers: readonly (LayerInfo | undefined)[],
  height: number,
  declared: number,
): Set<string> {
  const paused = new Set<string>();
  if (height < 0 || declared !== SIMULCAST_RIDS.length) return paused;
  SIMULCAST_RIDS.forEach((rid, i) => {
    const below = i > 0 ? (layers[i - 1]?.height ?? 0) : 0;
    if (below > 0 && below >= height) paused.add(rid);
  });
  return paused;
}
