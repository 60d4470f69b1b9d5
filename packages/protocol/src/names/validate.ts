/*
 * What a valid room name is, and which names are the same meeting.
 *
 * 1. The input is normalised with NFKC and trimmed, so compatibility forms (fullwidth "Ｂｒａｖｅ",
 *    ligatures, superscript digits) become the plain ASCII a person meant to type.
 * 2. The name may then contain only ASCII letters, digits, '-', '_' and '.'. Letters from other
 *    scripts are rejected: Cyrillic "а" looks exactly like Latin "a", so allowing both would give two
 *    different meetings that nobody can tell apart on screen.
 * 3. It is 3 to 64 characters long, does not start or end with '.', and has no "..".
 * 4. The room key, which identifies the meeting, is the name lower-cased: "BraveOtters",
 *    "braveotters" and "ＢｒａｖｅＯｔｔｅｒｓ" are one meeting.
 */

export const ROOM_NAME_MIN_LENGTH = 3;
export const ROOM_NAME_MAX_LENGTH = 64;

const ALLOWED = /^[A-Za-z0-9._-]+$/;

export type RoomNameError = 'empty' | 'too-short' | 'too-long' | 'invalid-characters' | 'invalid-dots';

export type ParsedRoomName =
  | {
      ok: true;
      /** The name as it should be shown: normalised and trimmed, case kept. */
      name: string;
      /** The meeting's identity: `name` lower-cased. Equal keys are the same meeting. */
      key: string;
    }
  | { ok: false; reason: RoomNameError; message: string };

export const ROOM_NAME_ERROR_MESSAGES: Readonly<Record<RoomNameError, string>> = {
  empty: 'Enter a room name.',
  'too-short': `A room name needs at least ${ROOM_NAME_MIN_LENGTH} characters.`,
  'too-long': `A room name can have at most ${ROOM_NAME_MAX_LENGTH} characters.`,
  'invalid-characters':
    "A room name can only use the letters A to Z, digits, '-', '_' and '.' (no spaces, accents or letters from other alphabets).",
  'invalid-dots': "A room name cannot start or end with '.' or contain '..'.",
};

function fail(reason: RoomNameError): ParsedRoomName {
  return { ok: false, reason, message: ROOM_NAME_ERROR_MESSAGES[reason] };
}

/** Checks a room name as typed or received and returns its display form and room key. */
export function parseRoomName(input: string): ParsedRoomName {
  const name = input.normalize('NFKC').trim();
  if (name.length === 0) return fail('empty');
  if (!ALLOWED.test(name)) return fail('invalid-characters');
  // Only ASCII is left, so length counts characters exactly.
  if (name.length < ROOM_NAME_MIN_LENGTH) return fail('too-short');
  if (name.length > ROOM_NAME_MAX_LENGTH) return fail('too-long');
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) return fail('invalid-dots');
  return { ok: true, name, key: name.toLowerCase() };
}

/** The room key of a valid name, or `null` if the name is not valid. */
export function roomKey(input: string): string | null {
  const parsed = parseRoomName(input);
  return parsed.ok ? parsed.key : null;
}
