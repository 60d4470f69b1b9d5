/** A server `error` message surfaced as an exception, with the protocol's stable code. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
