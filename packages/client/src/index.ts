export { Conference } from './Conference.js';
export type { ConferenceEvents, LeaveReason } from './ConferenceEvents.js';
export { Emitter } from './Emitter.js';
export { type JoinOptions, signalingUrl } from './join.js';
export type { MediaPath, RemoteTrack, WebRTCImpl } from './media/MediaPath.js';
export { simulcastLayers } from './media/sfu/simulcastLayers.js';
export { ServerError } from './signaling/ServerError.js';
export { SignalingClient } from './signaling/SignalingClient.js';
