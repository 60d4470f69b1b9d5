import type { SignalingClient } from '@conclave/client';
import type { MeetingObserver } from './embed/EmbedBridge.js';
import type { LocalMedia } from './media/localMedia.js';
import type { FragmentOptions } from './ui/fragment.js';

/** A mounted page; `dispose` releases whatever it holds (devices, the conference, listeners). */
export interface Page {
  dispose(): void;
}

export interface MeetingRequest {
  room: string;
  displayName: string | undefined;
  /** Optional, set in the meeting's profile dialog; carried into a rejoin, never stored. */
  email?: string | undefined;
  /** The meeting password this page already knows (typed, or set as moderator), for a rejoin. */
  password?: string | undefined;
  /** The end-to-end encryption key in use, for a rejoin; memory only, never sent to the server. */
  e2ee?: string | undefined;
  audioMuted: boolean;
  videoMuted: boolean;
  /** Devices already opened by the pre-join page; ownership passes to the meeting. */
  media?: LocalMedia;
  /** The signalling connection the pre-join page opened, for the first join (JoinOptions.connection). */
  connection?: Promise<SignalingClient>;
}

/** What pages may ask of the app shell; pages never touch the router or each other directly. */
export interface App {
  readonly fragment: FragmentOptions;
  navigate(path: string): void;
  enterMeeting(request: MeetingRequest): void;
  showPrejoin(room: string): void;
  /** The embedding API's bridge, when this page runs in another site's frame (docs/embedding.md). */
  readonly embed: MeetingObserver | undefined;
}
