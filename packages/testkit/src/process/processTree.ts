import { readdirSync, readFileSync } from 'node:fs';

/*
 * Processes as Linux's /proc shows them: who is whose child, what each runs, how much CPU it used.
 * The teardown check finds a test's leftover processes with these; benches measure CPU with them.
 */

/** Linux's USER_HZ: the unit of utime/stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces), or none. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // exited meanwhile
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** pid and start time: unique even when the kernel reuses a pid. */
  key: string;
  /** Its command line, shortened. */
  command: string;
}

function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // A zombie has exited; only its parent's wait() is missing, which Node does on its own.
    if (!fields || fields[0] === 'Z') continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  return children;
}

/** `pid` and all its live descendants (from /proc), parents before children. */
export function processTree(pid: number): number[] {
  const children = childrenByParent();
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

/** The live descendants of `pid` (not `pid` itself), with what they run. */
export function descendants(pid = process.pid): ProcessInfo[] {
  return processTree(pid)
    .slice(1)
    .flatMap((p) => {
      const fields = statFields(p);
      if (!fields || fields[0] === 'Z') return [];
      return [{ pid: p, ppid: Number(fields[1]), key: `${p}:${fields[19]}`, command: commandLine(p) }];
    });
}

function commandLine(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
  } catch {
    return '?';
  }
}

/** Whether the process `key` names (from ProcessInfo) still runs. */
export function alive(key: string): boolean {
  const [pid, start] = key.split(':');
  const fields = statFields(pid ?? '');
  return fields !== undefined && fields[0] !== 'Z' && fields[19] === start;
}

/** CPU time (user + system, in seconds) used so far by `pid` and its live descendants. */
export function processTreeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const fields = statFields(p);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}
