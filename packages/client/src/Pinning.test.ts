import { joinWithoutMedia, startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conference } from './Conference.js';

/*
 * The Conference's pin, against the real server (no media: Node has no WebRTC here, so these
 * participants join chat-only; what reaches the SFU is covered by MediaPaths.test and the
 * e2e/stage test in Chromium).
 */

let server: TestServer;
const conferences: Conference[] = [];

afterEach(async () => {
  for (const c of conferences.splice(0)) await c.leave();
  await server?.close();
});

async function join(displayName: string): Promise<Conference> {
  const c = await joinWithoutMedia(server.url, 'QuietPinsHoldFast', displayName);
  conferences.push(c);
  return c;
}

describe('Conference.pin', () => {
  it('pins and unpins with an event, refuses a stranger, and ends when the pinned one leaves', async () => {
    server = await startTestServer();
    const ann = await join('Ann');
    const ben = await join('Ben');
    await new Promise<void>((resolve) => {
      if (ann.participants.has(ben.self.id)) resolve();
      else ann.on('participantJoined', () => resolve());
    });
    const events: (string | null)[] = [];
    ann.on('pinned', (id) => events.push(id));
    expect(ann.pinned).toBeNull();

    ann.pin(ben.self.id);
    expect(ann.pinned).toBe(ben.self.id);
    // The same pin again says nothing.
    ann.pin(ben.self.id);
    ann.pin(ann.self.id);
    ann.pin(null);
    expect(ann.pinned).toBeNull();
    expect(() => ann.pin('nobody-here')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PARTICIPANT' }));
    expect(ann.pinned).toBeNull();
    expect(events).toEqual([ben.self.id, ann.self.id, null]);

    // Nothing about a pin reaches the others.
    expect(ben.pinned).toBeNull();

    ann.pin(ben.self.id);
    const left = new Promise<void>((resolve) => ann.on('participantLeft', () => resolve()));
    await ben.leave();
    await left;
    expect(ann.pinned).toBeNull();
    expect(events).toEqual([ben.self.id, ann.self.id, null, ben.self.id, null]);
  });
});
