import { describe, expect, it } from 'vitest';
import { SpeakingDetector } from './SpeakingDetector.js';

describe('SpeakingDetector', () => {
  it.each([
    { levels: [0.2, 0.2], changes: [undefined, true] },
    { levels: [0.2, 0.01, 0.2], changes: [undefined, undefined, undefined] },
    { levels: [0.2, 0.2, 0, 0, 0, 0], changes: [undefined, true, undefined, undefined, undefined, false] },
    {
      levels: [0.2, 0.2, 0, 0, 0.3, 0, 0, 0],
      changes: [undefined, true, undefined, undefined, undefined, undefined, undefined, undefined],
    },
  ])('turns $levels into $changes', ({ levels, changes }) => {
    const detector = new SpeakingDetector();
    expect(levels.map((l) => detector.push(l))).toEqual(changes);
  });
});
