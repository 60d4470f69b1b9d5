import { parseRoomName, scoreRoomName } from '@conclave/protocol';

/** What the UI should say about a room name the user typed or opened (P3). */
export type NameCheck =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | { kind: 'ok'; name: string; strength: 'weak' | 'fair' | 'strong'; reasons: string[]; weak: boolean };

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
    weak: score.strength === 'weak',
  };
}

export function strengthLabel(strength: 'weak' | 'fair' | 'strong'): string {
  switch (strength) {
    case 'weak':
      return 'Weak name';
    case 'fair':
      return 'Fair name';
    case 'strong':
      return 'Strong name';
  }
}
