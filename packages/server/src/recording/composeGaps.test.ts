import { execFileSync } from 'node:child_process';
import { tempDir } from '@conclave/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compose } from './compose.js';
import type { TrackSummary } from './TrackWriter.js';

/*
 * The real composition (Debian's ffmpeg) keeps a gap in an audio track's timestamps: the recorder
 * leaves one where packets were lost, or where it moved the track later onto its sender's clock
 * (TrackTimeline), and the sound after it must stay where the timestamps put it, or audio drifts
 * ahead of the video.
 */

/** Seconds from the start of `file` to its first sample louder than 0.05. */
function firstSound(file: string): number {
  const raw = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-ac',
    '1',
    '-ar',
    '48000',
    '-f',
    'f32le',
    '-',
  ]);
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  const i = samples.findIndex((s) => Math.abs(s) > 0.05);
  expect(i).toBeGreaterThan(0);
  return i / 48_000;
}

describe('composition of an audio track with a gap', () => {
  it('a 60 ms gap in the timestamps stays in the composed file (filled with silence)', async () => {
    const dir = tempDir('compose-gap');
    onTestFinished(() => dir.remove());
    // 3 s of silence with a beep at 2.0 s; then every packet from 1.0 s on is moved 60 ms later.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      "sine=f=1000:d=3,volume=enable='not(between(t,2,2.1))':volume=0",
      '-c:a',
      'libopus',
      `${dir.path}/plain.webm`,
    ]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      `${dir.path}/plain.webm`,
      '-c',
      'copy',
      '-bsf:a',
      'setts=ts=if(gte(PTS\\,1000)\\,PTS+60\\,PTS)',
      `${dir.path}/participant-1-audio.webm`,
    ]);
    const track: TrackSummary = {
      file: 'participant-1-audio.webm',
      kind: 'audio',
      participant: 1,
      start: 0,
      end: 3.06,
      frames: 150,
      lostPackets: 0,
    };
    expect(await compose('ffmpeg', dir.path, [track], 3.5, 'out.webm')).toBe(true);
    const plain = firstSound(`${dir.path}/plain.webm`);
    // Opus' own delay is the same in both; the gap adds its 60 ms (closed up, it added nothing).
    expect(firstSound(`${dir.path}/out.webm`) - plain).toBeGreaterThan(0.045);
    expect(firstSound(`${dir.path}/out.webm`) - plain).toBeLessThan(0.075);
  });
});
