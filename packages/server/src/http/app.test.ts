import { startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

let server: TestServer;

afterEach(async () => {
  await server?.close();
});

describe('meeting pages', () => {
  it('a room name with a dot opens the meeting page like any other name (issue 17, finding 7)', async () => {
    server = await startTestServer();
    const plain = await fetch(`${server.url}/TeamMeeting`);
    const body = await plain.text();
    expect(plain.status).toBe(200);
    for (const name of ['Team.Meeting', 'v1.2.3', 'notes.txt', 'Quarterly.Review.2026', 'a.b']) {
      const res = await fetch(`${server.url}/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toMatch(/^text\/html/);
      expect(await res.text(), name).toBe(body);
    }
  });

  it('a missing asset is still a 404, not the page', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/assets/missing-bundle.js`);
    expect(res.status).toBe(404);
  });
});
