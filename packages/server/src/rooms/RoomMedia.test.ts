import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaEngine, MediaSessionEvents } from '../sfu/MediaEngine.js';
import { MAX_REOPENS, REOPEN_DELAY_MS, REOPEN_WINDOW_MS, RoomMedia, SFU_DRAIN_MS } from './RoomMedia.js';

/*
 * RoomMedia's session lifecycle (reopen after a failure, its budget, draining) with an engine that
 * only records sessions: the timing policy under fake timers. The real engine behind it is tested
 * by the *.integration tests and e2e/sfu-recovery.e2e.test.ts.
 */

interface Opened {
  participantId: string;
  events: MediaSessionEvents;
  closed: boolean;
}

function recordingEngine() {
  const opened: Opened[] = [];
  const engine: MediaEngine = {
    createRouter: () => ({
      openSession: (participantId, events) => {
        const entry: Opened = { participantId, events, closed: false };
        opened.push(entry);
        return {
          signal: () => {},
          close: () => {
            entry.closed = true;
          },
        };
      },
      addTap: () => ({ requestKeyframes: () => {}, close: () => {} }),
      screenShareChanged: () => {},
      close: () => {},
    }),
    stats: () => {
      throw new Error('not used');
    },
    close: () => {},
  };
  /** The engine's side: the session failed (it is closed, then says so). */
  const fail = (o: Opened) => {
    o.closed = true;
    o.events.closed();
  };
  return { engine, opened, fail };
}

function peer() {
  return { signal: vi.fn(), reopened: vi.fn() };
}

describe('RoomMedia', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens a failed session again after REOPEN_DELAY_MS, telling the participant first', () => {
    const { engine, opened, fail } = recordingEngine();
    const media = new RoomMedia(engine, () => {});
    const ann = peer();
    media.open('ann', ann);
    expect(opened).toHaveLength(1);
    fail(opened[0] as Opened);
    expect(media.isOpen('ann')).toBe(false);
    vi.advanceTimersByTime(REOPEN_DELAY_MS - 1);
    expect(opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(opened).toHaveLength(2);
    expect(ann.reopened).toHaveBeenCalledTimes(1);
    expect(media.isOpen('ann')).toBe(true);
  });

  it(`reopens at most ${MAX_REOPENS} times within the window, then again once it has passed`, () => {
    const { engine, opened, fail } = recordingEngine();
    const media = new RoomMedia(engine, () => {});
    const ann = peer();
    media.open('ann', ann);
    for (let i = 0; i < MAX_REOPENS + 2; i++) {
      fail(opened.at(-1) as Opened);
      vi.advanceTimersByTime(REOPEN_DELAY_MS);
    }
    expect(opened).toHaveLength(1 + MAX_REOPENS);
    expect(media.isOpen('ann')).toBe(false);
    // Someone joining opens sessions for everyone without one: a new one, so the participant is told.
    media.open('ann', ann);
    expect(ann.reopened).toHaveBeenCalledTimes(MAX_REOPENS + 1);
    vi.advanceTimersByTime(REOPEN_WINDOW_MS);
    fail(opened.at(-1) as Opened);
    vi.advanceTimersByTime(REOPEN_DELAY_MS);
    expect(media.isOpen('ann')).toBe(true);
  });

  it('P1: nothing outlives its participant or the room: no reopen after leaving, while draining, or after the room closed', () => {
    const { engine, opened, fail } = recordingEngine();
    const media = new RoomMedia(engine, () => {});
    const [ann, ben, cyd] = [peer(), peer(), peer()];
    media.open('ann', ann);
    media.open('ben', ben);
    media.open('cyd', cyd);
    const [a, b, c] = opened as [Opened, Opened, Opened];
    // Ann fails and leaves before the reopen.
    fail(a);
    media.close('ann');
    // The room goes back to P2P: Ben's draining session failing is not reopened.
    media.drain();
    fail(b);
    vi.advanceTimersByTime(REOPEN_DELAY_MS);
    expect(opened).toHaveLength(3);
    vi.advanceTimersByTime(SFU_DRAIN_MS);
    expect(c.closed).toBe(true);
    // A fresh SFU period: Dan fails, the room closes before the reopen.
    media.open('dan', peer());
    fail(opened.at(-1) as Opened);
    media.closeAll();
    vi.advanceTimersByTime(REOPEN_DELAY_MS);
    expect(opened).toHaveLength(4);
    expect([ann, ben, cyd].every((p) => p.reopened.mock.calls.length === 0)).toBe(true);
  });

  it("restart() replaces a live session at the client's request, within the same budget", () => {
    const { engine, opened } = recordingEngine();
    const media = new RoomMedia(engine, () => {});
    const ann = peer();
    expect(media.restart('ann')).toBe(false);
    media.open('ann', ann);
    expect(media.restart('ann')).toBe(true);
    expect((opened[0] as Opened).closed).toBe(true);
    expect(media.signal('ann', {})).toBe(false);
    vi.advanceTimersByTime(REOPEN_DELAY_MS);
    expect(opened).toHaveLength(2);
    expect(ann.reopened).toHaveBeenCalledTimes(1);
    for (let i = 0; i < MAX_REOPENS; i++) {
      media.restart('ann');
      vi.advanceTimersByTime(REOPEN_DELAY_MS);
    }
    expect(opened).toHaveLength(1 + MAX_REOPENS);
    // A draining session (the room went back to P2P) is not restarted.
    media.open('ben', peer());
    media.drain();
    expect(media.restart('ben')).toBe(false);
  });
});
