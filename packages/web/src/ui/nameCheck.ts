import {
  parseRoomName,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_MIN_LENGTH,
  ROOM_NAME_STRENGTH_THRESHOLDS,
  type RoomNameError,
  type RoomNameStrength,
  type RoomNameWeakness,
  scoreRoomName,
} from '@conclave/protocol';
import { t } from '../i18n/index.js';

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

export function weakNameWarning(): string {
  return t('name.weakWarning');
}

export function checkRoomName(input: string): NameCheck {
  if (input.trim() === '') return { kind: 'empty' };
  const parsed = parseRoomName(input);
  if (!parsed.ok) return { kind: 'invalid', message: nameError(parsed.reason) };
  const score = scoreRoomName(parsed.name);
  return {
    kind: 'ok',
    name: parsed.name,
    strength: score.strength,
    reasons: [...score.reasons],
    message: describeScore(score.strength, score.reasons),
    weak: score.strength === 'weak',
  };
}

export function strengthLabel(strength: RoomNameStrength): string {
  switch (strength) {
    case 'weak':
      return t('name.strength.weak');
    case 'fair':
      return t('name.strength.fair');
    case 'strong':
      return t('name.strength.strong');
  }
}

/** The reasons as one sentence, e.g. "It is shorter than 8 characters; it uses words that …". */
export function explainWeakness(reasons: readonly RoomNameWeakness[]): string {
  if (reasons.length === 0) return '';
  const text = reasonList(reasons);
  return `${text.charAt(0).toLocaleUpperCase()}${text.slice(1)}.`;
}

/** Why a name is not a room name, in the page's language (the protocol's reason codes). */
export function nameError(reason: RoomNameError): string {
  switch (reason) {
    case 'empty':
      return t('name.error.empty');
    case 'too-short':
      return t('name.error.too-short', { min: ROOM_NAME_MIN_LENGTH });
    case 'too-long':
      return t('name.error.too-long', { max: ROOM_NAME_MAX_LENGTH });
    case 'invalid-characters':
      return t('name.error.invalid-characters');
    case 'invalid-dots':
      return t('name.error.invalid-dots');
  }
}

function describeScore(strength: RoomNameStrength, reasons: readonly RoomNameWeakness[]): string {
  if (strength === 'strong') return t('name.score.strong');
  return t(strength === 'fair' ? 'name.score.fair' : 'name.score.weak', { reasons: reasonList(reasons) });
}

function reasonList(reasons: readonly RoomNameWeakness[]): string {
  return reasons
    .map((r) =>
      r === 'too-short'
        ? t('name.reason.too-short', { min: ROOM_NAME_STRENGTH_THRESHOLDS.minLengthForFair })
        : t(`name.reason.${r}`),
    )
    .join(t('name.reasonSeparator'));
}
