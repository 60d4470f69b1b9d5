import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { eventually, startTestServer, type TempDir, type TestServer, tempDir } from '@conclave/testkit';
import { type Browser, type Locator, launchChromium, mediaStats, type Page } from '@conclave/testkit/browser';
import {
  type DropboxStandIn,
  startDropboxStandIn,
  startWebDavServer,
  type WebDavServer,
} from '@conclave/testkit/standins';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Manifest } from '../packages/server/src/recording/compose.js';

/*
 * Recording through the real UI, in real Chromium against the real server (PRIVACY P12, P13): a
 * moderator records to the operator's folder, to a WebDAV server and to Dropbox (OAuth PKCE in a
 * popup), every participant sees the "Recording" badge and the notices, and the file arrives.
 * Everything runs on 127.0.0.1 inside the tests' loopback-only network namespace: Dropbox's
 * authorize page, token endpoint and upload API are stand-ins here, reached because the server
 * announces the URLs from its configuration (recording.dropbox.authorizeUrl / tokenUrl) and the
 * recording service's upload fetch is pointed at the stand-in (a test-only start option).
 */

let server: TestServer;
let browser: Browser;
const TEST_TIMEOUT = 300_000;
const WAIT = 60_000;
const base: TempDir = tempDir('recording-ui');
const dataDir = join(base.path, 'data');
const localDir = join(base.path, 'local');
const requestedUrls: string[] = [];
const pageProblems: string[] = [];

const APP_KEY = 'conclave-e2e-app';
const ACCESS_TOKEN = `sl.SENTINEL-token-${randomBytes(8).toString('hex')}`;
const DAV_PASSWORD = `dav-SENTINEL-${randomBytes(6).toString('hex')}`;

/** Listens on 127.0.0.1; `close()` also ends the connections still open. */
async function listen(http: Server): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => sockets.add(socket));
  http.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * Dropbox's OAuth side as a browser meets it: an authorize page with Allow / Deny links that go
 * back to `redirect_uri`, and a CORS token endpoint that gives a token only for the verifier whose
 * S256 challenge came with the code. Everything it was asked is kept for the test to check.
 */
const oauth = {
  authorizeQueries: [] as URLSearchParams[],
  tokenRequests: [] as URLSearchParams[],
  challenges: new Map<string, { challenge: string; redirectUri: string }>(),
  issued: 0,
};

async function startOAuthStandIn(): Promise<{ port: number; close(): Promise<void> }> {
  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      oauth.authorizeQueries.push(q);
      const code = randomBytes(12).toString('hex');
      const redirectUri = q.get('redirect_uri') ?? '';
      oauth.challenges.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri });
      const back = (params: Record<string, string>) => {
        const target = new URL(redirectUri);
        for (const [k, v] of Object.entries({ ...params, state: q.get('state') ?? '' }))
          target.searchParams.set(k, v);
        return target.toString().replace(/&/g, '&amp;');
      };
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>Stand-in Dropbox</title><p>Allow ${q.get('client_id')}?</p>` +
          `<a id="allow" href="${back({ code })}">Allow</a> <a id="deny" href="${back({ error: 'access_denied' })}">Deny</a>`,
      );
      return;
    }
    if (url.pathname === '/oauth2/token') {
      const cors = {
        'Access-Control-Allow-Origin': req.headers.origin ?? '*',
        'Content-Type': 'application/json',
      };
      if (req.method !== 'POST') return void res.writeHead(405, cors).end();
      const form = new URLSearchParams((await body(req)).toString());
      oauth.tokenRequests.push(form);
      const issued = oauth.challenges.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const ok =
        issued !== undefined &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === APP_KEY &&
        form.get('redirect_uri') === issued.redirectUri &&
        createHash('sha256').update(verifier).digest('base64url') === issued.challenge;
      if (!ok) return void res.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
      // A code is good once.
      oauth.challenges.delete(form.get('code') ?? '');
      oauth.issued++;
      res
        .writeHead(200, cors)
        .end(JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 14400 }));
      return;
    }
    res.writeHead(404).end();
  });
  return listen(http);
}

/** A real WebDAV server (webdav-server) that wants basic auth, as a Nextcloud with an app password. */
async function startWebDav(): Promise<{
  server: WebDavServer;
  url: string;
  get(path: string): Promise<Response>;
}> {
  const server = await startWebDavServer({ user: { name: 'rita', password: DAV_PASSWORD } });
  const auth = `Basic ${Buffer.from(`rita:${DAV_PASSWORD}`).toString('base64')}`;
  return {
    server,
    url: server.url,
    get: (path) => fetch(new URL(path, server.url), { headers: { Authorization: auth } }),
  };
}

let dav: Awaited<ReturnType<typeof startWebDav>>;
let dropbox: DropboxStandIn;
let oauthStandIn: Awaited<ReturnType<typeof startOAuthStandIn>>;

beforeAll(async () => {
  mkdirSync(localDir);
  oauthStandIn = await startOAuthStandIn();
  // Dropbox's upload-session API, for the token the OAuth stand-in issues only.
  dropbox = await startDropboxStandIn({ token: ACCESS_TOKEN });
  dav = await startWebDav();
  const config = {
    limits: { joinsPerMinute: 1000, joinBurst: 1000 },
    recording: {
      enabled: true,
      dataDir,
      // An archive instead of an ffmpeg composition: this file tests the UI, not the composer.
      compose: false,
      local: { dir: localDir },
      webdav: { enabled: true, allowPrivateAddresses: true },
      dropbox: {
        appKey: APP_KEY,
        authorizeUrl: `http://127.0.0.1:${oauthStandIn.port}/oauth2/authorize`,
        tokenUrl: `http://127.0.0.1:${oauthStandIn.port}/oauth2/token`,
      },
    },
  } as const;
  server = await startTestServer(config, {
    ui: 'built',
    recording: {
      uploads: {
        dropboxFetch: (input, init) => fetch(String(input).replace(/^https:\/\/[^/]+/, dropbox.base), init),
      },
    },
  });
  browser = await launchChromium();
});

