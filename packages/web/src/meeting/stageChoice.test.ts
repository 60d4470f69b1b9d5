import { describe, expect, it } from 'vitest';
import { type StageInput, stagedParticipant } from './stageChoice.js';

const base: StageInput = {
  view: 'speaker',
  screenOnStage: false,
  selfId: 'me',
  others: ['ann', 'ben'],
  pinned: null,
  dominant: null,
  previous: null,
};

describe('stagedParticipant', () => {
  it.each<[string, Partial<StageInput>, string | null]>([
    ['tile view has no stage', { view: 'tile', pinned: 'ann', dominant: 'ben' }, null],
    ['a shared screen takes the stage, even from a pin', { screenOnStage: true, pinned: 'ann' }, null],
    ['the pinned participant, over the dominant speaker', { pinned: 'ann', dominant: 'ben' }, 'ann'],
    ['this participant, when pinned', { pinned: 'me', dominant: 'ben' }, 'me'],
    ['a pin on someone who left counts for nothing', { pinned: 'gone', dominant: 'ben' }, 'ben'],
    ['the dominant speaker', { dominant: 'ben', previous: 'ann' }, 'ben'],
    [
      'not this participant while they speak: who was on the stage stays',
      { dominant: 'me', previous: 'ben' },
      'ben',
    ],
    ['speaking with nobody on the stage before: the first of the others', { dominant: 'me' }, 'ann'],
    ['a dominant speaker who left: the one before stays', { dominant: 'gone', previous: 'ben' }, 'ben'],
    ['this participant was pinned, then unpinned while speaking', { dominant: 'me', previous: 'me' }, 'ann'],
    ['alone: this participant', { others: [], dominant: 'me' }, 'me'],
  ])('%s', (_name, input, expected) => {
    expect(stagedParticipant({ ...base, ...input })).toBe(expected);
  });
});
