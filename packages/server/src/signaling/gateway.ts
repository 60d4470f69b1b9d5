import type { IncomingMessage, Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { Connection, type ConnectionDeps } from './Connection.js';

export interface GatewayOptions extends ConnectionDeps {
  heartbeatSeconds: number;
  trustProxy: boolean;
}

/** Hard cap enforced by `ws` itself; frames between our limit and this get a FRAME_TOO_LARGE reply. */
const HARD_FRAME_CAP = 4 * 1024 * 1024;

/**
 * Accepts signalling WebSockets on `/ws` and gives each its own Connection. A heartbeat notices
 * browsers that vanished without closing (a killed tab) within two intervals.
 */
export interface SignalingGateway {
  /** Live connections (joined or not). */
  readonly connections: number;
  /** Moves every connection in the meeting `roomKey` off this node (close code MOVED). */
  moveRoom(roomKey: string): void;
  /** Moves every connection off this node (the end of draining). */
  moveAll(): void;
  close(): void;
}

export function attachSignaling(server: Server, options: GatewayOptions): SignalingGateway {
  const wss = new WebSocketServer({
    server,
    path: '/ws',
    maxPayload: Math.max(HARD_FRAME_CAP, options.limits.maxMessageBytes * 2),
    perMessageDeflate: false,
  });
  const alive = new WeakMap<WebSocket, boolean>();
  const connections = new Set<Connection>();

  wss.on('connection', (socket, request) => {
    const connection = new Connection(
      {
        send: (text) => {
          if (socket.readyState === socket.OPEN) socket.send(text);
        },
        close: (code, reason) => socket.close(code, reason),
      },
      clientAddress(request, options.trustProxy),
      options,
    );
    connections.add(connection);
    const gone = () => {
      connections.delete(connection);
      connection.closed();
    };
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    socket.on('message', (data, isBinary) => connection.receive(toBuffer(data), isBinary));
    socket.on('close', gone);
    socket.on('error', gone);
  });

  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, options.heartbeatSeconds * 1000);
  heartbeat.unref();

  return {
    get connections() {
      return connections.size;
    },
    moveRoom(roomKey) {
      for (const c of [...connections]) if (c.roomKey === roomKey) c.move();
    },
    moveAll() {
      for (const c of [...connections]) c.move();
    },
    close() {
      clearInterval(heartbeat);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** The address used for per-client rate limits (PRIVACY P2); it is never logged (P7). */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
