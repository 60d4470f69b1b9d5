import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { tempDir, until } from '@conclave/testkit';
import { ivfVp8, SyntheticPublisher } from '@conclave/testkit/rtp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import type { MediaTap } from '../sfu/MediaEngine.js';
import { RecordingService } from './RecordingService.js';

/*
 * A recording of a shared screen (issue 13): real VP8 made by Debian's ffmpeg — a red 1280×720
 * "screen" and two blue 320×180 "cameras" — fed through the engine's tap as the SFU hands it over,
 * recorded, composed by ffmpeg and read back: the screen fills the stage (left, full height) and
 * the cameras sit in a column beside it.
 */

const log = createLogger({ level: 'silent' });

function encode(dir: string, name: string, color: string, size: string): string {
  const file = join(dir, `${name}.ivf`);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=${size}:r=15:d=2`],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15', file],
  ]);
  return file;
}

/** The colour of one pixel of the composed video at `seconds`, as [r, g, b]. */
function pixel(file: string, seconds: number, x: number, y: number): number[] {
  const raw = execFileSync('ffmpeg', [
    ...['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1'],
    ...['-vf', `crop=2:2:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  ]);
  return [...raw.subarray(0, 3)];
}

describe('recording a shared screen', () => {
  it('P13: the composed file has the screen large on the stage and the cameras beside it', async () => {
    const dirs = [tempDir('rec'), tempDir('delivered'), tempDir('media')];
    onTestFinished(() => {
      for (const dir of dirs) dir.remove();
    });
    const [data, out, media] = dirs.map((d) => d.path) as [string, string, string];
    const screen = ivfVp8(encode(media, 'screen', 'red', '1280x720'));
    const camera = encode(media, 'camera', 'blue', '320x180');
    const dataDir = join(data, 'data');
    const delivered = join(out, 'out');
    mkdirSync(delivered);
    const config = parseConfig({
      recording: { enabled: true, dataDir, local: { dir: delivered } },
    }).recording;
    const service = await RecordingService.start({ config, log });
    onTestFinished(() => service.close());
    let tap: MediaTap | undefined;
    const told: ServerMessageOf<'recordingUpload'>[] = [];
    const recording = service.start({
      meetingId: 'meeting',
      destination: { kind: 'local' },
      tap: (t) => {
        tap = t;
        return { requestKeyframes: () => {}, close: () => {} };
      },
      notify: (m) => told.push(m),
      stopped: () => {},
    });
    const [recorder] = service.recorders;
    await until(() => tap !== undefined, 'the tap');
    const publishers = [
      // Video only: the synthetic Opus is filler that no decoder reads (composition would fail).
      new SyntheticPublisher('alice', { fps: 15, video: ivfVp8(camera), noAudio: true }),
      new SyntheticPublisher('alice', { fps: 15, video: screen, noAudio: true, source: 'screen' }),
      new SyntheticPublisher('bob', { fps: 15, video: ivfVp8(camera), noAudio: true }),
    ];
    const end = performance.now() + 4000;
    let last = performance.now();
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now();
      for (const p of publishers) p.advance(now - last, (...args) => tap?.rtp(...args));
      last = now;
    }
    recording.stop();
    const job = await recorder?.done;
    expect(job?.output).toMatch(/\.webm$/);
    await until(
      () => told.some((m) => m.status === 'uploaded' || m.status === 'failed'),
      'the upload',
      30_000,
    );
    expect(told.map((m) => m.status)).toEqual(['processing', 'uploading', 'uploaded']);
    const file = join(delivered, readdirSync(delivered)[0] as string);

    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
    ) as { streams: { codec_type: string; width?: number; height?: number }[] };
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
    // The stage (left 960×720) is the red screen, 16:9 in it (960×540, black above and below): its
    // middle and near its corners.
    for (const [x, y] of [
      [480, 360],
      [20, 100],
      [940, 620],
    ] as const) {
      const [r, g, b] = pixel(file, 3, x, y);
      expect(r, `stage pixel ${x},${y}`).toBeGreaterThan(180);
      expect(g).toBeLessThan(80);
      expect(b).toBeLessThan(80);
    }
    const [, , blackB] = pixel(file, 3, 480, 40);
    expect(blackB, 'above the screen').toBeLessThan(40);
    // Beside it, the two cameras (blue) one above the other.
    for (const y of [90, 270]) {
      const [r, , b] = pixel(file, 3, 1120, y);
      expect(b, `camera pixel 1120,${y}`).toBeGreaterThan(180);
      expect(r).toBeLessThan(80);
    }
  }, 90_000);
});
