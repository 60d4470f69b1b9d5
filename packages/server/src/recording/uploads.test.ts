import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, isIP, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { leftoversSince, settledSnapshot, tempDir } from '@conclave/testkit';
import {
  type DropboxStandInOptions,
  startDropboxStandIn,
  startWebDavServer,
} from '@conclave/testkit/standins';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createClient } from 'webdav';
import { createLogger } from '../log/logger.js';
import { ManualClock } from './Clock.js';
import type { StoredDestination } from './destinations/Destination.js';
import { DropboxDestination } from './destinations/DropboxUpload.js';
import { WebDavDestination, type WebDavOptions } from './destinations/WebDav.js';
import { type JobRecord, JobStore } from './JobStore.js';
import { HOUR_MS } from './Retention.js';
import { Uploader } from './Uploader.js';

/*
 * Uploads against real servers on 127.0.0.1: a WebDAV server (webdav-server), a stand-in for
 * Dropbox's upload-session endpoints that the official SDK is pointed at, and servers that refuse,
 * answer garbage, hang or run out of space. Time runs on a ManualClock, so retries until a 1-hour
 * deadline take milliseconds.
 */

const log = createLogger({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: Server | TcpServer): Promise<number> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket: import('node:net').Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
  });
  return (server.address() as AddressInfo).port;
}

async function setup(
  destination: StoredDestination,
  content = randomBytes(10_000),
  timeoutMs = 2000,
  // The servers here are on loopback: allowed unless a test says otherwise.
  webdavOptions: Partial<Pick<WebDavOptions, 'allowPrivateAddresses' | 'resolve'>> = {},
) {
  const temp = tempDir('up');
  onTestFinished(() => temp.remove());
  const store = new JobStore(join(temp.path, 'data'));
  await store.init();
  const clock = new ManualClock();
  const now = clock.now();
  const job: JobRecord = {
    version: 1,
    id: store.newId(),
    meetingId: 'meeting',
    state: 'uploading',
    createdAt: now,
    endedAt: now,
    deadline: now + HOUR_MS,
    destination,
    output: 'recording.webm',
    attempts: 0,
  };
  const dir = await store.create(job);
  writeFileSync(join(dir, 'recording.webm'), content);
  const told: ServerMessageOf<'recordingUpload'>[] = [];
  const uploader = new Uploader({
    store,
    clock,
    log,
    retentionMs: HOUR_MS,
    notify: (_m, message) => told.push(message),
    destination: (d) => {
      if (d.kind === 'webdav') {
        return new WebDavDestination({ ...d, timeoutMs, allowPrivateAddresses: true, ...webdavOptions });
      }
      if (d.kind === 'dropbox') {
        return new DropboxDestination({
          accessToken: d.accessToken,
          chunkBytes: 3000,
          timeoutMs,
          domain: 'dropbox.test',
          fetch: (input, init) => fetch(String(input).replace(/^https:\/\/[^/]+/, dropboxBase), init),
        });
      }
      throw new Error('unexpected');
    },
  });
  cleanups.push(() => uploader.close());
  return { store, clock, job, dir, told, uploader, content };
}

let dropboxBase = '';

/** The Dropbox stand-in, accepting `good-token` unless told otherwise; the SDK's requests go to it. */
async function fakeDropbox(behave: Partial<DropboxStandInOptions> = {}) {
  const box = await startDropboxStandIn({ token: 'good-token', ...behave });
  cleanups.push(() => box.close());
  dropboxBase = box.base;
  return box;
}

