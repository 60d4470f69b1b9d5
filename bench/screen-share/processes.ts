import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU time of a Chromium's processes by kind, from /proc: every descendant of the browser process
 * (zygotes included), grouped by its `--type=` (renderer, gpu-process, utility: network, audio,
 * video capture…; none: the browser process itself).
 */

const TICKS_PER_SECOND = 100;

export type CpuByKind = Record<string, number>;

/** Seconds of CPU (user + system, all threads) of each kind of process under `root`. */
export function chromiumCpu(root: number): CpuByKind {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // ended while listed
    }
  }
  const under = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p))
      if (p === root) return true;
    return false;
  };
  const out: CpuByKind = {};
  for (const [pid, seconds] of cpu) {
    if (!under(pid)) continue;
    const kind = processKind(pid);
    out[kind] = (out[kind] ?? 0) + seconds;
  }
  return out;
}

function processKind(pid: number): string {
  try {
    // Chromium rewrites its children's command lines as one string (set-process-title): split on spaces too.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
    if (type === 'utility') {
      const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '';
      return `utility ${sub.split('.').at(-1) ?? sub}`;
    }
    return type === 'zygote' ? 'zygote' : type;
  } catch {
    return 'gone';
  }
}

/** CPU % of one core per kind over a window, from two readings `seconds` apart. */
export function cpuPercent(before: CpuByKind, after: CpuByKind, seconds: number): CpuByKind {
  const out: CpuByKind = {};
  for (const kind of new Set([...Object.keys(before), ...Object.keys(after)]))
    out[kind] = (100 * ((after[kind] ?? 0) - (before[kind] ?? 0))) / seconds;
  return out;
}
