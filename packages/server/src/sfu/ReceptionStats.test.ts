import { describe, expect, it } from 'vitest';
import { ReceptionStats } from './ReceptionStats.js';
import { buildReceiverReport, type ReportBlock } from './rtcp.js';

/** Feeds sequence numbers 20 ms (960 ticks at 48 kHz) apart, skipping those in `lose`. */
function feed(stats: ReceptionStats, first: number, count: number, lose: ReadonlySet<number> = new Set()) {
  for (let i = 0; i < count; i++) {
    const seq = (first + i) & 0xffff;
    if (!lose.has(seq)) stats.packet(seq, 1000 + i * 960, i * 20);
  }
}

describe('ReceptionStats (RFC 3550 appendix A)', () => {
  it('reports nothing before the first packet', () => {
    expect(new ReceptionStats(48_000).report(1, 0)).toBeUndefined();
  });

  it('counts loss in the interval and in all, and the extended highest sequence number', () => {
    const stats = new ReceptionStats(48_000);
    feed(stats, 100, 100, new Set([110, 111, 150, 151, 152, 153, 154]));
    const first = stats.report(7, 2000);
    expect(first).toMatchObject({ ssrc: 7, cumulativeLost: 7, highestSequence: 199 });
    // 7 of 100 expected: floor(7 * 256 / 100).
    expect(first?.fractionLost).toBe(17);
    feed(stats, 200, 50);
    // Nothing lost since the last report: the fraction restarts, the total stays.
    expect(stats.report(7, 3000)).toMatchObject({ fractionLost: 0, cumulativeLost: 7, highestSequence: 249 });
  });

  it('counts sequence-number cycles across the wrap', () => {
    const stats = new ReceptionStats(90_000);
    feed(stats, 0xfff0, 0x20);
    expect(stats.report(1, 0)).toMatchObject({ highestSequence: 0x1_0000 + 0x0f, cumulativeLost: 0 });
  });

  it('does not count a reordered packet as loss', () => {
    const stats = new ReceptionStats(48_000);
    for (const seq of [1, 2, 4, 3, 5]) stats.packet(seq, seq * 960, seq * 20);
    expect(stats.report(1, 200)).toMatchObject({ cumulativeLost: 0, fractionLost: 0, highestSequence: 5 });
  });

  it('starts afresh when the sender restarts its sequence numbers far away', () => {
    const stats = new ReceptionStats(48_000);
    feed(stats, 100, 10);
    feed(stats, 40_000, 10);
    expect(stats.report(1, 0)).toMatchObject({ cumulativeLost: 0, highestSequence: 40_009 });
  });

  it('measures interarrival jitter in timestamp units', () => {
    const steady = new ReceptionStats(48_000);
    feed(steady, 0, 200);
    expect(steady.report(1, 0)?.jitter).toBe(0);
    // Every other packet 10 ms late: |D| alternates 480 ticks, J converges towards 480.
    const jittery = new ReceptionStats(48_000);
    for (let i = 0; i < 400; i++) jittery.packet(i, i * 960, i * 20 + (i % 2) * 10);
    const jitter = jittery.report(1, 0)?.jitter ?? 0;
    expect(jitter).toBeGreaterThan(400);
    expect(jitter).toBeLessThanOrEqual(480);
  });

  it('echoes the middle 32 bits of the last SR and the delay since it in 1/65536 s', () => {
    const stats = new ReceptionStats(90_000);
    feed(stats, 1, 5);
    stats.senderReport(0x1234_5678, 0x9abc_def0, 1000);
    const block = stats.report(1, 1500);
    expect(block?.lastSenderReport).toBe(0x5678_9abc);
    expect(block?.delaySinceLastSenderReport).toBe(32768);
  });
});

describe('buildReceiverReport', () => {
  it('writes RFC 3550 §6.4.2 report blocks', () => {
    const block: ReportBlock = {
      ssrc: 0xdeadbeef,
      fractionLost: 17,
      cumulativeLost: 70_000,
      highestSequence: 0x1_0005,
      jitter: 321,
      lastSenderReport: 0x5678_9abc,
      delaySinceLastSenderReport: 32768,
    };
    const rr = buildReceiverReport(1, [block, { ...block, ssrc: 2 }]);
    expect(rr.length).toBe(8 + 2 * 24);
    expect(rr[0]).toBe(0x82);
    expect(rr[1]).toBe(201);
    expect(rr.readUInt16BE(2)).toBe(rr.length / 4 - 1);
    expect(rr.readUInt32BE(4)).toBe(1);
    expect(rr.readUInt32BE(8)).toBe(0xdeadbeef);
    expect(rr[12]).toBe(17);
    expect(rr.readUIntBE(13, 3)).toBe(70_000);
    expect(rr.readUInt32BE(16)).toBe(0x1_0005);
    expect(rr.readUInt32BE(20)).toBe(321);
    expect(rr.readUInt32BE(24)).toBe(0x5678_9abc);
    expect(rr.readUInt32BE(28)).toBe(32768);
    expect(rr.readUInt32BE(32)).toBe(2);
  });

  it('an empty receiver report heads a compound packet (RFC 3550 §6.1)', () => {
    expect(buildReceiverReport(1, [])).toEqual(Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]));
  });
});
