import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { ServerError } from './ServerError.js';
import { SignalingClient, type WebSocketConstructor } from './SignalingClient.js';

/*
 * Following `redirect` (protocol 2) over real WebSockets on loopback: two small servers speak just
 * enough of the protocol — one sends every join on to the other, which records the join it gets.
 */

const servers: WebSocketServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((resolve) => s.close(resolve));
  }
});

type Behaviour = (message: Record<string, unknown>, reply: (m: object) => void) => void;

async function server(behaviour: Behaviour): Promise<{ url: string; joins: Record<string, unknown>[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  const joins: Record<string, unknown>[] = [];
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const reply = (m: object) => socket.send(JSON.stringify(m));
      if (message.type === 'hello') return reply({ type: 'welcome', version: 2 });
      if (message.type === 'join') joins.push(message);
      behaviour(message, reply);
    });
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, joins };
}

const impl = WebSocket as unknown as WebSocketConstructor;
const joinMessage = { type: 'join', room: 'FollowTheSignsHome', displayName: 'Ann' } as const;

describe('SignalingClient redirects', () => {
  it('follows a redirect unseen: the same join, with the ticket, on the node named', async () => {
    const owner = await server((m, reply) => {
      if (m.type === 'join') reply({ type: 'joined', meetingId: 'm1' });
    });
    const entry = await server((m, reply) => {
      if (m.type === 'join') reply({ type: 'redirect', url: owner.url, ticket: 'abc.def' });
    });
    const client = await SignalingClient.connect(entry.url, impl);
    const seen: string[] = [];
    client.on('message', (m) => seen.push(m.type));
    const joined = client.waitFor('joined', 'join');
    client.send(joinMessage);
    // `joined` as the server sends it is not a full Joined: the schema drops it, so wait on the record.
    await expect.poll(() => owner.joins.length).toBe(1);
    expect(owner.joins[0]).toEqual({ ...joinMessage, ticket: 'abc.def' });
    expect(entry.joins[0]).toEqual(joinMessage);
    expect(client.url).toBe(owner.url);
    expect(seen).not.toContain('redirect');
    client.close();
    await joined.catch(() => {});
  });

  it('gives up with REDIRECT_REFUSED after three redirects for one join', async () => {
    let self = '';
    const looping = await server((m, reply) => {
      if (m.type === 'join') reply({ type: 'redirect', url: self, ticket: 'x.y' });
    });
    self = looping.url;
    const client = await SignalingClient.connect(looping.url, impl);
    const joined = client.waitFor('joined', 'join');
    client.send(joinMessage);
    await expect(joined).rejects.toMatchObject({ code: 'REDIRECT_REFUSED' } satisfies Partial<ServerError>);
    expect(looping.joins).toHaveLength(4);
    client.close();
  });

  it('reports a redirect to a node that cannot be reached as a lost connection', async () => {
    const entry = await server((m, reply) => {
      if (m.type === 'join') reply({ type: 'redirect', url: 'ws://127.0.0.1:9/ws', ticket: 'x.y' });
    });
    const client = await SignalingClient.connect(entry.url, impl);
    const joined = client.waitFor('joined', 'join');
    client.send(joinMessage);
    await expect(joined).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });
});

describe('SignalingClient time limit', () => {
  /** A TCP listener that accepts and never answers: a host whose server hangs mid-handshake. */
  async function silent(): Promise<{ url: string; open: () => number; stop: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const tcp = createServer((socket) => {
      sockets.add(socket);
      // Read (and ignore) the handshake: a paused socket would not notice the client leaving.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    return {
      url: `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}/ws`,
      open: () => sockets.size,
      async stop() {
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => tcp.close(resolve));
      },
    };
  }

  it('gives up on a server that never answers with NOT_CONNECTED, and closes its connection', async () => {
    const hung = await silent();
    try {
      await expect(SignalingClient.connect(hung.url, impl, 200)).rejects.toMatchObject({
        code: 'NOT_CONNECTED',
      } satisfies Partial<ServerError>);
      await expect.poll(hung.open).toBe(0);
    } finally {
      await hung.stop();
    }
  });

  it('gives up on a server that opens the socket but never welcomes', async () => {
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    servers.push(mute);
    await new Promise((resolve) => mute.once('listening', resolve));
    const url = `ws://127.0.0.1:${(mute.address() as AddressInfo).port}/ws`;
    await expect(SignalingClient.connect(url, impl, 200)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    await expect.poll(() => mute.clients.size).toBe(0);
  });

  it('gives up on a redirect to a node that accepts the connection but never answers', async () => {
    const hung = await silent();
    try {
      const entry = await server((m, reply) => {
        if (m.type === 'join') reply({ type: 'redirect', url: hung.url, ticket: 'x.y' });
      });
      const client = await SignalingClient.connect(entry.url, impl, 200);
      const joined = client.waitFor('joined', 'join');
      client.send(joinMessage);
      await expect(joined).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
      expect(client.closed).toBe(true);
      await expect.poll(hung.open).toBe(0);
    } finally {
      await hung.stop();
    }
  });

  it('a server that answers in time is used as without a limit', async () => {
    const quick = await server(() => {});
    const client = await SignalingClient.connect(quick.url, impl, 5_000);
    expect(client.closed).toBe(false);
    client.close();
  });
});

describe('SignalingClient heartbeat', () => {
  /** A server that sends `heartbeat`s every second while `beating`, and nothing else. */
  async function beating() {
    const state = { beating: true, timer: undefined as ReturnType<typeof setInterval> | undefined };
    const s = await server(() => {});
    const wss = servers.at(-1) as WebSocketServer;
    const beat = () => {
      for (const c of wss.clients) c.send(JSON.stringify({ type: 'heartbeat', everyMs: 1000 }));
    };
    wss.on('connection', () => setTimeout(beat, 50));
    state.timer = setInterval(() => state.beating && beat(), 1000);
    return { ...s, state, stop: () => clearInterval(state.timer) };
  }

  it('a server that goes silent after its heartbeats is given up: the connection counts as lost', async () => {
    const hanging = await beating();
    try {
      const client = await SignalingClient.connect(hanging.url, impl);
      const closed = new Promise<{ code: number }>((resolve) => client.on('closed', resolve));
      await new Promise((r) => setTimeout(r, 1500));
      expect(client.closed).toBe(false);
      // The host hangs: its socket stays open, nothing more comes.
      hanging.state.beating = false;
      expect((await closed).code).toBe(1006);
      expect(client.closed).toBe(true);
    } finally {
      hanging.stop();
    }
  });

  it('a server that keeps beating is kept, however quiet otherwise', async () => {
    const alive = await beating();
    try {
      const client = await SignalingClient.connect(alive.url, impl);
      const closes: unknown[] = [];
      client.on('closed', (c) => closes.push(c));
      // Three intervals and more: longer than the two a silent server gets.
      await new Promise((r) => setTimeout(r, 3500));
      expect(closes).toEqual([]);
      expect(client.closed).toBe(false);
      client.close();
    } finally {
      alive.stop();
    }
  });

  it('a server that never sent a heartbeat (an older one) is never given up for silence', async () => {
    const old = await server(() => {});
    const client = await SignalingClient.connect(old.url, impl);
    await new Promise((r) => setTimeout(r, 2500));
    expect(client.closed).toBe(false);
    client.close();
  });
});
