import { alive, descendants, type ProcessInfo, processTree } from '../process/processTree.js';

/*
 * Teardown checks in the spirit of pion's test.CheckRoutines: what a test started must be gone when
 * it ends. Two kinds of leftovers are looked for:
 *  - processes: every live process this (test worker) process started since, with all of theirs —
 *    servers, Chromium, coturn, ffmpeg. Stragglers are killed, and reported.
 *  - handles: Node's active resources (sockets, servers, timers, …) that keep the event loop alive,
 *    counted by type; more than before means an in-process server, client or timer was left running.
 * Things wind down asynchronously (a closed peer's socket, a browser's helper processes), so the
 * check waits up to `graceMs` for the counts to come back before it calls them leftovers.
 */

export interface Snapshot {
  processes: Set<string>;
  resources: Map<string, number>;
}

export interface CheckOptions {
  /** How long leftovers may take to go on their own (default 5 s). */
  graceMs?: number;
}

export function snapshot(): Snapshot {
  return { processes: new Set(descendants().map((p) => p.key)), resources: countResources() };
}

/**
 * Vitest itself holds its IPC pipes and, for up to 100 ms after a task update, one timer (its
 * throttled report to the main process). A snapshot taken while that timer is pending would hide
 * one leaked timer; this one waits it out first. (Per test that wait would cost too much, so the
 * per-test check may miss a single leaked timer; the per-file check, settled, does not.)
 */
export async function settledSnapshot(): Promise<Snapshot> {
  await new Promise((r) => setTimeout(r, VITEST_THROTTLE_MS).unref());
  return snapshot();
}

const VITEST_THROTTLE_MS = 110;

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * Processes started since `before` by this process or by processes themselves started since —
 * not the helpers a longer-lived process (the file's browser) starts on its own, which belong to
 * whoever started that process and are checked when it ends.
 */
function newProcesses(before: Snapshot): ProcessInfo[] {
  const all = descendants();
  const started = new Set<number>();
  // Parents come before their children.
  for (const p of all) {
    if (before.processes.has(p.key)) continue;
    if (p.ppid === process.pid || started.has(p.ppid)) started.add(p.pid);
  }
  return all.filter((p) => started.has(p.pid));
}

function extraResources(before: Snapshot): string[] {
  const out: string[] = [];
  for (const [type, count] of countResources()) {
    const extra = count - (before.resources.get(type) ?? 0);
    if (extra > 0) out.push(`${extra} × ${type}`);
  }
  return out;
}

/**
 * What was left running since `before`, as readable lines (empty: nothing). Leftover processes are
 * killed (with their own children) before it returns, so that one test's leak cannot hurt the next.
 */
export async function leftoversSince(before: Snapshot, options: CheckOptions = {}): Promise<string[]> {
  const deadline = Date.now() + (options.graceMs ?? 5000);
  for (;;) {
    const processes = newProcesses(before);
    const resources = extraResources(before);
    if (processes.length === 0 && resources.length === 0) return [];
    if (Date.now() >= deadline) {
      await kill(processes);
      return [
        ...processes.map((p) => `process ${p.pid} still running (killed): ${p.command}`),
        ...resources.map((r) => `${r} still active (an unclosed socket, server or timer)`),
      ];
    }
    await new Promise((r) => setTimeout(r, 50).unref());
  }
}

async function kill(processes: ProcessInfo[]): Promise<void> {
  for (const p of processes) {
    for (const pid of processTree(p.pid).reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  const deadline = Date.now() + 5000;
  while (processes.some((p) => alive(p.key)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20).unref());
  }
}
