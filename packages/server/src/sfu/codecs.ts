import type { Audio, Video } from 'node-datachannel';
import { AUDIO_LEVEL_URI } from './audioLevel.js';

/*
 * What the engine negotiates, and nothing else: Opus and VP8, with the feedback it implements
 * (NACK answered from its cache, PLI/FIR forwarded upstream, REMB sent to publishers) and the one
 * header extension it reads (RFC 6464 audio level). Because the engine makes every offer, a
 * browser cannot talk it into transport-cc, RTX or a codec it cannot forward.
 */
export const OPUS_PT = 111;
export const VP8_PT = 96;
export const AUDIO_LEVEL_ID = 1;
export const OPUS_CLOCK = 48_000;
export const VP8_CLOCK = 90_000;

export type Kind = 'audio' | 'video';

export function describeAudio(desc: Audio, withAudioLevel: boolean): void {
  desc.addOpusCodec(OPUS_PT);
  if (withAudioLevel) desc.parseSdpLine(`a=extmap:${AUDIO_LEVEL_ID} ${AUDIO_LEVEL_URI}`);
}

export function describeVideo(desc: Video): void {
  // addVP8Codec declares nack, nack pli and goog-remb; FIR is added for older senders.
  desc.addVP8Codec(VP8_PT);
  desc.parseSdpLine(`a=rtcp-fb:${VP8_PT} ccm fir`);
}

/**
 * Puts `announced` in place of the address of host candidates, for a server behind NAT that knows
 * its public address. Works on an `a=candidate:` SDP line or a bare `candidate:` string.
 */
export function announceCandidate(line: string, announced: string): string {
  if (!announced) return line;
  const parts = line.split(' ');
  if (parts.length < 8 || parts[7] !== 'host') return line;
  parts[4] = announced;
  return parts.join(' ');
}

export function announceSdp(sdp: string, announced: string): string {
  if (!announced) return sdp;
  return sdp
    .split('\r\n')
    .map((line) => (line.startsWith('a=candidate:') ? announceCandidate(line, announced) : line))
    .join('\r\n');
}
