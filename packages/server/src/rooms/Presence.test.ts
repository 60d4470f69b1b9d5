import type { ServerMessage } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { ConclaveError } from '../errors.js';
import { Participant } from './Participant.js';
import { Presence, REACTION_BURST, REACTIONS_PER_SECOND } from './Presence.js';
import { Roster } from './Roster.js';

function meeting() {
  const roster = new Roster();
  const inbox = new Map<string, ServerMessage[]>();
  const person = (id: string, role: 'moderator' | 'participant' = 'participant') => {
    const messages: ServerMessage[] = [];
    inbox.set(id, messages);
    const p = new Participant(id, roster.nextArrival(), {}, (m) => messages.push(m), true);
    p.role = role;
    roster.add(p);
    return p;
  };
  let now = 0;
  const presence = new Presence(roster, () => now);
  return { roster, inbox, person, presence, advance: (ms: number) => (now += ms) };
}

const codeOf = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ConclaveError ? err.code : String(err);
  }
  return undefined;
};

describe('Presence', () => {
  it('announces the queue in raise order to everyone, with who changed what', () => {
    const { person, presence, inbox } = meeting();
    const mod = person('mod', 'moderator');
    const a = person('a');
    const b = person('b');
    presence.raiseHand(b);
    presence.raiseHand(a);
    presence.raiseHand(b); // already up: nothing to announce
    expect(presence.hands).toEqual(['b', 'a']);
    expect(inbox.get('mod')?.at(-1)).toEqual({
      type: 'hands',
      queue: ['b', 'a'],
      change: { id: 'a', raised: true, by: 'a' },
    });
    expect(inbox.get('mod')).toHaveLength(2);
    presence.lowerHand(mod, 'b');
    expect(inbox.get('a')?.at(-1)).toEqual({
      type: 'hands',
      queue: ['a'],
      change: { id: 'b', raised: false, by: 'mod' },
    });
    presence.lowerHand(a);
    expect(presence.hands).toEqual([]);
  });

  it("refuses a participant lowering someone else's hand, and unknown ids", () => {
    const { person, presence } = meeting();
    const mod = person('mod', 'moderator');
    const a = person('a');
    const b = person('b');
    presence.raiseHand(b);
    expect(codeOf(() => presence.lowerHand(a, 'b'))).toBe('NOT_MODERATOR');
    expect(codeOf(() => presence.lowerHand(mod, 'nobody'))).toBe('UNKNOWN_PARTICIPANT');
    expect(presence.hands).toEqual(['b']);
  });

  it('rate-limits reactions per participant with a clear error, refilling over time', () => {
    const { person, presence, inbox, advance } = meeting();
    const a = person('a');
    const b = person('b');
    for (let i = 0; i < REACTION_BURST; i++) presence.react(a, '👏');
    expect(codeOf(() => presence.react(a, '👏'))).toBe('REACTION_RATE_LIMITED');
    // Someone else's budget is their own.
    presence.react(b, '🎉');
    advance(1000 / REACTIONS_PER_SECOND);
    presence.react(a, '👍');
    const reactions = inbox.get('b')?.filter((m) => m.type === 'reaction');
    expect(reactions).toHaveLength(REACTION_BURST + 2);
    expect(reactions?.at(-1)).toEqual({ type: 'reaction', from: 'a', emoji: '👍' });
  });

  it('P6: a leaver’s hand comes down, a newcomer learns the queue, and clear() forgets everything', () => {
    const { person, presence, inbox, roster } = meeting();
    const a = person('a');
    const b = person('b');
    presence.raiseHand(a);
    presence.raiseHand(b);
    roster.remove(a);
    presence.leave(a);
    expect(inbox.get('b')?.at(-1)).toEqual({ type: 'hands', queue: ['b'] });
    const c = person('c');
    presence.welcome(c);
    expect(inbox.get('c')).toEqual([{ type: 'hands', queue: ['b'] }]);
    presence.clear();
    expect(presence.hands).toEqual([]);
    const d = person('d');
    presence.welcome(d);
    expect(inbox.get('d')).toEqual([]);
  });
});
