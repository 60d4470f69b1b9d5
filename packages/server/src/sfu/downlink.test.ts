import { MAX_VIDEO_HEIGHT } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import {
  allocateDownlink,
  DEFAULT_MAX_HEIGHT,
  type DownlinkVideo,
  maxSendHeight,
  pausedRids,
  type Viewer,
} from './downlink.js';
import type { LayerInfo } from './layers.js';

/** Three active simulcast layers as a 1280×720 publisher sends them (¼, ½, full size). */
const simulcast = (bitrates: [number, number, number] = [150_000, 500_000, 1_500_000]): LayerInfo[] =>
  [180, 360, 720].map((height, index) => ({
    index,
    height,
    bitrate: bitrates[index] as number,
    active: true,
  }));
const shown = (wantedHeight: number, layers: (LayerInfo | undefined)[] = simulcast()): DownlinkVideo => ({
  wantedHeight,
  layers,
});
const pinned = (wantedHeight: number, layers?: LayerInfo[]): DownlinkVideo => ({
  ...shown(wantedHeight, layers),
  pinned: true,
});

describe('allocateDownlink', () => {
  it.each<[string, number, DownlinkVideo[], number[]]>([
    ['no videos', 1e6, [], []],
    ['a big tile and no estimate yet gets the top layer', Infinity, [shown(DEFAULT_MAX_HEIGHT)], [2]],
    ['a small tile gets the layer that covers it', Infinity, [shown(180), shown(200), shown(361)], [0, 1, 2]],
    ['a hidden tile (height 0) is paused', Infinity, [shown(0), shown(720)], [-1, 2]],
    ['nothing arrived yet: the lowest layer, to start with', Infinity, [shown(720, [])], [0]],
    [
      'holes (layers not seen yet) are skipped',
      Infinity,
      [shown(720, [undefined, { index: 1, height: 360, bitrate: 500_000, active: true }])],
      [1],
    ],
    [
      'layers that stopped are not chosen',
      Infinity,
      [
        shown(
          720,
          simulcast().map((l) => (l.index === 2 ? { ...l, active: false } : l)),
        ),
      ],
      [1],
    ],
    // The estimate is shared fairly by the shown videos (what a small tile cannot use goes to the
    // others); each may use twice its share (REMB headroom).
    ['one video, 1 Mbps: its 2 Mbps of headroom fit the top layer', 1_000_000, [shown(720)], [2]],
    ['one video, 600 kbps: the middle layer', 600_000, [shown(720)], [1]],
    ['one video, 200 kbps: the lowest layer', 200_000, [shown(720)], [0]],
    ['two videos share 1 Mbps: the middle layer each', 1_000_000, [shown(720), shown(720)], [1, 1]],
    ['a hidden video takes no share', 1_000_000, [shown(720), shown(0), shown(0)], [2, -1, -1]],
    ['even a tiny estimate keeps the lowest layer', 1_000, [shown(720)], [0]],
    // A pinned video is served first: the others keep their lowest layer and share what is left.
    [
      'a pinned stage and a small tile share 1 Mbps: top and lowest',
      1_000_000,
      [pinned(720), shown(180)],
      [2, 0],
    ],
    [
      'the same unpinned: the small tile leaves what it cannot use to the stage: top and lowest',
      1_000_000,
      [shown(720), shown(180)],
      [2, 0],
    ],
    [
      // Measured in e2e/stage: Ann's first REMB, Cyd on her stage (439 px), Ben in the filmstrip
      // (97 px). An equal split (254 kbps each, 509 with headroom) dropped Cyd to 360 lines.
      'the speaker on the stage keeps the top layer beside a filmstrip tile on a 509 kbps estimate',
      508_802,
      [shown(439, simulcast([111_000, 331_000, 532_000])), shown(97, simulcast([136_000, 331_000, 532_000]))],
      [2, 0],
    ],
    [
      'two big tiles share what a small one leaves: the middle layer each',
      1_000_000,
      [shown(720), shown(720), shown(180)],
      [1, 1, 0],
    ],
    ['pinned before an equally big video', 1_000_000, [shown(720), pinned(720)], [0, 2]],
    [
      // Measured in e2e/stage: Ann's REMB while she pins Ben (439 px), Cyd in the filmstrip (97 px).
      'a pin gets no less than the same video unpinned would',
      390_618,
      [
        pinned(439, simulcast([107_000, 301_000, 525_000])),
        shown(97, simulcast([131_000, 379_000, 600_000])),
      ],
      [2, 0],
    ],
    ['what the pin leaves goes to the others', 3_000_000, [pinned(720), shown(720)], [2, 2]],
    ['a hidden pinned video is still paused', 1_000_000, [{ ...pinned(0) }, shown(720)], [-1, 2]],
    ['no estimate yet: pins change nothing', Infinity, [pinned(720), shown(180)], [2, 0]],
  ])('%s', (_name, bandwidth, videos, expected) => {
    expect(allocateDownlink(bandwidth, videos)).toEqual(expected);
  });
});

describe('maxSendHeight', () => {
  /** Viewers from a table: each one's tile heights by publisher id (absent: not reported). */
  const viewers = (table: Record<string, Record<string, number>>): Viewer[] =>
    Object.entries(table).map(([participantId, tiles]) => ({
      participantId,
      wantedHeight: (publisher: string) => tiles[publisher] ?? DEFAULT_MAX_HEIGHT,
    }));

  it.each<[string, Record<string, Record<string, number>>, boolean, number]>([
    ['alone: nobody shows the video', { a: {} }, false, 0],
    ['the tallest tile among the others', { a: {}, b: { a: 180 }, c: { a: 360 } }, false, 360],
    ['its own wish is not counted', { a: { a: 720 }, b: { a: 180 } }, false, 180],
    ['a viewer who did not report wants full size', { a: {}, b: { a: 180 }, c: {} }, false, MAX_VIDEO_HEIGHT],
    ['hidden everywhere', { a: {}, b: { a: 0 }, c: { a: 0 } }, false, 0],
    ['a recording wants full size', { a: {}, b: { a: 180 } }, true, MAX_VIDEO_HEIGHT],
  ])('%s', (_name, table, recording, expected) => {
    expect(maxSendHeight('a', viewers(table), recording)).toBe(expected);
  });
});

describe('pausedRids', () => {
  // As SfuSession pauses them: a layer above the lowest whose lower neighbour is tall enough already.
  it.each<[string, (LayerInfo | undefined)[], number, number, string[]]>([
    ['told 265: the 360 layer covers it, the top pauses', simulcast(), 265, 3, ['h']],
    ['told 386: every layer runs', simulcast(), 386, 3, []],
    ['told 0 (nobody shows it): only the lowest runs', simulcast(), 0, 3, ['m', 'h']],
    ['not told yet', simulcast(), -1, 3, []],
    ['two layers declared: indexes are not rids', simulcast(), 265, 2, []],
    ['the middle layer not seen yet: its height is unknown', [simulcast()[0], undefined], 265, 3, []],
  ])('%s', (_name, layers, height, declared, expected) => {
    expect([...pausedRids(layers, height, declared)]).toEqual(expected);
  });
});
