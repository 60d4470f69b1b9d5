import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { type Logger, literal } from '../log/logger.js';
import type { Clock } from './Clock.js';
import {
  type Destination,
  type StoredDestination,
  toUploadError,
  UploadError,
} from './destinations/Destination.js';
import type { JobRecord, JobStore } from './JobStore.js';
import { effectiveDeadline } from './Retention.js';

export interface UploaderOptions {
  store: JobStore;
  clock: Clock;
  log: Logger;
  retentionMs: number;
  /** Makes the client for a job's destination. */
  destination(stored: StoredDestination): Destination;
  /** Upload progress for the meeting the job came from (dropped if it has ended). */
  notify(meetingId: string, message: ServerMessageOf<'recordingUpload'>): void;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export type UploadOutcome = 'uploaded' | 'failed';

/**
 * Moves finished recordings to their destinations: retried with exponential backoff until the
 * retention deadline, then given up. Whatever the outcome, the job ends with its file and its
 * record (with the credentials) deleted (PRIVACY P13) and the meeting told what happened.
 */
export class Uploader {
  readonly #active = new Map<string, { abort: AbortController; done: Promise<UploadOutcome> }>();
  #closed = false;

  constructor(private readonly options: UploaderOptions) {}

  isActive(id: string): boolean {
    return this.#active.has(id);
  }

  /** Starts (or, after a restart, resumes) the upload of a job whose `output` is ready. */
  enqueue(job: JobRecord): Promise<UploadOutcome> {
    const existing = this.#active.get(job.id);
    if (existing) return existing.done;
    const abort = new AbortController();
    const done = this.#run(job, abort.signal).finally(() => this.#active.delete(job.id));
    this.#active.set(job.id, { abort, done });
    return done;
  }

  /** Gives a job up (the sweeper deleted it, or shutdown). */
  abort(id: string): void {
    this.#active.get(id)?.abort.abort(new UploadError('expired'));
  }

  /** Stops every upload without deleting anything: after a restart they resume or expire. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#active.values()];
    for (const a of all) a.abort.abort(new Error('shutdown'));
    await Promise.allSettled(all.map((a) => a.done));
  }

  async #run(job: JobRecord, signal: AbortSignal): Promise<UploadOutcome> {
    const { store, clock, log, retentionMs } = this.options;
    const kind = job.destination.kind;
    const base = this.options.baseBackoffMs ?? 2000;
    const max = this.options.maxBackoffMs ?? 300_000;
    const tell = (status: ServerMessageOf<'recordingUpload'>['status'], reason?: string) =>
      this.options.notify(job.meetingId, {
        type: 'recordingUpload',
        status,
        destination: kind,
        ...(reason ? { reason } : {}),
      });
    const finish = async (outcome: UploadOutcome, reason?: string): Promise<UploadOutcome> => {
      await store.delete(job.id);
      log.info('recording.upload_done', { uploaded: outcome === 'uploaded', reason: reasonField(reason) });
      tell(outcome, reason);
      return outcome;
    };
    if (!job.output) return finish('failed', 'error');
    const path = join(store.dirOf(job.id), job.output);
    tell('uploading');
    for (;;) {
      if (this.#closed) return 'failed';
      if (clock.now() >= effectiveDeadline(job, retentionMs)) return finish('failed', 'expired');
      let size: number;
      try {
        size = (await stat(path)).size;
      } catch {
        return finish('failed', 'error');
      }
      // An attempt still running at the deadline is cut off there (a destination that hangs must
      // not keep the file past it, PRIVACY P13). Real time: the deadline is wall-clock.
      const attempt = new AbortController();
      const left = effectiveDeadline(job, retentionMs) - clock.now();
      const cutoff =
        left <= MAX_TIMER_MS
          ? setTimeout(() => attempt.abort(new UploadError('expired')), Math.max(left, 0))
          : undefined;
      cutoff?.unref();
      const attemptSignal = AbortSignal.any([signal, attempt.signal]);
      try {
        await this.options.destination(job.destination).upload({
          path,
          name: job.output,
          size,
          progress: job.progress,
          saveProgress: async (progress) => {
            job.progress = progress;
            await store.save(job);
          },
          signal: attemptSignal,
        });
        return finish('uploaded');
      } catch (err) {
        if (this.#closed) return 'failed';
        const error = attemptSignal.aborted ? toUploadError(attemptSignal.reason) : toUploadError(err);
        if (error.permanent) return finish('failed', error.reason);
        job.attempts++;
        await store.save(job).catch(() => {});
        log.info('recording.upload_retry', { attempts: job.attempts, reason: reasonField(error.reason) });
        tell('retrying', error.reason);
        const remaining = effectiveDeadline(job, retentionMs) - clock.now();
        const wait = Math.min(base * 2 ** Math.min(job.attempts - 1, 30), max, Math.max(remaining, 0));
        try {
          await clock.sleep(wait, signal);
        } catch {
          if (this.#closed) return 'failed';
          return finish('failed', 'expired');
        }
      } finally {
        clearTimeout(cutoff);
      }
    }
  }
}

/** setTimeout's limit (~24.8 days); a longer deadline is caught by the loop and the sweeper. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const REASONS = [
  'unreachable',
  'timeout',
  'bad-response',
  'unauthorized',
  'token-expired',
  'private-address',
  'no-space',
  'rejected',
  'expired',
  'error',
] as const;

/** Log fields are fixed words only (PRIVACY P7): never a URL, a path or an error text from outside. */
function reasonField(reason: string | undefined) {
  const known = REASONS.find((r) => r === reason);
  return known ? literal(known) : undefined;
}
