export {
  Conference,
  type ConferenceEvents,
  type JoinOptions,
  type LeaveReason,
  signalingUrl,
} from './Conference.js';
export { Emitter } from './events.js';
export type { MediaPath, RemoteTrack, WebRTCImpl } from './media/MediaPath.js';
export { simulcastLayers } from './media/sfu/simulcastLayers.js';
export { ServerError, SignalingClient } from './signaling/SignalingClient.js';
