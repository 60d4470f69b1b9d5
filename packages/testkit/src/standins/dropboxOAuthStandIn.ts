import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from './http.js';

/*
 * Dropbox's OAuth side as a browser meets it, on 127.0.0.1: an authorize page with Allow / Deny
 * links that go back to `redirect_uri`, and a CORS token endpoint that gives a token only for the
 * verifier whose S256 challenge came with the code (PKCE). Everything it was asked is kept for the
 * test to check.
 */

export interface DropboxOAuthOptions {
  /** The app key (`client_id`) the token endpoint accepts. */
  appKey: string;
  /** The token it issues. */
  accessToken: string;
}

export interface DropboxOAuthStandIn {
  port: number;
  /** `http://127.0.0.1:<port>`: the authorize page is at `/oauth2/authorize`, the token endpoint at `/oauth2/token`. */
  base: string;
  /** The authorize page's queries, in order. */
  readonly authorizeQueries: URLSearchParams[];
  /** The token endpoint's forms, in order. */
  readonly tokenRequests: URLSearchParams[];
  /** Tokens issued. */
  readonly issued: number;
  /** Forgets what it was asked and the codes it gave (per test attempt). */
  reset(): void;
  close(): Promise<void>;
}

export async function startDropboxOAuthStandIn(options: DropboxOAuthOptions): Promise<DropboxOAuthStandIn> {
  const authorizeQueries: URLSearchParams[] = [];
  const tokenRequests: URLSearchParams[] = [];
  const challenges = new Map<string, { challenge: string; redirectUri: string }>();
  let issued = 0;
  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      authorizeQueries.push(q);
      const code = randomBytes(12).toString('hex');
      const redirectUri = q.get('redirect_uri') ?? '';
      challenges.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri });
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
      const form = new URLSearchParams((await readBody(req)).toString());
      tokenRequests.push(form);
      const given = challenges.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const ok =
        given !== undefined &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === options.appKey &&
        form.get('redirect_uri') === given.redirectUri &&
        createHash('sha256').update(verifier).digest('base64url') === given.challenge;
      if (!ok) return void res.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
      // A code is good once.
      challenges.delete(form.get('code') ?? '');
      issued++;
      res
        .writeHead(200, cors)
        .end(JSON.stringify({ access_token: options.accessToken, token_type: 'bearer', expires_in: 14400 }));
      return;
    }
    res.writeHead(404).end();
  });
  const listening = await listenOnLoopback(http);
  return {
    port: listening.port,
    base: `http://127.0.0.1:${listening.port}`,
    authorizeQueries,
    tokenRequests,
    get issued() {
      return issued;
    },
    reset() {
      authorizeQueries.length = 0;
      tokenRequests.length = 0;
      challenges.clear();
      issued = 0;
    },
    close: () => listening.close(),
  };
}
