import type { TrackSource } from '@conclave/protocol';
import type { Kind } from './codecs.js';
import type { Layer } from './Layer.js';
import type { SenderReport } from './rtcp.js';
import type { Vp8Ids } from './vp8.js';

/*
 * The two directions of forwarding, linked by these interfaces so that neither side imports the
 * other's class (the model is Galène's conn/conn.go, UpTrack and DownTrack). A Publication is the
 * up side: it receives one published track and hands each packet to its DownTracks. A Subscription
 * is the down side: it sends one publication to one subscriber and reaches back to its UpTrack
 * for keyframes and for the packets a NACK asks for again. Both talk to the network only through
 * a MediaTrack, the part of node-datachannel's Track they use, which unit tests replace by a fake.
 */

/** What forwarding uses of a node-datachannel Track (which implements it). */
export interface MediaTrack {
  isOpen(): boolean;
  /** Sends raw RTP or RTCP (the library applies SRTP); false when it could not. May throw when closed. */
  sendMessageBinary(buffer: Buffer): boolean;
  /** Every decrypted RTP and RTCP packet that arrives on the track. */
  onMessage(cb: (msg: Buffer) => void): void;
}

/** A published track as its subscriptions see it. */
export interface UpTrack {
  readonly kind: Kind;
  /** The publishing participant. */
  readonly ownerId: string;
  readonly video: boolean;
  /** The camera and microphone, or a shared screen (one layer, forwarded whatever the tile size). */
  readonly source: TrackSource;
  readonly clockRate: number;
  /** By index, lowest first; a simulcast layer not seen yet is a hole. */
  readonly layers: readonly (Layer | undefined)[];
  layerBySsrc(ssrc: number): Layer | undefined;
  /** Rate-limited per layer; a no-op for audio. */
  requestKeyframe(index: number): void;
  addSubscriber(down: DownTrack): void;
  removeSubscriber(down: DownTrack): void;
}

/** One subscriber's copy of a published track, as the publication fans packets out to it. */
export interface DownTrack {
  /**
   * One packet of `layer`, extensions already stripped; the buffer is the same for every DownTrack
   * and each rewrites its header (and a video packet's VP8 ids, `vp8` as they arrived) in place
   * before sending, so it must not be kept.
   */
  forward(
    packet: Buffer,
    layer: Layer,
    sequence: number,
    timestamp: number,
    keyframe: boolean,
    now: number,
    vp8: Readonly<Vp8Ids>,
  ): void;
  /** The publisher's sender report for SSRC `source` (lip sync). */
  relaySenderReport(source: number, sr: SenderReport): void;
  /** The publication closed. */
  close(): void;
}

/**
 * Closes `track`, which releases its native callbacks: node-datachannel holds a track's onMessage
 * callback in a global handle until the track is closed (closing its PeerConnection is not enough),
 * so whatever that callback reaches stays in memory until then. One already destroyed is fine.
 */
export function closeTrack(track: { close(): void }): void {
  try {
    track.close();
  } catch {
    // Destroyed with its PeerConnection already.
  }
}
