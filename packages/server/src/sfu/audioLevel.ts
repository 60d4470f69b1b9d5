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
  if (header.extensionOffset < 0) return undefined;
  const profile = packet.readUInt16BE(header.extensionOffset);
  const oneByte = profile === 0xbede;
  if (!oneByte && (profile & 0xfff0) !== 0x1000) return undefined;
  let i = header.extensionOffset + 4;
  const end = header.extensionOffset + header.extensionLength;
  while (i < end) {
    const b = packet[i] as number;
    if (b === 0) {
      i++; // padding
      continue;
    }
    let elementId: number;
    let length: number;
    if (oneByte) {
      elementId = b >> 4;
      length = (b & 0x0f) + 1;
      if (elementId === 15) return undefined; // reserved: stop parsing (RFC 8285 §4.2)
      i += 1;
    } else {
      if (i + 1 >= end) return undefined;
      elementId = b;
      length = packet[i + 1] as number;
      i += 2;
    }
    if (i + length > end) return undefined;
    if (elementId === id) {
      if (length < 1) return undefined;
      const v = packet[i] as number;
      return { level: v & 0x7f, voice: (v & 0x80) !== 0 };
    }
    i += length;
  }
  return undefined;
}
