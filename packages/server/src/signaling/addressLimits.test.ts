import type { ServerMessage } from '@conclave/protocol';
import { startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

/*
 * Which address the per-address limits count (issue 17, findings 2 and 3). The server trusts a
 * proxy here (`server.trustProxy`), so a test can present any client address the way a reverse
 * proxy would, in X-Forwarded-For, and see which requests share a limit.
 */

let server: TestServer;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server?.close();
});

/** Opens a signalling socket as if a proxy forwarded it with this X-Forwarded-For, and greets. */
async function viaProxy(forwardedFor: string) {
  const socket = new WebSocket(server.wsUrl, { headers: { 'X-Forwarded-For': forwardedFor } });
  sockets.push(socket);
  const inbox: ServerMessage[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    // The server's heartbeat (with welcome, then every few seconds) is no reply to anything here.
    if (message.type === 'heartbeat') return;
    inbox.push(message);
    wake?.();
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = async (): Promise<ServerMessage> => {
    const deadline = Date.now() + 5000;
    while (inbox.length === 0) {
      if (Date.now() > deadline) throw new Error('no reply');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return inbox.shift() as ServerMessage;
  };
  socket.send(JSON.stringify({ type: 'hello', versions: [1] }));
  expect((await next()).type).toBe('welcome');
  /** Sends a join and says how it went: `joined` or the error code. */
  const join = async (room: string, password?: string): Promise<string> => {
    socket.send(JSON.stringify({ type: 'join', room, ...(password ? { password } : {}) }));
    const reply = await next();
    return reply.type === 'error' ? reply.code : reply.type;
  };
  return { join };
}

function tryOpen(forwardedFor: string): Promise<'open' | string> {
  const socket = new WebSocket(server.wsUrl, { headers: { 'X-Forwarded-For': forwardedFor } });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (err) => resolve(err.message));
  });
}

describe('IPv6 clients are counted by their /64 (finding 2)', () => {
  it('P2: join attempts from different addresses of one /64 share one limit; another /64 has its own', async () => {
    server = await startTestServer({
      server: { trustProxy: true },
      limits: { joinBurst: 3, joinsPerMinute: 1 },
    });
    const outcomes: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const c = await viaProxy(`2001:db8:5:6::${i.toString(16)}:${(i * 7919).toString(16)}`);
      outcomes.push(await c.join(`RotatingAddressProbe${i}`));
    }
    expect(outcomes).toEqual(['joined', 'joined', 'joined', 'JOIN_RATE_LIMITED', 'JOIN_RATE_LIMITED']);
    const neighbour = await viaProxy('2001:db8:5:7::1');
    expect(await neighbour.join('NeighbourNetworkJoins')).toBe('joined');
  });

  it('P4: password guesses from different addresses of one /64 share one limit', async () => {
    server = await startTestServer({
      server: { trustProxy: true },
      limits: { passwordBurst: 3, passwordAttemptsPerMinute: 1 },
    });
    const mod = await viaProxy('2001:db8:aaaa::1');
    expect(await mod.join('LockedAgainstRotation')).toBe('joined');
    const guesses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const guesser = await viaProxy(`2001:db8:bbbb:0:${i + 1}::${i + 9}`);
      guesses.push(await guesser.join('LockedAgainstRotation', `guess${i}`));
    }
    // The room is not locked, so an attempt that is let through joins.
    expect(guesses).toEqual(['joined', 'joined', 'joined', 'PASSWORD_RATE_LIMITED', 'PASSWORD_RATE_LIMITED']);
  });

  it('sockets from different addresses of one /64 share limits.socketsPerAddress', async () => {
    server = await startTestServer({ server: { trustProxy: true }, limits: { socketsPerAddress: 2 } });
    expect(await tryOpen('2001:db8:cc::1')).toBe('open');
    expect(await tryOpen('2001:db8:cc::2')).toBe('open');
    expect(await tryOpen('2001:db8:cc:0:ffff:ffff:ffff:ffff')).toMatch(/429/);
    expect(await tryOpen('2001:db8:cc:1::1')).toBe('open');
  });

  it('limits.ipv6PrefixLength: 128 counts every address alone', async () => {
    server = await startTestServer({
      server: { trustProxy: true },
      limits: { socketsPerAddress: 1, ipv6PrefixLength: 128 },
    });
    expect(await tryOpen('2001:db8:dd::1')).toBe('open');
    expect(await tryOpen('2001:db8:dd::2')).toBe('open');
    expect(await tryOpen('2001:db8:dd::2')).toMatch(/429/);
  });

  it('an IPv4 client is counted by its whole address, also in its IPv6-mapped form', async () => {
    server = await startTestServer({ server: { trustProxy: true }, limits: { socketsPerAddress: 1 } });
    expect(await tryOpen('198.51.100.20')).toBe('open');
    expect(await tryOpen('::ffff:198.51.100.20')).toMatch(/429/);
    expect(await tryOpen('198.51.100.21')).toBe('open');
  });
});

describe('trustProxy reads the entry the proxy added (finding 3)', () => {
  it('P2: a client-supplied X-Forwarded-For entry does not escape the limit: the rightmost entry counts', async () => {
    server = await startTestServer({
      server: { trustProxy: true },
      limits: { joinBurst: 2, joinsPerMinute: 1 },
    });
    const outcomes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      // What the client sent, then what the proxy appended: the address it saw.
      const c = await viaProxy(`10.9.8.${i}, 203.0.113.${i * 10}, 198.51.100.7`);
      outcomes.push(await c.join(`ForgedForwardProbe${i}`));
    }
    expect(outcomes).toEqual(['joined', 'joined', 'JOIN_RATE_LIMITED']);
  });

  it('server.proxyHops: 2 reads the entry the outer of two proxies added', async () => {
    server = await startTestServer({
      server: { trustProxy: true, proxyHops: 2 },
      limits: { joinBurst: 2, joinsPerMinute: 1 },
    });
    const outcomes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      // forged by the client, added by the outer proxy (the client), added by the inner proxy.
      const c = await viaProxy(`192.0.2.${i}, 198.51.100.8, 10.0.0.${i}`);
      outcomes.push(await c.join(`TwoHopForwardProbe${i}`));
    }
    expect(outcomes).toEqual(['joined', 'joined', 'JOIN_RATE_LIMITED']);
  });

  it('without trustProxy, X-Forwarded-For is ignored: every forged value is the same loopback client', async () => {
    server = await startTestServer({ limits: { socketsPerAddress: 1 } });
    expect(await tryOpen('203.0.113.1')).toBe('open');
    expect(await tryOpen('203.0.113.2')).toMatch(/429/);
  });
});
