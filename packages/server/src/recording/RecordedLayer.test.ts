import { describe, expect, it } from 'vitest';
import { LAYER_GONE_MS, RecordedLayer } from './RecordedLayer.js';

/** Packets as [layer, keyframe, at ms]; returns which were recorded and the keyframes asked for. */
function run(packets: [layer: number, keyframe: boolean, at: number][]) {
  const asked: number[] = [];
  const layer = new RecordedLayer((wanted) => asked.push(wanted));
  const recorded = packets.map(([l, key, at]) => layer.accept(l, key, at));
  return { recorded, asked, current: layer.current };
}

describe('RecordedLayer', () => {
  it('without simulcast records the one layer from its first keyframe on', () => {
    expect(
      run([
        [0, false, 0],
        [0, true, 30],
        [0, false, 60],
      ]),
    ).toEqual({ recorded: [false, true, true], asked: [0], current: 0 });
  });

  it("moves up at the higher layer's keyframe and keeps the lower one until then", () => {
    expect(
      run([
        [0, true, 0],
        [1, false, 1],
        [0, false, 33],
        [1, true, 34],
        [0, false, 66],
        [1, false, 67],
      ]),
    ).toEqual({ recorded: [true, false, true, true, false, true], asked: [1], current: 1 });
  });

  it("moves down when the recorded layer stops coming, at the lower one's keyframe; asks for the top again when it is back", () => {
    const late = LAYER_GONE_MS + 10;
    expect(
      run([
        [1, true, 0],
        [0, false, 1],
        [0, false, late],
        [0, true, late + 33],
        [1, false, late + 40],
      ]),
    ).toEqual({ recorded: [true, false, false, true, false], asked: [0, 1], current: 0 });
  });
});
