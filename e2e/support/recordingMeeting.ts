import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startTestServer, type TempDir, type TestServer, tempDir } from '@conclave/testkit';
import { type Browser, type Locator, launchChromium, mediaStats, type Page } from '@conclave/testkit/browser';
import {
  type DropboxOAuthStandIn,
  type DropboxStandIn,
  startDropboxOAuthStandIn,
  startDropboxStandIn,
  startWebDavServer,
  type WebDavServer,
} from '@conclave/testkit/standins';
import { afterAll, beforeAll, beforeEach, expect, onTestFinished } from 'vitest';

/*
 * What the recording-UI browser files (recording-ui*.e2e.test.ts) share: one server per file with
 * recording to the operator's folder, to WebDAV and to Dropbox, each destination a stand-in on
 * 127.0.0.1 (Dropbox's authorize page, token endpoint and upload API: the server announces the
 * OAuth URLs from its configuration, and the recording service's upload fetch is pointed at the
 * stand-in, a test-only start option), one Chromium whose requests and page errors are watched,
 * and the steps of the recording dialog.
 */

export const TEST_TIMEOUT = 300_000;
export const WAIT = 60_000;
export const APP_KEY = 'conclave-e2e-app';

export interface RecordingRig {
  readonly server: TestServer;
  readonly dropbox: DropboxStandIn;
  readonly oauth: DropboxOAuthStandIn;
  readonly davUrl: string;
  readonly dataDir: string;
  readonly localDir: string;
  /** Secrets the server must never log (P7). */
  readonly accessToken: string;
  readonly davPassword: string;
  /** Every URL the pages requested, and their errors and CSP violations, over the whole file. */
  readonly requestedUrls: readonly string[];
  readonly pageProblems: readonly string[];
  /** Opens the meeting straight in, cameras off (microphones are enough, and cheap on 2 cores). */
  openMeeting(room: string, name: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** The one file in the WebDAV root (PROPFIND), with its name. */
  davFile(): Promise<{ name: string; content: Buffer }>;
  /** Waits until the data directory is empty: the job ended, file and record deleted (P13). */
  noJobsLeft(): Promise<void>;
}

/** Starts the stand-ins, the server and Chromium in the file's beforeAll and stops them in its afterAll. */
export function recordingRig(): RecordingRig {
  const accessToken = `sl.SENTINEL-token-${randomBytes(8).toString('hex')}`;
  const davPassword = `dav-SENTINEL-${randomBytes(6).toString('hex')}`;
  const davAuth = `Basic ${Buffer.from(`rita:${davPassword}`).toString('base64')}`;
  const requestedUrls: string[] = [];
  const pageProblems: string[] = [];
  let base: TempDir | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let dav: WebDavServer | undefined;
  let dropbox: DropboxStandIn | undefined;
  let oauth: DropboxOAuthStandIn | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the recording rig is used before its beforeAll ran');
    return value;
  };
  const dataDir = () => join(started(base).path, 'data');
  const localDir = () => join(started(base).path, 'local');

  beforeAll(async () => {
    base = tempDir('recording-ui');
    mkdirSync(localDir());
    oauth = await startDropboxOAuthStandIn({ appKey: APP_KEY, accessToken });
    // Dropbox's upload-session API, for the token the OAuth stand-in issues only.
    const box = await startDropboxStandIn({ token: accessToken });
    dropbox = box;
    dav = await startWebDavServer({ user: { name: 'rita', password: davPassword } });
    const config = {
      limits: { joinsPerMinute: 1000, joinBurst: 1000 },
      recording: {
        enabled: true,
        dataDir: dataDir(),
        // An archive instead of an ffmpeg composition: these files test the UI, not the composer.
        compose: false,
        local: { dir: localDir() },
        webdav: { enabled: true, allowPrivateAddresses: true },
        dropbox: {
          appKey: APP_KEY,
          authorizeUrl: `${oauth.base}/oauth2/authorize`,
          tokenUrl: `${oauth.base}/oauth2/token`,
        },
      },
    } as const;
    server = await startTestServer(config, {
      ui: 'built',
      recording: {
        uploads: {
          dropboxFetch: (input, init) => fetch(String(input).replace(/^https:\/\/[^/]+/, box.base), init),
        },
      },
    });
    browser = await launchChromium();
  });