describe('recording uploads', () => {
  it('P13: uploads to a real WebDAV server, then deletes the file and its job record', async () => {
    const { url } = await davServer();
    const t = await setup({ kind: 'webdav', url });
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    const stored = await createClient(url).getFileContents('/recording.webm');
    expect(Buffer.from(stored as ArrayBuffer).equals(t.content)).toBe(true);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
    expect(t.told.map((m) => m.status)).toEqual(['uploading', 'uploaded']);
  });

  it('uploads to Dropbox in chunks through an upload session', async () => {
    const box = await fakeDropbox();
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' });
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    expect(box.callNames()).toEqual(['start', 'append_v2', 'append_v2', 'finish']);
    expect(box.files.get('/recording.webm')?.equals(t.content)).toBe(true);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });

  it('a finished Dropbox upload leaves none of its request timeouts running', async () => {
    await fakeDropbox();
    // Timeouts far longer than the test: one still pending after the upload would show.
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' }, randomBytes(10_000), 60_000);
    const before = await settledSnapshot();
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    // (Keep-alive sockets to the stand-in may linger a moment; timers are what this is about.)
    const left = await leftoversSince(before, { graceMs: 1000 });
    expect(left.filter((l) => l.includes('Timeout'))).toEqual([]);
  });

  it('resumes a Dropbox session after a failed chunk, at the offset Dropbox reports', async () => {
    const box = await fakeDropbox({ failAppend: 1 });
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' });
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    expect(box.callNames().filter((c) => c === 'start')).toHaveLength(1);
    expect(box.files.get('/recording.webm')?.equals(t.content)).toBe(true);
    expect(t.told.map((m) => m.status)).toEqual(['uploading', 'retrying', 'uploaded']);
  });

  it('P13: a refused Dropbox token fails the job at once and deletes file and token', async () => {
    await fakeDropbox({ token: 'other' });
    const t = await setup({ kind: 'dropbox', accessToken: 'expired-token' });
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    expect(t.told.at(-1)).toMatchObject({ status: 'failed', reason: 'unauthorized' });
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });

  it('P13: a Dropbox token that expires mid-upload fails the job at once, says so, and deletes file and token', async () => {
    const box = await fakeDropbox({ expireAfter: 1 });
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' });
    const start = t.clock.now();
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    // The first chunk went in; the second was answered `expired_access_token`, and nothing after.
    expect(box.callNames()).toEqual(['start']);
    expect(box.refused).toEqual(['/2/files/upload_session/append_v2']);
    expect(t.told.map((m) => [m.status, m.reason])).toEqual([
      ['uploading', undefined],
      ['failed', 'token-expired'],
    ]);
    // At once: no backoff wait, no retry. The job record held the token and the session: both gone.
    expect(t.clock.now()).toBe(start);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
    expect(box.files.size).toBe(0);
  });

  it('P13: a destination that runs out of space fails the job and deletes the file', async () => {
    await fakeDropbox({ noSpace: true });
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' });
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    expect(t.told.at(-1)).toMatchObject({ status: 'failed', reason: 'no-space' });
    expect(existsSync(t.dir)).toBe(false);

    const full = createServer((_req, res) => {
      res.writeHead(507);
      res.end();
    });
    const port = await listen(full);
    const w = await setup({ kind: 'webdav', url: `http://127.0.0.1:${port}/` });
    expect(await w.uploader.enqueue(w.job)).toBe('failed');
    expect(w.told.at(-1)).toMatchObject({ status: 'failed', reason: 'no-space' });
  });

  it('P13: destination down → retries with backoff → deadline → file and job deleted', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const t = await setup({ kind: 'webdav', url: `http://127.0.0.1:${port}/`, password: 'secret' });
    const start = t.clock.now();
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    const retries = t.told.filter((m) => m.status === 'retrying');
    expect(retries.length).toBeGreaterThan(5);
    expect(retries[0]?.reason).toBe('unreachable');
    expect(t.told.at(-1)).toMatchObject({ status: 'failed', reason: 'expired' });
    expect(t.clock.now() - start).toBeGreaterThanOrEqual(HOUR_MS);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });

  it('P13: a destination that answers garbage or never answers is retried until the deadline', async () => {
    const garbage = createTcpServer((socket) => socket.end('SURPRISE\r\n\r\n'));
    const gPort = await listen(garbage);
    const g = await setup({ kind: 'webdav', url: `http://127.0.0.1:${gPort}/` });
    expect(await g.uploader.enqueue(g.job)).toBe('failed');
    expect(g.told.some((m) => m.status === 'retrying')).toBe(true);
    expect(readdirSync(g.store.dataDir)).toEqual([]);

    const sockets: import('node:net').Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
    });
    const sPort = await listen(silent);
    const s = await setup({ kind: 'webdav', url: `http://127.0.0.1:${sPort}/` }, randomBytes(1000), 100);
    // Let the deadline come after a few timed-out attempts.
    s.job.deadline = s.clock.now() + 10_000;
    expect(await s.uploader.enqueue(s.job)).toBe('failed');
    expect(s.told.find((m) => m.status === 'retrying')?.reason).toBe('timeout');
    expect(readdirSync(s.store.dataDir)).toEqual([]);
  });
});

/** A resolver that knows made-up names only: nothing reaches real DNS. */
function resolver(answers: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: isIP(address) }));
  };
  return { resolve, asked };
}

async function davServer() {
  const dav = await startWebDavServer();
  cleanups.push(() => dav.close());
  return dav;
}

