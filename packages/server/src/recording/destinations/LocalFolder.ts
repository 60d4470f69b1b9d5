import { constants } from 'node:fs';
import { chmod, copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Destination, UploadError, type UploadTask } from './Destination.js';

/** The operator's own folder (config `recording.local.dir`, off by default): a copy, owner-only. */
export class LocalFolderDestination implements Destination {
  constructor(private readonly dir: string) {}

  async upload(task: UploadTask): Promise<void> {
    const target = join(this.dir, task.name);
    try {
      await copyFile(task.path, target, constants.COPYFILE_EXCL);
      await chmod(target, 0o600);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A half-written copy is not a delivered recording.
      if (code !== 'EEXIST') await rm(target, { force: true });
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new UploadError('no-space');
      if (code === 'EEXIST') throw new UploadError('rejected', 'exists');
      throw new UploadError('unreachable');
    }
  }
}
