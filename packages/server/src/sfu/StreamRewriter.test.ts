import { describe, expect, it } from 'vitest';
import { PacketCache } from './PacketCache.js';
import { type SenderClock, StreamRewriter } from './StreamRewriter.js';

type Step = [source: number, seq: number, ts: number, now: number, expected: [number, number] | undefined];

describe('StreamRewriter', () => {
  it.each<[string, Step[]]>([
    [
      'continues from the initial sequence and timestamp',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 501, 9900, 10, [101, 5900]],
      ],
    ],
    [
      'keeps reordering',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 502, 10800, 20, [102, 6800]],
        [1, 501, 9900, 21, [101, 5900]],
      ],
    ],
    [
      "drops packets older than the source's first",
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 499, 8100, 5, undefined],
      ],
    ],
    [
      'wraps at 16 bits',
      [
        [1, 0xffff, 0, 0, [100, 5000]],
        [1, 0, 90, 1, [101, 5090]],
      ],
    ],
    [
      'continues sequence and elapsed time on a source switch',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [1, 501, 9900, 10, [101, 5900]],
        [2, 7000, 123, 110, [102, 5900 + 9000]],
        [2, 7001, 213, 111, [103, 5900 + 9090]],
      ],
    ],
    [
      'drops the old source after a switch',
      [
        [1, 500, 9000, 0, [100, 5000]],
        [2, 7000, 0, 10, [101, 5900]],
        [1, 501, 9900, 11, [102, 5990]],
      ],
    ],
  ])('%s', (_name, steps) => {
    const r = new StreamRewriter(90_000, 100, 5000);
    for (const [source, seq, ts, now, expected] of steps) {
      const out = r.rewrite(source, seq, ts, now);
      expect(out ? [out.sequence, out.timestamp] : undefined).toEqual(expected);
    }
  });

  it('forwards one source for longer than half the sequence space (minutes of media)', () => {
    // 32768 packets are 11 minutes of Opus, 3–4 of 720p video: a long meeting passes them.
    const r = new StreamRewriter(48_000, 100, 0);
    const dropped: number[] = [];
    let last = 99;
    for (let i = 0; i < 3 * 0x10000; i++) {
      const out = r.rewrite(1, (500 + i) & 0xffff, (i * 960) >>> 0, i * 20);
      if (!out) dropped.push(i);
      else if (out.sequence !== ((last + 1) & 0xffff)) throw new Error(`gap at packet ${i}`);
      else last = out.sequence;
    }
    expect(dropped).toEqual([]);
    // A NACK for a recent packet still maps back to its source sequence number.
    expect(r.sourceSequence((last - 10) & 0xffff)).toBe((500 + 3 * 0x10000 - 11) & 0xffff);
  });

  it('maps outgoing sequence numbers back to the current source only', () => {
    const r = new StreamRewriter(90_000, 100, 0);
    r.rewrite(1, 500, 0, 0);
    r.rewrite(1, 501, 0, 1);
    r.rewrite(2, 9000, 0, 2); // out 102
    r.rewrite(2, 9001, 0, 3); // out 103
    expect(r.sourceSequence(103)).toBe(9001);
    expect(r.sourceSequence(102)).toBe(9000);
    expect(r.sourceSequence(101)).toBeUndefined(); // previous source
    expect(r.sourceSequence(104)).toBeUndefined(); // not sent yet
  });
});

/*
 * Lip sync across source switches. Two sources (simulcast layers) capture the same frames with
 * timestamp offsets of their own; each sends reports tying its timestamps to the sender's wall
 * clock. What the subscriber learns from the relayed reports must keep mapping every packet it
 * gets to the packet's capture time, whichever source it came from and however late it arrived.
 */
