import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cryptoRandomSource,
  decodeRoomName,
  generateRoomName,
  generateRoomNameIndices,
  MAX_RANDOM_ATTEMPTS,
  type RandomSource,
  ROOM_NAME_BITS,
  ROOM_NAME_COMBINATIONS,
  ROOM_NAME_SLOT_SIZES,
  randomIndex,
  rejectionThreshold,
  roomNameFromIndices,
} from './generate.js';
import { parseRoomName } from './validate.js';
import { ROOM_NAME_SLOTS } from './words.js';

/** A deterministic stand-in for crypto.getRandomValues (mulberry32), so statistical tests never flake. */
function seededSource(seed: number): RandomSource {
  let state = seed >>> 0;
  return (buffer) => {
    for (let i = 0; i < buffer.length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      buffer[i] = (t ^ (t >>> 14)) >>> 0;
    }
    return buffer;
  };
}

/** A source that returns the given values in order and counts how many it handed out. */
function scriptedSource(values: readonly number[]): RandomSource & { used: number } {
  const source = Object.assign(
    (buffer: Uint32Array) => {
      for (let i = 0; i < buffer.length; i++) {
        const value = values[source.used++];
        if (value === undefined) throw new Error('scripted source exhausted');
        buffer[i] = value;
      }
      return buffer;
    },
    { used: 0 },
  );
  return source;
}

function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

// Chi-square critical values at p = 0.001 (a fair sampler exceeds them once in a thousand seeds).
const CHI2_CRITICAL = { 2: 13.82, 5: 20.52, 15: 37.7 } as const;

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('room name space', () => {
  it('P3: has at least 10^13 names, exactly the product of the list sizes', () => {
    const product = ROOM_NAME_SLOTS.reduce((p, { words }) => p * BigInt(words.length), 1n);
    expect(ROOM_NAME_COMBINATIONS).toBe(product);
    expect(ROOM_NAME_COMBINATIONS >= 10n ** 13n).toBe(true);
    // Pinned so that a change to a list is a visible change here and in docs/room-names.md.
    expect(ROOM_NAME_COMBINATIONS).toBe(68_102_566_490_112n);
  });

  it('P3: reports the entropy in bits', () => {
    expect(ROOM_NAME_BITS).toBeCloseTo(Math.log2(Number(ROOM_NAME_COMBINATIONS)), 9);
    expect(ROOM_NAME_BITS).toBeGreaterThan(13 * Math.log2(10));
    expect(ROOM_NAME_BITS).toBeCloseTo(45.95, 2);
  });

  it('exports each slot size', () => {
    expect(ROOM_NAME_SLOT_SIZES).toEqual({
      count: 16,
      adjective: 319,
      noun: 236,
      verb: 186,
      adverb: 118,
      preposition: 16,
      place: 161,
    });
    for (const { slot, words } of ROOM_NAME_SLOTS) expect(ROOM_NAME_SLOT_SIZES[slot]).toBe(words.length);
  });
});

describe('unbiased selection', () => {
  it.each([
    [1, 2 ** 32],
    [2, 2 ** 32],
    [3, 2 ** 32 - 1],
    [6, 2 ** 32 - 4],
    [16, 2 ** 32],
    [319, 2 ** 32 - (2 ** 32 % 319)],
    [3 * 2 ** 30, 3 * 2 ** 30],
    [2 ** 32, 2 ** 32],
  ])('accepts values below the largest multiple of %i that fits in 32 bits (%i)', (n, threshold) => {
    expect(rejectionThreshold(n)).toBe(threshold);
    expect(threshold % n).toBe(0);
    expect(2 ** 32 - threshold).toBeLessThan(n);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 32 + 1])('refuses the range %s', (n) => {
    expect(() => rejectionThreshold(n)).toThrow(RangeError);
    expect(() => randomIndex(n, seededSource(1))).toThrow(RangeError);
  });

  it('P3: rejects values in the biased zone and uses the next one', () => {
    const n = 3 * 2 ** 30; // 2^32 mod n = 2^30: a quarter of all values would be biased
    const threshold = rejectionThreshold(n);
    const source = scriptedSource([threshold, 2 ** 32 - 1, threshold + 12345, threshold - 1]);
    expect(randomIndex(n, source)).toBe(n - 1);
    expect(source.used).toBe(4);
  });

  it.each(ROOM_NAME_SLOTS.map(({ slot, words }) => [slot, words.length] as const))(
    'P3: the %s slot (%i words) rejects exactly the biased values',
    (_slot, size) => {
      const threshold = rejectionThreshold(size);
      if (threshold < 2 ** 32) {
        const biased = scriptedSource([threshold, 7]);
        expect(randomIndex(size, biased)).toBe(7 % size);
        expect(biased.used).toBe(2);
      }
      const last = scriptedSource([threshold - 1]);
      expect(randomIndex(size, last)).toBe(size - 1);
      expect(last.used).toBe(1);
      const first = scriptedSource([0]);
      expect(randomIndex(size, first)).toBe(0);
    },
  );

  it('gives up on a source that only returns rejected values', () => {
    const source = scriptedSource(new Array(MAX_RANDOM_ATTEMPTS).fill(2 ** 32 - 1));
    expect(() => randomIndex(3, source)).toThrow(/broken/);
    expect(source.used).toBe(MAX_RANDOM_ATTEMPTS);
  });

  it('P3: is uniform where plain modulo is badly biased (chi-square, seeded)', () => {
    const n = 3 * 2 ** 30;
    const draws = 30_000;
    const rejection = [0, 0, 0];
    const modulo = [0, 0, 0];
    const random = seededSource(0xc0ffee);
    const raw = seededSource(0xc0ffee);
    const one = new Uint32Array(1);
    for (let i = 0; i < draws; i++) {
      const index = randomIndex(n, random);
      rejection[Math.floor(index / 2 ** 30)] = (rejection[Math.floor(index / 2 ** 30)] ?? 0) + 1;
      const naive = (raw(one)[0] ?? 0) % n;
      modulo[Math.floor(naive / 2 ** 30)] = (modulo[Math.floor(naive / 2 ** 30)] ?? 0) + 1;
    }
    expect(chiSquare(rejection)).toBeLessThan(CHI2_CRITICAL[2]);
    // The test has the power to see the bias it guards against: modulo gives bucket 0 half the draws.
    expect(chiSquare(modulo)).toBeGreaterThan(100 * CHI2_CRITICAL[2]);
  });

  it('P3: is uniform over a small range (chi-square, seeded)', () => {
    const counts = new Array(6).fill(0);
    const random = seededSource(42);
    for (let i = 0; i < 60_000; i++) counts[randomIndex(6, random)]++;
    expect(chiSquare(counts)).toBeLessThan(CHI2_CRITICAL[5]);
  });

  it('P3: picks every slot uniformly when generating names (chi-square, seeded)', () => {
    const random = seededSource(7);
    const countSlot = new Array(16).fill(0);
    const prepositionSlot = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const [count, , , , , preposition] = generateRoomNameIndices(random);
      countSlot[count ?? -1]++;
      prepositionSlot[preposition ?? -1]++;
    }
    expect(chiSquare(countSlot)).toBeLessThan(CHI2_CRITICAL[15]);
    expect(chiSquare(prepositionSlot)).toBeLessThan(CHI2_CRITICAL[15]);
  });
});

