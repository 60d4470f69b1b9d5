import { PUBLISH_MIDS, SCREEN_PUBLISH_MIDS, type TrackSource } from '@conclave/protocol';
import type { Kind } from './codecs.js';

/*
 * What one participant can publish to the engine: its camera's audio and video, and the screen it
 * shares (video, plus the audio the browser captured with it). Each slot has its own receive-only
 * m-line in the engine's first offer and becomes its own publication, forwarded on its own
 * subscription m-lines.
 */
export type Slot = 'audio' | 'video' | 'screenAudio' | 'screen';

/** In m-line order of the engine's first offer. */
export const SLOTS: readonly Slot[] = ['audio', 'video', 'screenAudio', 'screen'];

export const SLOT_MIDS: Readonly<Record<Slot, string>> = {
  audio: PUBLISH_MIDS.audio,
  video: PUBLISH_MIDS.video,
  screenAudio: SCREEN_PUBLISH_MIDS.audio,
  screen: SCREEN_PUBLISH_MIDS.video,
};

export function slotKind(slot: Slot): Kind {
  return slot === 'audio' || slot === 'screenAudio' ? 'audio' : 'video';
}

export function slotSource(slot: Slot): TrackSource {
  return slot === 'screen' || slot === 'screenAudio' ? 'screen' : 'camera';
}
