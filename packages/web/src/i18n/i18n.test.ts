import { describe, expect, it } from 'vitest';
import { controls } from './en/controls.js';
import { errors } from './en/errors.js';
import { meeting } from './en/meeting.js';
import { pages } from './en/pages.js';
import { recording } from './en/recording.js';
import { security } from './en/security.js';
import { stage } from './en/stage.js';
import {
  CATALOGUE_FOR_TESTS,
  chooseLanguage,
  format,
  LANGUAGES,
  type MessageKey,
  t,
  useLanguage,
} from './index.js';
import { pickLanguage } from './languages.js';
import type { Message } from './types.js';

const en = CATALOGUE_FOR_TESTS.en;
const KEYS = Object.keys(en).sort() as MessageKey[];

/** Every `{name}` in a message, over all its plural forms. */
function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const [, name] of text.matchAll(/\{(\w+)\}/g)) names.add(name ?? '');
  return [...names].sort();
}

describe('the catalogues', () => {
  it('has several hundred English messages, and no key in two areas (one would hide the other)', () => {
    expect(KEYS.length).toBeGreaterThan(200);
    const areas = [pages, errors, meeting, controls, security, recording, stage];
    expect(areas.reduce((n, area) => n + Object.keys(area).length, 0)).toBe(KEYS.length);
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    describe(lang, () => {
      const catalogue = CATALOGUE_FOR_TESTS[lang];

      it('has exactly the English keys', () => {
        expect(Object.keys(catalogue).sort()).toEqual(KEYS);
      });

      it('keeps every placeholder of each English message, and adds none', () => {
        const wrong = KEYS.filter(
          (key) => placeholders(catalogue[key]).join() !== placeholders(en[key]).join(),
        ).map((key) => `${key}: ${placeholders(catalogue[key])} vs ${placeholders(en[key])}`);
        expect(wrong).toEqual([]);
      });

      it('is plural where English is, with the forms the language needs', () => {
        const rules = new Intl.PluralRules(lang);
        for (const key of KEYS) {
          const message = catalogue[key];
          expect(typeof message, key).toBe(typeof en[key]);
          if (typeof message === 'string') continue;
          for (const form of rules.resolvedOptions().pluralCategories) {
            if (form === 'many') continue; // French "many" (1 000 000) falls back to "other".
            expect(
              message[form] ?? (form === 'other' ? undefined : message.other),
              `${key} ${form}`,
            ).toBeDefined();
          }
        }
      });

      it('is translated, not a copy of the English', () => {
        const same = KEYS.filter((key) => JSON.stringify(catalogue[key]) === JSON.stringify(en[key]));
        // Names, numbers and words the languages share ("Chat", "Dropbox") may stay as they are.
        expect(same.length).toBeLessThan(KEYS.length / 10);
      });
    });
  }
});

describe('t', () => {
  it('fills named parameters, formats numbers for the language and picks plural forms', () => {
    expect(format('en', 'tile.self', { name: 'Ann' })).toBe('Ann (you)');
    expect(format('fr', 'tile.self', { name: 'Ann' })).toBe('Ann (vous)');
    expect(format('de', 'toolbar.chatUnread', { count: 1 })).toBe('Chat, 1 ungelesene Nachricht');
    expect(format('de', 'toolbar.chatUnread', { count: 3 })).toBe('Chat, 3 ungelesene Nachrichten');
    expect(format('fr', 'toolbar.chatUnread', { count: 0 })).toBe('Discussion, 0 non lu');
    expect(format('de', 'people.heading', { count: 1234 })).toBe('Personen (1.234)');
  });

  it('follows useLanguage, and sets <html lang> where there is a document', () => {
    try {
      useLanguage('fr');
      expect(t('prejoin.join')).toBe('Rejoindre');
      useLanguage('de');
      expect(t('prejoin.join')).toBe('Teilnehmen');
    } finally {
      useLanguage('en');
    }
    expect(t('prejoin.join')).toBe('Join meeting');
  });
});

describe('choosing the language', () => {
  it.each([
    [['de-DE', 'en-US'], 'de'],
    [['fr-CA'], 'fr'],
    [['es-ES', 'fr-FR', 'de'], 'fr'],
    [['en-GB', 'de'], 'en'],
    [['es', 'it'], 'en'],
    [[], 'en'],
    [['DE_at'], 'de'],
  ])('%j → %s', (preferred, expected) => {
    expect(pickLanguage(preferred)).toBe(expected);
  });

  it('puts an explicit lang (embedding API, #lang=) before the browser, when the UI speaks it', () => {
    expect(chooseLanguage('fr', ['de-DE'])).toBe('fr');
    expect(chooseLanguage('de-CH', ['en-US'])).toBe('de');
    expect(chooseLanguage('es', ['de-DE'])).toBe('de');
    expect(chooseLanguage(undefined, ['fr'])).toBe('fr');
  });
});
