import type { RtpHeader } from './rtp.js';

/** The RFC 6464 client-to-mixer audio level extension, as negotiated by the engine's offer. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

export interface AudioLevel {
  /** Attenuation below the loudest level in -dBov: 0 is loudest, 127 is silence. */
  level: number;
  /** The sender's voice-activity flag. */
  voice: boolean;
}

/**
 * Reads the audio-level element with `id` from the packet's extension block, in either the
 * one-byte (0xBEDE) or two-byte (0x100x) form of RFC 8285. Undefined when absent or malformed.
 */
export function readAudioLevel(packet: Buffer, header: RtpHeader, id: number): AudioLevel | undefined {
  const v = audioLevelByte(packet, header.extensionOffset, header.extensionLength, id);
  return v < 0 ? undefined : { level: v & 0x7f, voice: (v & 0x80) !== 0 };
}

/**
 * The raw audio-level byte (V bit and level) from the extension block at `offset` of `length`
 * bytes, or -1: the allocation-free form used on every audio packet.
 */
export function audioLevelByte(packet: Buffer, offset: number, length: number, id: number): number {
  if (offset < 0 || length < 4) return -1;
  const profile = ((packet[offset] as number) << 8) | (packet[offset + 1] as number);
  const oneByte = profile === 0xbede;
  if (!oneByte && (profile & 0xfff0) !== 0x1000) return -1;
  let i = offset + 4;
  const end = offset + length;
  while (i < end) {
    const b = packet[i] as number;
    if (b === 0) {
      i++; // padding
      continue;
    }
    let elementId: number;
    let size: number;
    if (oneByte) {
      elementId = b >> 4;
      size = (b & 0x0f) + 1;
      if (elementId === 15) return -1; // reserved: stop parsing (RFC 8285 §4.2)
      i += 1;
    } else {
      if (i + 1 >= end) return -1;
      elementId = b;
      size = packet[i + 1] as number;
      i += 2;
    }
    if (i + size > end) return -1;
    if (elementId === id) return size < 1 ? -1 : (packet[i] as number);
    i += size;
  }
  return -1;
}
