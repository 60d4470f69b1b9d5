import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { Connection, type ConnectionDeps } from './Connection.js';
import { type AddressPolicy, addressKeyOf } from './clientAddress.js';
import { originAllowed } from './origin.js';
import { SocketQuota } from './SocketQuota.js';

export interface GatewayOptions extends ConnectionDeps {
  heartbeatSeconds: number;
  /** Which address a socket counts as for every per-address limit. */
  address: AddressPolicy;
  /** Open signalling sockets allowed per client address (`limits.socketsPerAddress`). */
  socketsPerAddress: number;
  /** Origins besides the server's own whose pages may connect (`signaling.allowedOrigins`). */
  allowedOrigins: readonly string[];
  /** In a cluster, the origin patterns of every node (cluster.nodeOrigins); their pages may connect too. */
  nodeOrigins?: readonly string[];
}

/** A socket whose close handshake does not finish within this is dropped. */
const CLOSE_GRACE_MS = 2000;

/**
 * Accepts signalling WebSockets on `/ws` and gives each its own Connection. A heartbeat notices
 * browsers that vanished without closing (a killed tab) within two intervals, and tells every
 * client that this server is alive (`heartbeat`), so that a page notices a hung server too.
 *
 * What a socket can cost before it says `hello` is bounded (issue 17, finding 1): `ws` refuses a
 * message (all its fragments together) larger than the protocol's limit as it arrives, instead of
 * buffering megabytes first; the Connection closes a socket that stays silent; and one address may
 * hold only `socketsPerAddress` sockets, checked before the upgrade is accepted. Pages of other
 * sites may not connect at all (`originAllowed`).
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
    noServer: true,
    maxPayload: options.limits.maxMessageBytes,
    perMessageDeflate: false,
  });
  const quota = new SocketQuota(options.socketsPerAddress);
  const origins = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
  const alive = new WeakMap<WebSocket, boolean>();
  const connections = new Set<Connection>();
  const heartbeatMs = options.heartbeatSeconds * 1000;
  const deps = { ...options, heartbeatMs };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/ws') return refuse(socket, 404, 'Not Found');
    if (!originAllowed(request, origins, options.nodeOrigins)) return refuse(socket, 403, 'Forbidden');
    const address = addressKeyOf(request, options.address);
    if (!quota.acquire(address)) return refuse(socket, 429, 'Too Many Requests');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      quota.release(address);
    };
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.once('close', release);
      accept(ws, address);
    });
  };
  server.on('upgrade', onUpgrade);

  const accept = (socket: WebSocket, address: string) => {
    const connection = new Connection(
      {
        send: (text) => {
          if (socket.readyState === socket.OPEN) socket.send(text);
        },
        close: (code, reason) => {
          socket.close(code, reason);
          // A peer that never answers the close frame must not keep its socket (and buffers).
          setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
        },
      },
      address,
      deps,
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
  };

  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
    // A browser answers pings on its own and shows its page nothing of them: the page hears the
    // server is alive from this message, and gives up on a server that stays silent (a hung host).
    for (const connection of connections) connection.heartbeat(heartbeatMs);
  }, heartbeatMs);
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
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}

/** Answers an upgrade request with a plain HTTP error and drops the connection. */
function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
