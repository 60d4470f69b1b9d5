import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../wait/until.js';
import { startUdpDelayRelay, type UdpDelayRelay, type UdpDelayRelayOptions } from './udpDelayRelay.js';

/*
 * The delay relay on real sockets on loopback: a client, the relay and an echoing target. Times are
 * read with the one monotonic clock of this process, so "not delivered before its delay" is exact;
 * no upper bound is asserted (a loaded machine may deliver late, never early).
 */

const HOST = '127.0.0.1';

interface Received {
  seq: number;
  at: number;
  port: number;
}

/** A UDP socket on loopback that records what it receives (the first 4 bytes: a sequence number). */
async function endpoint(echo = false): Promise<{ socket: Socket; port: number; got: Received[] }> {
  const socket = createSocket('udp4');
  const got: Received[] = [];
  socket.on('message', (msg, from) => {
    got.push({ seq: msg.readUInt32BE(0), at: performance.now(), port: from.port });
    if (echo) socket.send(msg, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  open.push(socket);
  return { socket, port: socket.address().port, got };
}

function datagram(seq: number): Buffer {
  const buf = Buffer.alloc(200);
  buf.writeUInt32BE(seq, 0);
  return buf;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open: Socket[] = [];
const relays: UdpDelayRelay[] = [];

async function relayTo(port: number, options: Partial<UdpDelayRelayOptions> = {}): Promise<UdpDelayRelay> {
  const relay = await startUdpDelayRelay({
    listen: { address: HOST, port: 0 },
    target: { address: HOST, port },
    delayMs: 80,
    ...options,
  });
  relays.push(relay);
  return relay;
}

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await Promise.all(open.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('UDP delay relay', () => {
  it('holds every datagram its one-way delay on the way to the target and again on the way back', async () => {
    const target = await endpoint(true);
    const client = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 80 });
    const sentAt: number[] = [];
    for (let seq = 0; seq < 20; seq++) {
      sentAt.push(performance.now());
      client.socket.send(datagram(seq), relay.address.port, HOST);
      await sleep(10);
    }
    await until(() => client.got.length === 20, 'all 20 echoes back', 5000);

    expect(target.got.map((g) => g.seq)).toEqual([...Array(20).keys()]);
    for (const [i, g] of target.got.entries()) expect(g.at - (sentAt[i] ?? 0)).toBeGreaterThanOrEqual(80);
    for (const [i, g] of client.got.entries())
      expect(g.at - (target.got[i]?.at ?? 0)).toBeGreaterThanOrEqual(80);
    // The target sees the relay's upstream socket, not the client; the client hears the relay's port.
    const upstream = relay.upstreams().get(`${HOST}:${client.port}`);
    expect(upstream?.port).toBeGreaterThan(0);
    expect(new Set(target.got.map((g) => g.port))).toEqual(new Set([upstream?.port]));
    expect(new Set(client.got.map((g) => g.port))).toEqual(new Set([relay.address.port]));
    expect(relay.stats()).toMatchObject({
      clients: 1,
      up: { forwarded: 20, dropped: 0 },
      down: { forwarded: 20 },
    });
  });

  it('keeps the order under jitter larger than the spacing of the datagrams', async () => {
    const target = await endpoint(true);
    const client = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 20, jitterMs: 40 });
    for (let seq = 0; seq < 150; seq++) {
      client.socket.send(datagram(seq), relay.address.port, HOST);
      if (seq % 5 === 4) await sleep(2);
    }
    await until(() => client.got.length === 150, 'all 150 echoes back', 10_000);
    expect(target.got.map((g) => g.seq)).toEqual([...Array(150).keys()]);
    expect(client.got.map((g) => g.seq)).toEqual([...Array(150).keys()]);
  });

  it('drops what exceeds its queue, like a full link buffer, and counts it', async () => {
    const target = await endpoint();
    const client = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 300, maxQueue: 5 });
    for (let seq = 0; seq < 12; seq++) client.socket.send(datagram(seq), relay.address.port, HOST);
    await until(() => relay.stats().up.forwarded + relay.stats().up.dropped === 12, 'all 12', 5000);
    await until(() => target.got.length === 5, 'the queued 5 delivered', 5000);
    expect(target.got.map((g) => g.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(relay.stats().up).toMatchObject({ forwarded: 5, dropped: 7 });
  });

  it('gives each client its own upstream socket and returns each reply to its own client only', async () => {
    const target = await endpoint(true);
    const a = await endpoint();
    const b = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 10 });
    for (let seq = 0; seq < 10; seq++) {
      a.socket.send(datagram(seq), relay.address.port, HOST);
      b.socket.send(datagram(100 + seq), relay.address.port, HOST);
    }
    await until(() => a.got.length + b.got.length === 20, 'all echoes back', 5000);
    expect(a.got.map((g) => g.seq)).toEqual([...Array(10).keys()]);
    expect(b.got.map((g) => g.seq)).toEqual([...Array(10).keys()].map((i) => 100 + i));
    expect(new Set(target.got.map((g) => g.port)).size).toBe(2);
    expect(relay.stats().clients).toBe(2);
  });

  it('ignores datagrams that reach an upstream socket from anyone but the target', async () => {
    const target = await endpoint(true);
    const client = await endpoint();
    const stranger = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 10 });
    client.socket.send(datagram(1), relay.address.port, HOST);
    await until(() => client.got.length === 1, 'the echo', 5000);
    const upstream = relay.upstreams().get(`${HOST}:${client.port}`);
    stranger.socket.send(datagram(666), upstream?.port ?? 0, HOST);
    await until(() => relay.stats().strangers === 1, 'the stranger seen', 5000);
    await sleep(50);
    expect(client.got.map((g) => g.seq)).toEqual([1]);
  });

  it('applies a new delay to the datagrams that follow', async () => {
    const target = await endpoint();
    const client = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 0 });
    client.socket.send(datagram(0), relay.address.port, HOST);
    await until(() => target.got.length === 1, 'the first datagram', 5000);
    relay.setDelay(120);
    const sentAt = performance.now();
    client.socket.send(datagram(1), relay.address.port, HOST);
    await until(() => target.got.length === 2, 'the second datagram', 5000);
    expect((target.got[1]?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(120);
  });

  it('on close drops what waits: nothing reaches the target afterwards', async () => {
    const target = await endpoint();
    const client = await endpoint();
    const relay = await relayTo(target.port, { delayMs: 200 });
    for (let seq = 0; seq < 5; seq++) client.socket.send(datagram(seq), relay.address.port, HOST);
    await until(() => relay.upstreams().size === 1, 'the client seen', 5000);
    await relay.close();
    await sleep(400);
    expect(target.got).toEqual([]);
  });

  it('on close leaves no socket, timer or port behind', async () => {
    const target = await endpoint();
    const client = await endpoint();
    const count = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length;
    // Vitest holds a timer of its own for up to 100 ms after a task update: wait it out first.
    await sleep(150);
    const before = { udp: count('UDPWrap'), timers: count('Timeout') };
    // Long enough that a timer left armed would still be pending when counted.
    const relay = await relayTo(target.port, { delayMs: 60_000 });
    for (let seq = 0; seq < 5; seq++) client.socket.send(datagram(seq), relay.address.port, HOST);
    await until(() => relay.upstreams().size === 1, 'the client seen', 5000);
    expect(count('UDPWrap')).toBe(before.udp + 2);
    const ports = [relay.address.port, ...[...relay.upstreams().values()].map((u) => u.port)];
    await relay.close();

    await sleep(150);
    expect(count('UDPWrap')).toBe(before.udp);
    expect(count('Timeout')).toBe(before.timers);
    for (const port of ports) {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind({ port, address: HOST, exclusive: true }, resolve));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });
});
