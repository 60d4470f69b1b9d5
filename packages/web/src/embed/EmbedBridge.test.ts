import { describe, expect, it } from 'vitest';
import { EmbedBridge } from './EmbedBridge.js';
import { EMBED_TAG, FrameMessage } from './messages.js';

/*
 * The bridge's origin rules, driven through a stand-in window (the browser's own is exercised by
 * e2e/embedding.e2e.test.ts). Some rules cannot be reached in a browser while the CSP holds — a
 * parent of an unlisted origin cannot frame the page at all — so they are checked here.
 */

const HOST = 'https://intranet.example.org';
const OTHER = 'https://other.example.org';
const tag = EMBED_TAG;

interface Posted {
  message: FrameMessage;
  targetOrigin: string;
}

function setUp(allowed: readonly string[] = [HOST, OTHER], clock = { now: 0 }) {
  const posted: Posted[] = [];
  const parent = {
    postMessage(message: unknown, targetOrigin: string) {
      posted.push({ message: FrameMessage.parse(message), targetOrigin });
    },
  };
  const stranger = { postMessage() {} };
  const win = Object.assign(new EventTarget(), { parent }) as unknown as Window;
  const bridge = new EmbedBridge(win, Promise.resolve(allowed), () => clock.now);
  const receive = async (data: unknown, origin: string, source: unknown = parent) => {
    win.dispatchEvent(Object.assign(new Event('message'), { data, origin, source }));
    // Let the bridge's promise reactions run.
    await new Promise((r) => setTimeout(r, 0));
  };
  return { bridge, posted, receive, stranger };
}

const hello = { tag, kind: 'hello' };
const request = (id: number) => ({ tag, kind: 'request', id, name: 'getParticipantsInfo' });

describe('EmbedBridge', () => {
  it('answers the first listed origin that greets it from the parent window, addressed to that origin only', async () => {
    const { posted, receive } = setUp();
    await receive(hello, HOST);
    expect(posted).toEqual([{ message: { tag, kind: 'ready' }, targetOrigin: HOST }]);
  });

  it('stays silent to a parent of an origin the server does not list', async () => {
    const { posted, receive } = setUp([HOST]);
    await receive(hello, OTHER);
    await receive(request(1), OTHER);
    expect(posted).toEqual([]);
  });

  it('stays silent to a window that is not its parent, even of a listed origin', async () => {
    const { posted, receive, stranger } = setUp();
    await receive(hello, HOST, stranger);
    await receive(hello, HOST, null);
    expect(posted).toEqual([]);
  });

  it('once greeted, hears only that origin', async () => {
    const { posted, receive } = setUp();
    await receive(hello, HOST);
    await receive(hello, OTHER);
    await receive(request(7), OTHER);
    await receive(request(8), HOST);
    expect(posted.map((p) => p.targetOrigin)).toEqual([HOST, HOST]);
    expect(posted[1]?.message).toMatchObject({ kind: 'failure', id: 8, error: { name: 'not-joined' } });
  });

  it('ignores commands and requests before the greeting, and anything that is no valid message', async () => {
    const { posted, receive } = setUp();
    await receive(request(1), HOST);
    await receive({ tag, kind: 'command', command: { name: 'hangup', args: [] } }, HOST);
    await receive({ tag, kind: 'hello', extra: 1 }, HOST);
    await receive('hello', HOST);
    expect(posted).toEqual([]);
  });

  it('refuses commands while not in a meeting, naming the command', async () => {
    const { posted, receive } = setUp();
    await receive(hello, HOST);
    await receive({ tag, kind: 'command', command: { name: 'toggleAudio', args: [] } }, HOST);
    expect(posted[1]?.message).toEqual({
      tag,
      kind: 'event',
      event: {
        name: 'errorOccurred',
        data: { name: 'not-joined', message: 'not in a meeting', command: 'toggleAudio' },
      },
    });
  });

  it('keeps events until a host has greeted it, then sends them in order', async () => {
    const { bridge, posted, receive } = setUp();
    const submitted: string[] = [];
    bridge.passwordRequired((password) => submitted.push(password));
    bridge.ended();
    expect(posted).toEqual([]);
    await receive(hello, HOST);
    expect(posted.map((p) => (p.message.kind === 'event' ? p.message.event.name : p.message.kind))).toEqual([
      'ready',
      'passwordRequired',
      'readyToClose',
    ]);
  });

  it('gives the password prompt the password command, once', async () => {
    const { bridge, posted, receive } = setUp();
    const submitted: string[] = [];
    await receive(hello, HOST);
    bridge.passwordRequired((password) => submitted.push(password));
    await receive({ tag, kind: 'command', command: { name: 'password', args: ['open sesame'] } }, HOST);
    expect(submitted).toEqual(['open sesame']);
    await receive({ tag, kind: 'command', command: { name: 'password', args: ['again'] } }, HOST);
    expect(submitted).toEqual(['open sesame']);
    expect(posted.at(-1)?.message).toMatchObject({
      event: { name: 'errorOccurred', data: { name: 'not-joined' } },
    });
  });

  it('drops commands beyond a burst of 20 and 10 a second, and says so once a second, not once per command', async () => {
    const clock = { now: 0 };
    const { posted, receive } = setUp([HOST], clock);
    await receive(hello, HOST);
    const count = (kind: string) => posted.filter((p) => p.message.kind === kind).length;
    for (let i = 0; i < 30; i++) await receive(request(i), HOST);
    expect(count('failure')).toBe(20);
    expect(count('event')).toBe(1);
    expect(posted.at(-1)?.message).toMatchObject({
      event: { name: 'errorOccurred', data: { name: 'failed', message: expect.stringMatching(/too many/) } },
    });
    clock.now = 500;
    for (let i = 0; i < 10; i++) await receive(request(i), HOST);
    expect(count('failure')).toBe(25);
    expect(count('event')).toBe(1);
    clock.now = 1500;
    for (let i = 0; i < 20; i++) await receive(request(i), HOST);
    expect(count('failure')).toBe(35);
    expect(count('event')).toBe(2);
  });
});
