import { startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

/*
 * Which web pages may open a signalling socket (issue 17, finding 5). A browser sends the page's
 * origin with every WebSocket upgrade; without a check, any site could make its visitors' browsers
 * join meetings or guess passwords from their own addresses.
 */

let server: TestServer;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server?.close();
});

function tryOpen(headers: Record<string, string>): Promise<string> {
  const socket = new WebSocket(server.wsUrl, { headers });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (err) => resolve(err.message));
  });
}

describe('WebSocket Origin', () => {
  it('same origin by default: a page of another site is refused (403), the server’s own page is not', async () => {
    server = await startTestServer();
    expect(await tryOpen({ Origin: 'https://attacker.example' })).toMatch(/403/);
    expect(await tryOpen({ Origin: 'null' })).toMatch(/403/);
    expect(await tryOpen({ Origin: server.url.replace('127.0.0.1', 'localhost') })).toMatch(/403/);
    expect(await tryOpen({ Origin: server.url })).toBe('open');
    // Not a browser (bots, other clients): no web page can make it connect, so nothing to check.
    expect(await tryOpen({})).toBe('open');
  });

  it('behind a proxy that passes the Host on, the public origin is the same origin', async () => {
    server = await startTestServer();
    expect(await tryOpen({ Origin: 'https://meet.example.org', Host: 'meet.example.org' })).toBe('open');
    expect(await tryOpen({ Origin: 'https://meet.example.org', Host: 'other.example.org' })).toMatch(/403/);
  });

  it('signaling.allowedOrigins lets the listed origins in, and only them', async () => {
    server = await startTestServer({ signaling: { allowedOrigins: ['https://meet.example.org'] } });
    expect(await tryOpen({ Origin: 'https://meet.example.org' })).toBe('open');
    expect(await tryOpen({ Origin: 'https://MEET.example.org' })).toBe('open');
    expect(await tryOpen({ Origin: 'http://meet.example.org' })).toMatch(/403/);
    expect(await tryOpen({ Origin: 'https://meet.example.org.attacker.example' })).toMatch(/403/);
    expect(await tryOpen({ Origin: server.url })).toBe('open');
  });
});
