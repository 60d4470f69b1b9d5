/*
 * The little of VP8 (RFC 7741) the SFU reads to switch simulcast layers cleanly: where the VP8
 * payload starts after the payload descriptor, whether a packet starts a keyframe, and the
 * keyframe's resolution (RFC 6386 §9.1). Payloads are otherwise opaque.
 */

export interface Vp8Keyframe {
  width: number;
  height: number;
}

/**
 * Offset of the VP8 payload header in `packet` (after the payload descriptor starting at
 * `offset`), or -1 when the packet is not the first packet of a frame (S=1, partition 0) or is
 * truncated.
 */
export function vp8FrameStart(packet: Uint8Array, offset: number, end: number): number {
  if (offset >= end) return -1;
  const b0 = packet[offset] as number;
  // S bit set and partition index 0: the first packet of a frame.
  if ((b0 & 0x10) === 0 || (b0 & 0x07) !== 0) return -1;
  let i = offset + 1;
  if (b0 & 0x80) {
    if (i >= end) return -1;
    const x = packet[i++] as number;
    if (x & 0x80) {
      if (i >= end) return -1;
      i += (packet[i] as number) & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    }
    if (x & 0x40) i++; // TL0PICIDX
    if (x & 0x30) i++; // TID/Y/KEYIDX
  }
  return i < end ? i : -1;
}

/** True when the packet starts a VP8 keyframe (P bit 0 in the first byte of the frame tag). */
export function isVp8Keyframe(packet: Uint8Array, offset: number, end: number): boolean {
  const start = vp8FrameStart(packet, offset, end);
  return start >= 0 && ((packet[start] as number) & 0x01) === 0;
}

/** The resolution of a keyframe from its uncompressed header, or undefined when this is not one. */
export function vp8KeyframeSize(packet: Uint8Array, offset: number, end: number): Vp8Keyframe | undefined {
  const start = vp8FrameStart(packet, offset, end);
  if (start < 0 || start + 10 > end || ((packet[start] as number) & 0x01) !== 0) return undefined;
  // 3-byte frame tag, then the start code 9d 01 2a, then 14-bit width and height (2 bits of scale).
  if (packet[start + 3] !== 0x9d || packet[start + 4] !== 0x01 || packet[start + 5] !== 0x2a)
    return undefined;
  const width = ((packet[start + 6] as number) | ((packet[start + 7] as number) << 8)) & 0x3fff;
  const height = ((packet[start + 8] as number) | ((packet[start + 9] as number) << 8)) & 0x3fff;
  return { width, height };
}

/**
 * Where one packet's VP8 PictureID and TL0PICIDX sit (RFC 7741 §4.2), with the values they held
 * on arrival; -1 where the descriptor has no such field. Refilled per packet (no allocation).
 */
export interface Vp8Ids {
  pictureId: number;
  /** Offset of the PictureID field; its M bit says whether it is 15 bits long (else 7). */
  pictureIdAt: number;
  longPictureId: boolean;
  tl0PicIdx: number;
  tl0PicIdxAt: number;
}

export function vp8Ids(): Vp8Ids {
  return { pictureId: -1, pictureIdAt: -1, longPictureId: false, tl0PicIdx: -1, tl0PicIdxAt: -1 };
}

/** Absent ids (audio, a descriptor without them), shared and never written. */
export const NO_VP8_IDS: Readonly<Vp8Ids> = Object.freeze(vp8Ids());

/** Fills `out` from the payload descriptor starting at `offset`; fields that are absent or cut off read -1. */
export function readVp8Ids(packet: Uint8Array, offset: number, end: number, out: Vp8Ids): void {
  out.pictureId = -1;
  out.pictureIdAt = -1;
  out.longPictureId = false;
  out.tl0PicIdx = -1;
  out.tl0PicIdxAt = -1;
  if (offset + 1 >= end || ((packet[offset] as number) & 0x80) === 0) return;
  const x = packet[offset + 1] as number;
  let i = offset + 2;
  if (x & 0x80) {
    if (i >= end) return;
    const first = packet[i] as number;
    if (first & 0x80) {
      if (i + 1 >= end) return;
      out.pictureId = ((first & 0x7f) << 8) | (packet[i + 1] as number);
      out.longPictureId = true;
      out.pictureIdAt = i;
      i += 2;
    } else {
      out.pictureId = first;
      out.pictureIdAt = i;
      i += 1;
    }
  }
  if (x & 0x40 && i < end) {
    out.tl0PicIdx = packet[i] as number;
    out.tl0PicIdxAt = i;
  }
}

/** Writes a PictureID and TL0PICIDX where `ids` found them (each only if present), keeping the field widths. */
export function writeVp8Ids(packet: Uint8Array, ids: Vp8Ids, pictureId: number, tl0PicIdx: number): void {
  if (ids.pictureIdAt >= 0) {
    if (ids.longPictureId) {
      packet[ids.pictureIdAt] = 0x80 | ((pictureId >>> 8) & 0x7f);
      packet[ids.pictureIdAt + 1] = pictureId & 0xff;
    } else {
      packet[ids.pictureIdAt] = pictureId & 0x7f;
    }
  }
  if (ids.tl0PicIdxAt >= 0) packet[ids.tl0PicIdxAt] = tl0PicIdx & 0xff;
}
