import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer, tempDir } from '@conclave/testkit';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';

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

describe('embedding (docs/embedding.md)', () => {
  const withApi = () => {
    const dir = tempDir('web-embed');
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>Conclave</title>');
    writeFileSync(join(dir.path, 'external_api.js'), 'globalThis.ConclaveExternalAPI = class {};');
    onTestFinished(() => dir.remove());
    return dir.path;
  };

  it('serves /external_api.js as JavaScript that other sites may load, cached for minutes', async () => {
    server = await startTestServer({ web: { dir: withApi() } });
    const res = await fetch(`${server.url}/external_api.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toContain('ConclaveExternalAPI');
    // Nothing else gets those headers.
    const page = await fetch(`${server.url}/SomeRoom`);
    expect(page.headers.get('cache-control')).not.toBe('public, max-age=300');
    expect(page.headers.get('cross-origin-resource-policy')).toBeNull();
  });

  it('P14: without web.frameAncestors every page refuses framing and the embed config lists nobody', async () => {
    server = await startTestServer({ web: { dir: withApi() } });
    for (const path of ['/', '/SomeRoom', '/external_api.js']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    const config = await fetch(`${server.url}/embed/config.json`);
    expect(config.headers.get('content-type')).toBe('application/json');
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect(await config.json()).toEqual({ frameAncestors: [] });
  });

  it('with web.frameAncestors the pages name exactly those origins, and so does the embed config', async () => {
    const origins = ['https://intranet.example.org', 'http://127.0.0.1:3000'];
    server = await startTestServer({ web: { dir: withApi(), frameAncestors: origins } });
    const page = await fetch(`${server.url}/SomeRoom`);
    expect(page.headers.get('content-security-policy')).toContain(
      'frame-ancestors https://intranet.example.org http://127.0.0.1:3000;',
    );
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(await (await fetch(`${server.url}/embed/config.json`)).json()).toEqual({
      frameAncestors: origins,
    });
  });
});