describe('StreamRewriter: timestamps against the sender reports', () => {
  const RATE = 90_000;
  /** Wall-clock (NTP, ms) of capture time 0. */
  const EPOCH = 3_900_000_000_000;
  /** A source whose timestamps are `base` + capture time; its clock reports at `reportAt` (ms). */
  const source = (base: number, reportAt?: number): SenderClock & { ts(ms: number): number } => {
    const ts = (ms: number) => (base + Math.round((ms * RATE) / 1000)) >>> 0;
    return {
      ts,
      reportNtpMs: reportAt === undefined ? Number.NaN : EPOCH + reportAt,
      reportRtp: reportAt === undefined ? 0 : ts(reportAt),
    };
  };
  /** The wall clock the subscriber reads from an outgoing timestamp, by the last report relayed. */
  const wallClock = (report: { ntpMs: number; out: number }, out: number) =>
    report.ntpMs - EPOCH + (((out - report.out) | 0) * 1000) / RATE;

  type Case = {
    name: string;
    /** Source B's timestamp base (A's is 1000) and when B last reported (undefined: never). */
    bBase: number;
    bReportAt: number | undefined;
    /** Capture time (ms) of A's last packet sent and of B's first, and when B's first arrives. */
    lastA: number;
    firstB: number;
    arrivesB: number;
    /** Expected wall clock the subscriber reads for B's first packet (capture time, if all is well). */
    reads: number;
  };
  it.each<Case>([
    {
      name: "B's late keyframe is placed at its capture time, not at its arrival",
      bBase: 0x7000_0000,
      bReportAt: 400,
      lastA: 1000,
      firstB: 1033,
      arrivesB: 1033 + 120,
      reads: 1033,
    },
    {
      name: 'timestamps that wrap around 2^32 on either source',
      bBase: 0xffff_ff00,
      bReportAt: 900,
      lastA: 1000,
      firstB: 1066,
      arrivesB: 1066 + 5,
      reads: 1066,
    },
    {
      name: 'a report older than the switch by minutes still places B exactly',
      bBase: 0x1234_5678,
      bReportAt: -300_000,
      lastA: 1000,
      firstB: 1033,
      arrivesB: 1050,
      reads: 1033,
    },
    {
      name: 'the frame of A already sent (same capture): one tick after it',
      bBase: 0x7000_0000,
      bReportAt: 400,
      lastA: 1000,
      firstB: 1000,
      arrivesB: 1010,
      reads: 1000 + 1000 / RATE,
    },
    {
      name: 'B has not reported yet: it continues by arrival time (off by its extra delay)',
      bBase: 0x7000_0000,
      bReportAt: undefined,
      lastA: 1000,
      firstB: 1033,
      arrivesB: 1033 + 120,
      // A's last packet plus the time between its arrival (1001) and B's (1153).
      reads: 1000 + 152,
    },
  ])('$name', ({ bBase, bReportAt, lastA, firstB, arrivesB, reads }) => {
    const a = source(1000, 500);
    const b = source(bBase, bReportAt);
    const r = new StreamRewriter(RATE, 100, 5000);
    // A flows (arriving 0–20 ms after capture) and its report is relayed.
    let report = { ntpMs: Number.NaN, out: 0 };
    for (let t = 0; t <= lastA; t += 33.3) {
      r.rewrite(1, 10 + Math.round(t / 33.3), a.ts(t), t + (t % 20), a);
      if (t > 500 && Number.isNaN(report.ntpMs))
        report = { ntpMs: a.reportNtpMs, out: r.senderReport(a.reportNtpMs, a.reportRtp) };
    }
    r.rewrite(1, 9999, a.ts(lastA), lastA + 1, a);
    const out = r.rewrite(2, 40_000, b.ts(firstB), arrivesB, b);
    expect(out).toBeDefined();
    expect(wallClock(report, out?.timestamp ?? 0)).toBeCloseTo(reads, 1);
    // B's own reports, relayed from now on, state the same relation as A's did.
    if (bReportAt !== undefined) {
      const relayed = r.senderReport(b.reportNtpMs, b.reportRtp);
      expect(wallClock(report, relayed)).toBeCloseTo(bReportAt, 1);
    }
  });

  it('without any report relayed yet a switch continues by arrival time', () => {
    const a = source(1000, 0);
    const b = source(0x7000_0000, 0);
    const r = new StreamRewriter(RATE, 100, 5000);
    r.rewrite(1, 10, a.ts(0), 0, a);
    const out = r.rewrite(2, 40_000, b.ts(33), 50, b);
    expect(out?.timestamp).toBe(5000 + 50 * 90);
  });
});

describe('PacketCache', () => {
  it.each([
    ['hit', 10, 10, 0, true],
    ['overwritten by a newer packet in the same slot', 10, 10 + 8, 0, false],
    ['too old', 10, 10, 2000, false],
  ])('%s', (_name, stored, extra, age, hit) => {
    const cache = new PacketCache(8, 1000);
    cache.put(Buffer.from([1]), stored, 0, 0);
    if (extra !== stored) cache.put(Buffer.from([2]), extra, 0, 0);
    expect(cache.get(stored, age) !== undefined).toBe(hit);
  });
});
