import { describe, expect, it } from 'vitest';
import { DominantSpeakerDetector } from './DominantSpeaker.js';

/** Each tick: the level each participant sent (absent = no packets); returns the changes. */
function run(ticks: Record<string, number>[], tickMs = 300): (string | undefined)[] {
  const d = new DominantSpeakerDetector({ silenceLevel: 70, smoothing: 0.5, margin: 3, minHoldMs: 1000 });
  return ticks.map((levels, i) => {
    for (const [id, level] of Object.entries(levels)) for (let n = 0; n < 5; n++) d.observe(id, level);
    return d.tick(i * tickMs);
  });
}

describe('dominant speaker', () => {
  it.each<[string, Record<string, number>[], (string | undefined)[]]>([
    [
      'silence elects nobody',
      [
        { a: 127, b: 127 },
        { a: 127, b: 127 },
      ],
      [undefined, undefined],
    ],
    [
      'the one who speaks',
      [
        { a: 30, b: 127 },
        { a: 30, b: 127 },
      ],
      ['a', undefined],
    ],
    [
      'a brief interruption does not steal the stage',
      [
        { a: 30, b: 127 },
        { a: 30, b: 20 },
        { a: 30, b: 127 },
        { a: 30, b: 127 },
      ],
      ['a', undefined, undefined, undefined],
    ],
    [
      'someone clearly louder for long enough takes over',
      [{ a: 30 }, { a: 127, b: 20 }, { a: 127, b: 20 }, { a: 127, b: 20 }, { a: 127, b: 20 }],
      ['a', undefined, undefined, undefined, 'b'],
    ],
  ])('%s', (_name, ticks, expected) => {
    expect(run(ticks)).toEqual(expected);
  });

  it('forgets a participant who left', () => {
    const d = new DominantSpeakerDetector();
    d.observe('a', 20);
    expect(d.tick(0)).toBe('a');
    d.remove('a');
    expect(d.current).toBeUndefined();
  });
});
