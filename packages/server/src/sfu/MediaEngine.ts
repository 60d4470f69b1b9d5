import type { IceCandidate, SessionDescription, TrackSource } from '@conclave/protocol';

/*
 * The media engine seen from a room: a small interface named by direction, so rooms never import
 * RTP code and the engine can be swapped or cascaded. A Router belongs to one room; a Session is
 * one participant's PeerConnection to it, carrying that participant's media up and everyone
 * else's down. The concrete SFU (node-datachannel) implements this in NdcEngine.ts.
 *
 * Negotiation: the engine always makes the offers (first and renegotiations) and the participant's
 * browser always answers, so there is never glare (see docs/protocol.md, "Media modes").
 */

export type MediaSignal = {
  description?: SessionDescription | undefined;
  candidate?: IceCandidate | undefined;
  /** The SSRC of each simulcast layer the participant sends (from its getStats), by rid. */
  simulcast?: { rid: string; ssrc: number }[] | undefined;
  /** The size at which the participant shows each video, and whom it pins (layer choice, last-N). */
  videoConstraints?:
    | { tiles: { participantId: string; height: number }[]; pinned?: string[] | undefined }
    | undefined;
  /** To a simulcast publisher: the tallest picture anyone shows of its video (pause layers above). */
  maxSendHeight?: number | undefined;
};

export interface MediaEngine {
  /** A router for one meeting; closed by the room when the room closes. */
  createRouter(events: MediaRouterEvents): MediaRouter;
  /** Counters for /metrics: counts only, never a name or an address (PRIVACY P7). */
  stats(): MediaEngineStats;
  close(): void;
}

export interface MediaRouterEvents {
  /** The participant who is speaking now (RFC 6464 audio levels); feeds speaker stats and last-N. */
  dominantSpeaker(participantId: string): void;
  /**
   * Whether the room lets this participant present now (its `screenSharing`): the engine forwards
   * a published screen only while this says yes, so a client cannot present past the room's rule.
   * Absent: no screen is forwarded.
   */
  screenAllowed?(participantId: string): boolean;
}

export interface MediaRouter {
  /** Opens the server side of one participant's PeerConnection; the engine's offer follows via `events.signal`. */
  openSession(participantId: string, events: MediaSessionEvents): MediaSession;
  /**
   * Taps every publisher's incoming RTP, for the recorder (PRIVACY P10: only an explicitly started
   * recording writes media anywhere). Covers sessions opened later too, until the handle closes.
   */
  addTap(tap: MediaTap): MediaTapHandle;
  /**
   * The room's answer to `screenAllowed` changed for this participant: its screen starts or stops
   * being forwarded, and its session renegotiates so its browser can start or stop sending it.
   */
  screenShareChanged(participantId: string): void;
  close(): void;
}

export interface MediaTap {
  /**
   * One RTP packet of the negotiated codec (Opus or VP8) as the publisher sent it, without header
   * extensions. The buffer is reused for forwarding right after the call: copy what you keep.
   * `layer` is the simulcast layer (lowest 0; always 0 without simulcast); `keyframe`: the packet
   * starts a VP8 keyframe. `source`: the camera and microphone (also when absent), or the shared
   * screen.
   */
  rtp(
    participantId: string,
    kind: 'audio' | 'video',
    packet: Buffer,
    layer: number,
    keyframe: boolean,
    source?: TrackSource,
  ): void;
  /**
   * A publisher's RTCP sender report for the SSRC of the packets `rtp` hands over: the sender's wall
   * clock (NTP, in ms) at an RTP timestamp. One participant's audio and video share that clock, so
   * the recorder places both tracks by it and keeps lip sync. Same `kind` and `source` as `rtp`.
   */
  senderReport?(
    participantId: string,
    kind: 'audio' | 'video',
    ssrc: number,
    ntpMs: number,
    rtpTimestamp: number,
    source?: TrackSource,
  ): void;
}

export interface MediaTapHandle {
  /**
   * Asks every publisher (or one) for a video keyframe of `layer` (default: its highest), rate-limited
   * per layer.
   */
  requestKeyframes(participantId?: string, layer?: number): void;
  /** Idempotent. */
  close(): void;
}

export interface MediaSessionEvents {
  /** The engine's offer or a local ICE candidate for the participant's browser. */
  signal(message: MediaSignal): void;
  /** The session failed or the peer went away at the media level; it is already closed. */
  closed(): void;
}

export interface MediaSession {
  /** Negotiation from the participant's browser (its answers and ICE candidates). */
  signal(message: MediaSignal): void;
  /** Idempotent. */
  close(): void;
}

export interface MediaEngineStats {
  sessions: number;
  rtpReceived: number;
  rtpForwarded: number;
  rtcpReceived: number;
  nacksReceived: number;
  retransmitted: number;
  nackMisses: number;
  /** Packets the engine asked publishers to retransmit (lost on their uplink). */
  nacksSent: number;
  /** Of those, packets that never came (the engine then asks for a keyframe). */
  upstreamLost: number;
  keyframeRequests: number;
  /** Receiver reports (with REMB for video) sent to publishers. */
  receiverReports: number;
  /** Downlink estimates (REMB) read from subscribers' RTCP: a subscriber's layers follow them. */
  rembReceived: number;
  /** Publishers' sender reports passed on to subscribers (lip sync). */
  senderReportsRelayed: number;
  /** Sessions that ended on their own: ICE/DTLS failure, consent lost, connect timeout, bad signalling. */
  sessionsFailed: number;
  /** Publishers asked for one layer after answering with simulcast and never reporting its SSRCs. */
  simulcastFallbacks: number;
  /** Packets dropped by reason: malformed, unknown payload type, rate-limited feedback, … */
  dropped: Record<DropReason, number>;
}

export type DropReason = 'malformed' | 'payloadType' | 'oversized' | 'nackRateLimited' | 'stale';

export function emptyStats(): MediaEngineStats {
  return {
    sessions: 0,
    rtpReceived: 0,
    rtpForwarded: 0,
    rtcpReceived: 0,
    nacksReceived: 0,
    retransmitted: 0,
    nackMisses: 0,
    nacksSent: 0,
    upstreamLost: 0,
    keyframeRequests: 0,
    receiverReports: 0,
    rembReceived: 0,
    senderReportsRelayed: 0,
    sessionsFailed: 0,
    simulcastFallbacks: 0,
    dropped: { malformed: 0, payloadType: 0, oversized: 0, nackRateLimited: 0, stale: 0 },
  };
}
