/*
 * VP8 RTP payloads (RFC 7741) back into frames. A frame is the packets of one timestamp from the
 * one with S=1/PID=0 to the one with the marker bit; a frame with a lost packet is dropped, and so is
 * everything after it until the next keyframe (a decoder cannot use inter frames without their
 * references), which the recorder then asks the publisher for.
 */

/** Offset of the VP8 payload after the RFC 7741 §4.2 payload descriptor; -1 if malformed. */
export function vp8DescriptorLength(payload: Buffer): number {
  if (payload.length < 1) return -1;
  const b0 = payload[0] as number;
  let offset = 1;
  if (b0 & 0x80) {
    if (payload.length < 2) return -1;
    const x = payload[1] as number;
    offset = 2;
    if (x & 0x80) {
      // I: PictureID, 7 or 15 bits (M bit)
      if (payload.length < offset + 1) return -1;
      offset += (payload[offset] as number) & 0x80 ? 2 : 1;
    }
    if (x & 0x40) offset++; // L: TL0PICIDX
    if (x & 0x30) offset++; // T or K: TID/Y/KEYIDX
  }
  return offset <= payload.length ? offset : -1;
}

export interface Vp8Frame {
  data: Buffer;
  timestamp: number;
  keyframe: boolean;
  width?: number | undefined;
  height?: number | undefined;
}

/** Width and height from a VP8 keyframe header (RFC 6386 §9.1). */
export function vp8Size(frame: Buffer): { width: number; height: number } | undefined {
  if (frame.length < 10 || ((frame[0] as number) & 0x01) !== 0) return undefined;
  if (frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return { width: frame.readUInt16LE(6) & 0x3fff, height: frame.readUInt16LE(8) & 0x3fff };
}

export class Vp8Depacketizer {
  #parts: Buffer[] = [];
  #timestamp: number | undefined;
  #broken = false;
  /** After a loss, until the next keyframe. */
  #needKeyframe = true;

  /** True while frames are being dropped for want of a keyframe. */
  get needsKeyframe(): boolean {
    return this.#needKeyframe;
  }

  /** A packet was lost: the frame in progress, and the frames after it, are unusable. */
  lost(): void {
    this.#broken = true;
    this.#needKeyframe = true;
  }

  push(payload: Buffer, timestamp: number, marker: boolean): Vp8Frame | undefined {
    const offset = vp8DescriptorLength(payload);
    if (offset < 0) {
      this.lost();
      return undefined;
    }
    const start = ((payload[0] as number) & 0x10) !== 0 && ((payload[0] as number) & 0x0f) === 0;
    if (start || timestamp !== this.#timestamp) {
      // A new frame begins; one that never saw its marker is incomplete.
      this.#parts = [];
      this.#broken = !start;
      this.#timestamp = timestamp;
    }
    this.#parts.push(payload.subarray(offset));
    if (!marker) return undefined;
    const parts = this.#parts;
    this.#parts = [];
    this.#timestamp = undefined;
    if (this.#broken) return undefined;
    const data = Buffer.concat(parts);
    if (data.length === 0) return undefined;
    const keyframe = ((data[0] as number) & 0x01) === 0;
    if (!keyframe && this.#needKeyframe) return undefined;
    if (keyframe) this.#needKeyframe = false;
    const size = keyframe ? vp8Size(data) : undefined;
    return { data, timestamp, keyframe, width: size?.width, height: size?.height };
  }
}
