/*
 * Wire constants of SFU mode that both the server's media engine and the client rely on; they
 * appear in SDP and in `mediaSignal` messages rather than in a schema, so they are named here once.
 */

/**
 * The `a=mid` of the two m-lines on which a participant publishes to the SFU. The engine's first
 * offer puts them first, receive-only on its side; the client finds its publish transceivers by
 * them, and a candidate without an `sdpMid` belongs to the audio one (the head of the BUNDLE group).
 */
export const PUBLISH_MIDS = { audio: 'pa', video: 'pv' } as const;

/**
 * The `a=mid` of the two m-lines on which a participant publishes its shared screen (video, and the
 * audio the browser captured with it, if any). The engine's first offer has them right after
 * `pa`/`pv`; a client that does not share answers them `inactive`, and one that shares answers
 * `sendonly` once the server has accepted its `setScreenShare` (the engine renegotiates then).
 */
export const SCREEN_PUBLISH_MIDS = { audio: 'psa', video: 'psv' } as const;

/**
 * The engine's send-only m-lines that carry someone's shared screen have a mid starting with this
 * prefix (`sa3`, `sv4`); a camera's have none (`a1`, `v2`). Their stream id (msid) is the
 * publisher's participant id, as for the camera.
 */
export const SCREEN_MID_PREFIX = 's';

/** Where a track comes from: a participant's camera and microphone, or the screen they share. */
export type TrackSource = 'camera' | 'screen';

/**
 * The screen's encoding policy, the same in P2P and SFU mode: full resolution (text must stay
 * legible), few frames (slides and documents change rarely), one encoding (no simulcast layers
 * that nobody asked for). Receivers and the recorder may rely on the screen arriving at its
 * capture size up to SCREEN_MAX_WIDTH × SCREEN_MAX_HEIGHT.
 */
export const SCREEN_ENCODING = {
  maxFramerate: 15,
  maxBitrate: 2_500_000,
  maxWidth: 1920,
  maxHeight: 1080,
} as const;

/**
 * The `a=rid` of the simulcast layers the engine asks for on `pv`, lowest resolution first (¼, ½
 * and full size); a client reports each layer's SSRC by these names (`mediaSignal.simulcast`).
 */
export const SIMULCAST_RIDS = ['l', 'm', 'h'] as const;
export type SimulcastRid = (typeof SIMULCAST_RIDS)[number];

/**
 * The largest video height, in device pixels, a message may carry (`videoConstraints` tiles,
 * `maxSendHeight`). As a send height it means "not known, or wanted at full size"; the engine
 * assumes it for a video whose tile size the subscriber has not reported.
 */
export const MAX_VIDEO_HEIGHT = 10_000;
