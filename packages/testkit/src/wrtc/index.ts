/* Real WebRTC peers on @roamhq/wrtc (libwebrtc for Node) for the engine's tests and the load bench. */
export { type JoinOptions, joinWithWrtc, type WrtcParticipant } from './joinWithWrtc.js';
export { type PeerOptions, type ReceivedStream, WrtcPeer } from './WrtcPeer.js';
