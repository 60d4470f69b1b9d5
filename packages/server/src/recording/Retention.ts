import { rm, stat } from 'node:fs/promises';
import { errorFields, type Logger } from '../log/logger.js';
import type { Clock } from './Clock.js';
import type { JobRecord, JobStore } from './JobStore.js';

export const HOUR_MS = 3_600_000;
/** While a recording runs, its job record's `endedAt` is refreshed this often (see JobRecord). */
export const HEARTBEAT_MS = 60_000;
/** A temporary record younger than this may be mid-write; older ones are leftovers of a crash. */
const TMP_GRACE_MS = 60_000;

/**
 * The deadline that applies now: the one written in the record, or today's retention if that is
 * shorter. Lowering `retentionHours` therefore also shortens jobs already on disk, and raising it
 * never extends them (PRIVACY P13: "configurable downward, never silently upward").
 */
export function effectiveDeadline(job: JobRecord, retentionMs: number): number {
  return Math.min(job.deadline, job.endedAt + retentionMs);
}

export interface RetentionOptions {
  store: JobStore;
  retentionMs: number;
  clock: Clock;
  log: Logger;
  /** Jobs this process is working on; any other job still `recording`/`processing` was interrupted by a crash. */
  isLive(id: string): boolean;
  /** Told about each job the sweep deleted (e.g. to abort its upload). */
  onDeleted?(job: JobRecord, why: 'expired' | 'interrupted'): void;
}

/**
 * Deletes recordings (and their job records, with any credentials) past their deadline. It runs at
 * start-up — so a crash or a restart never leaves a file past its deadline — and then periodically.
 */
export class RetentionSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(private readonly options: RetentionOptions) {}

  /** One pass; returns how many jobs and stray entries it deleted. Concurrent calls share a pass. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Sweeps now and then every `intervalMs`. */
  async start(intervalMs: number): Promise<number> {
    const deleted = await this.sweep();
    this.#timer = setInterval(() => {
      this.sweep().catch((err) => this.options.log.error('recording.sweep_failed', errorFields(err)));
    }, intervalMs);
    this.#timer.unref();
    return deleted;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sweep(): Promise<number> {
    const { store, clock, retentionMs, log } = this.options;
    const now = clock.now();
    const { jobs, orphans } = await store.scan();
    let deleted = 0;
    for (const job of jobs) {
      const live = this.options.isLive(job.id);
      let why: 'expired' | 'interrupted' | undefined;
      if (now >= effectiveDeadline(job, retentionMs)) why = 'expired';
      // A recording or composition cut short by a crash cannot be finished: its WebM files were
      // never finalized and its meeting is gone. Delete it now rather than keep it for nobody.
      else if (!live && job.state !== 'uploading') why = 'interrupted';
      if (!why) continue;
      await store.delete(job.id);
      deleted++;
      log.info('recording.deleted', { expired: why === 'expired', interrupted: why === 'interrupted' });
      this.options.onDeleted?.(job, why);
    }
    for (const path of orphans) {
      if (path.endsWith('.tmp')) {
        const age = await stat(path).then(
          (s) => Date.now() - s.mtimeMs,
          () => Infinity,
        );
        if (age < TMP_GRACE_MS) continue;
      }
      await rm(path, { recursive: true, force: true });
      deleted++;
      log.info('recording.orphan_deleted');
    }
    return deleted;
  }
}
