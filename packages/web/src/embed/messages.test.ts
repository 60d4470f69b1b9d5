import { LIMITS } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  Command,
  EMBED_LIMITS,
  EMBED_TAG,
  EmbedEvent,
  FrameMessage,
  HostMessage,
} from './messages.js';

const tag = EMBED_TAG;

describe('embedding API messages', () => {
  it('bound names, ids, passwords and chat as the wire protocol does', () => {
    expect(EMBED_LIMITS.displayName).toBe(LIMITS.displayName);
    expect(EMBED_LIMITS.password).toBe(LIMITS.password);
    expect(EMBED_LIMITS.participantId).toBe(LIMITS.participantId);
    expect(EMBED_LIMITS.chatText).toBe(LIMITS.chatText);
  });

  it('accept every command with its arguments', () => {
    const valid: unknown[] = [
      { name: 'toggleAudio', args: [] },
      { name: 'toggleVideo', args: [] },
      { name: 'toggleShareScreen', args: [] },
      { name: 'toggleRaiseHand', args: [] },
      { name: 'hangup', args: [] },
      { name: 'displayName', args: ['Ada'] },
      { name: 'password', args: ['s3cret'] },
      { name: 'password', args: [''] },
      { name: 'sendChatMessage', args: ['hello'] },
      { name: 'sendChatMessage', args: ['hello', 'p1'] },
      { name: 'pinParticipant', args: ['p1'] },
      { name: 'pinParticipant', args: [null] },
      { name: 'pinParticipant', args: [] },
    ];
    for (const command of valid) {
      expect(HostMessage.safeParse({ tag, kind: 'command', command }).success, JSON.stringify(command)).toBe(
        true,
      );
    }
    expect(new Set(valid.map((c) => (c as { name: string }).name))).toEqual(new Set(COMMAND_NAMES));
  });

  it.each([
    ['an unknown command', { name: 'eval', args: [] }],
    ['extra arguments', { name: 'toggleAudio', args: [true] }],
    ['a missing argument', { name: 'displayName', args: [] }],
    ['a name too long', { name: 'displayName', args: ['x'.repeat(65)] }],
    ['a name with a bidi override', { name: 'displayName', args: ['Ada\u202Egnp.exe'] }],
    ['a password too long', { name: 'password', args: ['x'.repeat(129)] }],
    ['an empty chat message', { name: 'sendChatMessage', args: [''] }],
    ['a chat message too long', { name: 'sendChatMessage', args: ['x'.repeat(10_001)] }],
    ['a third chat argument', { name: 'sendChatMessage', args: ['hi', 'p1', 'p2'] }],
    ['a non-string argument', { name: 'password', args: [{ toString: (): string => 'x' }] }],
    ['an extra key', { name: 'hangup', args: [], now: true }],
    ['an empty participant id to pin', { name: 'pinParticipant', args: [''] }],
    ['a participant id too long to pin', { name: 'pinParticipant', args: ['x'.repeat(65)] }],
    ['a number to pin', { name: 'pinParticipant', args: [7] }],
    ['a second pin argument', { name: 'pinParticipant', args: ['p1', 'camera'] }],
  ])('refuse %s', (_what, command) => {
    expect(Command.safeParse(command).success).toBe(false);
    expect(HostMessage.safeParse({ tag, kind: 'command', command }).success).toBe(false);
  });

  it('refuse messages without the tag, of another version or of an unknown kind', () => {
    expect(HostMessage.safeParse({ tag, kind: 'hello' }).success).toBe(true);
    expect(HostMessage.safeParse({ kind: 'hello' }).success).toBe(false);
    expect(HostMessage.safeParse({ tag: 'conclave-embed/2', kind: 'hello' }).success).toBe(false);
    expect(HostMessage.safeParse({ tag, kind: 'ready' }).success).toBe(false);
    expect(HostMessage.safeParse('hello').success).toBe(false);
    expect(HostMessage.safeParse({ tag, kind: 'request', id: -1, name: 'getParticipantsInfo' }).success).toBe(
      false,
    );
    expect(
      HostMessage.safeParse({ tag, kind: 'request', id: 1.5, name: 'getParticipantsInfo' }).success,
    ).toBe(false);
  });

  it('accept the events the API defines, with their data, and nothing else', () => {
    expect(EmbedEvent.safeParse({ name: 'audioMuteStatusChanged', data: { muted: true } }).success).toBe(
      true,
    );
    expect(EmbedEvent.safeParse({ name: 'dominantSpeakerChanged', data: { id: null } }).success).toBe(true);
    expect(EmbedEvent.safeParse({ name: 'pinnedParticipantChanged', data: { id: 'p1' } }).success).toBe(true);
    expect(EmbedEvent.safeParse({ name: 'pinnedParticipantChanged', data: { id: null } }).success).toBe(true);
    expect(EmbedEvent.safeParse({ name: 'pinnedParticipantChanged', data: {} }).success).toBe(false);
    expect(
      EmbedEvent.safeParse({
        name: 'incomingMessage',
        data: { from: 'p1', nick: 'Bob', message: 'hi', privateMessage: false, stamp: 1 },
      }).success,
    ).toBe(true);
    expect(
      EmbedEvent.safeParse({
        name: 'errorOccurred',
        data: { name: 'not-supported', message: 'x', command: 'toggleRaiseHand' },
      }).success,
    ).toBe(true);
    expect(EmbedEvent.safeParse({ name: 'audioMuteStatusChanged', data: { muted: 'yes' } }).success).toBe(
      false,
    );
    expect(
      EmbedEvent.safeParse({ name: 'participantJoined', data: { id: 'p1', email: 'a@b.c' } }).success,
    ).toBe(false);
    expect(EmbedEvent.safeParse({ name: 'somethingElse', data: {} }).success).toBe(false);
    expect(
      EmbedEvent.safeParse({ name: 'errorOccurred', data: { name: 'failed', message: 'x'.repeat(501) } })
        .success,
    ).toBe(false);
  });

  it('bound the participants list of a response', () => {
    const person = {
      participantId: 'p',
      role: 'participant',
      audioMuted: false,
      videoMuted: true,
      local: false,
    };
    const response = (n: number) => ({
      tag,
      kind: 'response',
      id: 1,
      result: Array.from({ length: n }, () => person),
    });
    expect(FrameMessage.safeParse(response(1000)).success).toBe(true);
    expect(FrameMessage.safeParse(response(1001)).success).toBe(false);
  });
});