  // What the stand-ins recorded is per test attempt: a retry must not count its first attempt's token or upload.
  beforeEach(() => {
    oauth?.reset();
    dropbox?.files.clear();
    if (dropbox) dropbox.calls.length = 0;
    if (dropbox) dropbox.refused.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dav?.close();
    await dropbox?.close();
    await oauth?.close();
    base?.remove();
  });

  return {
    get server() {
      return started(server);
    },
    get dropbox() {
      return started(dropbox);
    },
    get oauth() {
      return started(oauth);
    },
    get davUrl() {
      return started(dav).url;
    },
    get dataDir() {
      return dataDir();
    },
    get localDir() {
      return localDir();
    },
    accessToken,
    davPassword,
    requestedUrls,
    pageProblems,
    async openMeeting(room, name, viewport) {
      const context = await started(browser).newContext(viewport ? { viewport } : {});
      onTestFinished(() => context.close());
      context.setDefaultTimeout(WAIT);
      const watch = (page: Page) => {
        page.on('request', (request) => requestedUrls.push(request.url()));
        page.on('pageerror', (error) => pageProblems.push(`${name}: ${error.message}`));
        page.on('console', (message) => {
          if (/Content.Security.Policy/i.test(message.text()))
            pageProblems.push(`${name}: ${message.text()}`);
        });
      };
      context.on('page', watch);
      const page = await context.newPage();
      await page.goto(`${started(server).url}/${room}#name=${encodeURIComponent(name)}&prejoin=0&video=0`);
      await visible(page.getByTestId('meeting-room'));
      return page;
    },
    async davFile() {
      const url = started(dav).url;
      const listing = await fetch(url, {
        method: 'PROPFIND',
        headers: { Depth: '1', Authorization: davAuth },
      });
      expect(listing.status).toBe(207);
      const hrefs = [...(await listing.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map(
        (m) => m[1] ?? '',
      );
      const files = hrefs.filter((href) => !href.endsWith('/'));
      expect(files).toHaveLength(1);
      const path = new URL(files[0] ?? '', url).pathname;
      const file = await fetch(new URL(path, url), { headers: { Authorization: davAuth } });
      expect(file.status).toBe(200);
      return { name: decodeURIComponent(path.slice(1)), content: Buffer.from(await file.arrayBuffer()) };
    },
    async noJobsLeft() {
      await eventually(
        async () => (readdirSync(dataDir()).length === 0 ? true : undefined),
        'an empty data directory',
        WAIT,
      );
    },
  };
}

export const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
export const gone = (locator: Locator) => locator.waitFor({ state: 'hidden' });

export async function onSfu(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await eventually(
      async () =>
        (await page.getByTestId('meeting-mode').getAttribute('data-mode')) === 'sfu' ? true : undefined,
      'the meeting on the SFU',
      WAIT,
    );
  }
}

/** Waits until `page` received this many more audio packets: media is flowing through the SFU. */
export async function audioFlows(page: Page, packets = 150): Promise<void> {
  const start = (await mediaStats(page)).audioPackets;
  await eventually(
    async () => ((await mediaStats(page)).audioPackets >= start + packets ? true : undefined),
    'audio through the SFU while recording',
    WAIT,
  );
}

export async function startFromDialog(page: Page, kind: 'local' | 'webdav' | 'dropbox'): Promise<void> {
  await page.getByTestId('recording-control').click();
  await visible(page.getByTestId('recording-dialog'));
  await page.getByTestId(`recording-destination-${kind}`).check();
}

export async function recordingShown(pages: Page[], on: boolean): Promise<void> {
  for (const page of pages) {
    if (on) await visible(page.getByTestId('recording-indicator'));
    else await gone(page.getByTestId('recording-indicator'));
  }
}

export async function uploadedNotice(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await visible(page.locator('[data-testid="recording-upload"][data-status="uploaded"]'));
    // The final status replaces "Uploading…" instead of standing beside it.
    expect(await page.locator('[data-testid="recording-upload"][data-status="uploading"]').count()).toBe(0);
  }
}

/** P7: the server's logs carry none of these (tokens, passwords, codes, destinations). */
export function expectLogsWithout(server: TestServer, secrets: string[]): void {
  const logs = server.logs.join('');
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(logs).not.toContain(secret);
}
