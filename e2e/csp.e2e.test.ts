import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The pages keep to their own Content-Security-Policy (`script-src 'self'`, no eval): nothing they
 * run is refused and reported. zod probes `new Function('')` for its JIT unless told `jitless`,
 * and the browser reports that probe as a violation on every page (issue 17, finding 9); Chromium
 * reports it like Firefox.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({}, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records every CSP violation its documents report, from before any script runs. */
async function watchedPage(): Promise<Page> {
  const context = await browser.newContext();
  // Closed when the test (or this attempt of it) ends.
  onTestFinished(() => context.close().catch(() => {}));
  await context.addInitScript(() => {
    const w = globalThis as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return context.newPage();
}

const violations = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);

describe('Content-Security-Policy', () => {
  it('the welcome, pre-join and meeting pages report no CSP violation (zod runs jitless)', async () => {
    const room = 'Csp.Quiet-Harbor';
    const alice = await watchedPage();
    await alice.goto(`${server.url}/`);
    await alice.getByTestId('welcome-start').waitFor();
    // A room name with a dot opens its pre-join page (finding 7), in the browser too.
    await alice.goto(`${server.url}/${room}#name=Alice`);
    await expect(alice.getByTestId('prejoin-room').textContent()).resolves.toBe(room);
    await alice.getByTestId('prejoin-join').click();
    await alice.getByTestId('meeting-room').waitFor();

    const bob = await watchedPage();
    await bob.goto(`${server.url}/${room}#name=Bob&prejoin=0`);
    await bob.getByTestId('meeting-room').waitFor();
    await eventually(
      async () => (server.rooms.participantCount === 2 ? true : undefined),
      'both pages in the meeting',
    );
    // Each page has parsed server messages by now (joined, participantJoined, mediaMode …).
    expect(await violations(alice)).toEqual([]);
    expect(await violations(bob)).toEqual([]);
  });
});
