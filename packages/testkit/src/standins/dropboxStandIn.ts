import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from './http.js';

/*
 * A stand-in for Dropbox's upload-session endpoints (start, append_v2, finish) on 127.0.0.1, with
 * Dropbox's offset checks and error shapes, for the tests that point the official SDK (or the
 * server's fetch) at it: Dropbox itself is unreachable from the test machines.
 */

export interface DropboxStandInOptions {
  /** The one access token it accepts; any other gets `invalid_access_token`. */
  token: string;
  /** The nth append is stored but answered 500, as when the answer is lost on the way back. */
  failAppend?: number;
  /** `finish` answers `insufficient_space`. */
  noSpace?: boolean;
  /** The token expires after this many requests (`expired_access_token`). */
  expireAfter?: number;
}

export interface DropboxStandIn {
  /** `http://127.0.0.1:<port>`: what replaces `https://*.dropboxapi.com`. */
  readonly base: string;
  /** Finished uploads by path. */
  readonly files: Map<string, Buffer>;
  /** Accepted requests in order (`start`, `append_v2`, `finish`) with the cursor offset they gave. */
  readonly calls: { call: string; offset?: number }[];
  /** URLs of requests refused for their token. */
  readonly refused: string[];
  /** While true, appends and finishes are received but never answered (a frozen network). */
  hang: boolean;
  /** The accepted calls' names, in order. */
  callNames(): string[];
  close(): Promise<void>;
}

type Cursor = { session_id: string; offset: number };

export async function startDropboxStandIn(options: DropboxStandInOptions): Promise<DropboxStandIn> {
  const sessions = new Map<string, Buffer>();
  let appends = 0;
  let requests = 0;
  const standIn: Omit<DropboxStandIn, 'base' | 'close'> = {
    files: new Map(),
    calls: [],
    refused: [],
    hang: false,
    callNames: () => standIn.calls.map((c) => c.call),
  };
  const lookup = (cursor: Cursor) => {
    const have = sessions.get(cursor.session_id);
    if (!have) return { '.tag': 'not_found' };
    if (have.length !== cursor.offset) return { '.tag': 'incorrect_offset', correct_offset: have.length };
    return undefined;
  };

  const server = createServer(async (req, res) => {
    const data = await readBody(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      standIn.refused.push(String(req.url));
      return json(401, { error_summary: 'invalid_access_token/', error: { '.tag': 'invalid_access_token' } });
    }
    if (options.expireAfter !== undefined && ++requests > options.expireAfter) {
      standIn.refused.push(String(req.url));
      return json(401, { error_summary: 'expired_access_token/', error: { '.tag': 'expired_access_token' } });
    }
    const arg = JSON.parse(String(req.headers['dropbox-api-arg'] ?? '{}'));
    const call = (req.url ?? '').replace('/2/files/upload_session/', '');
    standIn.calls.push({ call, offset: arg.cursor?.offset });
    if (call === 'start') {
      const id = randomBytes(8).toString('hex');
      sessions.set(id, data);
      return json(200, { session_id: id });
    }
    if (call === 'append_v2') {
      if (standIn.hang) return; // never answered
      const error = lookup(arg.cursor);
      if (error) return json(409, { error_summary: 'x', error });
      sessions.set(
        arg.cursor.session_id,
        Buffer.concat([sessions.get(arg.cursor.session_id) as Buffer, data]),
      );
      appends++;
      if (appends === options.failAppend) return json(500, { error_summary: 'internal' });
      return json(200, null);
    }
    if (call === 'finish') {
      if (standIn.hang) return;
      const error = lookup(arg.cursor);
      if (error)
        return json(409, { error_summary: 'x', error: { '.tag': 'lookup_failed', lookup_failed: error } });
      if (options.noSpace) {
        return json(409, {
          error_summary: 'path/insufficient_space/',
          error: { '.tag': 'path', path: { '.tag': 'insufficient_space' } },
        });
      }
      const path: string = arg.commit.path;
      standIn.files.set(path, Buffer.concat([sessions.get(arg.cursor.session_id) as Buffer, data]));
      return json(200, { name: path.slice(1), path_display: path });
    }
    json(400, 'unknown endpoint');
  });
  const listening = await listenOnLoopback(server);
  return Object.assign(standIn, {
    base: `http://127.0.0.1:${listening.port}`,
    close: () => listening.close(),
  });
}
