import { PUBLISH_MIDS, SCREEN_PUBLISH_MIDS, type TrackSource } from '@conclave/protocol';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import { describeAudio, describeVideo, type Kind } from './codecs.js';

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

/** Builds a record with one value per slot. */
export function bySlot<T>(make: (slot: Slot) => T): Record<Slot, T> {
  return {
    audio: make('audio'),
    video: make('video'),
    screenAudio: make('screenAudio'),
    screen: make('screen'),
  };
}

/**
 * Adds the engine's receive-only publish m-lines, in SLOTS order: `pa`, `pv`, then the screen's
 * `psa`, `psv` (answered inactive by a participant that does not share). Only the microphone's
 * m-line has the audio-level extension (dominant-speaker detection).
 */
export function addPublishTracks(pc: PeerConnection): Record<Slot, Track> {
  return bySlot((slot) => {
    if (slotKind(slot) === 'audio') {
      const audio = new ndc.Audio(SLOT_MIDS[slot], 'RecvOnly');
      describeAudio(audio, slot === 'audio');
      return pc.addTrack(audio);
    }
    const video = new ndc.Video(SLOT_MIDS[slot], 'RecvOnly');
    describeVideo(video);
    return pc.addTrack(video);
  });
}
