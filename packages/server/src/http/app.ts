import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

/*
 * Every response carries headers that keep the page private: a CSP that only allows this origin
 * (PRIVACY P8, enforced by the browser as well as by our build; the one addition is Dropbox's token
 * endpoint for `fetch`, when the operator offers Dropbox recordings), and no referrer, because the room
 * name is in the URL and must not leak to any other site.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; '),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self)',
};

/** `ok` accepts meetings; `starting` and `draining` answer 503 so a balancer sends nobody new. */
export type HealthStatus = 'ok' | 'starting' | 'draining';

export interface HttpAppOptions {
  webDir: string;
  /** The /healthz answer: its status, plus (in a cluster) the node id and whether Redis answers. */
  health: () => { status: HealthStatus } & Record<string, string>;
  /**
   * Other origins the page may fetch from: only Dropbox's token endpoint, when the operator offers
   * Dropbox recordings (the browser exchanges its PKCE code there, docs/recording.md).
   */
  connectOrigins?: readonly string[];
}

export function createHttpServer(options: HttpAppOptions): Server {
  const index = join(options.webDir, 'index.html');
  if (!existsSync(index)) {
    throw new Error(`The web client is not built (${index} is missing): run "npm run build".`);
  }
  // `single` serves index.html for every unknown path, so `/<RoomName>` opens the meeting page and
  // the answer is byte-identical whether or not that meeting exists (PRIVACY P2).
  const assets = sirv(options.webDir, { single: true, etag: true, dotfiles: false });
  const csp = SECURITY_HEADERS['Content-Security-Policy'] ?? '';
  const headers = options.connectOrigins?.length
    ? {
        ...SECURITY_HEADERS,
        'Content-Security-Policy': csp.replace(
          "connect-src 'self'",
          ["connect-src 'self'", ...options.connectOrigins].join(' '),
        ),
      }
    : SECURITY_HEADERS;

  return createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    route(req, res, options, assets).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  options: HttpAppOptions,
  assets: ReturnType<typeof sirv>,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/healthz') {
    const health = options.health();
    res.writeHead(health.status === 'ok' ? 200 : 503, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    res.end(JSON.stringify(health));
    return;
  }
  assets(req, res, () => {
    // sirv's fallback skips every path that looks like a file name, and room names may hold dots
    // (`/Team.Meeting`): a one-segment path that is no file is a meeting page too. Deeper paths
    // (`/assets/…`) stay 404, so a missing asset never turns into the page.
    if (!/^\/[^/]+\/?$/.test(path ?? '')) {
      res.writeHead(404).end();
      return;
    }
    req.url = '/';
    assets(req, res, () => {
      res.writeHead(404).end();
    });
  });
}