describe('generateRoomName', () => {
  it('P3: draws from crypto.getRandomValues by default', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const name = generateRoomName();
    expect(spy).toHaveBeenCalled();
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(ROOM_NAME_SLOTS.length);
    expect(decodeRoomName(name)).not.toBeNull();
  });

  it('P3: refuses to run without a secure random source (never falls back to Math.random)', () => {
    vi.stubGlobal('crypto', undefined);
    const math = vi.spyOn(Math, 'random');
    expect(() => generateRoomName()).toThrow(/crypto\.getRandomValues/);
    expect(() => cryptoRandomSource(new Uint32Array(1))).toThrow(/crypto\.getRandomValues/);
    expect(math).not.toHaveBeenCalled();
  });

  it('P3: takes every choice from the random source it is given', () => {
    const source = scriptedSource([0, 1, 2, 3, 4, 5, 6]);
    const name = generateRoomName(source);
    expect(source.used).toBe(ROOM_NAME_SLOTS.length);
    expect(name).toBe(ROOM_NAME_SLOTS.map(({ words }, i) => words[i]).join(''));
  });

  it('P3: produces valid names that split back into their slot choices', () => {
    const random = seededSource(2024);
    for (let i = 0; i < 2_000; i++) {
      const indices = generateRoomNameIndices(random);
      const name = roomNameFromIndices(indices);
      const parsed = parseRoomName(name);
      expect(parsed).toEqual({ ok: true, name, key: name.toLowerCase() });
      expect(name.match(/[A-Z][a-z]+/g)).toEqual(
        ROOM_NAME_SLOTS.map(({ words }, slot) => words[indices[slot] ?? -1]),
      );
      expect(decodeRoomName(name)).toEqual(indices);
      expect(decodeRoomName(name.toLowerCase())).toEqual(indices);
      expect(decodeRoomName(name.toUpperCase())).toEqual(indices);
    }
  });

  it('P3: gives different names on different calls', () => {
    const names = new Set(Array.from({ length: 1_000 }, () => generateRoomName()));
    expect(names.size).toBe(1_000);
  });

  it('rejects malformed slot choices', () => {
    expect(() => roomNameFromIndices([0, 0, 0])).toThrow(RangeError);
    expect(() => roomNameFromIndices([0, 0, 0, 0, 0, 0, 999])).toThrow(RangeError);
    expect(() => roomNameFromIndices([0, 0, 0, 0, 0, 0, -1])).toThrow(RangeError);
  });
});

describe('decodeRoomName', () => {
  it.each([
    'SevenBraveOtters',
    'FamilyMeeting',
    'SevenBraveOttersSingSoftlyUnderBridgesToday',
    'SevenBraveOttersSingSoftlyUnderBridge',
    'TwoBraveOttersSingSoftlyUnderBridges',
    'Seven-Brave-Otters-Sing-Softly-Under-Bridges',
    '',
  ])('does not decode %j', (name) => {
    expect(decodeRoomName(name)).toBeNull();
  });

  it('decodes a known name, whatever its case', () => {
    const expected = ['Seven', 'Brave', 'Otters', 'Sing', 'Softly', 'Under', 'Bridges'].map((word, slot) =>
      (ROOM_NAME_SLOTS[slot]?.words ?? []).indexOf(word),
    );
    expect(expected.every((i) => i >= 0)).toBe(true);
    expect(decodeRoomName('SevenBraveOttersSingSoftlyUnderBridges')).toEqual(expected);
    expect(decodeRoomName('sevenbraveotterssingsoftlyunderbridges')).toEqual(expected);
    // Words that are prefixes of others in their slot ("Six"/"Sixty", "Seven"/"Seventy") still decode.
    expect(decodeRoomName('SixtyBraveOttersSingSoftlyUnderBridges')?.[0]).toBe(
      ROOM_NAME_SLOTS[0].words.indexOf('Sixty'),
    );
  });
});
