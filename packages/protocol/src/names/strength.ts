/*
 * How guessable a typed room name is (promise P3: a weak name triggers a warning before joining).
 *
 * The scorer estimates how many guesses an attacker who knows how people pick room names needs,
 * working on the room key (the lower-cased name: case does not make a different meeting, so it adds
 * nothing). It cuts the key into pieces so that the product of the pieces' guess counts is as small as
 * possible (a small dynamic programme over the positions), and a piece costs:
 *
 *   a common word (common-words.ts, "meeting", "team", "yoga")  COMMON_WORDS.length guesses
 *   any other known word (the generator's lists)                 the size of the whole vocabulary
 *   either of those with a plural "s"                            twice as many
 *   a word-like unknown run of 4-8 letters                       300,000 (a large English dictionary)
 *   a repeat, sequence or keyboard row ("aaa", "abc", "4321")    100 per character
 *   a year from 1900 to 2099                                     200
 *   any other letter / digit / separator                         26 / 10 / 3
 *
 * A name the generator can produce costs at most ROOM_NAME_COMBINATIONS (the attacker may know the
 * generator). The estimate maps to a strength:
 *
 *   weak    fewer than 10^9 guesses, or shorter than 8 characters
 *   fair    10^9 up to 10^12
 *   strong  at least 10^12, the floor P3 sets for generated names
 */

import { COMMON_WORDS } from './common-words.js';
import { decodeRoomName, ROOM_NAME_COMBINATIONS } from './generate.js';
import { parseRoomName } from './validate.js';
import { ROOM_NAME_SLOTS } from './words.js';

export type RoomNameStrength = 'weak' | 'fair' | 'strong';

/** Why a name is not strong. Stable codes: match on these, not on the messages. */
export type RoomNameWeakness =
  | 'invalid'
  | 'too-short'
  | 'common-word'
  | 'dictionary-word'
  | 'word-like'
  | 'common-pattern'
  | 'digits-only'
  | 'digits-only-suffix'
  | 'needs-more-characters';

export interface RoomNameScore {
  strength: RoomNameStrength;
  /** What makes the name guessable, most important first; empty when the name is strong. */
  reasons: RoomNameWeakness[];
  /** Estimated number of guesses to find the name (0 for an invalid name). */
  estimatedGuesses: number;
  /** Whether the name is one the generator can produce (compared case-insensitively). */
  generated: boolean;
  /** A sentence to show next to the name. */
  message: string;
}

export const ROOM_NAME_STRENGTH_THRESHOLDS = {
  /** Below this many estimated guesses a name is weak. */
  weakBelow: 1e9,
  /** From this many estimated guesses a name is strong (the P3 floor for generated names). */
  strongFrom: 1e12,
  /** Names shorter than this are weak whatever they contain. */
  minLengthForFair: 8,
} as const;

const COMMON = new Set(COMMON_WORDS);
const VOCABULARY = new Set([
  ...COMMON_WORDS,
  ...ROOM_NAME_SLOTS.flatMap(({ words }) => words).map((w) => w.toLowerCase()),
]);

/** Guess counts per piece; see the table at the top of this file. */
export const ROOM_NAME_GUESS_COSTS = {
  commonWord: COMMON.size,
  dictionaryWord: VOCABULARY.size,
  pluralFactor: 2,
  wordLike: 300_000,
  patternPerCharacter: 100,
  year: 200,
  letter: 26,
  digit: 10,
  separator: 3,
} as const;

export const ROOM_NAME_WEAKNESS_MESSAGES: Readonly<Record<RoomNameWeakness, string>> = {
  invalid: 'it is not a valid room name',
  'too-short': `it is shorter than ${ROOM_NAME_STRENGTH_THRESHOLDS.minLengthForFair} characters`,
  'common-word': 'it uses words that many people choose for their rooms',
  'dictionary-word': 'it is made of dictionary words',
  'word-like': 'it looks like an ordinary word',
  'common-pattern': 'it contains an obvious pattern such as "123", "abc", a repeated character or a year',
  'digits-only': 'it is only digits',
  'digits-only-suffix': 'digits added at the end of words are among the first things tried',
  'needs-more-characters': 'it needs more characters to be hard to guess',
};

