/*
 * Real WebRTC peers on @roamhq/wrtc (libwebrtc for Node), running Conclave's own client code:
 * WrtcConference is a whole meeting participant (`Conference`), WrtcPeer the client's SFU path
 * alone against a media engine. The synthetic node-datachannel bot is `@conclave/testkit/ndc`.
 */
export { nodeWebRTC } from './nodeWebRTC.js';
export type { ReceivedStream } from './ReceivedStreams.js';
export { type SyntheticMediaOptions, syntheticMedia } from './syntheticMedia.js';
export { WrtcConference, type WrtcConferenceOptions } from './WrtcConference.js';
export { type InboundRtp, type PeerOptions, WrtcPeer } from './WrtcPeer.js';
