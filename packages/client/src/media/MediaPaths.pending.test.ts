import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  engineSignal,
  type FakeP2P,
  type FakeSfu,
  p2pTo,
  peerSignal,
  setup,
  sfu,
} from './MediaPaths.fixture.js';

// MediaPaths while the local tracks are still pending (the devices opening during the join).

describe('MediaPaths with pending local tracks', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the SFU path at once and passes it the engine’s signals; tells it when the tracks are known', async () => {
    const { paths, opened } = setup('sfu', ['bob', 'carol'], true, true);
    const engine = opened[0] as FakeSfu;
    paths.handleSignal(engineSignal(1));
    expect(engine.handled).toEqual([engineSignal(1)]);
    expect(engine.tracksReady).toBe(0);
    await paths.localTracksReady();
    expect(engine.tracksReady).toBe(1);
    paths.close();
  });

  it('switches to the SFU at once (a third joiner) but holds a P2P path until the tracks are known', async () => {
    const { paths, opened } = setup('p2p', ['bob'], true, true);
    expect(paths.follow(p2pTo('bob'))).toBe(false);
    paths.handleSignal(peerSignal('bob'));
    expect(opened).toHaveLength(0);
    await paths.localTracksReady();
    expect(opened).toHaveLength(1);
    expect((opened[0] as FakeP2P).handled).toEqual([peerSignal('bob')]);

    const later = setup('p2p', ['bob', 'carol'], true, true);
    expect(later.paths.follow(sfu)).toBe(true);
    expect(later.opened).toHaveLength(1);
    expect(later.last()?.kind).toBe('sfu');
    paths.close();
    later.paths.close();
  });

  it('keeps the order: what comes after a held P2P message waits too, and goes after it', async () => {
    const { paths, opened } = setup('p2p', ['bob'], true, true);
    paths.follow(p2pTo('bob'));
    paths.follow(sfu);
    paths.handleSignal(engineSignal(3));
    expect(opened).toHaveLength(0);
    await paths.localTracksReady();
    expect(opened.map((p) => p.kind)).toEqual(['p2p', 'sfu']);
    expect((opened[1] as FakeSfu).handled).toEqual([engineSignal(3)]);
    expect(paths.mode).toBe('sfu');
    paths.close();
  });

  it('does not hold anything when the tracks were known at the start', () => {
    const { paths, opened } = setup('p2p', ['bob'], true, false);
    paths.follow(p2pTo('bob'));
    expect(opened).toHaveLength(1);
    paths.close();
  });
});
