import type { Page } from 'playwright-core';

/*
 * Freeze measurement at a receiver: the largest gap between video frames, per remote participant,
 * measured two ways inside the page.
 *  - `ui`: frames presented by the participant's tile (`requestVideoFrameCallback` on whichever
 *    <video> the tile shows now): what the person in front of the screen sees.
 *  - `media`: frames arriving on any of the participant's remote video tracks, old path or new
 *    (MediaStreamTrackProcessor): what the media paths deliver during a P2P⇄SFU handover.
 * `start()` installs the monitor (once the conference exists); `read(reset)` returns the largest
 * gaps in ms since the last reset, counting a freeze still in progress up to now, and how many
 * presented-frame gaps were freezes (longer than FREEZE_MS).
 */

/** A gap between presented frames that a viewer sees as a freeze. */
export const FREEZE_MS = 500;

export interface FreezeReading {
  ui: Record<string, number>;
  media: Record<string, number>;
  /** Gaps longer than FREEZE_MS between frames the tile presented, per participant. */
  freezes: Record<string, number>;
  /** Mode changes, path states, tracks and their first frames since the last read (ms since start). */
  timeline: string[];
}

export async function startFreezeMonitor(page: Page): Promise<void> {
  await page.evaluate((freezeMs) => {
    type Remote = { participantId: string; track: MediaStreamTrack };
    type Conf = {
      remoteTracks: Remote[];
      on(event: 'trackAdded' | 'trackRemoved', f: (r: Remote) => void): void;
      on(event: 'mediaModeChanged' | 'mediaConnectionState', f: (v: string) => void): void;
    };
    const g = globalThis as unknown as {
      conclave: { conference: Conf };
      __freeze?: { read(reset: boolean): unknown };
      MediaStreamTrackProcessor?: new (init: {
        track: MediaStreamTrack;
      }) => { readable: ReadableStream<{ close(): void }> };
    };
    if (g.__freeze) return;
    const last = { ui: new Map<string, number>(), media: new Map<string, number>() };
    // A timeline of the handover, for finding where a freeze comes from.
    const events: string[] = [];
    const t0 = performance.now();
    const log = (what: string) => events.push(`${Math.round(performance.now() - t0)} ${what}`);
    const worst = { ui: new Map<string, number>(), media: new Map<string, number>() };
    const freezes = new Map<string, number>();
    const frame = (kind: 'ui' | 'media', id: string) => {
      const now = performance.now();
      const prev = last[kind].get(id);
      if (prev !== undefined) worst[kind].set(id, Math.max(worst[kind].get(id) ?? 0, now - prev));
      if (kind === 'ui' && prev !== undefined && now - prev > freezeMs)
        freezes.set(id, (freezes.get(id) ?? 0) + 1);
      // Where long gaps fall relative to the handover's events.
      if (prev !== undefined && now - prev > 250)
        log(`gap ${kind} ${id.slice(0, 4)} ${Math.round(now - prev)} ms`);
      last[kind].set(id, now);
    };
    // UI: follow each tile's current <video>.
    const watched = new WeakSet<HTMLVideoElement>();
    setInterval(() => {
      for (const tile of document.querySelectorAll<HTMLElement>('[data-participant-id]')) {
        const id = tile.dataset.participantId ?? '';
        const video = tile.querySelector<HTMLVideoElement>('video[data-testid="remote-video"]');
        if (!video || watched.has(video)) continue;
        watched.add(video);
        const onFrame = () => {
          if (!video.isConnected) return;
          frame('ui', id);
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      }
    }, 20);
    // Media: every remote video track, on whichever path it came.
    const Processor = g.MediaStreamTrackProcessor;
    const consume = (remote: Remote) => {
      if (remote.track.kind !== 'video' || !Processor) return;
      const reader = new Processor({ track: remote.track.clone() }).readable.getReader();
      log(`trackAdded ${remote.participantId.slice(0, 4)} ${remote.track.id.slice(0, 6)}`);
      let first = true;
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done || !value) return;
          value.close();
          if (first) log(`first frame ${remote.participantId.slice(0, 4)} ${remote.track.id.slice(0, 6)}`);
          first = false;
          frame('media', remote.participantId);
        }
      })();
    };
    const conference = g.conclave.conference;
    for (const remote of conference.remoteTracks) consume(remote);
    conference.on('trackAdded', consume);
    conference.on('trackRemoved', (r) =>
      log(`trackRemoved ${r.participantId.slice(0, 4)} ${r.track.id.slice(0, 6)}`),
    );
    conference.on('mediaModeChanged', (m) => log(`mode ${m}`));
    conference.on('mediaConnectionState', (st) => log(`path ${st}`));
    g.__freeze = {
      read(reset: boolean) {
        const now = performance.now();
        const out: Record<'ui' | 'media', Record<string, number>> = { ui: {}, media: {} };
        for (const kind of ['ui', 'media'] as const) {
          for (const [id, at] of last[kind]) {
            out[kind][id] = Math.round(Math.max(worst[kind].get(id) ?? 0, now - at));
          }
          if (reset) worst[kind].clear();
        }
        const counted = Object.fromEntries(freezes);
        if (reset) freezes.clear();
        const timeline = events.splice(0);
        return { ...out, freezes: counted, timeline };
      },
    };
  }, FREEZE_MS);
}

export async function readFreeze(page: Page, reset = false): Promise<FreezeReading> {
  return page.evaluate(
    (r) => (globalThis as unknown as { __freeze: { read(reset: boolean): FreezeReading } }).__freeze.read(r),
    reset,
  );
}
