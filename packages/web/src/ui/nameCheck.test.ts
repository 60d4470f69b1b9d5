import { generateRoomName } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { checkRoomName } from './nameCheck.js';

describe('checkRoomName', () => {
  it('says nothing about an empty field', () => {
    expect(checkRoomName('')).toEqual({ kind: 'empty' });
    expect(checkRoomName('   ')).toEqual({ kind: 'empty' });
  });

  it.each(['Test', 'Yoga', 'FamilyMeeting', 'abc'])('P3: the typed name %j is flagged as weak', (name) => {
    const check = checkRoomName(name);
    expect(check.kind).toBe('ok');
    if (check.kind === 'ok') expect(check.weak).toBe(true);
  });

  it('P3: a proposed name is strong and needs no warning', () => {
    for (let i = 0; i < 20; i++) {
      const check = checkRoomName(generateRoomName());
      expect(check).toMatchObject({ kind: 'ok', strength: 'strong', weak: false });
    }
  });

  it('passes on the parser message for names that cannot be used', () => {
    const check = checkRoomName('a/b?c');
    expect(check.kind).toBe('invalid');
    if (check.kind === 'invalid') expect(check.message.length).toBeGreaterThan(0);
  });
});
