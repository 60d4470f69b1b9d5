import { describe, expect, it } from 'vitest';
import { type LayerInfo, selectLayer } from './layers.js';

const L = (index: number, height: number, bitrate: number, active = true): LayerInfo => ({
  index,
  height,
  bitrate,
  active,
});
const [low, mid, high] = [L(0, 180, 150_000), L(1, 360, 500_000), L(2, 720, 1_500_000)];
const three = [low, mid, high];

describe('selectLayer', () => {
  it.each<[string, LayerInfo[], number, number, number]>([
    ['big tile, plenty of bandwidth: the top layer', three, 720, Infinity, 2],
    ['tile 360 px: the layer that fills it, not more', three, 360, Infinity, 1],
    ['tile 200 px: the smallest layer at least as tall', three, 200, Infinity, 1],
    ['tile 100 px: the lowest', three, 100, Infinity, 0],
    ['hidden tile: none', three, 0, Infinity, -1],
    ['bandwidth caps below the tile', three, 720, 600_000, 1],
    ['bandwidth below the lowest: still the lowest', three, 720, 10_000, 0],
    ['top layer inactive (publisher limited)', [low, mid, L(2, 720, 1_500_000, false)], 720, Infinity, 1],
    ['lowest inactive', [L(0, 180, 0, false), mid, high], 100, Infinity, 1],
    ['nothing active yet: the lowest known', [L(0, 0, 0, false), L(1, 0, 0, false)], 720, Infinity, 0],
    ['heights unknown: ordered by index', [L(0, 0, 0), L(1, 0, 0), L(2, 0, 0)], 720, Infinity, 2],
    ['single layer (no simulcast)', [L(0, 360, 800_000)], 100, 1, 0],
    ['no layers', [], 720, Infinity, -1],
  ])('%s', (_name, layers, maxHeight, bandwidth, expected) => {
    expect(selectLayer(layers as LayerInfo[], { maxHeight, bandwidth })).toBe(expected);
  });
});
