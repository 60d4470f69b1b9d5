import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/*
 * The loopback-only network namespace every media test runs in (scripts/test.sh: `unshare --net`,
 * then `ip link set lo up`), so that no ICE check or stray request can leave the machine.
 */

/** The interfaces of this process's own network namespace (from /proc/net/dev). */
export function interfaces(): string[] {
  return readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0]?.trim() ?? '')
    .filter(Boolean);
}

/** True when loopback is the only interface: inside the tests' namespace. */
export function onlyLoopback(): boolean {
  const names = interfaces();
  return names.length > 0 && names.every((name) => name === 'lo');
}

/** Throws unless this process runs in a loopback-only namespace; `what` names what would be unsafe. */
export function requireLoopbackNamespace(what: string): void {
  if (!onlyLoopback()) {
    throw new Error(
      `refusing to ${what} outside a loopback-only network namespace (interfaces: ${interfaces().join(', ')}); run the tests with "npm test"`,
    );
  }
}

const IPTABLES = process.env.IPTABLES_PATH ?? 'iptables';

/** Runs iptables (inside the namespace only: its rules would otherwise touch the machine's). */
export function iptables(...args: string[]): string {
  requireLoopbackNamespace('change iptables rules');
  return execFileSync(IPTABLES, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An iptables rule in force until `remove()` (which only the first call does). */
export interface IptablesRule {
  readonly spec: readonly string[];
  remove(): void;
}

/** Appends `spec` (e.g. `['INPUT', '-i', 'lo', …, '-j', 'DROP']`) to its chain, inside the namespace only. */
export function addIptablesRule(spec: readonly string[]): IptablesRule {
  iptables('-A', ...spec);
  let removed = false;
  return {
    spec,
    remove() {
      if (removed) return;
      removed = true;
      iptables('-D', ...spec);
    },
  };
}
