import { describe, expect, it } from 'vitest';
import { isVp8Keyframe, vp8FrameStart, vp8KeyframeSize } from './vp8.js';

/** A VP8 payload: descriptor bytes then payload bytes. */
const p = (...bytes: number[]) => Uint8Array.from(bytes);
// A keyframe's first bytes: frame tag (P=0), start code 9d 01 2a, width 640, height 360.
const KEY = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01];
const DELTA = [0x11, 0x02, 0x00];

describe('VP8 payload descriptor', () => {
  it.each<[string, Uint8Array, number]>([
    ['minimal descriptor, start of partition 0', p(0x10, ...KEY), 1],
    ['not the start of a frame (S=0)', p(0x00, ...KEY), -1],
    ['start of partition 1', p(0x11, ...KEY), -1],
    ['extended, 7-bit picture id', p(0x90, 0x80, 0x12, ...KEY), 3],
    ['extended, 15-bit picture id', p(0x90, 0x80, 0x92, 0x34, ...KEY), 4],
    ['extended, picture id + TL0PICIDX + TID', p(0x90, 0xe0, 0x12, 0x05, 0x40, ...KEY), 5],
    ['truncated extension', p(0x90), -1],
    ['empty', p(), -1],
  ])('%s', (_name, packet, start) => {
    expect(vp8FrameStart(packet, 0, packet.length)).toBe(start);
  });

  it.each<[string, Uint8Array, boolean]>([
    ['keyframe', p(0x10, ...KEY), true],
    ['delta frame', p(0x10, ...DELTA), false],
    ['keyframe bytes but not a frame start', p(0x00, ...KEY), false],
    ['keyframe behind an extended descriptor', p(0x90, 0x80, 0x92, 0x34, ...KEY), true],
  ])('keyframe detection: %s', (_name, packet, key) => {
    expect(isVp8Keyframe(packet, 0, packet.length)).toBe(key);
  });

  it('reads the resolution from a keyframe, at an offset', () => {
    const packet = p(0xaa, 0xbb, 0x10, ...KEY);
    expect(vp8KeyframeSize(packet, 2, packet.length)).toEqual({ width: 640, height: 360 });
    expect(vp8KeyframeSize(p(0x10, ...DELTA), 0, 4)).toBeUndefined();
    expect(vp8KeyframeSize(p(0x10, 0x10, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0), 0, 11)).toBeUndefined(); // no start code
  });
});
