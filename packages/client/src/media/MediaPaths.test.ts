import type { ClientMessageOf, MediaMode, ServerMessageOf, VideoConstraints } from '@conclave/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../Emitter.js';
import type {
  EngineSignal,
  P2PPath,
  P2PPathEvents,
  RemoteTrack,
  ScreenTracks,
  SfuPath,
  SfuPathEvents,
  SignalPayload,
} from './MediaPath.js';
import { MediaPaths, VIDEO_CONSTRAINTS_DELAY_MS } from './MediaPaths.js';

/*
 * MediaPaths is driven here through stand-ins for the MediaPath interface: the real P2PSession and
 * SfuSession need a browser (or @roamhq/wrtc) and are covered by the e2e and bench tiers. What is
 * tested is MediaPaths' own logic: which path is current, handover, routing, tracks, constraints.
 */

/** A path that records what it was given and lets the test play the connection's part. */
class FakePath<E extends { [K in keyof E]: unknown[] }> extends Emitter<E> {
  readonly handled: (SignalPayload | EngineSignal)[] = [];
  closed = false;
  /** Remote videos its getStats reports as decoding. */
  decoding = 0;
  /** Makes the next handleSignal reject, as a failed setRemoteDescription would. */
  failNext = false;

  fire<K extends keyof E>(event: K, ...args: E[K]): void {
    this.emit(event, ...args);
  }

  async handleSignal(payload: SignalPayload | EngineSignal): Promise<void> {
    this.handled.push(payload);
    if (this.failNext) throw new Error('negotiation failed');
  }

  async replaceTrack(): Promise<void> {}

  screen: ScreenTracks | undefined;
  async setScreen(screen: ScreenTracks | undefined): Promise<void> {
    this.screen = screen;
  }

  async getStats(): Promise<RTCStatsReport> {
    const report = new Map<string, object>();
    for (let i = 0; i < this.decoding; i++)
      report.set(`in${i}`, { type: 'inbound-rtp', kind: 'video', framesDecoded: 10 });
    return report as unknown as RTCStatsReport;
  }

  close(): void {
    this.closed = true;
  }
}

class FakeP2P extends FakePath<P2PPathEvents> implements P2PPath {
  readonly kind = 'p2p';
  constructor(
    readonly peerId: string,
    readonly offerer: boolean,
  ) {
    super();
  }
}

class FakeSfu extends FakePath<SfuPathEvents> implements SfuPath {
  readonly kind = 'sfu';
  readonly constraints: VideoConstraints[] = [];
  setVideoConstraints(constraints: VideoConstraints): void {
    this.constraints.push(constraints);
  }
}

/** A remote track; MediaPaths only listens for its `ended`. */
function remote(
  participantId: string,
  kind: 'audio' | 'video' = 'video',
  source: 'camera' | 'screen' = 'camera',
): RemoteTrack {
  const track = Object.assign(new EventTarget(), { kind }) as unknown as MediaStreamTrack;
  return { participantId, track, stream: {} as MediaStream, source };
}

function setup(mode: MediaMode = 'none', participants = ['bob', 'carol'], canConnect = true) {
  const opened: (FakeP2P | FakeSfu)[] = [];
  const sent: (
    | ClientMessageOf<'signal'>
    | ClientMessageOf<'mediaSignal'>
    | ClientMessageOf<'mediaStatus'>
  )[] = [];
  const present = new Set(participants);
  const paths = new MediaPaths({
    open: {
      p2p: (peerId, offerer) => {
        const path = new FakeP2P(peerId, offerer);
        opened.push(path);
        return path;
      },
      sfu: () => {
        const path = new FakeSfu();
        opened.push(path);
        return path;
      },
    },
    mode,
    canConnect,
    mediaTimeoutMs: 15_000,
    send: (message) => sent.push(message),
    isParticipant: (id) => present.has(id),
    expectedVideos: () => present.size,
  });
  const tracks: RemoteTrack[] = [];
  const states: RTCPeerConnectionState[] = [];
  paths.on('trackAdded', (t) => tracks.push(t));
  paths.on('trackRemoved', (t) => tracks.splice(tracks.indexOf(t), 1));
  paths.on('connectionState', (s) => states.push(s));
  const last = () => opened[opened.length - 1];
  return { paths, opened, sent, present, tracks, states, last };
}

const p2pTo = (id: string, offerer = true) => ({ mode: 'p2p' as const, peer: { id, offerer } });
const sfu = { mode: 'sfu' as const };
const peerSignal = (from: string): ServerMessageOf<'signal'> => ({
  type: 'signal',
  from,
  candidate: { candidate: `candidate:${from}` },
});
const engineSignal = (n: number): ServerMessageOf<'mediaSignal'> => ({
  type: 'mediaSignal',
  maxSendHeight: n,
});

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
