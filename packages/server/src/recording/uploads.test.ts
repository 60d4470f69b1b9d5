import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from 'webdav';
import { v2 as webdav } from 'webdav-server';
import { createLogger } from '../log/logger.js';
import { ManualClock } from './Clock.js';
import type { StoredDestination } from './destinations/Destination.js';
import { DropboxDestination } from './destinations/DropboxUpload.js';
import { WebDavDestination } from './destinations/WebDav.js';
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

async function setup(destination: StoredDestination, content = randomBytes(10_000), timeoutMs = 2000) {
  const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'conclave-up-')), 'data'));
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
      if (d.kind === 'webdav') return new WebDavDestination({ ...d, timeoutMs });
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

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** Dropbox's upload-session contract: start, append_v2, finish, with offsets checked like Dropbox does. */
async function fakeDropbox(behave: { failAppend?: number; token?: string; noSpace?: boolean } = {}) {
  const sessions = new Map<string, Buffer>();
  const files = new Map<string, Buffer>();
  const calls: string[] = [];
  let appends = 0;
  const server = createServer(async (req, res) => {
    const data = await body(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${behave.token ?? 'good-token'}`) {
      return json(401, { error_summary: 'expired_access_token/', error: { '.tag': 'expired_access_token' } });
    }
    const arg = JSON.parse(String(req.headers['dropbox-api-arg'] ?? '{}'));
    const path = req.url ?? '';
    calls.push(path.replace('/2/files/upload_session/', ''));
    const lookup = (cursor: { session_id: string; offset: number }) => {
      const have = sessions.get(cursor.session_id);
      if (!have) return { '.tag': 'not_found' };
      if (have.length !== cursor.offset) return { '.tag': 'incorrect_offset', correct_offset: have.length };
      return undefined;
    };
    if (path === '/2/files/upload_session/start') {
      const id = randomBytes(8).toString('hex');
      sessions.set(id, data);
      return json(200, { session_id: id });
    }
    if (path === '/2/files/upload_session/append_v2') {
      const error = lookup(arg.cursor);
      if (error) return json(409, { error_summary: 'x', error });
      sessions.set(
        arg.cursor.session_id,
        Buffer.concat([sessions.get(arg.cursor.session_id) as Buffer, data]),
      );
      appends++;
      // Dropbox stored the chunk, but the answer is lost: the client must resume at the right offset.
      if (appends === behave.failAppend) return json(500, { error_summary: 'internal' });
      return json(200, null);
    }
    if (path === '/2/files/upload_session/finish') {
      const error = lookup(arg.cursor);
      if (error)
        return json(409, { error_summary: 'x', error: { '.tag': 'lookup_failed', lookup_failed: error } });
      if (behave.noSpace) {
        return json(409, {
          error_summary: 'path/insufficient_space/',
          error: { '.tag': 'path', path: { '.tag': 'insufficient_space' } },
        });
      }
      files.set(arg.commit.path, Buffer.concat([sessions.get(arg.cursor.session_id) as Buffer, data]));
      return json(200, { name: arg.commit.path.slice(1), path_display: arg.commit.path });
    }
    json(400, 'unknown endpoint');
  });
  const port = await listen(server);
  dropboxBase = `http://127.0.0.1:${port}`;
  return { files, calls };
}

describe('recording uploads', () => {
  it('P13: uploads to a real WebDAV server, then deletes the file and its job record', async () => {
    const dav = new webdav.WebDAVServer({ hostname: '127.0.0.1' });
    const http = await new Promise<Server>((resolve) => dav.start(0, (s) => resolve(s as Server)));
    cleanups.push(() => new Promise<void>((r) => dav.stop(() => r())));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
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
    expect(box.calls).toEqual(['start', 'append_v2', 'append_v2', 'finish']);
    expect(box.files.get('/recording.webm')?.equals(t.content)).toBe(true);
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });

  it('resumes a Dropbox session after a failed chunk, at the offset Dropbox reports', async () => {
    const box = await fakeDropbox({ failAppend: 1 });
    const t = await setup({ kind: 'dropbox', accessToken: 'good-token' });
    expect(await t.uploader.enqueue(t.job)).toBe('uploaded');
    expect(box.calls.filter((c) => c === 'start')).toHaveLength(1);
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
