import { joinWithoutMedia, startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conference } from './Conference.js';
import type { ConferenceEvents } from './ConferenceEvents.js';

/*
 * The Conference API for raised hands, reactions, ending the meeting and one's own mute flags,
 * against the real server (no media: Node has no WebRTC here, so these participants join
 * chat-only; the flags travel all the same).
 */

let server: TestServer;
const conferences: Conference[] = [];

afterEach(async () => {
  for (const c of conferences.splice(0)) await c.leave();
  await server?.close();
});

async function join(displayName: string): Promise<Conference> {
  const c = await joinWithoutMedia(server.url, 'TealOttersDriftHome', displayName);
  conferences.push(c);
  return c;
}

function next<K extends keyof ConferenceEvents>(c: Conference, event: K): Promise<ConferenceEvents[K]> {
  return new Promise((resolve) => {
    const off = c.on(event, (...args) => {
      off();
      resolve(args);
    });
  });
}

describe('Conference: hands, reactions, end for all', () => {
  it('raiseHand / lowerHand(id) / hands follow the server’s queue; react reaches everyone', async () => {
    server = await startTestServer();
    const mod = await join('Mod');
    const a = await join('Ann');
    const b = await join('Bob');
    const seen = next(mod, 'hands');
    b.raiseHand();
    expect((await seen)[0]).toEqual({
      queue: [b.self.id],
      change: { id: b.self.id, raised: true, by: b.self.id },
    });
    const second = next(mod, 'hands');
    const aSeesOwn = new Promise<void>((resolve) => {
      const off = a.on('hands', ({ queue }) => {
        if (!queue.includes(a.self.id)) return;
        off();
        resolve();
      });
    });
    a.raiseHand();
    await Promise.all([second, aSeesOwn]);
    expect(mod.hands).toEqual([b.self.id, a.self.id]);
    expect([mod.handRaised, a.handRaised]).toEqual([false, true]);

    const refused = next(a, 'serverError');
    a.lowerHand(b.self.id);
    expect((await refused)[0]).toMatchObject({ code: 'NOT_MODERATOR', inReplyTo: 'lowerHand' });
    const lowered = next(b, 'hands');
    mod.lowerHand(b.self.id);
    expect((await lowered)[0].change).toEqual({ id: b.self.id, raised: false, by: mod.self.id });
    expect(b.hands).toEqual([a.self.id]);

    const reaction = next(mod, 'reaction');
    a.react('🎉');
    expect((await reaction)[0]).toEqual({ from: a.self.id, emoji: '🎉' });
  });

  it('endMeeting: everyone leaves with reason "ended"; a non-moderator is refused', async () => {
    server = await startTestServer();
    const mod = await join('Mod');
    const a = await join('Ann');
    const refused = next(a, 'serverError');
    a.endMeeting();
    expect((await refused)[0]).toMatchObject({ code: 'NOT_MODERATOR', inReplyTo: 'endMeeting' });
    const ended = [next(mod, 'left'), next(a, 'left')];
    mod.endMeeting();
    for (const left of ended) expect((await left)[0]).toEqual({ reason: 'ended', by: mod.self.id });
    expect(server.rooms.roomCount).toBe(0);
  });
});

describe('own media state', () => {
  it("a quick mute then unmute stays unmuted while the server's echoes of both arrive; the others see the last", async () => {
    server = await startTestServer();
    const ann = await join('Ann');
    const ben = await join('Ben');
    const seen: boolean[] = [];
    const echoes = new Promise<void>((resolve) => {
      let updates = 0;
      ann.on('selfUpdated', (self) => {
        seen.push(self.audioMuted);
        // Three local updates (said at once), then the server's three echoes.
        if (++updates === 6) resolve();
      });
    });
    ann.setAudioMuted(true);
    ann.setAudioMuted(false);
    ann.setVideoMuted(true);
    await echoes;
    // Locally: muted, unmuted, and never muted again by the echo of the first toggle.
    expect(seen.slice(0, 3)).toEqual([true, false, false]);
    expect(seen.slice(3)).toEqual([false, false, false]);
    expect([ann.audioMuted, ann.videoMuted]).toEqual([false, true]);
    const atBen = await new Promise<{ audioMuted: boolean; videoMuted: boolean }>((resolve) => {
      const check = () => {
        const info = ben.participants.get(ann.self.id);
        if (info?.videoMuted) resolve(info);
      };
      ben.on('participantUpdated', check);
      check();
    });
    expect(atBen).toMatchObject({ audioMuted: false, videoMuted: true });
  });
});
