import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '@conclave/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compose } from './compose.js';
import type { TrackSummary } from './TrackWriter.js';

/*
 * The real composition (Debian's ffmpeg) of a meeting where several people presented: the stage
 * shows, at each moment, the screen the meeting showed — the newest share, and an older one again
 * once the newer ends; black while nobody shares. Screens are plain colours so that a pixel says
 * which one is on the stage.
 */

/** A VP8 WebM of `seconds` of one colour. */
function encode(dir: string, file: string, color: string, size: string, seconds: number): void {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=${size}:r=15:d=${seconds}`],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15'],
    join(dir, file),
  ]);
}

/** The colour of the stage's middle (960×720 on the left) at `seconds`: 'red', 'green', 'black'… */
function stageColour(file: string, seconds: number): string {
  const raw = execFileSync('ffmpeg', [
    ...['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1'],
    ...['-vf', 'crop=2:2:480:360', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  ]);
  const [r = 0, g = 0, b = 0] = raw.subarray(0, 3);
  if (r > 150 && g < 90 && b < 90) return 'red';
  if (g > 90 && r < 90 && b < 90) return 'green';
  if (r < 40 && g < 40 && b < 40) return 'black';
  return `rgb(${r}, ${g}, ${b})`;
}

function video(file: string, participant: number, start: number, end: number, screen: boolean): TrackSummary {
  return {
    file,
    kind: 'video',
    participant,
    ...(screen ? { source: 'screen' as const } : {}),
    start,
    end,
    frames: Math.round((end - start) * 15),
    lostPackets: 0,
  };
}

describe('composition of several shared screens', () => {
  it('the stage shows the newest share, and the older one again when it ends', async () => {
    const dir = tempDir('compose-stage');
    onTestFinished(() => dir.remove());
    encode(dir.path, 'participant-1-screen-video.webm', 'red', '1280x720', 4);
    encode(dir.path, 'participant-2-screen-video.webm', '0x00c000', '1280x720', 1.5);
    encode(dir.path, 'participant-1-video.webm', 'blue', '320x180', 4);
    const tracks = [
      video('participant-1-screen-video.webm', 1, 0, 4, true),
      video('participant-2-screen-video.webm', 2, 1, 2.5, true),
      video('participant-1-video.webm', 1, 0, 4, false),
    ];
    expect(await compose('ffmpeg', dir.path, tracks, 4, 'out.webm')).toBe(true);
    const out = join(dir.path, 'out.webm');
    expect(stageColour(out, 0.5), 'Ann presents').toBe('red');
    expect(stageColour(out, 1.8), 'Ben presents while Ann still shares').toBe('green');
    expect(stageColour(out, 3.3), "Ben stopped: Ann's screen again").toBe('red');
  }, 60_000);

  it('presenters one after the other each get the stage; black between them', async () => {
    const dir = tempDir('compose-stage');
    onTestFinished(() => dir.remove());
    encode(dir.path, 'participant-1-screen-video.webm', 'red', '1280x720', 1.5);
    encode(dir.path, 'participant-2-screen-video.webm', '0x00c000', '1280x720', 2);
    const tracks = [
      // The longer share second: the stage follows time, not whoever shared longest.
      video('participant-1-screen-video.webm', 1, 0, 1.5, true),
      video('participant-2-screen-video.webm', 2, 2, 4, true),
    ];
    expect(await compose('ffmpeg', dir.path, tracks, 4, 'out.webm')).toBe(true);
    const out = join(dir.path, 'out.webm');
    expect(stageColour(out, 0.7)).toBe('red');
    expect(stageColour(out, 1.8), 'nobody shares').toBe('black');
    expect(stageColour(out, 3)).toBe('green');
  }, 60_000);
});
