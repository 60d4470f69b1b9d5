import { joinWithoutMedia, startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conference } from './Conference.js';

/*
 * A participant's own microphone and camera state against the real server (no media: Node has
 * no WebRTC here, so the participants join chat-only; the flags travel all the same).
 */

let server: TestServer;
const conferences: Conference[] = [];

afterEach(async () => {
  for (const c of conferences.splice(0)) await c.leave();
  await server?.close();
});

async function join(displayName: string): Promise<Conference> {
  const c = await joinWithoutMedia(server.url, 'AmberFinchesCrossTheBay', displayName);
  conferences.push(c);
  return c;
}

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
