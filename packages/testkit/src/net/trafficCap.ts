import { execFileSync } from 'node:child_process';
import { requireLoopbackNamespace } from './namespace.js';

/*
 * A slow link for one receiver inside the tests' loopback-only namespace: an HTB class on `lo`
 * that carries only the UDP packets addressed to one port, at a fixed rate and with a short queue
 * (a real access link drops rather than buffering seconds of video). Everything else stays in an
 * unlimited default class. The kernel the suite runs on has no sch_netem, so delay and random loss
 * are not done here: loss comes from iptables' `statistic` match (see nack-loss), delay from the
 * userspace relay in udpDelayRelay.ts.
 */

const TC = process.env.TC_PATH ?? 'tc';

function tc(...args: string[]): string {
  requireLoopbackNamespace('change the traffic control of lo');
  return execFileSync(TC, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TrafficCap {
  /** Bytes and packets the capped class has sent on, and dropped, so far. */
  counters(): { sentBytes: number; sentPackets: number; dropped: number };
  remove(): void;
}

export interface TrafficCapOptions {
  /** UDP destination port of the capped receiver. */
  port: number;
  kbitPerSecond: number;
  /** Queue of the capped class, bytes; beyond it packets are dropped. */
  queueBytes?: number;
}

/** Caps the UDP traffic to `port` on lo until `remove()`; only one cap at a time per namespace. */
export function capUdpTo({ port, kbitPerSecond, queueBytes = 16_000 }: TrafficCapOptions): TrafficCap {
  tc('qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000');
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    tc('qdisc', 'del', 'dev', 'lo', 'root');
  };
  try {
    tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit');
    const rate = `${kbitPerSecond}kbit`;
    tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:20', 'htb', 'rate', rate, 'ceil', rate);
    tc('qdisc', 'add', 'dev', 'lo', 'parent', '1:20', 'handle', '20:', 'bfifo', 'limit', String(queueBytes));
    tc(
      ...['filter', 'add', 'dev', 'lo', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32'],
      ...['match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', 'dport', String(port), '0xffff'],
      ...['flowid', '1:20'],
    );
  } catch (err) {
    remove();
    throw err;
  }
  return {
    counters() {
      const out = tc('-s', 'class', 'show', 'dev', 'lo', 'classid', '1:20');
      const m = /Sent (\d+) bytes (\d+) pkt \(dropped (\d+)/.exec(out);
      return {
        sentBytes: Number(m?.[1] ?? 0),
        sentPackets: Number(m?.[2] ?? 0),
        dropped: Number(m?.[3] ?? 0),
      };
    },
    remove,
  };
}
