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
