import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { securityHeaders } from './securityHeaders.js';

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
  /** Origins whose pages may frame Conclave (web.frameAncestors, docs/embedding.md); empty: none. */
  frameAncestors?: readonly string[];
}

/** The embedding API's script, loaded by host pages at this fixed address (docs/embedding.md). */
export const EXTERNAL_API_PATH = '/external_api.js';
/** Where an embedded meeting page learns which origins may talk to it (the same list as the CSP's). */
export const EMBED_CONFIG_PATH = '/embed/config.json';

export function createHttpServer(options: HttpAppOptions): Server {
  const index = join(options.webDir, 'index.html');
  if (!existsSync(index)) {
    throw new Error(`The web client is not built (${index} is missing): run "npm run build".`);
  }
  // `single` serves index.html for every unknown path, so `/<RoomName>` opens the meeting page and
  // the answer is byte-identical whether or not that meeting exists (PRIVACY P2).
  const assets = sirv(options.webDir, {
    single: true,
    etag: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      if (pathname !== EXTERNAL_API_PATH) return;
      // Host pages on other sites load it; its name is fixed, so a short lifetime lets updates
      // reach them within minutes, and the ETag keeps revalidation cheap.
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    },
  });
  const headers = securityHeaders({
    connectOrigins: options.connectOrigins ?? [],
    frameAncestors: options.frameAncestors ?? [],
  });
  const embedConfig = JSON.stringify({ frameAncestors: options.frameAncestors ?? [] });

  return createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    route(req, res, options, assets, embedConfig).catch(() => {
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
  embedConfig: string,
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
  if (path === EMBED_CONFIG_PATH) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
    res.end(embedConfig);
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
    if (path === EMBED_CONFIG_PATH) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
      res.end(embedConfig);
      return;
    }
    assets(req, res, () => {
      res.writeHead(404).end();
    });
  });
}
