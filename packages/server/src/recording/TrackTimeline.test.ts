import { describe, expect, it } from 'vitest';
import { SyncGroup, TrackTimeline } from './TrackTimeline.js';

/*
 * Placing frames on the recording's timeline: by the first arrival until a sender report, by the
 * sender's wall clock after (shared by a participant's audio and video: lip sync).
 */

const AUDIO_HZ = 48_000;
const VIDEO_HZ = 90_000;
const WRAP = 2 ** 32;

/** A sender: its wall clock (s) maps to each stream's RTP clock with a random origin. */
function stream(hz: number, origin: number) {
  return {
    rtp: (senderSeconds: number) => (origin + Math.round(senderSeconds * hz)) % WRAP,
    report: (senderSeconds: number) => ({
      ntpMs: (3_900_000_000 + senderSeconds) * 1000,
      rtpTimestamp: (origin + Math.round(senderSeconds * hz)) % WRAP,
    }),
  };
}

describe('TrackTimeline', () => {
  it('without any sender report: the first arrival anchors, RTP timestamps place the rest (also across the 32-bit wrap)', () => {
    const t = new TrackTimeline(VIDEO_HZ, new SyncGroup());
    const s = stream(VIDEO_HZ, WRAP - 45_000); // wraps 0.5 s in
    expect(t.place(s.rtp(0), 2.0)).toBeCloseTo(2.0, 6);
    // Arrival jitter does not move frames: only their timestamps do.
    expect(t.place(s.rtp(0.4), 2.9)).toBeCloseTo(2.4, 6);
    expect(t.place(s.rtp(0.6), 2.61)).toBeCloseTo(2.6, 6);
    expect(t.place(s.rtp(10), 12.3)).toBeCloseTo(12.0, 6);
    expect(t.synced).toBe(false);
  });

  it('a report arriving mid-stream puts audio and video captured together at one time; video that left 250 ms late is no longer late', () => {
    const group = new SyncGroup();
    const audio = new TrackTimeline(AUDIO_HZ, group);
    const video = new TrackTimeline(VIDEO_HZ, group);
    const a = stream(AUDIO_HZ, 1_234_567);
    const v = stream(VIDEO_HZ, 3_000_000_000);
    // The sender captures both from sender time 100 s; the recording sees audio arrive 30 ms later
    // and video 280 ms later (held 250 ms at the sender). Recording time = sender time - 95.
    const arrivalA = (t: number) => t - 95 + 0.03;
    const arrivalV = (t: number) => t - 95 + 0.28;
    const placed: { a: number[]; v: number[] } = { a: [], v: [] };
    let lastA = -1;
    let lastV = -1;
    for (let ms = 0; ms < 6000; ms += 20) {
      const t = 100 + ms / 1000;
      // Video reports from 1 s on, audio's from 3 s on (Chromium's intervals differ).
      const ra = ms >= 3000 ? a.report(100 + 2.9) : undefined;
      const rv = ms >= 1000 ? v.report(100 + 0.9) : undefined;
      const pa = audio.place(a.rtp(t), arrivalA(t), ra);
      const pv = video.place(v.rtp(t), arrivalV(t), rv);
      // Every frame goes forward: a placement never moves back over what is written.
      expect(pa).toBeGreaterThan(lastA);
      expect(pv).toBeGreaterThan(lastV);
      lastA = pa;
      lastV = pv;
      placed.a.push(pa);
      placed.v.push(pv);
    }
    // Before any report: as by arrival, video 250 ms behind the audio captured with it.
    expect((placed.v[10] as number) - (placed.a[10] as number)).toBeCloseTo(0.25, 3);
    // Only video reported: video stays where it was (the group takes its offset), audio still by arrival.
    expect((placed.v[100] as number) - (placed.a[100] as number)).toBeCloseTo(0.25, 3);
    // Both reported: audio moved 250 ms later, onto the video; captured together, placed together.
    for (const i of [150, 200, 299])
      expect((placed.v[i] as number) - (placed.a[i] as number)).toBeCloseTo(0, 3);
    expect(audio.synced && video.synced).toBe(true);
  });

  it("a report whose RTP timestamp is across the 32-bit wrap from the frame's still maps it", () => {
    for (const [reportAt, frameAt] of [
      [0.2, 0.8], // report before the wrap, frames after it
      [0.8, 0.2], // report after the wrap, frame before it
    ] as const) {
      const group = new SyncGroup();
      const t = new TrackTimeline(VIDEO_HZ, group);
      const s = stream(VIDEO_HZ, WRAP - 45_000); // wraps at sender time 0.5 s
      // The first frame anchors (recording time 10 at sender time 0); the report maps it the same.
      expect(t.place(s.rtp(0), 10)).toBeCloseTo(10, 4);
      expect(t.place(s.rtp(frameAt), 99, s.report(reportAt))).toBeCloseTo(10 + frameAt, 4);
      expect(t.place(s.rtp(frameAt + 1), 99)).toBeCloseTo(11 + frameAt, 4);
    }
  });

  it('a new source (replaced session) is placed afresh: by its own report, with the offset its sender already had', () => {
    const group = new SyncGroup();
    const t = new TrackTimeline(AUDIO_HZ, group);
    const first = stream(AUDIO_HZ, 5);
    t.place(first.rtp(0), 1, first.report(0));
    expect(group.offset).toBeCloseTo(1 - 3_900_000_000, 3);
    t.reset();
    expect(t.synced).toBe(false);
    const second = stream(AUDIO_HZ, 77_777);
    // Same sender clock, 20 s later; this source's first packet arrived 40 ms later than the first's did.
    expect(t.place(second.rtp(20), 21.04, second.report(19.5))).toBeCloseTo(21.04, 4);
    // Without a report the new source is anchored by its arrival, as before.
    t.reset();
    expect(t.place(second.rtp(30), 31.5)).toBeCloseTo(31.5, 6);
  });

  it('follows every report: an audio clock 200 ppm fast stays on the video captured with it for an hour (the first report alone: 0.72 s apart)', () => {
    const group = new SyncGroup();
    const audio = new TrackTimeline(AUDIO_HZ, group);
    const video = new TrackTimeline(VIDEO_HZ, group);
    // Sender seconds → RTP: the microphone's sample clock runs 200 ppm fast, the camera's does not.
    const audioRtp = (t: number) => (1_000 + Math.round(t * AUDIO_HZ * 1.0002)) % WRAP;
    const videoRtp = (t: number) => (2_000_000_000 + Math.round(t * VIDEO_HZ)) % WRAP;
    const report = (rtp: (t: number) => number, t: number) => ({
      ntpMs: (3_900_000_000 + t) * 1000,
      rtpTimestamp: rtp(t),
    });
    let lastA = -1;
    let worst = 0;
    for (let t = 0; t <= 3600; t += 0.5) {
      // Chromium sends a report every few seconds; each maps that moment's RTP time to the wall clock.
      const reportAt = Math.floor(t / 5) * 5;
      const pa = audio.place(audioRtp(t), t + 0.05, report(audioRtp, reportAt));
      const pv = video.place(videoRtp(t), t + 0.05, report(videoRtp, reportAt));
      expect(pa).toBeGreaterThan(lastA);
      lastA = pa;
      worst = Math.max(worst, Math.abs(pa - pv));
    }
    expect(worst).toBeLessThan(0.002);
  });

  it("ignores a later report that moves the track by more than a drift would (the sender's wall clock stepped)", () => {
    const t = new TrackTimeline(AUDIO_HZ, new SyncGroup());
    const s = stream(AUDIO_HZ, 42);
    expect(t.place(s.rtp(0), 1, s.report(0))).toBeCloseTo(1, 6);
    const stepped = { ...s.report(5), ntpMs: s.report(5).ntpMs + 3000 };
    expect(t.place(s.rtp(6), 50, stepped)).toBeCloseTo(7, 6);
    // A consistent report is taken again afterwards.
    expect(t.place(s.rtp(11), 50, s.report(10))).toBeCloseTo(12, 6);
  });

  it('ignores a report that carries no time (the engine had none yet)', () => {
    const t = new TrackTimeline(AUDIO_HZ, new SyncGroup());
    expect(t.place(1000, 3, { ntpMs: Number.NaN, rtpTimestamp: 0 })).toBe(3);
    expect(t.synced).toBe(false);
  });
});
