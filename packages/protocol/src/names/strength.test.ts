import { describe, expect, it } from 'vitest';
import { COMMON_WORDS } from './common-words.js';
import { generateRoomName, ROOM_NAME_COMBINATIONS } from './generate.js';
import {
  ROOM_NAME_GUESS_COSTS,
  ROOM_NAME_STRENGTH_THRESHOLDS,
  ROOM_NAME_WEAKNESS_MESSAGES,
  type RoomNameWeakness,
  scoreRoomName,
} from './strength.js';
import { ROOM_NAME_SLOTS } from './words.js';

describe('scoreRoomName', () => {
  it('has the documented thresholds', () => {
    expect(ROOM_NAME_STRENGTH_THRESHOLDS).toEqual({ weakBelow: 1e9, strongFrom: 1e12, minLengthForFair: 8 });
  });

  it.each<[string, RoomNameWeakness[]]>([
    ['Test', ['too-short', 'common-word']],
    ['Yoga', ['too-short', 'common-word']],
    ['FamilyMeeting', ['common-word']],
    ['Meeting123', ['common-word', 'common-pattern', 'digits-only-suffix']],
    ['test1', ['too-short', 'common-word', 'digits-only-suffix']],
    ['MyRoom', ['too-short', 'common-word']],
    ['TeamStandup', ['common-word']],
    ['Daily', ['too-short', 'common-word']],
    ['abc', ['too-short', 'common-pattern']],
    ['aaaaaaa', ['too-short', 'common-pattern']],
    ['12345678', ['digits-only', 'common-pattern']],
  ])('P3: %j is weak (%j)', (name, reasons) => {
    const score = scoreRoomName(name);
    expect(score.strength).toBe('weak');
    expect(score.reasons).toEqual(reasons);
    expect(score.estimatedGuesses).toBeLessThan(ROOM_NAME_STRENGTH_THRESHOLDS.weakBelow);
    expect(score.message).toMatch(/easy to guess/);
  });

  it.each([
    'familymeeting',
    'FAMILY-MEETING',
    'family_meeting',
    'ProjectKickoff',
    'MondayStandup',
    'WeeklySync',
    'JohnsRoom',
    'ChurchService',
    'YogaClass',
    'team-standup-2024',
    'meeting2024',
    'TestTestTest',
    'qwertyuiop',
    'abcdefghij',
    '0000000000',
    '20242025',
    'password123',
    'Elephant',
  ])('P3: %j is weak', (name) => {
    expect(scoreRoomName(name).strength).toBe('weak');
  });

  it.each(ROOM_NAME_SLOTS.flatMap(({ words }) => words.filter((_, i) => i % 7 === 0)))(
    'P3: the single dictionary word %j is weak',
    (word) => {
      const score = scoreRoomName(word);
      expect(score.strength).toBe('weak');
      expect(score.reasons.some((r) => ['too-short', 'common-word', 'dictionary-word'].includes(r))).toBe(
        true,
      );
    },
  );

  it('P3: every pair of two common words is weak', () => {
    const words = COMMON_WORDS.filter((w) => w.length >= 4).slice(0, 60);
    for (const a of words) {
      for (const b of words) {
        const score = scoreRoomName(`${a}${b}`);
        expect(score.strength, `${a}${b}`).toBe('weak');
      }
    }
  });

  it('P3: two words from the generator lists are weak', () => {
    expect(scoreRoomName('BraveOtters').strength).toBe('weak');
    expect(scoreRoomName('SingSoftly').strength).toBe('weak');
    expect(scoreRoomName('UnderBridges').strength).toBe('weak');
  });

  it('P3: generated names are strong, and recognised as generated', () => {
    for (let i = 0; i < 300; i++) {
      const name = generateRoomName();
      const score = scoreRoomName(name);
      expect(score, name).toMatchObject({ strength: 'strong', reasons: [], generated: true });
      expect(score.estimatedGuesses).toBe(Number(ROOM_NAME_COMBINATIONS));
      expect(scoreRoomName(name.toLowerCase())).toEqual(score);
    }
  });

  it('P3: the generator clears the strong threshold by itself', () => {
    expect(Number(ROOM_NAME_COMBINATIONS)).toBeGreaterThanOrEqual(ROOM_NAME_STRENGTH_THRESHOLDS.strongFrom);
  });

  it.each([
    ['x7Kq9pZ2wLm4', 'strong'],
    ['kbfqzmwpxrtv', 'strong'],
    ['correcthorsebatterystaple', 'strong'],
    ['BraveOttersSingSoftly', 'strong'],
    ['BraveOttersSing', 'fair'],
    ['x7kq9pz2', 'fair'],
  ])('scores %j as %s', (name, strength) => {
    const score = scoreRoomName(name);
    expect(score.strength).toBe(strength);
    expect(score.generated).toBe(false);
    if (strength === 'strong') expect(score.reasons).toEqual([]);
    else expect(score.reasons.length).toBeGreaterThan(0);
  });

  it('ignores case, because case does not make a different meeting', () => {
    for (const name of ['FamilyMeeting', 'BraveOttersSing', 'x7Kq9pZ2wLm4']) {
      expect(scoreRoomName(name.toLowerCase())).toEqual(scoreRoomName(name));
      expect(scoreRoomName(name.toUpperCase())).toEqual(scoreRoomName(name));
    }
  });

  it('counts a dictionary word as the size of the vocabulary and a common word as the common list', () => {
    expect(scoreRoomName('Butterflies').estimatedGuesses).toBeCloseTo(
      ROOM_NAME_GUESS_COSTS.dictionaryWord,
      6,
    );
    expect(scoreRoomName('conference').estimatedGuesses).toBeCloseTo(ROOM_NAME_GUESS_COSTS.commonWord, 6);
    expect(scoreRoomName('conferences').estimatedGuesses).toBeCloseTo(
      2 * ROOM_NAME_GUESS_COSTS.commonWord,
      6,
    );
    expect(scoreRoomName('8357610284').estimatedGuesses).toBeCloseTo(1e10, 0);
  });

  it('P3: an invalid name is weak and explains why', () => {
    const score = scoreRoomName('Br\u0430veOtters');
    expect(score).toMatchObject({
      strength: 'weak',
      reasons: ['invalid'],
      estimatedGuesses: 0,
      generated: false,
    });
    expect(score.message).toMatch(/letters A to Z/);
  });

  it('has a message for every reason', () => {
    for (const message of Object.values(ROOM_NAME_WEAKNESS_MESSAGES))
      expect(message.length).toBeGreaterThan(10);
    expect(scoreRoomName('FamilyMeeting').message).toContain(ROOM_NAME_WEAKNESS_MESSAGES['common-word']);
    expect(scoreRoomName('x7kq9pz2').message).toContain(ROOM_NAME_WEAKNESS_MESSAGES['needs-more-characters']);
  });
});
