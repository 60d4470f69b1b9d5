import { type Vp8Ids, writeVp8Ids } from './vp8.js';

const TL0_MASK = 0xff;

/** A PictureID is 15 bits long or 7 (its M bit); it wraps at its own width. */
const pictureIdMask = (ids: Readonly<Vp8Ids>) => (ids.longPictureId ? 0x7fff : 0x7f);

/** True when `a` comes after `b` in a counter of `mask + 1` values (serial arithmetic). */
function after(a: number, b: number, mask: number): boolean {
  const d = (a - b) & mask;
  return d !== 0 && d <= mask >>> 1;
}

/**
 * Keeps the VP8 PictureID and TL0PICIDX of one outgoing video stream continuous when its source
 * changes (a simulcast layer switch, a publisher that renegotiated), as StreamRewriter does for
 * sequence numbers and timestamps. Each simulcast layer counts both from a random start of its
 * own, and a receiver keys its reference bookkeeping on them: Chromium's VP8 reference finder keeps
 * one entry per TL0PICIDX, so after a switch to a layer whose TL0PICIDX runs behind, the old
 * layer's entries wait ahead of the stream, and when the stream reaches them (up to 128 base-layer
 * frames later, i.e. seconds) its frames are chained to pictures that never came. The viewer
 * freezes, with no packet lost, until its decoder gives up (3 s) and asks for a keyframe.
 *
 * A switch happens on a keyframe, a base-layer picture: it continues one after the highest
 * PictureID and TL0PICIDX sent. Within a source both are shifted by fixed offsets, so reordered
 * packets and retransmissions keep theirs.
 */
export class Vp8IdRewriter {
  #source: number | undefined;
  #pictureIdOffset = 0;
  #tl0Offset = 0;
  #highestPictureId = -1;
  #highestTl0 = -1;

  /** Rewrites the ids of a packet of `source` in place. */
  rewrite(source: number, ids: Readonly<Vp8Ids>, packet: Uint8Array): void {
    if (ids.pictureId < 0 && ids.tl0PicIdx < 0) return;
    if (source !== this.#source) {
      this.#source = source;
      this.#pictureIdOffset =
        this.#highestPictureId < 0 || ids.pictureId < 0 ? 0 : this.#highestPictureId + 1 - ids.pictureId;
      this.#tl0Offset =
        this.#highestTl0 < 0 || ids.tl0PicIdx < 0 ? 0 : (this.#highestTl0 + 1 - ids.tl0PicIdx) & TL0_MASK;
    }
    const pictureId = this.#outPictureId(ids);
    const tl0 = this.#outTl0(ids.tl0PicIdx);
    if (
      pictureId >= 0 &&
      (this.#highestPictureId < 0 || after(pictureId, this.#highestPictureId, pictureIdMask(ids)))
    )
      this.#highestPictureId = pictureId;
    if (tl0 >= 0 && (this.#highestTl0 < 0 || after(tl0, this.#highestTl0, TL0_MASK))) this.#highestTl0 = tl0;
    writeVp8Ids(packet, ids, pictureId, tl0);
  }

  /** Rewrites a retransmitted packet of the current source, whose ids were `ids` on arrival. */
  rewriteAgain(ids: Readonly<Vp8Ids>, packet: Uint8Array): void {
    writeVp8Ids(packet, ids, this.#outPictureId(ids), this.#outTl0(ids.tl0PicIdx));
  }

  #outPictureId(ids: Readonly<Vp8Ids>): number {
    return ids.pictureId < 0 ? -1 : (ids.pictureId + this.#pictureIdOffset) & pictureIdMask(ids);
  }

  #outTl0(tl0: number): number {
    return tl0 < 0 ? -1 : (tl0 + this.#tl0Offset) & TL0_MASK;
  }
}
