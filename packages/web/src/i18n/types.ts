/*
 * The shape of a message catalogue. English (en/) is the source: its keys and its `{placeholder}`
 * names define every other language, which must be a `Translation` of it — a missing or extra key
 * is a type error, and i18n.test.ts checks that each translation keeps every placeholder.
 */

/** A message that depends on a count, chosen with Intl.PluralRules; forms a language lacks fall back to `other`. */
export interface PluralMessage {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

export type Message = string | PluralMessage;

/** A translation of the English catalogue `T`: the same keys, a string where English has one, plural forms where it has them. */
export type Translation<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : PluralMessage;
};

/** The `{name}` placeholders of an English message. */
type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters a message takes: its placeholders, and `count` for a plural message. */
export type MessageParams<M> = M extends string
  ? Placeholders<M>
  : M extends PluralMessage
    ? Placeholders<M[keyof M]> | 'count'
    : never;
