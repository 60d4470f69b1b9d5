import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { eventually } from '../wait/until.js';

/*
 * Host pages of the embedding API (docs/embedding.md) for browser tests: a tiny HTTP server on
 * another loopback origin whose page loads the Conclave server's /external_api.js, and helpers
 * that build a ConclaveExternalAPI in it, record every event it hears, and run its commands.
 */

/** Every event of the API (packages/web/src/embed/messages.ts): a host page records them all. */
export const EMBED_EVENTS = [
  'videoConferenceJoined',
  'videoConferenceLeft',
  'participantJoined',
  'participantLeft',
  'audioMuteStatusChanged',
  'videoMuteStatusChanged',
  'screenSharingStatusChanged',
  'raiseHandUpdated',
  'dominantSpeakerChanged',
  'pinnedParticipantChanged',
  'incomingMessage',
  'passwordRequired',
  'readyToClose',
  'errorOccurred',
] as const;

export interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/**
 * A host site on 127.0.0.1 (port 0): `/` loads `conclaveOrigin()`'s external_api.js (read at each
 * request, so the site may start before the Conclave server); `/blank` is an empty page.
 */
export async function startHostSite(conclaveOrigin: () => string): Promise<HostSite> {
  const http: Server = createServer((req, res) => {
    const body =
      req.url === '/'
        ? `<!doctype html><title>Host</title><div id="meet"></div><script src="${conclaveOrigin()}/external_api.js"></script>`
        : '<!doctype html><title>Blank</title>';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

export interface HostPageOptions {
  /** The Conclave server's base URL; the API is given only its host (it picks http on loopback). */
  conclaveUrl: string;
  room: string;
  displayName: string;
}

/**
 * Opens `site`'s host page in `page` and puts a meeting of `room` in its iframe, joined as
 * `displayName` with the camera off (these tests are about the API, and encoding video would only
 * load the machine). Every API event is recorded in the page (`hostEvents`).
 */
export async function openHostPage(page: Page, site: HostSite, options: HostPageOptions): Promise<Page> {
  await page.goto(`${site.origin}/`);
  await page.evaluate(
    ({ domain, room, displayName, events }) => {
      const w = window as unknown as Record<string, unknown>;
      const recorded: { name: string; data: unknown }[] = [];
      w.events = recorded;
      w.frameLoads = 0;
      const Api = w.ConclaveExternalAPI as new (
        domain: string,
        options: object,
      ) => { addListener(name: string, fn: (data: unknown) => void): void; getIFrame(): HTMLIFrameElement };
      const api = new Api(domain, {
        roomName: room,
        parentNode: document.getElementById('meet'),
        width: 640,
        height: 400,
        userInfo: { displayName },
        configOverwrite: { startWithVideoMuted: true },
      });
      w.api = api;
      api.getIFrame().addEventListener('load', () => {
        w.frameLoads = (w.frameLoads as number) + 1;
      });
      for (const name of events) api.addListener(name, (data) => recorded.push({ name, data }));
    },
    { domain: new URL(options.conclaveUrl).host, ...options, events: [...EMBED_EVENTS] },
  );
  return page;
}

export type HostEvent = { name: string; data: Record<string, unknown> };

/** The events the host page heard so far, in order. */
export const hostEvents = (page: Page): Promise<HostEvent[]> =>
  page.evaluate(() => (window as unknown as { events: HostEvent[] }).events);

/** How many times the host page's iframe finished loading (an error page counts too). */
export const frameLoads = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { frameLoads: number }).frameLoads);

/** Waits for the first recorded event named `name` whose data satisfies `match`; returns its data. */
export function waitForHostEvent(
  page: Page,
  name: string,
  match: (data: Record<string, unknown>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => (await hostEvents(page)).find((e) => e.name === name && match(e.data))?.data,
    `the host page's ${name} event`,
    timeoutMs,
  );
}

/** `api.executeCommand(name, ...args)` in the host page. */
export const hostCommand = (page: Page, name: string, ...args: unknown[]): Promise<void> =>
  page.evaluate(
    ({ name, args }) =>
      (window as unknown as { api: { executeCommand(n: string, ...a: unknown[]): void } }).api.executeCommand(
        name,
        ...args,
      ),
    { name, args },
  );

export type HostParticipantInfo = {
  participantId: string;
  displayName?: string;
  audioMuted: boolean;
  local: boolean;
};

/** `api.getParticipantsInfo()` in the host page. */
export const hostParticipantsInfo = (page: Page): Promise<HostParticipantInfo[]> =>
  page.evaluate(() =>
    (
      window as unknown as { api: { getParticipantsInfo(): Promise<HostParticipantInfo[]> } }
    ).api.getParticipantsInfo(),
  );

/** The host page's Conclave iframe (the API names it `conclaveFrame<n>`). */
export function conclaveFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.name().startsWith('conclaveFrame'));
  if (!frame) throw new Error('no Conclave iframe');
  return frame;
}