// What the stand-ins recorded is per test attempt: a retry must not count its first attempt's token or upload.
beforeEach(() => {
  oauth.authorizeQueries.length = 0;
  oauth.tokenRequests.length = 0;
  oauth.challenges.clear();
  oauth.issued = 0;
  dropbox.files.clear();
  dropbox.calls.length = 0;
  dropbox.refused.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await dav?.server.close();
  await dropbox?.close();
  await oauthStandIn?.close();
  base.remove();
});

async function openMeeting(
  room: string,
  name: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  onTestFinished(() => context.close());
  context.setDefaultTimeout(WAIT);
  const watch = (page: Page) => {
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('pageerror', (error) => pageProblems.push(`${name}: ${error.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) pageProblems.push(`${name}: ${message.text()}`);
    });
  };
  context.on('page', watch);
  const page = await context.newPage();
  // Cameras off: the recording needs media, and microphones are enough (and cheap on 2 cores).
  await page.goto(`${server.url}/${room}#name=${encodeURIComponent(name)}&prejoin=0&video=0`);
  await visible(page.getByTestId('meeting-room'));
  return page;
}

const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
const gone = (locator: Locator) => locator.waitFor({ state: 'hidden' });

async function onSfu(pages: Page[]): Promise<void> {
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
async function audioFlows(page: Page, packets = 150): Promise<void> {
  const start = (await mediaStats(page)).audioPackets;
  await eventually(
    async () => ((await mediaStats(page)).audioPackets >= start + packets ? true : undefined),
    'audio through the SFU while recording',
    WAIT,
  );
}

async function startFromDialog(page: Page, kind: 'local' | 'webdav' | 'dropbox'): Promise<void> {
  await page.getByTestId('recording-control').click();
  await visible(page.getByTestId('recording-dialog'));
  await page.getByTestId(`recording-destination-${kind}`).check();
}

async function recordingShown(pages: Page[], on: boolean): Promise<void> {
  for (const page of pages) {
    if (on) await visible(page.getByTestId('recording-indicator'));
    else await gone(page.getByTestId('recording-indicator'));
  }
}

async function uploadedNotice(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await visible(page.locator('[data-testid="recording-upload"][data-status="uploaded"]'));
    // The final status replaces "Uploading…" instead of standing beside it.
    expect(await page.locator('[data-testid="recording-upload"][data-status="uploading"]').count()).toBe(0);
  }
}

function jobsLeft(): string[] {
  return readdirSync(dataDir);
}

describe('recording controls in Chromium', () => {
  it(
    'P13: a moderator records to the local folder; everyone sees it start, run, stop and arrive',
    async () => {
      const room = 'AmberCranesRecordNightSongs';
      const alice = await openMeeting(room, 'Alice');
      const bob = await openMeeting(room, 'Bob');
      const cyd = await openMeeting(room, 'Cyd');
      const all = [alice, bob, cyd];
      await onSfu(all);

      // Only moderators get the control; nobody sees a badge yet.
      await visible(alice.getByTestId('recording-control'));
      expect(await alice.getByTestId('recording-control').getAttribute('aria-label')).toBe('Record');
      for (const page of [bob, cyd])
        expect(await page.getByTestId('recording-control').isVisible()).toBe(false);
      await recordingShown(all, false);

      await startFromDialog(alice, 'local');
      // The dialog tells what happens to the file (P13) and offers what the server offers.
      const dialogText = (await alice.getByTestId('recording-dialog').textContent()) ?? '';
      expect(dialogText).toMatch(/deletes it at the latest 24 hours/);
      for (const kind of ['local', 'webdav', 'dropbox']) {
        await visible(alice.getByTestId(`recording-destination-${kind}`));
      }
      await alice.getByTestId('recording-start').click();
      await gone(alice.getByTestId('recording-dialog'));

      await recordingShown(all, true);
      for (const page of all) {
        await visible(page.locator('[data-testid="recording-notice"][data-recording="true"]'));
      }
      expect(
        await bob.locator('[data-testid="recording-notice"][data-recording="true"]').textContent(),
      ).toMatch(/^Alice started recording/);
      const control = alice.getByTestId('recording-control');
      expect(await control.getAttribute('aria-label')).toBe('Stop recording');
      expect(await control.getAttribute('aria-pressed')).toBe('true');

      await audioFlows(cyd);
      await control.click();
      await recordingShown(all, false);
      for (const page of all) {
        await visible(page.locator('[data-testid="recording-notice"][data-recording="false"]'));
      }
      await uploadedNotice(all);
      expect(await control.getAttribute('aria-label')).toBe('Record');

      // The archive arrived in the operator's folder, and nothing is left in the data directory.
      const files = readdirSync(localDir);
      expect(files).toHaveLength(1);
      const archive = readFileSync(join(localDir, files[0] ?? ''));
      expect(archive.length).toBeGreaterThan(10_000);
      expect(archive.includes('manifest.json')).toBe(true);
      // Recorded from each camera's highest simulcast layer, not its quarter-size one (1280×720
      // fake camera: layers of 180, 360 and 720 lines).
      const manifest = JSON.parse(
        execFileSync('tar', ['-xOf', join(localDir, files[0] ?? ''), 'manifest.json'], { encoding: 'utf8' }),
      ) as Manifest;
      const videos = manifest.tracks.filter((t) => t.kind === 'video');
      if (process.env.E2E_TRACE)
        console.log(
          'recorded video sizes',
          videos.map((t) => `${t.width}x${t.height}`),
        );
      expect(videos).toHaveLength(3);
      for (const video of videos) expect(video.height).toBeGreaterThan(180);
      await eventually(
        async () => (jobsLeft().length === 0 ? true : undefined),
        'an empty data directory',
        WAIT,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'WebDAV: URL, user name and app password from the dialog reach a WebDAV server that wants them',
    async () => {
      const room = 'CopperOwlsArchiveRiverTales';
      // A laptop screen: the whole dialog fits without scrolling, and the example address wraps inside it.
      const alice = await openMeeting(room, 'Alice', { width: 1280, height: 800 });
      const bob = await openMeeting(room, 'Bob');
      await startFromDialog(alice, 'webdav');
      await visible(alice.getByTestId('recording-webdav-fields'));
      const fit = await alice.getByTestId('recording-dialog').evaluate((dialog) => {
        const box = dialog.getBoundingClientRect();
        const example = dialog.querySelector<HTMLElement>('[data-testid="recording-webdav-example"]');
        const exampleBox = example?.getBoundingClientRect();
        return {
          scrollHeight: dialog.scrollHeight,
          clientHeight: dialog.clientHeight,
          example: example?.textContent ?? '',
          exampleOverflows: example ? example.scrollWidth > example.clientWidth : true,
          exampleInside: exampleBox ? exampleBox.left >= box.left && exampleBox.right <= box.right : false,
        };
      });
      expect(fit.example).toMatch(/^https:\/\/cloud\.example\.org\//);
      expect(fit.scrollHeight).toBeLessThanOrEqual(fit.clientHeight);
      expect(fit.exampleOverflows).toBe(false);
      expect(fit.exampleInside).toBe(true);
      // A URL with credentials in it is refused before anything is sent.
      await alice.getByTestId('recording-webdav-url').fill(`http://rita:x@127.0.0.1:1/`);
      await alice.getByTestId('recording-start').click();
      await eventually(
        async () =>
          /own fields/.test((await alice.getByTestId('recording-error').textContent()) ?? '')
            ? true
            : undefined,
        'the URL check',
        WAIT,
      );
      await alice.getByTestId('recording-webdav-url').fill(dav.url);
      await alice.getByTestId('recording-webdav-user').fill('rita');
      await alice.getByTestId('recording-webdav-password').fill(DAV_PASSWORD);
      await alice.getByTestId('recording-start').click();
      // Two people recorded: the meeting moves to the SFU, where the recorder listens.
      await recordingShown([alice, bob], true);
      await onSfu([alice, bob]);
      await audioFlows(bob);
      await alice.getByTestId('recording-control').click();
      await recordingShown([alice, bob], false);
      await uploadedNotice([alice, bob]);

      // The archive is on the WebDAV server, under the name the server gave it.
      const arrived = await davFile();
      expect(arrived.name).toMatch(/^conclave-.+\.tar$/);
      expect(arrived.content.includes('manifest.json')).toBe(true);
      await eventually(
        async () => (jobsLeft().length === 0 ? true : undefined),
        'an empty data directory',
        WAIT,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'Dropbox: PKCE in a popup (S256, online token), the token only in startRecording, upload arrives',
    async () => {
      const room = 'IndigoFoxesSketchSilentHills';
      const alice = await openMeeting(room, 'Alice');
      const bob = await openMeeting(room, 'Bob');
      await startFromDialog(alice, 'dropbox');
      expect(await alice.getByTestId('recording-start').textContent()).toBe('Connect Dropbox and record');
      const popupOpened = alice.waitForEvent('popup');
      await alice.getByTestId('recording-start').click();
      const popup = await popupOpened;
      popup.setDefaultTimeout(WAIT);
      await visible(popup.locator('#allow'));

      const q = oauth.authorizeQueries.at(-1);
      expect(q?.get('client_id')).toBe(APP_KEY);
      expect(q?.get('response_type')).toBe('code');
      expect(q?.get('code_challenge_method')).toBe('S256');
      expect(q?.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q?.get('token_access_type')).toBe('online');
      expect(q?.get('redirect_uri')).toBe(`${server.url}/oauth/dropbox`);
      expect(q?.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await visible(alice.getByTestId('recording-status'));

      await popup.locator('#allow').click();
      await recordingShown([alice, bob], true);
      expect(oauth.issued).toBe(1);
      // The page checked the verifier against the challenge it sent (the stand-in refuses otherwise).
      expect(oauth.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The token is never stored by the page.
      const stored = await alice.evaluate(
        () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      );
      expect(stored).not.toContain('SENTINEL');
      expect(await alice.evaluate(() => document.cookie)).toBe('');

      await onSfu([alice, bob]);
      await audioFlows(bob);
      await alice.getByTestId('recording-control').click();
      await recordingShown([alice, bob], false);
      await uploadedNotice([alice, bob]);
      expect(dropbox.files.size).toBe(1);
      const [file] = [...dropbox.files.values()];
      expect(file?.includes('manifest.json')).toBe(true);
      await eventually(
        async () => (jobsLeft().length === 0 ? true : undefined),
        'an empty data directory',
        WAIT,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'Dropbox: a declined authorization is explained and nothing starts',
    async () => {
      const alice = await openMeeting('OliveSwansDeclineEveryInvite', 'Alice');
      await startFromDialog(alice, 'dropbox');
      const popupOpened = alice.waitForEvent('popup');
      await alice.getByTestId('recording-start').click();
      const popup = await popupOpened;
      await popup.locator('#deny').click();
      await eventually(
        async () =>
          /not granted/.test((await alice.getByTestId('recording-error').textContent()) ?? '')
            ? true
            : undefined,
        'the declined message',
        WAIT,
      );
      expect(await alice.getByTestId('recording-indicator').isVisible()).toBe(false);
      expect(await alice.getByTestId('recording-start').isEnabled()).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it('P8: only the configured Dropbox stand-in besides this server, and the CSP was never violated', async () => {
    // The CSP lets the page fetch the token endpoint's origin, and nothing else beyond its own.
    const csp = (await fetch(server.url)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' http://127.0.0.1:${oauthStandIn.port};`);
    const origins = new Set(requestedUrls.map((u) => new URL(u).origin));
    origins.delete(new URL(server.url).origin);
    // The popup's authorize page and the token exchange; nothing else left this origin.
    expect([...origins]).toEqual([`http://127.0.0.1:${oauthStandIn.port}`]);
    expect(pageProblems).toEqual([]);
  });

  it('P7: the server logs carry no token, password, code or destination', () => {
    const logs = server.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [ACCESS_TOKEN, DAV_PASSWORD, 'SENTINEL', dav.url, 'rita', localDir]) {
      expect(logs).not.toContain(secret);
    }
  });
});

/** The one file in the WebDAV root (PROPFIND), with its name. */
async function davFile(): Promise<{ name: string; content: Buffer }> {
  const auth = `Basic ${Buffer.from(`rita:${DAV_PASSWORD}`).toString('base64')}`;
  const listing = await fetch(dav.url, { method: 'PROPFIND', headers: { Depth: '1', Authorization: auth } });
  expect(listing.status).toBe(207);
  const hrefs = [...(await listing.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map(
    (m) => m[1] ?? '',
  );
  const files = hrefs.filter((href) => !href.endsWith('/'));
  expect(files).toHaveLength(1);
  const path = new URL(files[0] ?? '', dav.url).pathname;
  const file = await dav.get(path);
  expect(file.status).toBe(200);
  return { name: decodeURIComponent(path.slice(1)), content: Buffer.from(await file.arrayBuffer()) };
}
