import { describe, expect, it } from 'vitest';
import { ConnectionQuality, levelOf } from './ConnectionQuality.js';

/** A stats report as a browser gives it: an iterable of stat objects keyed by id. */
function report(stats: Record<string, unknown>[]): RTCStatsReport {
  return new Map(stats.map((s) => [String(s.id), s])) as unknown as RTCStatsReport;
}

function inbound(
  id: string,
  track: string,
  kind: 'audio' | 'video',
  received: number,
  lost: number,
  frames = 0,
) {
  return {
    id,
    type: 'inbound-rtp',
    kind,
    trackIdentifier: track,
    packetsReceived: received,
    packetsLost: lost,
    ...(kind === 'video'
      ? { framesDecoded: frames, frameWidth: 1280, frameHeight: 720, framesPerSecond: 30 }
      : {}),
  };
}

const PATH = [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
  { id: 'CP1', type: 'candidate-pair', currentRoundTripTime: 0.042 },
];
const owners = new Map([
  ['alice-v', 'alice'],
  ['alice-a', 'alice'],
  ['bob-v', 'bob'],
]);

describe('ConnectionQuality', () => {
  it('judges each participant over the last interval: loss, frame rate, picture size and the path round trip', () => {
    const quality = new ConnectionQuality();
    quality.read(
      report([
        ...PATH,
        inbound('a1', 'alice-v', 'video', 1000, 0, 300),
        inbound('a2', 'alice-a', 'audio', 500, 0),
        inbound('b1', 'bob-v', 'video', 1000, 0, 300),
      ]),
      owners,
      0,
    );
    const second = quality.read(
      report([
        ...PATH,
        // Alice: nothing lost, 60 frames in 2 s. Bob: 200 of the last 1,000 packets lost, 6 frames.
        inbound('a1', 'alice-v', 'video', 1600, 0, 360),
        inbound('a2', 'alice-a', 'audio', 900, 0),
        inbound('b1', 'bob-v', 'video', 1800, 200, 306),
      ]),
      owners,
      2000,
    );
    expect(second.get('alice')).toEqual({
      level: 'good',
      loss: 0,
      rttMs: 42,
      fps: 30,
      width: 1280,
      height: 720,
    });
    const bob = second.get('bob');
    expect(bob?.loss).toBeCloseTo(0.2);
    expect(bob?.fps).toBe(3);
    expect(bob?.level).toBe('poor');
  });

  it('a participant who recovers shows it at the next reading, and a new path (counters reset) starts afresh', () => {
    const quality = new ConnectionQuality();
    quality.read(report([...PATH, inbound('b1', 'bob-v', 'video', 1000, 300, 100)]), owners, 0);
    const recovered = quality.read(
      report([...PATH, inbound('b1', 'bob-v', 'video', 2000, 300, 160)]),
      owners,
      2000,
    );
    expect(recovered.get('bob')?.level).toBe('good');
    // A mode switch: the new path's counters start near zero.
    const switched = quality.read(
      report([...PATH, inbound('x1', 'bob-v', 'video', 50, 0, 10)]),
      owners,
      4000,
    );
    expect(switched.get('bob')?.loss).toBe(0);
  });

  it('ignores streams of nobody it knows and reads Firefox round trips from the selected pair', () => {
    const quality = new ConnectionQuality();
    const readings = quality.read(
      report([
        { id: 'P', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.3 },
        inbound('z', 'stranger', 'video', 10, 0, 1),
        inbound('a2', 'alice-a', 'audio', 100, 0),
      ]),
      owners,
      0,
    );
    expect([...readings.keys()]).toEqual(['alice']);
    expect(readings.get('alice')).toMatchObject({ rttMs: 300, level: 'fair', fps: undefined });
  });

  it('levels: thresholds a person notices', () => {
    expect(levelOf(0, 40, 30)).toBe('good');
    expect(levelOf(0.05, 40, 30)).toBe('fair');
    expect(levelOf(0, 300, 30)).toBe('fair');
    expect(levelOf(0, 40, 8)).toBe('fair');
    expect(levelOf(0.15, 40, 30)).toBe('poor');
    expect(levelOf(0, 600, 30)).toBe('poor');
    expect(levelOf(0, undefined, undefined)).toBe('good');
  });
});
