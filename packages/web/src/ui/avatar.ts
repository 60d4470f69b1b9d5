import { t } from '../i18n/index.js';

/*
 * Avatars are drawn on this device from what the meeting already knows: initials of the display
 * name on a colour derived from the participant id. Nothing is fetched from anywhere (P8: no
 * Gravatar or other outside host ever learns who is in a meeting).
 */

/** Up to two initials: first letters of the first and last word, or "?" for no name. */
export function initials(displayName: string | undefined): string {
  const words = (displayName ?? '').trim().split(/\s+/u).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return [first, last]
    .filter((w): w is string => w !== undefined)
    .map((w) => firstGrapheme(w).toLocaleUpperCase())
    .join('');
}

// Array.from keeps surrogate pairs (emoji, many scripts) whole, where w[0] would split them.
function firstGrapheme(word: string): string {
  return Array.from(word)[0] ?? '';
}

/**
 * A stable colour for a participant id. Saturation and lightness are fixed so that white
 * initials stay readable on every hue.
 */
export function avatarColour(id: string): string {
  return `hsl(${hue(id)} 45% 38%)`;
}

/** FNV-1a over UTF-16 code units, reduced to a hue: cheap, stable, and spreads similar ids apart. */
export function hue(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

/** What to call a participant who gave no name. */
export function displayLabel(displayName: string | undefined): string {
  return displayName?.trim() || t('person.guest');
}
