import { de } from './de/index.js';
import { en } from './en/index.js';
import { fr } from './fr/index.js';
import { LANGUAGES, type Language, pickLanguage } from './languages.js';
import type { Message, MessageParams, PluralMessage, Translation } from './types.js';

/*
 * The web UI's one message catalogue (docs/web.md, "Languages"). Every user-visible string,
 * aria-labels included, is `t('key', { params })`. The language is chosen once, before the first
 * page mounts (`useLanguage`); pages build their text when they mount, so nothing computes a
 * message at import time.
 */

export type English = typeof en;
export type MessageKey = keyof English;

const CATALOGUES: Record<Language, Translation<English>> = { en, de, fr };

let current: Language = 'en';
const plurals = new Map<Language, Intl.PluralRules>();
const numbers = new Map<Language, Intl.NumberFormat>();

/** The language the UI speaks now. */
export function language(): Language {
  return current;
}

/** Switches the UI's language for everything rendered from now on, and `<html lang>` with it. */
export function useLanguage(lang: Language): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/**
 * The language for this page: an explicit choice (the embedding API's `lang`, `#lang=` in the
 * fragment) when the UI speaks it, else the browser's preferences in order, else English.
 */
export function chooseLanguage(explicit: string | undefined, browser: readonly string[]): Language {
  return pickLanguage([explicit, ...browser]);
}

type Params<K extends MessageKey> = MessageParams<English[K]>;
/** The keys of messages without parameters, for tables that pick a message by code. */
export type PlainKey = { [K in MessageKey]: [Params<K>] extends [never] ? K : never }[MessageKey];

type Args<K extends MessageKey> = [Params<K>] extends [never]
  ? []
  : [params: Record<Params<K>, string | number>];

/** The message `key` in the current language, with its `{placeholders}` filled in. */
export function t<K extends MessageKey>(key: K, ...args: Args<K>): string {
  return format(current, key, (args[0] ?? {}) as Record<string, string | number>);
}

/** `t` for a given language (tests, and text that must not follow the page's language). */
export function format(
  lang: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const message: Message = CATALOGUES[lang][key] ?? en[key];
  const text = typeof message === 'string' ? message : pluralForm(lang, message, params.count);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat(lang).format(value) : value;
  });
}

/** `n` as an ordinal in the current language ("2nd", "2.", "2e"), for places in a queue. */
export function ordinal(n: number): string {
  const rules = new Intl.PluralRules(current, { type: 'ordinal' });
  const message: Message = CATALOGUES[current]['hand.ordinal'];
  const text = typeof message === 'string' ? message : (message[rules.select(n)] ?? message.other);
  return text.replace('{count}', numberFormat(current).format(n));
}

function pluralForm(lang: Language, message: PluralMessage, count: string | number | undefined): string {
  const n = typeof count === 'number' ? count : Number(count);
  let rules = plurals.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    plurals.set(lang, rules);
  }
  const form = Number.isFinite(n) ? rules.select(n) : 'other';
  return message[form] ?? message.other;
}

function numberFormat(lang: Language): Intl.NumberFormat {
  let f = numbers.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang);
    numbers.set(lang, f);
  }
  return f;
}

export { LANGUAGES, type Language, pickLanguage };
export const CATALOGUE_FOR_TESTS: Readonly<Record<Language, Translation<English>>> = CATALOGUES;
