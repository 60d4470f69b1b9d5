import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { type Clock, systemClock } from './Clock.js';
import { JobStore } from './JobStore.js';
import { HOUR_MS, RetentionSweeper } from './Retention.js';

/**
 * One retention pass over `recording.dataDir` from outside the server (`conclave recordings sweep`),
 * so a recording is deleted by its deadline even while the server is down (PRIVACY P13). It is the
 * server's own sweeper; the one difference is that this process cannot know which jobs a running
 * server is working on, so it treats every job as live: it deletes what is past its deadline (and
 * files that belong to no job) and leaves recordings cut short by a crash to their deadline — the
 * server deletes those as soon as it starts again. Safe to run while the server runs.
 */
export async function sweepRecordings(
  config: Config['recording'],
  log: Logger,
  clock: Clock = systemClock,
): Promise<number> {
  // Nothing was ever recorded here; do not create the directory.
  if (!existsSync(config.dataDir)) return 0;
  const sweeper = new RetentionSweeper({
    store: new JobStore(config.dataDir),
    retentionMs: config.retentionHours * HOUR_MS,
    clock,
    log,
    isLive: () => true,
  });
  return sweeper.sweep();
}
