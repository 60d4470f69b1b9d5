import type { RecordingDestination } from '@conclave/protocol';

/*
 * Where a finished recording goes. The requester chooses it when starting the recording; its
 * credentials are stored in the job record only until the job ends (uploaded, failed or expired),
 * and are never logged (PRIVACY P7, P13).
 */

export type StoredDestination = RecordingDestination;

export interface UploadTask {
  /** Absolute path of the file to upload. */
  path: string;
  /** The name it gets at the destination. */
  name: string;
  size: number;
  /** What an earlier attempt saved (e.g. a Dropbox upload session and offset). */
  progress: Record<string, string | number> | undefined;
  /** Persists resumable progress in the job record, so an upload survives a restart. */
  saveProgress(progress: Record<string, string | number> | undefined): Promise<void>;
  /** Aborted when the job is given up (deadline, shutdown). */
  signal: AbortSignal;
}

export interface Destination {
  /** Resolves when the file is safely at the destination; throws an `UploadError` otherwise. */
  upload(task: UploadTask): Promise<void>;
}

/**
 * Why an upload failed, as told to the meeting. Permanent failures end the job at once (retrying
 * cannot help and the file would only wait for its deadline); the others are retried with backoff.
 * `token-expired`: the destination's access token ran out (Dropbox's are short-lived and there is
 * no refresh token), as opposed to `unauthorized` (credentials refused). `private-address`: the
 * WebDAV host resolves to an address this server may not reach (`allowPrivateAddresses`).
 */
export type UploadFailure =
  | 'unreachable'
  | 'timeout'
  | 'bad-response'
  | 'unauthorized'
  | 'token-expired'
  | 'private-address'
  | 'no-space'
  | 'rejected'
  | 'expired';

const PERMANENT: ReadonlySet<UploadFailure> = new Set([
  'unauthorized',
  'token-expired',
  'private-address',
  'no-space',
  'rejected',
  'expired',
]);

export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly reason: UploadFailure,
    detail?: string,
  ) {
    super(detail ?? reason);
  }

  get permanent(): boolean {
    return PERMANENT.has(this.reason);
  }
}

/** Maps an HTTP status from a destination to a failure (undefined for success). */
export function failureForStatus(status: number): UploadFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 507 || status === 413) return 'no-space';
  if (status === 408 || status === 429 || status >= 500) return 'unreachable';
  if (status >= 400) return 'rejected';
  return 'bad-response';
}

/** Turns anything a client library threw into an UploadError. */
export function toUploadError(err: unknown): UploadError {
  if (err instanceof UploadError) return err;
  const e = err as { name?: string; status?: number; code?: string; cause?: { code?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new UploadError('timeout');
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status !== undefined)
    return new UploadError(failureForStatus(status) ?? 'bad-response', `HTTP ${status}`);
  if (e?.code === 'ENOSPC') return new UploadError('no-space');
  return new UploadError('unreachable');
}

/**
 * `signal`, plus a timeout. Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: `any` holds
 * its sources weakly, so under memory pressure the timeout signal could be collected and never fire
 * (seen as a hanging destination that was never timed out). A plain timer is held until `clear()`.
 */
export function withTimeout(signal: AbortSignal, ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  const timer = setTimeout(() => {
    signal.removeEventListener('abort', onAbort);
    controller.abort(new DOMException('timed out', 'TimeoutError'));
  }, ms);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
