import { readFileSync } from 'node:fs';

/*
 * A process's CPU time and memory as the kernel counts them, the same way for a Node.js server
 * and a C one: /proc/<pid>/stat utime + stime cover all of the process's threads (including the
 * ones that ended), in clock ticks (USER_HZ, 100 on Linux).
 */

const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** Monotonic wall time, seconds. */
  at: number;
  /** User + system CPU time of all threads, seconds. */
  cpu: number;
  rssBytes: number;
  threads: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const threads = Number(fields[17]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return {
    at: performance.now() / 1000,
    cpu: (utime + stime) / TICKS_PER_SECOND,
    rssBytes: rssKiB * 1024,
    threads,
  };
}
