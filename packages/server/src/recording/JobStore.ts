import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredDestination } from './destinations/Destination.js';

/*
 * Recording jobs on disk: the only thing Conclave ever persists (DESIGN "What is persistent").
 * One directory per job holds its media, and a JSON record beside it holds its state, deadline
 * and — until the job ends — the upload credentials. Everything is owner-only (0700/0600).
 *
 *   dataDir/<id>.json   the job record
 *   dataDir/<id>/       track files while recording, then the one output file
 */

export type JobState = 'recording' | 'processing' | 'uploading';

export interface JobRecord {
  version: 1;
  id: string;
  /** Random per meeting, never the room name (PRIVACY P7): to tell the meeting how the upload went. */
  meetingId: string;
  state: JobState;
  createdAt: number;
  /**
   * While recording, the last time the recorder said it was alive (refreshed every minute); after
   * stop, when the recording ended. The retention deadline counts from here, so a crash mid-recording
   * still leaves a deadline (PRIVACY P13).
   */
  endedAt: number;
  /** endedAt + retention at the time it was written; the sweeper also applies today's (lower) retention. */
  deadline: number;
  destination: StoredDestination;
  /** The file to upload, relative to the job directory, once processed. */
  output?: string | undefined;
  /** Destination-specific progress that lets an upload resume (e.g. a Dropbox upload session). */
  progress?: Record<string, string | number> | undefined;
  attempts: number;
}

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export class JobStore {
  constructor(readonly dataDir: string) {}

  /** Creates the data directory owner-only (and tightens it if it already existed). */
  async init(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: DIR_MODE });
    await chmod(this.dataDir, DIR_MODE);
  }

  newId(): string {
    return randomBytes(18).toString('base64url');
  }

  dirOf(id: string): string {
    return join(this.dataDir, checkId(id));
  }

  recordPath(id: string): string {
    return join(this.dataDir, `${checkId(id)}.json`);
  }

  /** Writes the record first, then makes the directory: a directory never exists without a record. */
  async create(record: JobRecord): Promise<string> {
    await this.save(record);
    const dir = this.dirOf(record.id);
    await mkdir(dir, { mode: DIR_MODE });
    return dir;
  }

  /** Atomic replace (write a temporary file, fsync, rename), so a crash never leaves half a record. */
  async save(record: JobRecord): Promise<void> {
    const path = this.recordPath(record.id);
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(tmp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(JSON.stringify(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  }

  async load(id: string): Promise<JobRecord | undefined> {
    try {
      return parseRecord(await readFile(this.recordPath(id), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /**
   * Deletes a job: its media first, then its record (which holds any credentials). Idempotent.
   * Media first, so that a crash in between leaves a record whose sweep deletes nothing more.
   */
  async delete(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true });
    await rm(this.recordPath(id), { force: true });
  }

  /**
   * Every valid job record, and every entry of the data directory that belongs to no valid record
   * (orphan media, unreadable or temporary records): the sweeper deletes those at once.
   */
  async scan(): Promise<{ jobs: JobRecord[]; orphans: string[] }> {
    const names = await readdir(this.dataDir);
    const jobs: JobRecord[] = [];
    const valid = new Set<string>();
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (!ID.test(id)) continue;
      const record = await this.load(id);
      if (record && record.id === id) {
        jobs.push(record);
        valid.add(name);
        valid.add(id);
      }
    }
    const orphans = names.filter((n) => !valid.has(n)).map((n) => join(this.dataDir, n));
    return { jobs, orphans };
  }

  /** Bytes of the job's files (for logs and metrics: sizes only). */
  async size(id: string, file: string): Promise<number> {
    return (await stat(join(this.dirOf(id), file))).size;
  }
}

function checkId(id: string): string {
  if (!ID.test(id)) throw new Error('invalid job id');
  return id;
}

function parseRecord(text: string): JobRecord | undefined {
  const value = JSON.parse(text) as Partial<JobRecord> | null;
  if (
    value?.version !== 1 ||
    typeof value.id !== 'string' ||
    typeof value.meetingId !== 'string' ||
    typeof value.endedAt !== 'number' ||
    typeof value.deadline !== 'number' ||
    typeof value.createdAt !== 'number' ||
    !['recording', 'processing', 'uploading'].includes(value.state as string) ||
    typeof value.destination !== 'object' ||
    value.destination === null
  ) {
    return undefined;
  }
  return { attempts: 0, ...value } as JobRecord;
}
