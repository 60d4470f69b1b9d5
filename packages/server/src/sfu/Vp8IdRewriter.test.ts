import { describe, expect, it } from 'vitest';
import { Vp8IdRewriter } from './Vp8IdRewriter.js';
import { readVp8Ids, vp8Ids } from './vp8.js';

/** A VP8 payload descriptor (RFC 7741 §4.2) with a 15-bit PictureID and a TL0PICIDX, then one payload byte. */
const long = (pictureId: number, tl0: number) =>
  Uint8Array.from([0x90, 0xc0, 0x80 | (pictureId >> 8), pictureId & 0xff, tl0, 0x01]);
/** One with a 7-bit PictureID and no TL0PICIDX. */
const short = (pictureId: number) => Uint8Array.from([0x90, 0x80, pictureId, 0x01]);

function read(packet: Uint8Array) {
  const ids = vp8Ids();
  readVp8Ids(packet, 0, packet.length, ids);
  return ids;
}

/** Sends `packet` of `source` through the rewriter; returns the ids it leaves with. */
function send(rewriter: Vp8IdRewriter, source: number, packet: Uint8Array): [number, number] {
  rewriter.rewrite(source, read(packet), packet);
  const out = read(packet);
  return [out.pictureId, out.tl0PicIdx];
}

describe('VP8 ids in the payload descriptor', () => {
  it('reads a 15-bit PictureID and a TL0PICIDX, a 7-bit one alone, and nothing from a descriptor without them', () => {
    expect(read(long(0x1234, 77))).toMatchObject({
      pictureId: 0x1234,
      longPictureId: true,
      pictureIdAt: 2,
      tl0PicIdx: 77,
      tl0PicIdxAt: 4,
    });
    expect(read(short(100))).toMatchObject({
      pictureId: 100,
      longPictureId: false,
      pictureIdAt: 2,
      tl0PicIdx: -1,
    });
    expect(read(Uint8Array.from([0x10, 0x01]))).toMatchObject({ pictureId: -1, tl0PicIdx: -1 });
    // Cut off inside the PictureID: nothing to rewrite.
    expect(read(long(0x1234, 77).subarray(0, 3))).toMatchObject({
      pictureId: -1,
      pictureIdAt: -1,
      tl0PicIdx: -1,
    });
  });
});

describe('Vp8IdRewriter', () => {
  it('leaves the first source as it is', () => {
    const rewriter = new Vp8IdRewriter();
    expect(send(rewriter, 1, long(20_000, 200))).toEqual([20_000, 200]);
    expect(send(rewriter, 1, long(20_001, 200))).toEqual([20_001, 200]);
  });

  it('continues one after the highest ids sent when the source changes, whether the new one counts behind or ahead', () => {
    const rewriter = new Vp8IdRewriter();
    send(rewriter, 1, long(20_000, 200));
    send(rewriter, 1, long(20_001, 201));
    expect(send(rewriter, 2, long(1_400, 74))).toEqual([20_002, 202]);
    expect(send(rewriter, 2, long(1_401, 74))).toEqual([20_003, 202]);
    expect(send(rewriter, 3, long(30_000, 250))).toEqual([20_004, 203]);
    // A late packet of the same source keeps its shift and does not pull the highest back.
    expect(send(rewriter, 3, long(29_999, 249))).toEqual([20_003, 202]);
    expect(send(rewriter, 1, long(20_050, 220))).toEqual([20_005, 204]);
  });

  it('wraps the PictureID at 15 bits (7 when the publisher sends short ones) and the TL0PICIDX at 8', () => {
    const rewriter = new Vp8IdRewriter();
    send(rewriter, 1, long(0x7fff, 0xff));
    expect(send(rewriter, 2, long(5, 9))).toEqual([0, 0]);
    const narrow = new Vp8IdRewriter();
    send(narrow, 1, short(127));
    expect(send(narrow, 2, short(40))).toEqual([0, -1]);
    expect(send(narrow, 2, short(41))).toEqual([1, -1]);
  });

  it('writes a retransmission with the shift of its source, from the ids it arrived with', () => {
    const rewriter = new Vp8IdRewriter();
    send(rewriter, 1, long(20_000, 200));
    send(rewriter, 2, long(1_400, 74));
    const again = long(9, 9);
    rewriter.rewriteAgain({ ...read(again), pictureId: 1_400, tl0PicIdx: 74 }, again);
    expect(read(again)).toMatchObject({ pictureId: 20_001, tl0PicIdx: 201 });
  });
});
