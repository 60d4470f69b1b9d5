import { createReadStream } from 'node:fs';
import { createClient } from 'webdav';
import {
  type Destination,
  failureForStatus,
  toUploadError,
  UploadError,
  type UploadTask,
  withTimeout,
} from './Destination.js';

export interface WebDavOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** A request that makes no progress for this long fails as `timeout` (retried). */
  timeoutMs: number;
}

/**
 * A WebDAV collection (Nextcloud, ownCloud, Apache/nginx DAV): one PUT of the whole file. WebDAV
 * has no standard resumable upload, so a retry sends the file again.
 */
export class WebDavDestination implements Destination {
  constructor(private readonly options: WebDavOptions) {}

  async upload(task: UploadTask): Promise<void> {
    const { url, username, password } = this.options;
    const client = createClient(url, {
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    });
    // Generous for big files (at least ~256 KiB/s), short when the server does not answer at all.
    const timeout = this.options.timeoutMs + Math.ceil(task.size / 256);
    const timed = withTimeout(task.signal, timeout);
    const signal = timed.signal;
    try {
      const ok = await client.putFileContents(`/${task.name}`, createReadStream(task.path), {
        contentLength: task.size,
        overwrite: false,
        signal,
      });
      if (!ok) throw new UploadError('rejected', 'exists');
    } catch (err) {
      if (err instanceof UploadError) throw err;
      if (task.signal.aborted) throw toUploadError(task.signal.reason);
      const status = (err as { status?: number; response?: { status?: number } }).status;
      if (typeof status === 'number') throw new UploadError(failureForStatus(status) ?? 'bad-response');
      throw toUploadError(err);
    } finally {
      timed.clear();
    }
  }
}
