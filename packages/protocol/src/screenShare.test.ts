import { describe, expect, it } from 'vitest';
import { PUBLISH_MIDS, SCREEN_MID_PREFIX, SCREEN_PUBLISH_MIDS } from './media.js';
import { ClientMessage, ParticipantInfo, RoomState, ServerMessage } from './messages.js';

/* The wire of screen sharing (issue 13, docs/protocol.md "Screen sharing"): bounded and strict. */

const info = {
  id: 'p1',
  role: 'participant',
  audioMuted: false,
  videoMuted: false,
  e2eeIndex: 1,
  e2ee: false,
  e2eeSupported: true,
  media: 'available',
} as const;

describe('screen-sharing messages', () => {
  it.each([
    [{ type: 'setScreenShare', sharing: true }, true],
    [{ type: 'setScreenShare', sharing: false }, true],
    [{ type: 'setScreenShare' }, false],
    [{ type: 'setScreenShare', sharing: 'yes' }, false],
    [{ type: 'setScreenShare', sharing: true, source: 'window' }, false],
    [{ type: 'setMultipleScreenShares', allowed: true }, true],
    [{ type: 'setMultipleScreenShares', allowed: 1 }, false],
  ])('client message %j valid: %s', (message, valid) => {
    expect(ClientMessage.safeParse(message).success).toBe(valid);
  });

  it('P2P signals name at most two screen mids, each short', () => {
    const signal = { type: 'signal', to: 'p2', description: { type: 'offer', sdp: 'v=0' } };
    expect(ClientMessage.safeParse({ ...signal, screenMids: ['2', '3'] }).success).toBe(true);
    expect(ClientMessage.safeParse({ ...signal, screenMids: ['2', '3', '4'] }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...signal, screenMids: ['x'.repeat(33)] }).success).toBe(false);
    expect(ClientMessage.safeParse({ ...signal, screenMids: [''] }).success).toBe(false);
    const relayed = { type: 'signal', from: 'p1', candidate: { candidate: 'c' }, screenMids: ['1'] };
    expect(ServerMessage.safeParse(relayed).success).toBe(true);
  });

  it('who presents is in the participant info, and the moderator setting in the room state (both optional on the wire)', () => {
    expect(ParticipantInfo.parse({ ...info, screenSharing: true }).screenSharing).toBe(true);
    expect(ParticipantInfo.parse(info).screenSharing).toBeUndefined();
    expect(ParticipantInfo.safeParse({ ...info, screenSharing: 'on' }).success).toBe(false);
    const room = { locked: false, lobby: false, recording: false };
    expect(RoomState.parse({ ...room, multipleScreenShares: true }).multipleScreenShares).toBe(true);
    expect(RoomState.safeParse(room).success).toBe(true);
  });

  it('screen mids never collide with the camera publish mids or the engine camera mids', () => {
    const publish = [...Object.values(PUBLISH_MIDS), ...Object.values(SCREEN_PUBLISH_MIDS)];
    expect(new Set(publish).size).toBe(4);
    // Camera subscriptions are a<n>/v<n>: never with the screen prefix.
    expect('a1'.startsWith(SCREEN_MID_PREFIX) || 'v2'.startsWith(SCREEN_MID_PREFIX)).toBe(false);
  });
});
