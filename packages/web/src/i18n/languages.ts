/** The languages the web UI speaks; the first is the fallback. */
export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for pickers and docs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first of `preferred` (BCP 47 tags, most wanted first, as in `navigator.languages`) that the UI
 * speaks, matched by primary subtag ('de-CH' → 'de'); English when none is.
 */
export function pickLanguage(preferred: readonly (string | undefined)[]): Language {
  for (const tag of preferred) {
    const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}
