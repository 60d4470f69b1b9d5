import { generateRoomName } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { checkRoomName, explainWeakness } from './nameCheck.js';

describe('checkRoomName', () => {
  it('says nothing about an empty field', () => {
    expect(checkRoomName('')).toEqual({ kind: 'empty' });
    expect(checkRoomName('   ')).toEqual({ kind: 'empty' });
  });

  it.each(['Test', 'Yoga', 'FamilyMeeting', 'abc', 'team2024'])(
    'P3: the typed name %j is flagged as weak, with reasons',
    (name) => {
      const check = checkRoomName(name);
      expect(check).toMatchObject({ kind: 'ok', weak: true, strength: 'weak' });
      if (check.kind === 'ok') expect(explainWeakness(check.reasons)).not.toBe('');
    },
  );

  it('P3: a proposed name is strong and needs no warning', () => {
    for (let i = 0; i < 50; i++) {
      expect(checkRoomName(generateRoomName())).toMatchObject({
        kind: 'ok',
        strength: 'strong',
        weak: false,
      });
    }
  });

  it('keeps the name as typed (case included) for the URL', () => {
    expect(checkRoomName('  SixtyJoyfulKitesYodelTenderlyAboveOaks ')).toMatchObject({
      name: 'SixtyJoyfulKitesYodelTenderlyAboveOaks',
    });
  });

  it.each(['a/b?c', 'with space', 'ab', 'Café', '.hidden'])('refuses %j with the parser message', (name) => {
    const check = checkRoomName(name);
    expect(check.kind).toBe('invalid');
    if (check.kind === 'invalid') expect(check.message).toMatch(/room name/i);
  });
});

describe('explainWeakness', () => {
  it('joins the reasons into one sentence', () => {
    expect(explainWeakness([])).toBe('');
    expect(explainWeakness(['too-short', 'common-word'])).toBe(
      'It is shorter than 8 characters; it uses words that many people choose for their rooms.',
    );
  });
});
