import { eventually } from '../wait/until.js';
import type { Evaluates, MeetingBrowser, MeetingPage } from './MeetingPage.js';

/*
 * A meeting seen from a page of either browser, through the web client's automation hook
 * (`globalThis.conclave.conference`, packages/web/src/pages/meeting.ts): join by URL, and read the
 * media mode, the E2EE state and what the page decodes from whom.
 */

export interface JoinOptions {
  /** The server's (or a proxy's) base URL, e.g. `http://127.0.0.1:1234`. */
  url: string;
  room: string;
  name: string;
  /** Joins with end-to-end encryption on, the passphrase in the invite link's fragment. */
  passphrase?: string;
  /** A script that runs in the page before the app's own. */
  init?: string;
  /**
   * Registers the page's close, e.g. vitest's `onTestFinished`, so that a failed attempt's pages
   * leave the room before its retry joins.
   */
  closeWith?: (close: () => Promise<void>) => void;
}

/** Opens the meeting's URL in a new page of `browser`, straight in (no pre-join screen), and waits until joined. */
export async function openMeeting(browser: MeetingBrowser, options: JoinOptions): Promise<MeetingPage> {
  const page = await browser.newPage(options.init ? { init: options.init } : {});
  options.closeWith?.(() => page.close());
  // A space in the fragment, exactly as someone would paste it; the browser percent-encodes it.
  const e2ee = options.passphrase ? `&e2ee=${options.passphrase}` : '';
  await page.goto(`${options.url}/${options.room}#name=${options.name}&prejoin=0${e2ee}`);
  await eventually(
    async () =>
      (await page.evaluate(() => globalThis.conclave?.conference !== undefined)) ? true : undefined,
    `${options.name} (${browser.engine}) to join`,
    60_000,
  );
  return page;
}

declare global {
  // The page's automation hook (packages/web/src/pages/meeting.ts); the kit only reads it.
  var conclave: { conference: import('@conclave/client').Conference } | undefined;
}

/** This page's participant id. */
export function selfId(page: Evaluates): Promise<string> {
  return page.evaluate(() => {
    const c = globalThis.conclave?.conference;
    if (!c) throw new Error('not in a meeting');
    return c.self.id;
  });
}

/** `p2p`, `sfu` or `none` (alone), or undefined outside a meeting. */
export function mediaMode(page: Evaluates): Promise<string | undefined> {
  return page.evaluate(() => globalThis.conclave?.conference?.mediaMode);
}

export interface E2EEState {
  /** The browser can encrypt (an encoded-transform API exists). */
  supported: boolean;
  enabled: boolean;
  /** Which encoded-transform API the client uses here. */
  api: 'RTCRtpScriptTransform' | 'createEncodedStreams' | 'none';
  /** Per remote participant: whether this page decrypts its frames (undefined until decided). */
  decrypt: Record<string, string | undefined>;
}

export function e2eeState(page: Evaluates): Promise<E2EEState> {
  return page.evaluate(() => {
    const c = globalThis.conclave?.conference;
    if (!c) throw new Error('not in a meeting');
    const decrypt: Record<string, string | undefined> = {};
    for (const id of c.participants.keys()) if (id !== c.self.id) decrypt[id] = c.decryptStateOf(id);
    // The client's own order of preference (E2EEManager): the standard API first.
    const legacy = (RTCRtpSender.prototype as { createEncodedStreams?: unknown }).createEncodedStreams;
    const api =
      typeof globalThis.RTCRtpScriptTransform === 'function'
        ? 'RTCRtpScriptTransform'
        : typeof legacy === 'function'
          ? 'createEncodedStreams'
          : 'none';
    return { supported: c.e2eeSupported, enabled: c.e2eeEnabled, api, decrypt };
  });
}

/** What a page receives from one remote participant on its current media path. */
export interface FromParticipant {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  /** Energy of the audio played (0 if nothing was decoded: concealment of silence). */
  audioEnergy: number;
  audioPackets: number;
  videoPackets: number;
}

/** Per remote participant, summed over its streams: frames decoded, picture size, audio. */
export function received(page: Evaluates): Promise<Record<string, FromParticipant>> {
  return page.evaluate(async () => {
    const c = globalThis.conclave?.conference;
    if (!c) throw new Error('not in a meeting');
    const owner = new Map(c.remoteTracks.map((t) => [t.track.id, t.participantId]));
    const report = await c.getStats();
    const out: Record<string, FromParticipant> = {};
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      const id = owner.get(String(s.trackIdentifier));
      if (!id) return;
      const entry = out[id] ?? {
        framesDecoded: 0,
        frameWidth: 0,
        frameHeight: 0,
        audioEnergy: 0,
        audioPackets: 0,
        videoPackets: 0,
      };
      out[id] = entry;
      if (s.kind === 'video') {
        entry.framesDecoded += Number(s.framesDecoded ?? 0);
        entry.videoPackets += Number(s.packetsReceived ?? 0);
        entry.frameWidth = Math.max(entry.frameWidth, Number(s.frameWidth ?? 0));
        entry.frameHeight = Math.max(entry.frameHeight, Number(s.frameHeight ?? 0));
      } else {
        entry.audioPackets += Number(s.packetsReceived ?? 0);
        entry.audioEnergy += Number(s.totalAudioEnergy ?? 0);
      }
    });
    return out;
  });
}

/**
 * Waits until `page` decodes `from`'s video (more than `minFrames` frames, a picture size known)
 * and plays its audio, then until more frames arrive: a live stream, not a counter left from a
 * closed path. Returns the last reading.
 */
export async function decodes(
  page: MeetingPage,
  from: string,
  what: string,
  timeoutMs = 60_000,
): Promise<FromParticipant> {
  let last: unknown;
  const first = await eventually(
    async () => {
      const all = await received(page);
      last = all;
      const s = all[from];
      return s && s.framesDecoded > 10 && s.frameWidth > 0 && s.audioEnergy > 0 ? s : undefined;
    },
    what,
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (${page.engine}); last seen: ${JSON.stringify(last)}`);
  });
  return keepsDecoding(page, from, `${what} (advancing)`, first.framesDecoded, timeoutMs);
}

/** Waits for 15 more frames from `from` than `since` (default: the count now). */
export async function keepsDecoding(
  page: MeetingPage,
  from: string,
  what: string,
  since?: number,
  timeoutMs = 60_000,
): Promise<FromParticipant> {
  const before = since ?? (await received(page))[from]?.framesDecoded ?? 0;
  return eventually(
    async () => {
      const s = (await received(page))[from];
      return s && s.framesDecoded > before + 15 ? s : undefined;
    },
    `${what} (${page.engine})`,
    timeoutMs,
  );
}
