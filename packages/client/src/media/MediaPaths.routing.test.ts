import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  engineSignal,
  type FakeP2P,
  type FakeSfu,
  p2pTo,
  peerSignal,
  remote,
  setup,
  sfu,
} from './MediaPaths.fixture.js';
import { VIDEO_CONSTRAINTS_DELAY_MS } from './MediaPaths.js';

// MediaPaths' signal routing, remote tracks and video constraints, over the stand-in paths of MediaPaths.fixture.ts.

describe('MediaPaths', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('signal routing', () => {
    it('routes the peer’s `signal` to the P2P path to that peer, and drops one from anyone else', () => {
      const { paths, opened } = setup();
      paths.follow(p2pTo('bob'));
      paths.handleSignal(peerSignal('bob'));
      paths.handleSignal(peerSignal('carol'));
      expect((opened[0] as FakeP2P).handled).toEqual([peerSignal('bob')]);
    });

    it('routes `mediaSignal` to the SFU path, also while it still carries media for a P2P path coming up', () => {
      const { paths, opened } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      paths.handleSignal(engineSignal(1));
      paths.follow(p2pTo('bob'));
      const p2p = opened[1] as FakeP2P;
      paths.handleSignal(engineSignal(2));
      paths.handleSignal(peerSignal('bob'));
      expect(engine.handled).toEqual([engineSignal(1), engineSignal(2)]);
      expect(p2p.handled).toEqual([peerSignal('bob')]);
    });

    it('drops signals for a path that is gone: the old SFU path after the handover, any path after `none`', async () => {
      const { paths, opened } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      paths.follow(p2pTo('bob'));
      const p2p = opened[1] as FakeP2P;
      p2p.fire('state', 'connected');
      await vi.advanceTimersByTimeAsync(3_100);
      paths.handleSignal(engineSignal(3));
      expect(engine.handled).toEqual([]);
      paths.follow({ mode: 'none' });
      paths.handleSignal(peerSignal('bob'));
      expect(p2p.handled).toEqual([]);
    });

    it('a signal that fails on the current path reports `failed`; on the old SFU path it does not', async () => {
      const { paths, opened, states } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      engine.failNext = true;
      paths.handleSignal(engineSignal(1));
      await vi.advanceTimersByTimeAsync(0);
      expect(states).toEqual(['failed']);
      paths.follow(p2pTo('bob'));
      paths.handleSignal(engineSignal(2));
      await vi.advanceTimersByTimeAsync(0);
      expect(states).toEqual(['failed']);
      const p2p = opened[1] as FakeP2P;
      p2p.failNext = true;
      paths.handleSignal(peerSignal('bob'));
      await vi.advanceTimersByTimeAsync(0);
      expect(states).toEqual(['failed', 'failed']);
    });

    it('sends each path’s negotiation the way its kind goes: `signal` to the peer, `mediaSignal` to the engine', () => {
      const { paths, opened, sent } = setup();
      paths.follow(p2pTo('bob'));
      (opened[0] as FakeP2P).fire('signal', { candidate: { candidate: 'c1' } });
      paths.follow(sfu);
      (opened[1] as FakeSfu).fire('signal', { simulcast: [{ rid: 'l', ssrc: 1 }] });
      expect(sent).toEqual([
        { type: 'signal', to: 'bob', candidate: { candidate: 'c1' } },
        { type: 'mediaSignal', simulcast: [{ rid: 'l', ssrc: 1 }] },
      ]);
    });

    it('asks for a new engine session when the current SFU path is lost, not when an old one is', () => {
      const { paths, opened, sent } = setup('sfu');
      const first = opened[0] as FakeSfu;
      paths.follow(sfu);
      first.fire('lost');
      expect(sent).toEqual([]);
      (opened[1] as FakeSfu).fire('lost');
      expect(sent).toEqual([{ type: 'mediaSignal', restart: true }]);
    });
  });

  describe('remote tracks', () => {
    it('ignores SFU tracks of someone who has left, and drops a leaver’s tracks', () => {
      const { paths, opened, tracks, present } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      engine.fire('track', remote('mallory'));
      engine.fire('track', remote('bob', 'audio'));
      engine.fire('track', remote('carol'));
      expect(tracks.map((t) => t.participantId)).toEqual(['bob', 'carol']);
      present.delete('bob');
      paths.dropParticipant('bob');
      expect(tracks.map((t) => t.participantId)).toEqual(['carol']);
    });
  });

  describe('video constraints', () => {
    it('sends the tile heights set within the batching window in one message to the SFU', async () => {
      const { paths, opened } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      paths.setVideoConstraint('bob', 360.4);
      paths.setVideoConstraint('carol', 180);
      paths.setVideoConstraint('bob', 720);
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS - 10);
      expect(engine.constraints).toEqual([]);
      await vi.advanceTimersByTimeAsync(20);
      expect(engine.constraints).toEqual([
        {
          tiles: [
            { participantId: 'bob', height: 720 },
            { participantId: 'carol', height: 180 },
          ],
        },
      ]);
      // An unchanged height sends nothing.
      paths.setVideoConstraint('carol', 180);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(engine.constraints).toHaveLength(1);
    });

    it('clamps heights, leaves out those who left, and sends nothing on P2P', async () => {
      const { paths, opened, present } = setup();
      paths.follow(p2pTo('bob'));
      paths.setVideoConstraint('bob', 20_000);
      paths.setVideoConstraint('carol', -5);
      paths.setVideoConstraint('dave', 90);
      await vi.advanceTimersByTimeAsync(1_000);
      present.delete('carol');
      paths.follow(sfu);
      const engine = opened[1] as FakeSfu;
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      expect(engine.constraints).toEqual([{ tiles: [{ participantId: 'bob', height: 10_000 }] }]);
    });

    it('a new SFU path learns the remembered heights; a leaver’s height is forgotten', async () => {
      const { paths, opened, present } = setup('sfu');
      paths.setVideoConstraint('bob', 360);
      paths.setVideoConstraint('carol', 180);
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      present.delete('carol');
      paths.dropParticipant('carol');
      present.add('carol');
      paths.follow(sfu);
      const second = opened[1] as FakeSfu;
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      expect(second.constraints).toEqual([{ tiles: [{ participantId: 'bob', height: 360 }] }]);
      expect((opened[0] as FakeSfu).constraints).toHaveLength(1);
    });

    it('sends pins with the tile heights, drops a leaver’s pin, sends an unpin, and a new SFU path learns them', async () => {
      const { paths, opened, present } = setup('sfu');
      const engine = opened[0] as FakeSfu;
      paths.setVideoConstraint('bob', 720);
      paths.setPinned(['bob', 'bob', 'dave']);
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      // Dave is not in the meeting: never sent.
      expect(engine.constraints).toEqual([
        { tiles: [{ participantId: 'bob', height: 720 }], pinned: ['bob'] },
      ]);
      // The same pins again send nothing.
      paths.setPinned(['bob', 'dave']);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(engine.constraints).toHaveLength(1);
      // The pins reach a new engine session too.
      paths.setPinned(['carol']);
      paths.follow(sfu);
      const second = opened[1] as FakeSfu;
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      expect(second.constraints.at(-1)).toEqual({
        tiles: [{ participantId: 'bob', height: 720 }],
        pinned: ['carol'],
      });
      // Carol leaves: her pin is forgotten; unpinning sends constraints without pins.
      present.delete('carol');
      paths.dropParticipant('carol');
      paths.setPinned([]);
      paths.setVideoConstraint('bob', 180);
      await vi.advanceTimersByTimeAsync(VIDEO_CONSTRAINTS_DELAY_MS + 10);
      expect(second.constraints.at(-1)).toEqual({ tiles: [{ participantId: 'bob', height: 180 }] });
    });

    it('close() leaves no timer behind and sends nothing more', async () => {
      const { paths, opened } = setup('sfu');
      paths.follow(sfu);
      paths.setVideoConstraint('bob', 360);
      paths.close();
      expect(vi.getTimerCount()).toBe(0);
      paths.setVideoConstraint('carol', 360);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(opened.map((p) => (p as FakeSfu).constraints)).toEqual([[], []]);
    });
  });
});
