import { ERROR_CODES, type ErrorCode } from '@conclave/protocol';

/**
 * The one error type domain code throws for a client's mistake. The signalling layer turns it
 * into a wire `error` in one place; `detail` replaces the default human message and must never
 * contain what the client sent.
 */
export class ConclaveError extends Error {
  override readonly name = 'ConclaveError';

  constructor(
    readonly code: ErrorCode,
    detail?: string,
  ) {
    super(detail ?? ERROR_CODES[code].message);
  }
}
