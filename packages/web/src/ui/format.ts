import { language } from '../i18n/index.js';

/* Small pure formatting helpers for the meeting UI (unit-tested in format.test.ts). */

/** Milliseconds as `mm:ss`; minutes keep counting past 59 (`75:03`) rather than adding hours. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/**
 * Length as the server counts it: Unicode code points, not UTF-16 units, so an emoji counts once
 * (the `maxlength` attribute would count it twice and refuse messages the server accepts).
 */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to at most `max` code points, never splitting a surrogate pair. */
export function clampCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

/** A chat timestamp in the page's language, hours and minutes only. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
}
