import {
  parseRoomName,
  ROOM_NAME_WEAKNESS_MESSAGES,
  type RoomNameStrength,
  type RoomNameWeakness,
  scoreRoomName,
} from '@conclave/protocol';

/** What the UI should say about a room name the user typed or opened (P3). */
export type NameCheck =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | {
      kind: 'ok';
      /** The display form to use in the URL and to join with. */
      name: string;
      strength: RoomNameStrength;
      reasons: RoomNameWeakness[];
      /** The scorer's own sentence about the name. */
      message: string;
      weak: boolean;
    };

export const WEAK_NAME_WARNING = 'Easy to guess: anyone could stumble into this meeting.';

export function checkRoomName(input: string): NameCheck {
  if (input.trim() === '') return { kind: 'empty' };
  const parsed = parseRoomName(input);
  if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
  const score = scoreRoomName(parsed.name);
  return {
    kind: 'ok',
    name: parsed.name,
    strength: score.strength,
    reasons: [...score.reasons],
    message: score.message,
    weak: score.strength === 'weak',
  };
}

export function strengthLabel(strength: RoomNameStrength): string {
  switch (strength) {
    case 'weak':
      return 'Weak name';
    case 'fair':
      return 'Fair name';
    case 'strong':
      return 'Strong name';
  }
}

/** The reasons as one sentence, e.g. "It is shorter than 8 characters; it uses words that …". */
export function explainWeakness(reasons: readonly RoomNameWeakness[]): string {
  if (reasons.length === 0) return '';
  const text = reasons.map((r) => ROOM_NAME_WEAKNESS_MESSAGES[r]).join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
