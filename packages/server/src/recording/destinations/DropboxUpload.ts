import { open } from 'node:fs/promises';
import { Dropbox, DropboxResponseError } from 'dropbox';
import { type Destination, toUploadError, UploadError, type UploadTask, withTimeout } from './Destination.js';

export interface DropboxOptions {
  /** The user's access token (OAuth PKCE in the browser); used only for this upload. */
  accessToken: string;
  /** Bytes per upload-session request (Dropbox allows up to 150 MB; 8 MiB keeps retries cheap). */
  chunkBytes: number;
  /** A request that takes longer fails as `timeout` (retried). */
  timeoutMs: number;
  /** For tests: where the SDK sends its requests (its `domain`) and the fetch it uses. */
  domain?: string | undefined;
  fetch?: typeof fetch | undefined;
}

type Tagged = { '.tag'?: string; correct_offset?: number; [key: string]: unknown };

/**
 * Dropbox with the official SDK, through an upload session (start → append_v2 … → finish), one
 * chunk at a time. The session id and the confirmed offset are saved in the job record after every
 * chunk, so a failed chunk — or a restart — resumes where Dropbox says it stands (`incorrect_offset`
 * carries the right offset) instead of sending the file again.
 */
export class DropboxDestination implements Destination {
  constructor(private readonly options: DropboxOptions) {}

  async upload(task: UploadTask): Promise<void> {
    const { chunkBytes, timeoutMs } = this.options;
    const baseFetch = this.options.fetch ?? fetch;
    // The timeout also covers reading the response body, so it is not cleared when fetch resolves;
    // all of them are when the upload ends (a pending timer would outlive it by up to timeoutMs).
    const timeouts: { clear(): void }[] = [];
    const timedFetch: typeof fetch = (input, init) => {
      const timed = withTimeout(task.signal, timeoutMs);
      timeouts.push(timed);
      return baseFetch(input, { ...init, signal: timed.signal });
    };
    const dbx = new Dropbox({
      accessToken: this.options.accessToken,
      fetch: timedFetch,
      ...(this.options.domain ? { domain: this.options.domain } : {}),
    });
    let sessionId = typeof task.progress?.sessionId === 'string' ? task.progress.sessionId : undefined;
    let offset = typeof task.progress?.offset === 'number' ? task.progress.offset : 0;
    const file = await open(task.path, 'r');
    const read = async (at: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, task.size - at)));
      if (buffer.length) await file.read(buffer, 0, buffer.length, at);
      return buffer;
    };
    try {
      if (!sessionId) {
        offset = 0;
        const first = await read(0, chunkBytes);
        const started = await call(() => dbx.filesUploadSessionStart({ close: false, contents: first }));
        sessionId = started.result.session_id;
        offset = first.length;
        await task.saveProgress({ sessionId, offset });
      }
      for (;;) {
        const last = task.size - offset <= chunkBytes;
        const contents = await read(offset, chunkBytes);
        const cursor = { session_id: sessionId, offset };
        try {
          if (last) {
            await call(() =>
              dbx.filesUploadSessionFinish({
                cursor,
                commit: { path: `/${task.name}`, mode: { '.tag': 'add' }, autorename: true, mute: false },
                contents,
              }),
            );
            return;
          }
          await call(() => dbx.filesUploadSessionAppendV2({ cursor, close: false, contents }));
          offset += contents.length;
          await task.saveProgress({ sessionId, offset });
        } catch (err) {
          const correct = err instanceof OffsetError ? err.correctOffset : undefined;
          if (correct === undefined) throw err;
          // Dropbox has more (or less) than we thought, e.g. the answer to the last chunk was lost.
          offset = correct;
          await task.saveProgress({ sessionId, offset });
        }
      }
    } catch (err) {
      if (err instanceof SessionGone) {
        await task.saveProgress(undefined);
        throw new UploadError('unreachable', 'session gone');
      }
      throw toUploadError(err);
    } finally {
      for (const timed of timeouts) timed.clear();
      await file.close();
    }
  }
}

class OffsetError extends Error {
  constructor(readonly correctOffset: number) {
    super('incorrect offset');
  }
}

class SessionGone extends Error {}

/** One SDK call, with Dropbox's structured errors turned into ours. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof DropboxResponseError)) throw toUploadError(err);
    const status = err.status;
    const body = (err.error ?? {}) as { error?: Tagged; error_summary?: unknown } | string;
    const tag = typeof body === 'object' ? body.error : undefined;
    if (status === 401) {
      // The browser asked for a short-lived token without a refresh token (the server never holds
      // one): once it runs out, the upload cannot go on. Said as such, not as a refused login.
      const summary = typeof body === 'object' ? String(body.error_summary ?? '') : body;
      if (tag?.['.tag'] === 'expired_access_token' || summary.startsWith('expired_access_token')) {
        throw new UploadError('token-expired');
      }
      throw new UploadError('unauthorized');
    }
    if (status === 403) throw new UploadError('unauthorized');
    if (status === 429 || status >= 500) throw new UploadError('unreachable', `HTTP ${status}`);
    if (status === 409 && tag) {
      const lookup = (tag['.tag'] === 'lookup_failed' ? tag.lookup_failed : tag) as Tagged | undefined;
      if (lookup?.['.tag'] === 'incorrect_offset' && typeof lookup.correct_offset === 'number') {
        throw new OffsetError(lookup.correct_offset);
      }
      if (['not_found', 'closed', 'not_closed', 'too_large'].includes(String(lookup?.['.tag']))) {
        throw new SessionGone();
      }
      const path = (tag['.tag'] === 'path' ? tag.path : undefined) as Tagged | undefined;
      if (path?.['.tag'] === 'insufficient_space') throw new UploadError('no-space');
      throw new UploadError('rejected');
    }
    if (status === 400) throw new UploadError('rejected');
    throw new UploadError('bad-response', `HTTP ${status}`);
  }
}
