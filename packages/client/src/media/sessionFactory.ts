import type { IceServer } from '@conclave/protocol';
import {
  type MediaPathFactory,
  type MediaTransforms,
  mediaStreamOf,
  type ScreenTracks,
  type WebRTCImpl,
} from './MediaPath.js';
import { P2PSession } from './p2p/P2PSession.js';
import { SfuSession } from './sfu/SfuSession.js';

export interface SessionOptions {
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  localTracks: readonly MediaStreamTrack[];
  webrtc: WebRTCImpl;
  /** End-to-end encryption, where the browser can do it: attached to every path (off = pass-through). */
  transforms: MediaTransforms | undefined;
  /** The screen shared now, if any: a path opened during a share sends it from the start. */
  screen(): ScreenTracks | undefined;
}

/** Opens the real WebRTC sessions, all with the same servers, local tracks and transforms. */
export function sessionFactory(options: SessionOptions): MediaPathFactory {
  // One stream for all local tracks, so the other side plays them in sync.
  const Stream = mediaStreamOf(options.webrtc);
  const localStream = options.localTracks.length && Stream ? new Stream([...options.localTracks]) : undefined;
  const common = { ...options, localStream };
  return {
    p2p: (peerId, offerer) => new P2PSession({ ...common, peerId, offerer, screen: options.screen() }),
    sfu: () => new SfuSession({ ...common, screen: options.screen() }),
  };
}
