import { readFileSync } from 'node:fs';

/*
 * What the kernel counts in the bench's network namespace (its own /proc/net/snmp): every UDP
 * datagram anyone in it sent, and the ones a full socket buffer dropped. Only the server and the
 * bots live there, so the datagrams sent less the RTP packets the publishers sent (rtp.ts) are the
 * server's: what it forwarded, plus its few RTCP and STUN packets and the subscribers' few NACKs
 * and STUN checks (well under 1 %; the runs where every subscriber counts in JavaScript show how
 * far the two agree). The counters cost the server nothing, unlike a capture.
 */

export interface UdpCounters {
  /** Datagrams sent by every socket in the namespace. */
  sent: number;
  /** Datagrams dropped because the receiving socket's buffer was full (server or bot). */
  receiveBufferDrops: number;
}

export function udpCounters(): UdpCounters {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp: '));
  const names = (lines[0] ?? '').split(' ');
  const values = (lines[1] ?? '').split(' ').map(Number);
  const field = (name: string) => values[names.indexOf(name)] ?? Number.NaN;
  return { sent: field('OutDatagrams'), receiveBufferDrops: field('RcvbufErrors') };
}

/** Busy and total time of one core (/proc/stat, USER_HZ ticks): whoever ran there, not only the server. */
export function coreTicks(core: number): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `));
  const [user, nice, system, idle, iowait, irq, softirq, steal] = (line ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
}