describe('WebDAV hosts on private addresses (SSRF)', () => {
  it('refuses a public-looking name that resolves to loopback, before connecting, with a clear error', async () => {
    const dav = await davServer();
    const dns = resolver({ 'dav.example.test': ['127.0.0.1'] });
    const url = `http://dav.example.test:${dav.port}/`;
    const t = await setup({ kind: 'webdav', url }, undefined, 2000, {
      allowPrivateAddresses: false,
      resolve: dns.resolve,
    });
    const direct = new WebDavDestination({
      url,
      timeoutMs: 2000,
      allowPrivateAddresses: false,
      resolve: dns.resolve,
    });
    await expect(
      direct.upload({
        path: join(t.dir, 'recording.webm'),
        name: 'recording.webm',
        size: t.content.length,
        progress: undefined,
        saveProgress: async () => {},
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ reason: 'private-address', message: /private.*allowPrivateAddresses/ });
    // Through the uploader: a permanent failure, the meeting is told why, nothing is kept.
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    expect(t.told.map((m) => [m.status, m.reason])).toEqual([
      ['uploading', undefined],
      ['failed', 'private-address'],
    ]);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
    expect(dns.asked).toEqual(['dav.example.test', 'dav.example.test']);
    expect(dav.hosts).toEqual([]);
  });

  it('refuses a name if any of its addresses is private, in any notation', async () => {
    const cases = [
      ['198.51.100.7', '10.1.2.3'],
      ['192.168.0.10'],
      ['169.254.169.254'],
      ['0.0.0.0'],
      ['224.0.0.251'],
      ['::1'],
      ['::'],
      ['fd12:3456::1'],
      ['fe80::1'],
      ['ff02::1'],
      ['::ffff:127.0.0.1'],
      ['::ffff:a00:1'],
      ['64:ff9b::a00:1'],
      ['2002:c0a8:101::1'],
    ];
    for (const addresses of cases) {
      const dns = resolver({ 'dav.example.test': addresses });
      const destination = new WebDavDestination({
        url: 'https://dav.example.test/remote.php/dav/files/u/',
        timeoutMs: 2000,
        allowPrivateAddresses: false,
        resolve: dns.resolve,
      });
      await expect(
        destination.upload({
          path: '/nonexistent',
          name: 'x.webm',
          size: 1,
          progress: undefined,
          saveProgress: async () => {},
          signal: new AbortController().signal,
        }),
        addresses.join(','),
      ).rejects.toMatchObject({ reason: 'private-address' });
    }
    for (const literal of ['http://127.0.0.1/', 'http://[::1]/', 'http://localhost/', 'http://nas.local/']) {
      const destination = new WebDavDestination({
        url: literal,
        timeoutMs: 2000,
        allowPrivateAddresses: false,
      });
      await expect(
        destination.upload({
          path: '/nonexistent',
          name: 'x.webm',
          size: 1,
          progress: undefined,
          saveProgress: async () => {},
          signal: new AbortController().signal,
        }),
        literal,
      ).rejects.toMatchObject({ reason: 'private-address' });
    }
  });

  it('with allowPrivateAddresses, uploads to the address the name resolved to (resolved once per attempt)', async () => {
    const dav = await davServer();
    let calls = 0;
    // A second lookup would get an address where nothing listens: the upload only works if the
    // connection uses the answer that was checked.
    const resolve = async (hostname: string) => {
      calls++;
      expect(hostname).toBe('dav.example.test');
      return [{ address: calls === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const url = `http://dav.example.test:${dav.port}/`;
    const t = await setup({ kind: 'webdav', url }, undefined, 2000, { allowPrivateAddresses: true, resolve });
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    expect(calls).toBe(1);
    expect(dav.hosts).toEqual([`dav.example.test:${dav.port}`]);
    const stored = await createClient(`http://127.0.0.1:${dav.port}/`).getFileContents('/recording.webm');
    expect(Buffer.from(stored as ArrayBuffer).equals(t.content)).toBe(true);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });

  it('never follows a redirect to another host (an IP literal needs no lookup)', async () => {
    const inside: string[] = [];
    const internal = createServer((req, res) => {
      inside.push(String(req.url));
      res.end('secret');
    });
    const internalPort = await listen(internal);
    const redirecting = createServer((req, res) => {
      req.resume();
      res.writeHead(303, { Location: `http://127.0.0.1:${internalPort}/admin` });
      res.end();
    });
    const port = await listen(redirecting);
    const dns = resolver({ 'dav.example.test': ['127.0.0.1'] });
    const t = await setup({ kind: 'webdav', url: `http://dav.example.test:${port}/` }, undefined, 2000, {
      allowPrivateAddresses: true,
      resolve: dns.resolve,
    });
    t.job.deadline = t.clock.now() + 10_000;
    expect(await t.uploader.enqueue(t.job)).toBe('failed');
    expect(inside).toEqual([]);
    expect(t.told.some((m) => m.status === 'uploaded')).toBe(false);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });
});
