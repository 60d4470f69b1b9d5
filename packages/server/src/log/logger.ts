import { createHmac, randomBytes } from 'node:crypto';
import { type DestinationStream, pino } from 'pino';

/*
 * A logger that cannot carry personal data by construction (PRIVACY P7). Fields accept only
 * numbers, booleans and `SafeText`, and `SafeText` can be made in two ways only:
 *  - `literal('...')` from a string literal known at compile time (event reasons, error codes);
 *  - `Redactor.tag(...)`, a keyed hash whose key lives only in this process's memory, for telling
 *    meetings apart in logs without being able to recover the room name.
 * There is deliberately no way to log an arbitrary runtime string: error messages are excluded
 * too, since e.g. JSON.parse quotes its input in its message.
 */

declare const safeBrand: unique symbol;
export type SafeText = string & { readonly [safeBrand]: true };

/** Accepts only string literals; `string` itself fails to compile. */
export function literal<const T extends string>(text: string extends T ? never : T): SafeText {
  return text as unknown as SafeText;
}

export type LogValue = number | boolean | SafeText | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

type LogMethod = <const E extends string>(event: string extends E ? never : E, fields?: LogFields) => void;

export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
  /** A logger with more bound context, e.g. `{ room: redactor.tag(key) }`. */
  child(fields: LogFields): Logger;
}

export class Redactor {
  readonly #key = randomBytes(32);

  /** An identifier for `value` that is stable within this process and not reversible without the key. */
  tag(value: string): SafeText {
    return createHmac('sha256', this.#key).update(value).digest('base64url').slice(0, 12) as SafeText;
  }
}

export interface LoggerOptions {
  level: LogLevel;
  name?: string;
  /** Where lines go; stdout by default. Tests pass a capture stream. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = pino(
    {
      name: options.name ?? 'conclave',
      level: options.level,
      // No hostname or pid: neither helps to debug a meeting, and the hostname can identify the operator.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination(1),
  );
  return wrap(base);
}

// Event names are string literals like 'room.closed' (enforced by LogMethod's signature).
function wrap(p: pino.Logger): Logger {
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace'): LogMethod =>
    (event, fields) =>
      p[level](fields ?? {}, event);
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    child: (fields) => wrap(p.child(fields)),
  };
}

/** The safe part of an error: its class name and Node's error code, never its message. */
export function errorFields(err: unknown): LogFields {
  if (!(err instanceof Error)) return { errorKind: literal('non-error') };
  const code = (err as NodeJS.ErrnoException).code;
  return {
    errorKind: err.name as SafeText,
    ...(typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? { errorCode: code as SafeText } : {}),
  };
}
