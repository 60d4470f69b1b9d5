export { Conference } from './Conference.js';
export type { ConferenceEvents, LeaveReason } from './ConferenceEvents.js';
export { Emitter } from './Emitter.js';
export { type JoinOptions, signalingUrl } from './join.js';
export type {
  EngineSignal,
  MediaPath,
  RemoteTrack,
  ScreenTracks,
  SfuSignal,
  WebRTCImpl,
} from './media/MediaPath.js';
export type { ScreenShareOptions } from './media/screen/ScreenShare.js';
// The SFU path alone, for load bots and engine tests that talk to a media engine without signalling.
export { SfuSession, type SfuSessionOptions } from './media/sfu/SfuSession.js';
export { simulcastLayers } from './media/sfu/simulcastLayers.js';
export {
  LAST_NODE_CONNECT_TIMEOUT_MS,
  type RejoinTarget,
  RejoinTargets,
} from './signaling/RejoinTargets.js';
export { ServerError } from './signaling/ServerError.js';
export { SignalingClient } from './signaling/SignalingClient.js';
export type { QualityLevel, QualityReading } from './stats/ConnectionQuality.js';
