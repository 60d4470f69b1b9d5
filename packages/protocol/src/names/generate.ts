/*
 * Generated room names (promise P3): one word per slot of ROOM_NAME_SLOTS, each chosen uniformly
 * and independently with a cryptographically secure random source, so every one of the
 * ROOM_NAME_COMBINATIONS names is equally likely.
 */

import { ROOM_NAME_SLOTS, type RoomNameSlot } from './words.js';

/**
 * Fills `buffer` with random 32-bit values and returns it, like `crypto.getRandomValues`.
 * Only tests pass anything else.
 */
export type RandomSource = (buffer: Uint32Array) => Uint32Array;

const UINT32_RANGE = 2 ** 32;

/**
 * How many values `randomIndex` draws before it concludes the source is broken. Each draw is rejected
 * with probability below 1/2, so a working source fails all of them with probability below 2^-128.
 */
export const MAX_RANDOM_ATTEMPTS = 128;

/** `crypto.getRandomValues`, present in every browser and in Node 20 (no `node:` import needed). */
export const cryptoRandomSource: RandomSource = (buffer) => {
  const crypto = globalThis.crypto;
  if (crypto === undefined || typeof crypto.getRandomValues !== 'function') {
    // Never fall back to Math.random: a predictable name is a guessable name.
    throw new Error('No cryptographically secure random source (crypto.getRandomValues) is available.');
  }
  return crypto.getRandomValues(buffer);
};

/**
 * The number of 32-bit values that `randomIndex(n)` accepts: the largest multiple of `n` that is at
 * most 2^32. Values at or above it are rejected, because mapping them with `% n` would make the
 * smallest `2^32 mod n` results more likely than the others (modulo bias).
 */
export function rejectionThreshold(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > UINT32_RANGE) {
    throw new RangeError(`The range must be an integer from 1 to 2^32, got ${n}.`);
  }
  return UINT32_RANGE - (UINT32_RANGE % n);
}

/**
 * A uniformly distributed integer in [0, n), by rejection sampling: draw a 32-bit value, reject it if
 * it falls in the incomplete block at the top (see `rejectionThreshold`), otherwise reduce it mod n.
 * Every accepted value maps to each result the same number of times, so there is no bias.
 */
export function randomIndex(n: number, random: RandomSource = cryptoRandomSource): number {
  const threshold = rejectionThreshold(n);
  const buffer = new Uint32Array(1);
  for (let attempt = 0; attempt < MAX_RANDOM_ATTEMPTS; attempt++) {
    const value = random(buffer)[0];
    if (value === undefined) throw new Error('The random source returned no value.');
    if (value < threshold) return value % n;
  }
  throw new Error(
    `The random source returned ${MAX_RANDOM_ATTEMPTS} rejected values in a row; it is broken.`,
  );
}

/** The size of each slot's word list, in name order. */
export const ROOM_NAME_SLOT_SIZES: Readonly<Record<RoomNameSlot, number>> = Object.freeze(
  Object.fromEntries(ROOM_NAME_SLOTS.map(({ slot, words }) => [slot, words.length])) as Record<
    RoomNameSlot,
    number
  >,
);

/** The exact number of distinct generated names: the product of the slot sizes. */
export const ROOM_NAME_COMBINATIONS: bigint = ROOM_NAME_SLOTS.reduce(
  (product, { words }) => product * BigInt(words.length),
  1n,
);

/** log2(ROOM_NAME_COMBINATIONS): the entropy of a generated name in bits. */
export const ROOM_NAME_BITS: number = ROOM_NAME_SLOTS.reduce(
  (bits, { words }) => bits + Math.log2(words.length),
  0,
);

/** The slot choices of a fresh name: one index per slot, each uniform and independent. */
export function generateRoomNameIndices(random: RandomSource = cryptoRandomSource): number[] {
  return ROOM_NAME_SLOTS.map(({ words }) => randomIndex(words.length, random));
}

/** The name for a tuple of slot choices, e.g. [3, 13, ...] -> "SevenBraveOtters...". */
export function roomNameFromIndices(indices: readonly number[]): string {
  if (indices.length !== ROOM_NAME_SLOTS.length) {
    throw new RangeError(`Expected ${ROOM_NAME_SLOTS.length} slot choices, got ${indices.length}.`);
  }
  return ROOM_NAME_SLOTS.map(({ slot, words }, i) => {
    const word = words[indices[i] ?? -1];
    if (word === undefined) throw new RangeError(`No word at index ${indices[i]} in the ${slot} slot.`);
    return word;
  }).join('');
}

/**
 * A fresh room name such as `SevenBraveOttersSingSoftlyUnderBridges`: one of ROOM_NAME_COMBINATIONS
 * equally likely names, drawn from `crypto.getRandomValues` unless a source is given (tests only).
 */
export function generateRoomName(random: RandomSource = cryptoRandomSource): string {
  return roomNameFromIndices(generateRoomNameIndices(random));
}

// Lower-cased word -> index, per slot, and the word lengths that occur in each slot.
const SLOT_LOOKUP = ROOM_NAME_SLOTS.map(({ words }) => ({
  index: new Map(words.map((word, i) => [word.toLowerCase(), i])),
  lengths: [...new Set(words.map((word) => word.length))].sort((a, b) => a - b),
}));

/**
 * The slot choices that produce `name`, compared case-insensitively (room identity ignores case, so
 * `sevenbraveotters...` is the same generated name), or `null` if the generator cannot produce it.
 * The lower-cased names are uniquely decodable (words.test.ts proves it), so there is at most one answer.
 */
export function decodeRoomName(name: string): number[] | null {
  const key = name.toLowerCase();
  const chosen: number[] = [];
  const search = (slot: number, position: number): boolean => {
    const lookup = SLOT_LOOKUP[slot];
    if (lookup === undefined) return position === key.length;
    for (const length of lookup.lengths) {
      if (position + length > key.length) break;
      const index = lookup.index.get(key.slice(position, position + length));
      if (index === undefined) continue;
      chosen.push(index);
      if (search(slot + 1, position + length)) return true;
      chosen.pop();
    }
    return false;
  };
  return search(0, 0) ? chosen : null;
}
