import type { ServerMessage } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { ConclaveError } from '../errors.js';
import { createLogger, Redactor } from '../log/logger.js';
import { RoomRegistry } from './RoomRegistry.js';

function registry(sfuAvailable = false) {
  return new RoomRegistry({
    maxParticipants: 10,
    policy: { p2pEnabled: true, sfuAvailable },
    log: createLogger({ level: 'silent' }),
    redactor: new Redactor(),
    lobbyByDefault: false,
    chat: { maxLength: 100, historyForLateJoiners: false, historyLimit: 10, messagesPerSecond: 1, burst: 5 },
  });
}

function inbox() {
  const messages: ServerMessage[] = [];
  return {
    messages,
    sink: (m: ServerMessage) => messages.push(m),
    of: (t: string) => messages.filter((m) => m.type === t),
  };
}

const join = (rooms: RoomRegistry, key: string, box = inbox(), displayName?: string) => {
  const { room, entry } = rooms.join(
    key,
    { profile: { displayName }, sink: box.sink, iceServers: [], onRemoved: () => {} },
    { admitted: () => {}, refused: () => {} },
  );
  if (entry.kind !== 'joined') throw new Error('expected to join directly');
  return { box, room, participant: entry.participant };
};

describe('RoomRegistry and Room', () => {
  it('P1: the first join creates the room, the last leave closes it and everything it owned', () => {
    const rooms = registry();
    const a = join(rooms, 'k', inbox(), 'Alice');
    const b = join(rooms, 'k', inbox(), 'Bob');
    expect(a.room).toBe(b.room);
    expect(rooms.roomCount).toBe(1);
    a.room.remove(a.participant, 'left');
    expect(a.participant.closed).toBe(true);
    expect(a.participant.profile).toEqual({});
    b.room.remove(b.participant, 'disconnected');
    expect(b.room.closed).toBe(true);
    expect([...b.room.participants()]).toEqual([]);
    expect(rooms.roomCount).toBe(0);
    expect(rooms.participantCount).toBe(0);
  });

  it('P1: a later meeting under the same name is a new room with a new meeting id', () => {
    const rooms = registry();
    const first = join(rooms, 'k');
    first.room.remove(first.participant, 'left');
    const second = join(rooms, 'k');
    expect(second.room).not.toBe(first.room);
    expect(second.room.meetingId).not.toBe(first.room.meetingId);
    expect(second.participant.role).toBe('moderator');
  });

  it('makes the first joiner moderator and hands over to the longest-present participant', () => {
    const rooms = registry(true);
    const a = join(rooms, 'k');
    const b = join(rooms, 'k');
    const c = join(rooms, 'k');
    expect([a.participant.role, b.participant.role, c.participant.role]).toEqual([
      'moderator',
      'participant',
      'participant',
    ]);
    a.room.remove(a.participant, 'left');
    expect(b.participant.role).toBe('moderator');
    expect(c.participant.role).toBe('participant');
    expect(c.box.of('participantUpdated').at(-1)).toMatchObject({
      participant: { id: b.participant.id, role: 'moderator' },
    });
  });

  it('puts two participants peer-to-peer with the newcomer offering, and back to none when one leaves', () => {
    const rooms = registry();
    const a = join(rooms, 'k');
    expect(a.box.of('joined')[0]).toMatchObject({ mode: 'none', participants: [] });
    const b = join(rooms, 'k');
    expect(a.box.of('mediaMode').at(-1)).toEqual({
      type: 'mediaMode',
      mode: 'p2p',
      peer: { id: b.participant.id, offerer: false },
    });
    expect(b.box.of('mediaMode').at(-1)).toEqual({
      type: 'mediaMode',
      mode: 'p2p',
      peer: { id: a.participant.id, offerer: true },
    });
    b.room.remove(b.participant, 'left');
    expect(a.box.of('mediaMode').at(-1)).toEqual({ type: 'mediaMode', mode: 'none' });
    expect(a.box.of('participantLeft').at(-1)).toEqual({
      type: 'participantLeft',
      id: b.participant.id,
      reason: 'left',
    });
  });

  it('refuses a third participant while no SFU is available, without leaving a trace', () => {
    const rooms = registry(false);
    join(rooms, 'k');
    join(rooms, 'k');
    expect(() => join(rooms, 'k')).toThrow(ConclaveError);
    expect(rooms.participantCount).toBe(2);
  });

  it('relays signals only between the two peers of a P2P call', () => {
    const rooms = registry();
    const a = join(rooms, 'k');
    expect(() => a.room.relaySignal(a.participant, 'nobody', {})).toThrow(/No such participant/);
    const b = join(rooms, 'k');
    a.room.relaySignal(a.participant, b.participant.id, { description: { type: 'offer', sdp: 'v=0' } });
    expect(b.box.of('signal')).toEqual([
      { type: 'signal', from: a.participant.id, description: { type: 'offer', sdp: 'v=0' } },
    ]);
    expect(() => a.room.relaySignal(a.participant, a.participant.id, {})).toThrow(ConclaveError);
  });

  it('carries join.e2eeSupported into the participant (absent: supported) and refuses E2EE from one without it', () => {
    const rooms = registry();
    const a = join(rooms, 'k');
    const box = inbox();
    const { entry } = rooms.join(
      'k',
      { profile: {}, sink: box.sink, iceServers: [], onRemoved: () => {}, e2eeSupported: false },
      { admitted: () => {}, refused: () => {} },
    );
    if (entry.kind !== 'joined') throw new Error('expected to join directly');
    const b = entry.participant;
    expect(a.participant.info().e2eeSupported).toBe(true);
    expect(b.info().e2eeSupported).toBe(false);
    expect(() => a.room.setE2EE(b, true)).toThrow(expect.objectContaining({ code: 'E2EE_UNSUPPORTED' }));
    expect(b.e2ee).toBe(false);
    a.room.setE2EE(a.participant, true);
    expect(a.room.e2eeActive).toBe(true);
    expect(box.of('participantUpdated')).toMatchObject([
      { participant: { id: a.participant.id, e2ee: true } },
    ]);
  });

  it('closing the registry closes every room (idempotent)', () => {
    const rooms = registry();
    const a = join(rooms, 'a');
    const b = join(rooms, 'b');
    rooms.close();
    rooms.close();
    expect(a.room.closed && b.room.closed).toBe(true);
    expect(rooms.roomCount).toBe(0);
  });
});