const REASON_ORDER: readonly RoomNameWeakness[] = [
  'invalid',
  'too-short',
  'digits-only',
  'common-word',
  'dictionary-word',
  'word-like',
  'common-pattern',
  'digits-only-suffix',
  'needs-more-characters',
];

type PieceKind = 'common-word' | 'dictionary-word' | 'word-like' | 'common-pattern' | 'brute-force';

const WORD_LIKE_MIN = 4;
const WORD_LIKE_MAX = 8;
const LONGEST_WORD = Math.max(...[...VOCABULARY].map((w) => w.length)) + 1; // + plural "s"
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];

function isRepeatOrSequence(span: string): boolean {
  if (span.length < 3) return false;
  if (/^(.)\1+$/.test(span)) return true;
  const step = span.charCodeAt(1) - span.charCodeAt(0);
  if (step === 1 || step === -1) {
    let sequence = true;
    for (let i = 2; i < span.length && sequence; i++) {
      sequence = span.charCodeAt(i) - span.charCodeAt(i - 1) === step;
    }
    if (sequence) return true;
  }
  if (span.length < 4) return false;
  const reversed = [...span].reverse().join('');
  return KEYBOARD_ROWS.some((row) => row.includes(span) || row.includes(reversed));
}

function isWordLike(span: string): boolean {
  if (span.length < WORD_LIKE_MIN || span.length > WORD_LIKE_MAX) return false;
  const vowels = span.replace(/[^aeiouy]/g, '').length / span.length;
  return vowels >= 0.25 && vowels <= 0.75 && !/[^aeiouy]{4}/.test(span) && !/(.)\1\1/.test(span);
}

function wordCost(word: string): { log10: number; kind: PieceKind } | undefined {
  if (COMMON.has(word)) return { log10: Math.log10(ROOM_NAME_GUESS_COSTS.commonWord), kind: 'common-word' };
  if (VOCABULARY.has(word)) {
    return { log10: Math.log10(ROOM_NAME_GUESS_COSTS.dictionaryWord), kind: 'dictionary-word' };
  }
  return undefined;
}

/** The cheapest way to guess `span` as a single piece, or undefined if it is not one piece. */
function pieceCost(span: string): { log10: number; kind: PieceKind } | undefined {
  const candidates: { log10: number; kind: PieceKind }[] = [];
  if (span.length === 1) {
    const size = /[a-z]/.test(span)
      ? ROOM_NAME_GUESS_COSTS.letter
      : /[0-9]/.test(span)
        ? ROOM_NAME_GUESS_COSTS.digit
        : ROOM_NAME_GUESS_COSTS.separator;
    candidates.push({ log10: Math.log10(size), kind: 'brute-force' });
  }
  if (/^[a-z]+$/.test(span)) {
    const word = wordCost(span);
    if (word) candidates.push(word);
    const singular = span.length > 3 && span.endsWith('s') ? wordCost(span.slice(0, -1)) : undefined;
    if (singular) {
      candidates.push({
        log10: singular.log10 + Math.log10(ROOM_NAME_GUESS_COSTS.pluralFactor),
        kind: singular.kind,
      });
    }
    if (isWordLike(span))
      candidates.push({ log10: Math.log10(ROOM_NAME_GUESS_COSTS.wordLike), kind: 'word-like' });
  }
  if (/^[0-9]{4}$/.test(span) && /^(19|20)/.test(span)) {
    candidates.push({ log10: Math.log10(ROOM_NAME_GUESS_COSTS.year), kind: 'common-pattern' });
  }
  if (/^[a-z0-9]+$/.test(span) && isRepeatOrSequence(span)) {
    const guesses = ROOM_NAME_GUESS_COSTS.patternPerCharacter * span.length;
    candidates.push({ log10: Math.log10(guesses), kind: 'common-pattern' });
  }
  let best: { log10: number; kind: PieceKind } | undefined;
  for (const candidate of candidates) if (!best || candidate.log10 < best.log10) best = candidate;
  return best;
}

