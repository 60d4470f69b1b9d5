import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { DelayLine, type DelayLineCounters } from './delayLine.js';

/*
 * Delay for UDP in userspace, because the kernel the suite runs on has no sch_netem: a forwarder
 * that clients send to instead of the real server. Each client (source address and port) gets an
 * upstream socket of its own, so the server sees one peer per client, as behind a NAT; every
 * datagram waits its one-way delay on the way in and on the way back (75 ms each way: 150 ms RTT).
 * Order is kept, each direction's queue is bounded, and close() stops every timer and socket.
 *
 * For the SFU: the server announces the relay's address (media.announcedAddress, the NAT
 * deployment's option) and the relay listens there on the SFU's port, so browsers send to the
 * relay; the SFU answers the relay's upstream sockets, which it knows as peer-reflexive candidates.
 */

export interface UdpEndpoint {
  address: string;
  port: number;
}

export interface UdpDelayRelayOptions {
  /** Where clients send (port 0: any free port). */
  listen: UdpEndpoint;
  /** Where the relay forwards to. */
  target: UdpEndpoint;
  /** Local address of the upstream sockets (default: the listening address). */
  upstreamAddress?: string;
  /** One-way delay in each direction, ms. */
  delayMs: number;
  /** Extra per-datagram delay drawn from [0, jitterMs), never reordering (default 0). */
  jitterMs?: number;
  /** Datagrams waiting per direction and client; beyond it they are dropped (default 2000). */
  maxQueue?: number;
  /** Clients at once; datagrams from more are dropped (default 64). */
  maxClients?: number;
}

export interface UdpDelayRelayStats {
  clients: number;
  /** Client → target. */
  up: DelayLineCounters;
  /** Target → client. */
  down: DelayLineCounters;
  /** Datagrams from the target's side that did not come from the target, ignored. */
  strangers: number;
  /** Datagrams from clients beyond maxClients, dropped. */
  refused: number;
  /** Socket errors (a failed send or upstream bind); the relay carries on. */
  socketErrors: number;
}

export interface UdpDelayRelay {
  /** The address clients send to. */
  readonly address: UdpEndpoint;
  /** The upstream socket's local address and port for each client, by `address:port` of the client. */
  upstreams(): Map<string, UdpEndpoint>;
  /** Changes the one-way delay (and jitter) for datagrams from now on, in both directions. */
  setDelay(delayMs: number, jitterMs?: number): void;
  stats(): UdpDelayRelayStats;
  /** Drops what waits, closes every socket; resolves once all are closed. */
  close(): Promise<void>;
}

interface Client {
  upstream: Socket;
  up: DelayLine;
  down: DelayLine;
  local?: UdpEndpoint;
}

function bound(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });
}

export async function startUdpDelayRelay(options: UdpDelayRelayOptions): Promise<UdpDelayRelay> {
  const { listen, target, upstreamAddress = listen.address } = options;
  let delayMs = options.delayMs;
  let jitterMs = options.jitterMs ?? 0;
  const lineOptions = () => ({ delayMs, jitterMs, maxQueue: options.maxQueue ?? 2000 });
  const maxClients = options.maxClients ?? 64;
  const clients = new Map<string, Client>();
  const totals = { strangers: 0, refused: 0, socketErrors: 0 };
  let closing = false;

  const front = createSocket('udp4');
  await bound(front, listen.address, listen.port);
  const { address, port } = front.address();
  // A send error (e.g. a client gone) concerns one datagram; a relay keeps going, as a link would,
  // and counts it.
  const counted = () => {
    totals.socketErrors++;
  };
  front.on('error', counted);

  const clientFor = (from: RemoteInfo): Client | undefined => {
    const key = `${from.address}:${from.port}`;
    const known = clients.get(key);
    if (known || closing) return known;
    if (clients.size >= maxClients) {
      totals.refused++;
      return undefined;
    }
    const upstream = createSocket('udp4');
    const client: Client = { upstream, up: new DelayLine(lineOptions()), down: new DelayLine(lineOptions()) };
    clients.set(key, client);
    upstream.on('error', counted);
    upstream.on('message', (msg, source) => {
      if (source.address !== target.address || source.port !== target.port) {
        totals.strangers++;
        return;
      }
      client.down.push(() => front.send(msg, from.port, from.address));
    });
    // Datagrams sent before the bind completes wait in the socket's own queue (Node's dgram).
    upstream.bind({ address: upstreamAddress, port: 0, exclusive: true }, () => {
      client.local = { address: upstream.address().address, port: upstream.address().port };
    });
    return client;
  };

  front.on('message', (msg, from) => {
    const client = clientFor(from);
    client?.up.push(() => client.upstream.send(msg, target.port, target.address));
  });

  const sum = (which: 'up' | 'down'): DelayLineCounters => {
    const out = { forwarded: 0, dropped: 0, maxLateMs: 0, totalLateMs: 0 };
    for (const client of clients.values()) {
      const c = client[which].counters;
      out.forwarded += c.forwarded;
      out.dropped += c.dropped;
      out.maxLateMs = Math.max(out.maxLateMs, c.maxLateMs);
      out.totalLateMs += c.totalLateMs;
    }
    return out;
  };

  return {
    address: { address, port },
    upstreams() {
      const out = new Map<string, UdpEndpoint>();
      for (const [key, client] of clients) if (client.local) out.set(key, client.local);
      return out;
    },
    setDelay(ms, jitter = jitterMs) {
      delayMs = ms;
      jitterMs = jitter;
      for (const client of clients.values()) {
        client.up.set(ms, jitter);
        client.down.set(ms, jitter);
      }
    },
    stats() {
      return { clients: clients.size, up: sum('up'), down: sum('down'), ...totals };
    },
    async close() {
      if (closing) return;
      closing = true;
      const sockets = [front];
      for (const client of clients.values()) {
        client.up.close();
        client.down.close();
        sockets.push(client.upstream);
      }
      await Promise.all(sockets.map(closed));
    },
  };
}
