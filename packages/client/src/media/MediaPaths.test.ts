import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeP2P, type FakeSfu, p2pTo, remote, setup, sfu } from './MediaPaths.fixture.js';

// MediaPaths' mode switches, media status and handover, over the stand-in paths of MediaPaths.fixture.ts.

describe('MediaPaths', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('mode switches', () => {
    it('opens an SFU path at once when the meeting it joins is on the SFU', () => {
      const { opened, paths } = setup('sfu');
      expect(opened.map((p) => p.kind)).toEqual(['sfu']);
      expect(paths.mode).toBe('sfu');
    });

    it('opens a P2P path to the named peer, keeps it while the peer stays, and opens a new one for another peer', () => {
      const { paths, opened } = setup();
      expect(paths.follow(p2pTo('bob', false))).toBe(true);
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ kind: 'p2p', peerId: 'bob', offerer: false });
      expect(paths.follow(p2pTo('bob', false))).toBe(false);
      expect(opened).toHaveLength(1);
      paths.follow(p2pTo('carol'));
      expect(opened.map((p) => (p.kind === 'p2p' ? p.peerId : p.kind))).toEqual(['bob', 'carol']);
    });

    it('opens a new SFU path on every `sfu` mode message (a reopened engine session)', () => {
      const { paths, opened } = setup('sfu');
      expect(paths.follow(sfu)).toBe(false);
      expect(opened.map((p) => p.kind)).toEqual(['sfu', 'sfu']);
    });

    it('alone again (`none`): closes the path at once and drops its tracks, with no handover', () => {
      const { paths, opened, tracks } = setup();
      paths.follow(p2pTo('bob'));
      const p2p = opened[0] as FakeP2P;
      p2p.fire('track', remote('bob'));
      expect(tracks).toHaveLength(1);
      expect(paths.follow({ mode: 'none' })).toBe(true);
      expect(p2p.closed).toBe(true);
      expect(tracks).toEqual([]);
      expect(paths.remoteTracks).toEqual([]);
    });
  });

  describe('media status', () => {
    it('opens no path where the runtime has no WebRTC, whatever the mode', () => {
      const { paths, opened } = setup('sfu', ['bob'], false);
      paths.follow(p2pTo('bob'));
      paths.follow(sfu);
      expect(opened).toEqual([]);
    });

    it('tells the server when a path has not connected in time, and again when it connects', () => {
      const { paths, opened, sent } = setup();
      paths.follow(p2pTo('bob'));
      vi.advanceTimersByTime(14_999);
      expect(sent.filter((m) => m.type === 'mediaStatus')).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(sent.filter((m) => m.type === 'mediaStatus')).toEqual([
        { type: 'mediaStatus', connected: false },
      ]);
      (opened[0] as FakeP2P).fire('state', 'connected');
      expect(sent.filter((m) => m.type === 'mediaStatus')).toEqual([
        { type: 'mediaStatus', connected: false },
        { type: 'mediaStatus', connected: true },
      ]);
    });
  });

  describe('handover', () => {
    it('keeps the old path and its tracks until the new one connects and decodes everyone, then releases it and closes it later', async () => {
      const { paths, opened, tracks } = setup('none', ['bob', 'carol']);
      paths.follow(p2pTo('bob'));
      const p2p = opened[0] as FakeP2P;
      const old = remote('bob');
      p2p.fire('track', old);
      paths.follow(sfu);
      const next = opened[1] as FakeSfu;
      expect(p2p.closed).toBe(false);
      const bob = remote('bob');
      const carol = remote('carol');
      next.fire('track', bob);
      next.fire('track', carol);
      // Until the new path is connected, both paths' tracks are there.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(tracks).toEqual([old, bob, carol]);
      next.fire('state', 'connected');
      next.decoding = 1;
      await vi.advanceTimersByTimeAsync(500);
      expect(tracks).toContain(old);
      next.decoding = 2;
      await vi.advanceTimersByTimeAsync(100);
      expect(tracks).toEqual([bob, carol]);
      // Released but still sending for the others, who switch on their own schedule.
      expect(p2p.closed).toBe(false);
      await vi.advanceTimersByTimeAsync(3_000);
      expect(p2p.closed).toBe(true);
      expect(next.closed).toBe(false);
    });

    it('tells the current path and the one it replaces that encryption started or stopped', async () => {
      const { paths, opened } = setup('none', ['bob', 'carol']);
      paths.follow(p2pTo('bob'));
      paths.follow(sfu);
      const [p2p, next] = opened as [FakeP2P, FakeSfu];
      await paths.encryptionChanged();
      expect([p2p.encryptionChanges, next.encryptionChanges]).toEqual([1, 1]);
    });

    it('a new path that never connects: the old one goes after the deadline', async () => {
      const { paths, opened, tracks } = setup();
      paths.follow(p2pTo('bob'));
      const p2p = opened[0] as FakeP2P;
      p2p.fire('track', remote('bob'));
      paths.follow(sfu);
      await vi.advanceTimersByTimeAsync(9_900);
      expect(tracks).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(200);
      expect(tracks).toEqual([]);
    });

    it('only the current path reports its connection state and ends the handover', async () => {
      const { paths, opened, states, tracks } = setup();
      paths.follow(p2pTo('bob'));
      const p2p = opened[0] as FakeP2P;
      p2p.fire('track', remote('bob'));
      paths.follow(sfu);
      p2p.fire('state', 'connected');
      await vi.advanceTimersByTimeAsync(5_000);
      expect(states).toEqual([]);
      expect(tracks).toHaveLength(1);
    });

    it('a failed SFU path loses its tracks; a failed P2P path keeps them (it restarts ICE)', () => {
      const { paths, opened, tracks } = setup();
      paths.follow(p2pTo('bob'));
      (opened[0] as FakeP2P).fire('track', remote('bob'));
      (opened[0] as FakeP2P).fire('state', 'failed');
      expect(tracks).toHaveLength(1);
      paths.follow(sfu);
      const engine = opened[1] as FakeSfu;
      engine.fire('track', remote('carol'));
      engine.fire('state', 'failed');
      expect(tracks.map((t) => t.participantId)).toEqual(['bob']);
    });

    it('close() closes the current path and the one being replaced, and drops every track', () => {
      const { paths, opened, tracks } = setup();
      paths.follow(p2pTo('bob'));
      (opened[0] as FakeP2P).fire('track', remote('bob'));
      paths.follow(sfu);
      (opened[1] as FakeSfu).fire('track', remote('carol'));
      paths.close();
      expect(opened.map((p) => p.closed)).toEqual([true, true]);
      expect(tracks).toEqual([]);
    });
  });
});