/** log10 of the estimated guesses for a room key, and the kinds of the pieces it was cut into. */
function estimate(key: string): { log10: number; kinds: Set<PieceKind> } {
  // best[j]: cheapest log10 cost of key.slice(0, j); from[j]: where its last piece starts.
  const best: number[] = [0];
  const from: number[] = [0];
  const kind: PieceKind[] = ['brute-force'];
  for (let j = 1; j <= key.length; j++) {
    best[j] = Number.POSITIVE_INFINITY;
    for (let i = Math.max(0, j - Math.max(LONGEST_WORD, WORD_LIKE_MAX)); i < j; i++) {
      const piece = pieceCost(key.slice(i, j));
      const total = piece ? (best[i] ?? Number.POSITIVE_INFINITY) + piece.log10 : Number.POSITIVE_INFINITY;
      if (piece && total < (best[j] ?? Number.POSITIVE_INFINITY)) {
        best[j] = total;
        from[j] = i;
        kind[j] = piece.kind;
      }
    }
  }
  const kinds = new Set<PieceKind>();
  for (let j = key.length; j > 0; j = from[j] ?? 0) kinds.add(kind[j] ?? 'brute-force');
  return { log10: best[key.length] ?? 0, kinds };
}

function describe(strength: RoomNameStrength, reasons: readonly RoomNameWeakness[]): string {
  if (strength === 'strong') return 'This room name is hard to guess.';
  const why = reasons.map((reason) => ROOM_NAME_WEAKNESS_MESSAGES[reason]).join('; ');
  if (strength === 'fair') {
    return `This room name could be guessed with enough tries (${why}). A generated name is safer.`;
  }
  return `This room name is easy to guess (${why}). Anyone who guesses it can join the meeting: use a generated name instead.`;
}

/** Scores a room name someone typed; show the message before they join with a weak one (P3). */
export function scoreRoomName(name: string): RoomNameScore {
  const parsed = parseRoomName(name);
  if (!parsed.ok) {
    const reasons: RoomNameWeakness[] = ['invalid'];
    return { strength: 'weak', reasons, estimatedGuesses: 0, generated: false, message: parsed.message };
  }
  const { key } = parsed;
  const { log10, kinds } = estimate(key);
  let guesses = 10 ** log10;
  const generated = decodeRoomName(key) !== null;
  if (generated) guesses = Math.min(guesses, Number(ROOM_NAME_COMBINATIONS));

  const found = new Set<RoomNameWeakness>();
  if (key.length < ROOM_NAME_STRENGTH_THRESHOLDS.minLengthForFair) found.add('too-short');
  for (const k of kinds) if (k !== 'brute-force') found.add(k);
  if (/^[0-9._-]+$/.test(key)) found.add('digits-only');
  else if (/^[^0-9]+[0-9]+$/.test(key)) found.add('digits-only-suffix');

  const strength: RoomNameStrength =
    found.has('too-short') || guesses < ROOM_NAME_STRENGTH_THRESHOLDS.weakBelow
      ? 'weak'
      : guesses < ROOM_NAME_STRENGTH_THRESHOLDS.strongFrom
        ? 'fair'
        : 'strong';
  if (strength !== 'strong' && found.size === 0) found.add('needs-more-characters');
  const reasons = strength === 'strong' ? [] : REASON_ORDER.filter((reason) => found.has(reason));
  return { strength, reasons, estimatedGuesses: guesses, generated, message: describe(strength, reasons) };
}
