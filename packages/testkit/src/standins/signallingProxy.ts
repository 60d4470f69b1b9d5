import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/* The signalling capture of the E2EE browser tests: a WebSocket proxy in front of the server. */

export interface SignallingProxy {
  url: string;
  /** Every frame a page sent to the server, in order. */
  frames: Buffer[];
  close(): Promise<void>;
}

/**
 * The pages load everything through this proxy, so it sits on the only way to the server: HTTP
 * requests are passed on as they are, and every WebSocket frame from a page is recorded before it
 * is forwarded. What it records is exactly what the server receives.
 */
export async function startSignallingProxy(target: string): Promise<SignallingProxy> {
  const upstream = new URL(target);
  const frames: Buffer[] = [];
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const httpServer = http.createServer((req, res) => {
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  httpServer.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const toServer = new WebSocket(`ws://${upstream.host}${req.url ?? '/ws'}`, {
        perMessageDeflate: false,
        // Like a reverse proxy that passes the Host on: the page's origin is then the server's own.
        headers: {
          ...(req.headers.origin ? { origin: req.headers.origin } : {}),
          ...(req.headers.host ? { host: req.headers.host } : {}),
        },
      });
      sockets.add(client).add(toServer);
      const pending: [Buffer, boolean][] = [];
      client.on('message', (data, isBinary) => {
        const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        frames.push(buffer);
        if (toServer.readyState === WebSocket.OPEN) toServer.send(buffer, { binary: isBinary });
        else pending.push([buffer, isBinary]);
      });
      toServer.on('open', () => {
        for (const [buffer, binary] of pending.splice(0)) toServer.send(buffer, { binary });
      });
      toServer.on('message', (data, isBinary) => {
        if (client.readyState === WebSocket.OPEN) client.send(data as Buffer, { binary: isBinary });
      });
      const closeBoth = () => {
        client.close();
        toServer.close();
      };
      client.on('close', closeBoth);
      toServer.on('close', closeBoth);
      client.on('error', closeBoth);
      toServer.on('error', closeBoth);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    frames,
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
