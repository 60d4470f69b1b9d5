import type { IceCandidate, SessionDescription } from '@conclave/protocol';

/*
 * The media engine seen from a room: a small interface named by direction, so rooms never import
 * RTP code and the engine can be swapped or cascaded. A Router belongs to one room; an Up carries
 * one participant's published media into it, a Down carries the others' media out to them. The
 * concrete SFU (node-datachannel) implements this in its own module.
 */

export interface MediaEngine {
  /** A router for one meeting; closed by the room when the room closes. */
  createRouter(meetingTag: string): MediaRouter;
  close(): void;
}

export interface MediaRouter {
  /** Opens the server side of one participant's PeerConnection. */
  openSession(participantId: string, events: MediaSessionEvents): MediaSession;
  close(): void;
}

export interface MediaSessionEvents {
  /** The engine's offer/answer or a local ICE candidate for the participant's browser. */
  signal(message: { description?: SessionDescription; candidate?: IceCandidate }): void;
  /** The session failed or the peer went away at the media level. */
  closed(): void;
}

export interface MediaSession {
  /** Negotiation from the participant's browser. */
  signal(message: { description?: SessionDescription; candidate?: IceCandidate }): void;
  close(): void;
}
