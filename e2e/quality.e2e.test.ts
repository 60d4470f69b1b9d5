import {
  addIptablesRule,
  eventually,
  requireLoopbackNamespace,
  startTestServer,
  type TestServer,
} from '@conclave/testkit';
import {
  type Browser,
  chromiumMeetings,
  decodes,
  launchChromium,
  type MeetingBrowser,
  type MeetingPage,
  openMeeting,
  selfId,
} from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The connection-quality mark on each remote tile, in real Chromium through the SFU: good on a
 * clean loopback, worse while an iptables rule (in the tests' own network namespace only) drops a
 * large share of what the SFU sends, and good again once the rule is gone. Its details panel says
 * what the level is made of.
 */

const LOSS = 0.4;

let server: TestServer;
let browser: Browser;
let meetings: MeetingBrowser;

beforeAll(async () => {
  requireLoopbackNamespace('add an iptables rule');
  server = await startTestServer({ p2p: { enabled: false } }, { ui: 'built' });
  browser = await launchChromium();
  meetings = chromiumMeetings(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function levelOf(page: MeetingPage, id: string): Promise<string | null> {
  return page.evaluateWith(
    (participant) =>
      document.querySelector<HTMLElement>(
        `[data-testid="remote-tile"][data-participant-id="${participant}"] [data-testid="tile-quality"]`,
      )?.dataset.level ?? null,
    id,
  );
}

async function waitForLevel(page: MeetingPage, id: string, wanted: (level: string) => boolean, what: string) {
  let last: string | null = null;
  return eventually(
    async () => {
      last = await levelOf(page, id);
      return last !== null && wanted(last) ? last : undefined;
    },
    `${what} (last: ${last})`,
    60_000,
  );
}

describe('connection quality in Chromium', () => {
  it('each remote tile shows good on a clean path, worse under heavy loss from the SFU, good again after; the details name loss, round trip, frame rate and resolution', {
    timeout: 240_000,
  }, async () => {
    const join = (name: string) =>
      openMeeting(meetings, {
        url: server.url,
        room: 'CopperFinchesSingAtDawn',
        name,
        closeWith: (close) => onTestFinished(close),
      });
    const ann = await join('Ann');
    const ben = await join('Ben');
    const [idAnn, idBen] = [await selfId(ann), await selfId(ben)];
    await decodes(ben, idAnn, 'Ben decodes Ann');
    await decodes(ann, idBen, 'Ann decodes Ben');
    await waitForLevel(ben, idAnn, (l) => l === 'good', "Ann's tile at Ben: good");

    const pw = ben.playwright;
    if (!pw) throw new Error('a Chromium page was expected');
    const tile = pw.locator(`[data-testid="remote-tile"][data-participant-id="${idAnn}"]`);
    await tile.getByTestId('tile-quality').click();
    const details = tile.getByTestId('tile-quality-details');
    await expect(details.isVisible()).resolves.toBe(true);
    const text = (await details.textContent()) ?? '';
    for (const term of ['Packet loss', 'Round trip', 'Frame rate', 'Resolution'])
      expect(text).toContain(term);
    expect(text).toMatch(/\d+×\d+/);
    expect(await tile.getByTestId('tile-quality').getAttribute('aria-expanded')).toBe('true');

    const mediaPort = (server.media as unknown as { port: number }).port;
    const rule = addIptablesRule([
      // INPUT: a packet dropped on its way out fails sendto() and is sent again, so no loss at all.
      'INPUT',
      ...['-i', 'lo', '-p', 'udp', '--sport', String(mediaPort)],
      ...['-m', 'statistic', '--mode', 'random', '--probability', String(LOSS)],
      ...['-m', 'comment', '--comment', `conclave-quality-${process.pid}`],
      '-j',
      'DROP',
    ]);
    onTestFinished(() => rule.remove());
    await waitForLevel(ben, idAnn, (l) => l !== 'good', "Ann's tile at Ben: worse under loss");
    expect(await details.textContent()).not.toContain('Packet loss0.0 %');

    rule.remove();
    await waitForLevel(ben, idAnn, (l) => l === 'good', "Ann's tile at Ben: good again");
    // Own tile: no mark (this browser measures what it receives).
    expect(await pw.getByTestId('self-tile').getByTestId('tile-quality').count()).toBe(0);
  });
});
